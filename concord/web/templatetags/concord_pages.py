"""What every page's frame needs of its own: the browser tab's title."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()


@register.filter(is_safe=True)
def page_title(title: str) -> str:
    """"Find a case · Concord", or "Concord" for a page that names nothing: the tab and the first thing a
    screen reader says, so the page's own words come first. A block's output is already escaped: kept so."""
    words = " ".join(str(title).split())
    if not words:
        return "Concord"
    words = mark_safe(words) if isinstance(title, SafeData) else conditional_escape(words)  # noqa: S308
    return mark_safe(f"{words} · Concord")  # noqa: S308

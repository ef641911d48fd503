"""English ships first; the layout must hold for right-to-left languages later. The page says its
direction, and the stylesheet uses logical properties only (start/end, never left/right), so a
right-to-left translation mirrors the layout without a second stylesheet."""

import re
from pathlib import Path

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from concord.testing.factories import login

STYLESHEETS = sorted((Path(__file__).resolve().parents[1] / "static").rglob("*.css"))
PHYSICAL = re.compile(r"(margin|padding|border|inset)-(left|right)\b|text-align:\s*(left|right)|"
                      r"float:\s*(left|right)|(?<![-\w])(left|right)\s*:")


def test_the_stylesheets_use_logical_properties_only():
    assert STYLESHEETS
    for sheet in STYLESHEETS:
        for number, line in enumerate(sheet.read_text().splitlines(), start=1):
            assert not PHYSICAL.search(line), f"{sheet.name}:{number}: {line.strip()}"


@override_settings(LANGUAGES=[("en-gb", "English"), ("ar", "Arabic")])
def test_a_right_to_left_language_sets_the_pages_direction(client, advocate):
    login(client, advocate)
    with translation.override("ar"):
        response = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="ar")
    assert re.search(r'<html lang="ar" dir="rtl">', response.text)
    english = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en-gb").text
    assert 'dir="ltr"' in english

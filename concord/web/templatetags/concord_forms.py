"""The error summary at the top of a form page (the GOV.UK pattern): every error of the page's forms,
each linking to its field, and the focus on the summary, so a keyboard or screen-reader user hears at
once that nothing was saved and why."""

from django import template

register = template.Library()


@register.inclusion_tag("web/includes/error_summary.html")
def error_summary(*forms):
    errors = []
    for form in forms:
        if form is None or not getattr(form, "errors", None):
            continue
        errors += [{"anchor": "", "message": message} for message in form.non_field_errors()]
        for field in form:
            errors += [{"anchor": field.id_for_label or field.auto_id, "message": message}
                       for message in field.errors]
    return {"errors": errors}

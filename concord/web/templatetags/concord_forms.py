"""The error summary at the top of a form page (the GOV.UK pattern): every error of the page's forms,
each linking to its field, and the focus on the summary, so a keyboard or screen-reader user hears at
once that nothing was saved and why."""

from django import template

register = template.Library()


@register.inclusion_tag("web/includes/error_summary.html")
def error_summary(*forms):
    errors = []
    # A formset stands for its forms (and its own errors: too many rows).
    forms = [each for form in forms for each in (getattr(form, "forms", None) or [form])] + \
        [_FormsetErrors(form) for form in forms if hasattr(form, "non_form_errors") and form.non_form_errors()]
    for form in forms:
        if form is None or not getattr(form, "errors", None):
            continue
        errors += [{"anchor": "", "message": message} for message in form.non_field_errors()]
        for field in form:
            errors += [{"anchor": field.id_for_label or field.auto_id, "message": message}
                       for message in field.errors]
    return {"errors": errors}


class _FormsetErrors:
    """A formset's own errors (not one row's), shown as a form's non-field errors."""

    def __init__(self, formset):
        self.errors = formset.non_form_errors()

    def non_field_errors(self):
        return self.errors

    def __iter__(self):
        return iter(())

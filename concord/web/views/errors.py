from django.core.exceptions import ValidationError
from django.forms import Form


def apply_validation_error(error: ValidationError, forms: list[Form]) -> None:
    """Show a service's ValidationError beside the matching field, or at the top of the first form."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        target = next((form for form in forms if field in form.fields), None)
        if target is None:
            forms[0].add_error(None, field_errors)
        else:
            target.add_error(field, field_errors)

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def refuse_unless(allowed: bool, message: str = "") -> None:
    """An action the decision does not offer is not offered on the page either: reaching it anyway is a
    403, saying what was refused."""
    if not allowed:
        raise PermissionDenied(message)


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


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page: the site's layout, what was refused in plain words, and a way back. A case page's
    403 links back to the case: a view refuses an action only after the reader was shown to see it."""
    match = getattr(request, "resolver_match", None)
    reference = (match.kwargs.get("reference") if match is not None else None)
    message = str(exception) if exception is not None and str(exception) else ""
    return render(request, "403.html", {
        "message": message or _("Your agency or your role cannot make this change."),
        "case_url": reverse("web:case", args=[reference]) if reference and match.namespace == "web" else "",
    }, status=403)

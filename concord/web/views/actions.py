"""Small POST actions on a record of a case (end an involvement, an override, a grant)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from concord import policy


def end_record_of_case(request, reference, *, model, pk, end, success, back: str | None = None):
    """Find the record on a case the actor may see (else 404), end it through its service, and go
    back to the case (or to the address `back`) with a message; a refusal by the service is a
    message, not an error page."""
    actor = request.actor
    case = policy.get_case(actor, reference)
    record = get_object_or_404(model, pk=pk, case=case)
    try:
        end(actor=actor, record=record)
        messages.success(request, success % {"agency": record.agency})
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    return redirect(back or reverse("web:case", args=[reference]))

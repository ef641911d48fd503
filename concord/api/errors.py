"""How refusals look on the wire, and the response table every operation declares.

Services raise Django's ValidationError, PermissionDenied and Http404, and StaleEdit for an edit
made from an old version; here each becomes one JSON shape with one status code, so a client (and
the OpenAPI schema) sees the same answer whichever service refused.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema

from concord.concurrency import StaleEdit


class ErrorOut(Schema):
    detail: str


class ErrorItem(Schema):
    # The same shape as django-ninja's own 422 for schema errors, so clients parse one format.
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ErrorItem]


class FieldChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str


class StaleEditOut(Schema):
    detail: str
    current_version: int
    changed_by: str
    changes: list[FieldChangeOut]


# Every operation names its body `payload`; service errors point into it as ninja's own errors do.
BODY = "payload"

ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,  # a body that is not JSON, or too large to read
    401: ErrorOut,  # no credentials, or credentials that are not (or no longer) valid
    403: ErrorOut,  # visible, but not this agency's to change; or a failed CSRF check
    404: ErrorOut,  # does not exist, or not visible to this actor: the two are never told apart
    409: StaleEditOut,
    422: ValidationErrorOut,
}


def responses(success: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The `response=` of an operation: its success schema plus every error it can answer with."""
    return {**success, **{code: ERROR_SCHEMAS[code] for code in errors}}


def validation_items(error: DjangoValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [{"loc": ["body", BODY], "msg": message, "type": "invalid"} for message in error.messages]
    items = []
    for field, field_errors in error.error_dict.items():
        loc = ["body", BODY] if field == NON_FIELD_ERRORS else ["body", BODY, field]
        for field_error in field_errors:
            items.extend({"loc": loc, "msg": message, "type": "invalid"} for message in field_error.messages)
    return items


def install_handlers(api: NinjaAPI) -> None:
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Always the same words, even with DEBUG on (ninja would append the reason): a hidden case,
        # a missing incident and a mistyped reference must be indistinguishable.
        return api.create_response(request, {"detail": _("Not Found")}, status=404)

    def validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": validation_items(exc)}, status=422)

    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or _("Forbidden")}, status=403)

    def stale_edit(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
        body = {
            "detail": str(exc),
            "current_version": exc.instance.version,  # type: ignore[attr-defined]
            "changed_by": exc.changed_by,
            "changes": [asdict(change) for change in exc.changes],
        }
        return api.create_response(request, body, status=409)

    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Django would answer with its HTML 400 page; an API client should get JSON.
        return api.create_response(request, {"detail": _("The request body is too large.")}, status=400)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(DjangoValidationError, validation_error)
    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(PermissionDenied, permission_denied)
    api.add_exception_handler(StaleEdit, stale_edit)

"""Needs of a case, in her own words and with her own priority. Only for an agency whose access
includes her needs (403 otherwise); edited by the agency that recorded one, corrected by the lead."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
import dataclasses

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from concord import policy
from concord.access.facets import Facet
from concord.audit.models import ObjectType
from concord.cases import services
from concord.cases.models import Need
from concord.cases.records import NeedDetails
from concord.policy import Action

from .auth import actor_of
from .errors import responses
from .pagination import Pages
from .params import NeedId, Reference
from .reads import case_access, log_read
from .schemas import NeedIn, NeedOut, NeedPatch

router = Router(tags=["needs"])


def _needs(request: HttpRequest, reference: str, *, read: bool = False) -> QuerySet[Need]:
    access = case_access(request, reference)
    if not access.sees(Facet.NEEDS):
        raise PermissionDenied(_("Your agency's access to this case does not include her needs."))
    if read:
        log_read(access, ObjectType.NEED, None, NeedOut.model_fields)
    return policy.needs_of(access).select_related("case", "recorded_for")


@router.get("/{reference}/needs", response=responses({200: list[NeedOut]}, 401, 404, 422),
            summary="Needs of a case: open first, then by her priority")
@paginate(Pages)
def list_needs(request: HttpRequest, reference: Reference) -> QuerySet[Need]:
    return _needs(request, reference, read=True).order_by("status", "priority", "-recorded_at", "-pk")


@router.post("/{reference}/needs", response=responses({201: NeedOut}, 400, 401, 403, 404, 422), summary="Record a need")
def record_need(request: HttpRequest, reference: Reference, payload: NeedIn) -> Status:
    actor = actor_of(request)
    access = case_access(request, reference)
    if not access.may(Action.RECORD_NEED):
        raise PermissionDenied(_("Your agency's access to this case does not include her needs."))
    need = services.need_record(actor=actor, case=access.case, details=NeedDetails(**payload.model_dump()))
    return Status(201, _needs(request, reference).get(pk=need.pk))


@router.get("/{reference}/needs/{need_id}", response=responses({200: NeedOut}, 401, 404, 422), summary="A need")
def get_need(request: HttpRequest, reference: Reference, need_id: NeedId) -> Need:
    need = get_object_or_404(_needs(request, reference), pk=need_id)
    # Logged once it is known to be on the case: a 404 reads nothing.
    log_read(request.case_access, ObjectType.NEED, need.pk, NeedOut.model_fields)  # type: ignore[attr-defined]
    return need


@router.patch("/{reference}/needs/{need_id}", response=responses({200: NeedOut}, 400, 401, 403, 404, 409, 422),
              summary="Edit a need or change its status: send `version` and the fields that change")
def edit_need(request: HttpRequest, reference: Reference, need_id: NeedId, payload: NeedPatch) -> Need:
    actor = actor_of(request)
    need = get_object_or_404(_needs(request, reference), pk=need_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version", "correction_reason"})
    services.need_update(actor=actor, need=need, expected_version=payload.version,
                         details=dataclasses.replace(NeedDetails.of(need), **changes),
                         correction_reason=payload.correction_reason)
    return _needs(request, reference).get(pk=need.pk)

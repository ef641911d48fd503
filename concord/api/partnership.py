"""The partnership's structure as the actor sees it: their own area and its agencies."""

# No `from __future__ import annotations` here: ninja reads these annotations at import time.
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from concord import policy
from concord.accounts.models import Agency, Area

from .auth import actor_of
from .errors import responses
from .pagination import Pages
from .params import AgencyId, AreaId
from .schemas import AgencyOut, AreaOut

areas = Router(tags=["areas"])
agencies = Router(tags=["agencies"])


def _own_area(request: HttpRequest) -> QuerySet[Area]:
    # Areas are independent partnerships: an actor sees only the one their agency belongs to.
    return Area.objects.filter(pk=actor_of(request).area.pk)


@areas.get("", response=responses({200: list[AreaOut]}, 401, 422), summary="Your area")
@paginate(Pages)
def list_areas(request: HttpRequest) -> QuerySet[Area]:
    return _own_area(request)


@areas.get("/{area_id}", response=responses({200: AreaOut}, 401, 404, 422), summary="An area (yours only)")
def get_area(request: HttpRequest, area_id: AreaId) -> Area:
    return get_object_or_404(_own_area(request), pk=area_id)


@agencies.get("", response=responses({200: list[AgencyOut]}, 401, 422), summary="Agencies of your area")
@paginate(Pages)
def list_agencies(request: HttpRequest) -> QuerySet[Agency]:
    return policy.agencies_in_area(actor_of(request)).order_by("name", "pk")


@agencies.get("/{agency_id}", response=responses({200: AgencyOut}, 401, 404, 422), summary="An agency of your area")
def get_agency(request: HttpRequest, agency_id: AgencyId) -> Agency:
    return get_object_or_404(policy.agencies_in_area(actor_of(request)), pk=agency_id)

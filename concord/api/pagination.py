"""Page-number pagination with hard bounds, for every list.

ninja's own PageNumberPagination leaves `page` unbounded: page 10**20 becomes an OFFSET the
database cannot hold (a 500). Here both parameters are bounded and the bounds are in the schema.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)  # type: ignore[arg-type]


class LoggedCasePages(Pages):
    """Pages of a case list whose every case shown goes in the access log (a service account pulling
    lists is as accountable as a worker searching)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        from concord.audit.services import access_log_listed

        from .auth import actor_of

        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = list(page[self.items_attribute])
        access_log_listed(actor=actor_of(request), cases=page[self.items_attribute], fields=CASE_LIST_FIELDS)
        return page


# What a case list item holds (schemas.CaseListItem): enough to pick the right case, no more.
CASE_LIST_FIELDS = ["reference", "status", "lead_agency", "survivor_name", "updated_at", "risk_level"]


class LoggedPeoplePages(Pages):
    """Pages of people (names and age bands): each page is one access-log entry naming them."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        from concord.audit.services import access_log_people_shown

        from .auth import actor_of

        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = list(page[self.items_attribute])
        access_log_people_shown(actor=actor_of(request), people=page[self.items_attribute], where="api:people")
        return page

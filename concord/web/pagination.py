from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

PAGE_SIZE = 25
# Counting every case an agency may see costs about half a second at national size (bench/README.md);
# a worker's list needs no more than "over a thousand: filter to narrow it".
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows; `capped` says the list is longer than the pages offered."""

    @cached_property
    def count(self) -> int:
        # Unordered, so the database may stop at the cap instead of sorting every row first.
        found = self.object_list.order_by()[: COUNT_CAP + 1].count()
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)

    capped = False


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))


def paginate_counting_with_page(queryset, page_number: object, per_page: int = PAGE_SIZE, *,
                                rows_of: Callable[[list[Any]], Iterable[Any]] | None = None) -> Page:
    """A page and the count in one statement, for a result the database sorts in full anyway (a
    search: the matching people's cases): the count is a window over the rows it already holds,
    instead of a second statement that finds them all again.

    `rows_of(keys)`: the page's rows read by their keys in a second, short statement. The first then
    sorts and counts only the keys, so the joins of what a row shows (her name, the lead agency) are
    made for the page's rows, not for every match (at national size, thousands for a common name)."""
    paginator = CappedPaginator(queryset, per_page)
    try:
        number = max(int(str(page_number or 1)), 1)
    except ValueError:
        number = 1
    bottom = (number - 1) * per_page
    counted = queryset.annotate(found=Window(Count("*")))
    if rows_of is None:
        rows = list(counted[bottom:bottom + per_page])
        found = rows[0].found if rows else 0
    else:
        keys = list(counted.values_list("pk", "found")[bottom:bottom + per_page])
        found = keys[0][1] if keys else 0
        by_key = {row.pk: row for row in rows_of([key for key, _found in keys])}
        rows = [by_key[key] for key, _found in keys if key in by_key]
    if not rows:
        return paginator.get_page(number)  # nothing found, or past the end: the ordinary path
    paginator.__dict__["count"] = min(found, COUNT_CAP)
    paginator.capped = found > COUNT_CAP
    if bottom >= COUNT_CAP:
        return paginator.get_page(number)  # beyond the pages offered
    return Page(rows, number, paginator)

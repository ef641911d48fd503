from functools import cached_property

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


def paginate_counting_with_page(queryset, page_number: object, per_page: int = PAGE_SIZE) -> Page:
    """A page and the count in one statement, for a result the database sorts in full anyway (a
    search: the matching people's cases): the count is a window over the rows it already holds,
    instead of a second statement that finds them all again."""
    paginator = CappedPaginator(queryset, per_page)
    try:
        number = max(int(str(page_number or 1)), 1)
    except ValueError:
        number = 1
    bottom = (number - 1) * per_page
    rows = list(queryset.annotate(found=Window(Count("*")))[bottom:bottom + per_page])
    if not rows:
        return paginator.get_page(number)  # nothing found, or past the end: the ordinary path
    found = rows[0].found
    paginator.__dict__["count"] = min(found, COUNT_CAP)
    paginator.capped = found > COUNT_CAP
    if bottom >= COUNT_CAP:
        return paginator.get_page(number)  # beyond the pages offered
    return Page(rows, number, paginator)

from functools import cached_property

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25
# Counting every case an agency may see costs about half a second at national size (bench/README.md);
# a worker's list needs no more than "over a thousand: filter to narrow it".
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows; `capped` says the list is longer than the pages offered."""

    @cached_property
    def count(self) -> int:
        found = self.object_list[: COUNT_CAP + 1].count()
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)

    capped = False


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))

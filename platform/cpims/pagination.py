"""Pages of long lists that count at most a bounded number of rows."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class BoundedPaginator(Paginator):
    """A paginator whose count reads at most ``cap`` rows (``COUNT(*)`` over a ``LIMIT``): an
    organisation with 100,000 cases sees "more than 10,000 cases" and narrows with the
    filters, instead of every page load counting every case. ``capped`` says it stopped."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

"""Pages of long lists that count at most a bounded number of rows."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def bounded_count(rows: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """How many rows match, counting at most ``cap`` (``COUNT(*)`` over a ``LIMIT``, the
    order dropped: a count needs no sort; the rows' computed columns dropped too, when no
    DISTINCT or GROUP BY depends on them), and whether there were more."""
    cap = cap or COUNT_CAP
    if not isinstance(rows, QuerySet):
        return min(len(rows), cap), len(rows) > cap
    rows = rows.order_by()
    if not rows.query.distinct and not rows.query.group_by:
        rows = rows.values("pk")
    counted = rows[: cap + 1].count()
    return min(counted, cap), counted > cap


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
        counted, self.capped = bounded_count(self.object_list, self.cap)
        return counted

"""Report tables (rows by columns, with totals) and how they are released to an audience."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import Sum

from national_statistics.audience import Audience, shows_small_counts
from national_statistics.suppression import (
    SUPPRESSED,
    TOTAL,
    is_small,
    suppress_series,
    suppress_table,
)

AGE_BANDS = ["0-5", "6-10", "11-15", "16-17", "18+", "unknown"]
SEXES = [("SMAL", "Male"), ("SFEM", "Female"), ("SINT", "Intersex")]


@dataclass
class Report:
    """A two-way table: rows by columns, with totals. ``beside_rows`` are reported under the
    total but not added into it (MER: exited without graduation is not OVC_SERV);
    ``total_only`` are beside rows counted as a whole, not by column (children, each counted
    once however many cases: not a sum of the columns, so their column cells are blank).
    ``released_to`` says who may read it: a report leaves the platform only once released."""

    title: str
    row_header: str
    rows: list[tuple[str, str]]  # (national code or key, label)
    columns: list[tuple[str, str]]
    values: dict[tuple[str, str], int | str] = field(default_factory=dict)
    suppressed: bool = False
    beside_rows: list[tuple[str, str]] = field(default_factory=list)
    released_to: str = ""
    total_only: frozenset[str] = frozenset()
    # a total-only row (a percentage) hidden whenever the row it is computed from is
    hidden_with: dict[str, str] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> int | str:
        if row in self.total_only and column != TOTAL:
            return ""
        return self.values.get((row, column), 0)

    def as_rows(self) -> list[list]:
        """Header plus one list per row, each row's code beside its label, the total after
        the rows it adds up and the rows reported beside it last: what CSV and XLSX write."""
        header = [self.row_header, "Code", *(label for _, label in self.columns), "Total"]

        def line(key: str, label: str, code: str) -> list:
            cells = [self.cell(key, c) for c, _ in self.columns]
            return [label, code, *cells, self.cell(key, TOTAL)]

        body = [line(key, label, key) for key, label in self.rows]
        beside = [line(key, label, key) for key, label in self.beside_rows]
        return [header, *body, line(TOTAL, "Total", ""), *beside]

    def fill_totals(self) -> Report:
        """Row totals, column totals over ``rows`` and the grand total (beside rows have their
        own row totals only)."""
        columns = [c for c, _ in self.columns]
        for row, _ in [*self.rows, *self.beside_rows]:
            if row in self.total_only:
                self.values.setdefault((row, TOTAL), 0)  # counted as a whole
                continue
            self.values[(row, TOTAL)] = sum(int(self.values.get((row, c), 0)) for c in columns)
        for column in columns:
            self.values[(TOTAL, column)] = sum(
                int(self.values.get((r, column), 0)) for r, _ in self.rows
            )
        self.values[(TOTAL, TOTAL)] = sum(int(self.values[(r, TOTAL)]) for r, _ in self.rows)
        return self


def report_from_counts(
    report: Report, counts: dict[str, dict[str, int]], *, keep_empty_rows: bool = True
) -> Report:
    """Fill ``report`` from counts by row then column; unknown rows are added in order."""
    known = {key for key, _ in [*report.rows, *report.beside_rows]}
    for row in counts:
        if row not in known:
            report.rows.append((row, row or "—"))
    if not keep_empty_rows:
        report.rows = [(k, label) for k, label in report.rows if any(counts.get(k, {}).values())]
    for row, by_column in counts.items():
        for column, n in by_column.items():
            report.values[(row, column)] = int(report.values.get((row, column), 0)) + int(n)
    return report.fill_totals()


def suppressed(report: Report) -> Report:
    """The report as it may leave the platform: small cells hidden, with complements. The
    rows that add up to the total form one table; each row beside it is its own line."""
    values: dict[tuple[str, str], int | str] = {}
    columns = [c for c, _ in report.columns]
    counts = {
        row: {column: int(report.values.get((row, column), 0)) for column in columns}
        for row, _ in report.rows
    }
    if counts:
        values.update(suppress_table(counts).values)
    else:
        values.update({(TOTAL, c): 0 for c in columns} | {(TOTAL, TOTAL): 0})
    for row, _ in report.beside_rows:
        if row in report.total_only:  # one figure of its own: hidden when small
            n = int(report.values.get((row, TOTAL), 0))
            values[(row, TOTAL)] = SUPPRESSED if is_small(n) else n
            continue
        line = suppress_series(
            {column: int(report.values.get((row, column), 0)) for column in columns}
        )
        values.update({(row, column): value for column, value in line.items()})
    for row, source in report.hidden_with.items():
        n = int(report.values.get((row, TOTAL), 0))
        hidden = values.get((source, TOTAL)) == SUPPRESSED or is_small(n)
        values[(row, TOTAL)] = SUPPRESSED if hidden else n
    return replace(report, values=values, suppressed=True, released_to=Audience.PUBLISHED)


def release(report: Report, audience: Audience | str) -> Report:
    """The report as ``audience`` may read it: as it is, or suppressed."""
    if shows_small_counts(audience):
        return replace(report, values=dict(report.values), released_to=audience)
    return suppressed(report)


def sum_by(queryset, *dimensions: str) -> list[tuple]:
    """Counts of a MonthlyCount queryset grouped by ``dimensions``."""
    return list(queryset.values_list(*dimensions).annotate(total=Sum("n")).order_by())

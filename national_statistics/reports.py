"""Standard reports computed from monthly counts of facts, ready for export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum

from case_apps.lists.selectors import list_labels
from national_statistics.selectors import CATEGORY_ADDED, StatisticsScope, counts_in
from national_statistics.suppression import TOTAL, suppress_table

AGE_BANDS = ["0-5", "6-10", "11-15", "16-17", "18+", "unknown"]
SEXES = [("SMAL", "Male"), ("SFEM", "Female"), ("SINT", "Intersex")]


@dataclass
class Report:
    """A two-way table: rows by columns, with totals; ``suppressed`` once made safe to leave."""

    title: str
    row_header: str
    rows: list[tuple[str, str]]  # (key, label)
    columns: list[tuple[str, str]]
    values: dict[tuple[str, str], int | str] = field(default_factory=dict)
    suppressed: bool = False

    def cell(self, row: str, column: str) -> int | str:
        return self.values.get((row, column), 0)

    def as_rows(self) -> list[list]:
        """Header plus one list per row, totals last: what CSV and XLSX write."""
        header = [self.row_header, *(label for _, label in self.columns), "Total"]
        body = [
            [label, *(self.cell(key, c) for c, _ in self.columns), self.cell(key, TOTAL)]
            for key, label in self.rows
        ]
        totals = ["Total", *(self.cell(TOTAL, c) for c, _ in self.columns), self.cell(TOTAL, TOTAL)]
        return [header, *body, totals]


def _column_key(sex: str, age_band: str) -> str:
    return f"{sex}|{age_band}"


def case_load_summary(scope: StatisticsScope, month_from: date, month_to: date) -> Report:
    """New cases by case category x sex x age band (the DCS case load summary)."""
    rows = (
        counts_in(scope, month_from, month_to)
        .filter(event_kind=CATEGORY_ADDED)
        .values_list("category", "sex", "age_band")
        .annotate(n=Sum("n"))
        .order_by()
    )
    labels = list_labels("case_category")
    table: dict[str, dict[str, int]] = {}
    for category, sex, age_band, n in rows:
        table.setdefault(category, {})[_column_key(sex, age_band or "unknown")] = int(n)
    columns = [
        (_column_key(sex, band), f"{label} {band}") for sex, label in SEXES for band in AGE_BANDS
    ]
    ordered_rows = sorted(table, key=lambda code: labels.get(code, code))
    report = Report(
        title="Case load summary",
        row_header="Case category",
        rows=[(code, labels.get(code, code) or "—") for code in ordered_rows],
        columns=columns,
    )
    totals_by_column: dict[str, int] = {}
    for row in ordered_rows:
        row_total = 0
        for column, _ in columns:
            value = table[row].get(column, 0)
            report.values[(row, column)] = value
            totals_by_column[column] = totals_by_column.get(column, 0) + value
            row_total += value
        report.values[(row, TOTAL)] = row_total
    for column, _ in columns:
        report.values[(TOTAL, column)] = totals_by_column.get(column, 0)
    report.values[(TOTAL, TOTAL)] = sum(totals_by_column.values())
    return report


def suppressed(report: Report) -> Report:
    """The report as it may leave the platform: small cells hidden, with complements."""
    counts = {
        row: {column: int(report.values.get((row, column), 0)) for column, _ in report.columns}
        for row, _ in report.rows
    }
    if not counts:
        return Report(
            report.title,
            report.row_header,
            [],
            report.columns,
            {(TOTAL, c): 0 for c, _ in report.columns} | {(TOTAL, TOTAL): 0},
            suppressed=True,
        )
    table = suppress_table(counts)
    return Report(
        report.title,
        report.row_header,
        report.rows,
        report.columns,
        dict(table.values),
        suppressed=True,
    )

"""The institution population report (issue 19): for each month of the period, the residents
of institutions at the month's end by sex and age band, with the admissions and discharges of
the month, from the drained ``resident_admitted`` and ``resident_discharged`` facts.

The residents at a month's end are the admissions up to it less the discharges up to it (a
discharge carries the age band at admission, as its admission does, so the two cancel out
group by group); a group never goes below zero. They are read from the drain's population
rollups (national_statistics/rollups.py): the balance of every admission and discharge ever
(``PopulationBalance``, by area ``PopulationAreaBalance``) less the months from the period's
start (``PopulationMonth``, by area ``PopulationAreaMonth``) is the balance before the
period, to which the period's months are added. Two queries whatever the
period or scope, reading one row per institution and group plus the months since the period's
start (never the whole history).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet, Sum

from national_statistics.models import (
    PopulationAreaBalance,
    PopulationAreaMonth,
    PopulationBalance,
    PopulationMonth,
)
from national_statistics.reports import AGE_BANDS, SEXES, Report, report_from_counts
from national_statistics.selectors import StatisticsScope, first_of_month

ADMITTED, DISCHARGED = "resident_admitted", "resident_discharged"
KINDS = (ADMITTED, DISCHARGED)

Group = tuple[str, str]  # (sex, age band)
# The report's rows are by month (``admitted:2026-01``): DHIS2 data elements are mapped from
# the part before the month (exports.data_element_key), so a monthly data set takes one month.
POPULATION_DATA_ELEMENTS = (
    ("admitted", "Admitted in the month"),
    ("discharged", "Discharged in the month"),
    ("residents", "Residents at the month's end"),
)


@dataclass
class MonthPopulation:
    month: date
    residents: dict[Group, int] = field(default_factory=dict)
    admissions: dict[Group, int] = field(default_factory=dict)
    discharges: dict[Group, int] = field(default_factory=dict)

    @property
    def residents_total(self) -> int:
        return sum(self.residents.values())

    @property
    def admissions_total(self) -> int:
        return sum(self.admissions.values())

    @property
    def discharges_total(self) -> int:
        return sum(self.discharges.values())


def months_of(month_from: date, month_to: date) -> list[date]:
    month, last, months = first_of_month(month_from), first_of_month(month_to), []
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _in_scope(queryset: QuerySet, scope: StatisticsScope) -> QuerySet:
    if scope.organisation_id:
        queryset = queryset.filter(organisation_id=scope.organisation_id)
    if scope.county:
        queryset = queryset.filter(county=scope.county)
    if scope.sub_county:
        queryset = queryset.filter(sub_county=scope.sub_county)
    return queryset


def population_by_month(
    scope: StatisticsScope, month_from: date, month_to: date
) -> list[MonthPopulation]:
    """Residents at each month's end, admissions and discharges in it, by sex and age band."""
    months = months_of(month_from, month_to)
    balance: dict[Group, int] = {}  # every admission less every discharge, then before
    # an institution's own rows; any area's from the rollups summed by area (fewer rows)
    balances, month_rows = (
        (PopulationBalance, PopulationMonth)
        if scope.organisation_id
        else (PopulationAreaBalance, PopulationAreaMonth)
    )
    totals = (
        _in_scope(balances.objects.all(), scope)
        .values_list("sex", "age_band")
        .annotate(total=Sum("residents"))
        .order_by()
    )
    for sex, band, n in totals:
        group = (sex, band or "unknown")
        balance[group] = balance.get(group, 0) + int(n)
    during: dict[date, MonthPopulation] = {m: MonthPopulation(m) for m in months}
    since_start = (
        _in_scope(month_rows.objects.filter(month__gte=months[0]), scope)
        .values_list("month", "sex", "age_band")
        .annotate(admitted=Sum("admitted"), discharged=Sum("discharged"))
        .order_by()
    )
    for month, sex, band, admitted, discharged in since_start:
        group = (sex, band or "unknown")
        balance[group] = balance.get(group, 0) - int(admitted) + int(discharged)
        line = during.get(month)  # months after the period are only taken off
        if line is None:
            continue
        for figures, n in ((line.admissions, admitted), (line.discharges, discharged)):
            if n:
                figures[group] = figures.get(group, 0) + int(n)
    for month in months:
        line = during[month]
        for group, n in line.admissions.items():
            balance[group] = balance.get(group, 0) + n
        for group, n in line.discharges.items():
            balance[group] = balance.get(group, 0) - n
        line.residents = {group: n for group, n in balance.items() if n > 0}
    return [during[m] for m in months]


def _key(month: date) -> str:
    return month.strftime("%Y-%m")


def institution_population(scope: StatisticsScope, month_from: date, month_to: date) -> Report:
    """The report: admissions of each month (the rows, adding up to the period's admissions),
    then beside them the discharges of each month and the residents at each month's end."""
    columns = [(f"{sex}|{band}", f"{label} {band}") for sex, label in SEXES for band in AGE_BANDS]
    lines = population_by_month(scope, month_from, month_to)
    report = Report(
        title="Institution population",
        row_header="Month",
        rows=[
            (f"admitted:{_key(line.month)}", f"Admitted in {_key(line.month)}") for line in lines
        ],
        columns=columns,
        beside_rows=[
            (f"discharged:{_key(line.month)}", f"Discharged in {_key(line.month)}")
            for line in lines
        ]
        + [
            (f"residents:{_key(line.month)}", f"Residents at the end of {_key(line.month)}")
            for line in lines
        ],
    )
    counts: dict[str, dict[str, int]] = {}
    for line in lines:
        for prefix, figures in (
            ("admitted", line.admissions),
            ("discharged", line.discharges),
            ("residents", line.residents),
        ):
            row = counts.setdefault(f"{prefix}:{_key(line.month)}", {})
            for (sex, band), n in figures.items():
                row[f"{sex}|{band}"] = row.get(f"{sex}|{band}", 0) + n
    return report_from_counts(report, counts)

"""The standard reports, each declared once: its rows, columns and filters.

A report is a ``CountReport`` (facts counted from monthly counts: which event kinds, rows by
which dimension and national code list, columns sex x age band) or a computed one (the
PEPFAR MER reports). Screens, CSV, XLSX, DHIS2, ADX and the API all take them from
``REPORTS``; adding a report is adding a declaration here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

from case_apps.lists.models import ListItem
from case_apps.lists.selectors import list_labels
from case_apps.ovc import codes as ovc_codes
from national_statistics import mer
from national_statistics.institutions import POPULATION_DATA_ELEMENTS, institution_population
from national_statistics.reports import AGE_BANDS, SEXES, Report, report_from_counts, sum_by
from national_statistics.selectors import (
    StatisticsScope,
    cases_with_intervention,
    children_in,
    counts_in,
)
from national_statistics.suppression import TOTAL

CASE_CATEGORY_LIST = "case_category"
OVC_PROGRAMMES = [
    ("POVC", "Comprehensive"),
    ("PDRE", "DREAMS"),
    ("PPRE", "Preventive"),
    ("POTH", "Other"),
]


@dataclass(frozen=True)
class Summary:
    """A row reported beside the table's total, counting other facts (e.g. cases opened)."""

    key: str
    label: str
    event_kind: str
    category: str = ""  # only facts of this category (e.g. COTR closures)


@dataclass(frozen=True)
class CountReport:
    """A report counted from facts: rows by a dimension's national codes, columns sex x age."""

    key: str
    title: str
    row_header: str
    event_kinds: tuple[str, ...]
    row_list: str = ""  # the national code list whose labels go beside the codes
    row_labels: tuple[tuple[str, str], ...] = ()  # fixed codes and labels, in this order
    report_group: str = ""  # only case categories of this report group (V, M, T)
    row_dimension: str = "category"
    age_bands: tuple[str, ...] = tuple(AGE_BANDS)
    summaries: tuple[Summary, ...] = ()
    programmes: tuple[str, ...] = ()  # only facts of these programmes
    children_total: bool = False  # a row of children with a case opened, each counted once
    # rows of the cases opened with an intervention (each counted once) and their share (%)
    intervention_share: bool = False
    kind: str = "count"

    def row_codes(self) -> list[tuple[str, str]]:
        if self.row_labels:
            return list(self.row_labels)
        if not self.row_list:
            return []
        items = ListItem.objects.filter(list_name=self.row_list)
        if self.report_group:
            items = items.filter(report_groups__contains=[self.report_group])
        labels = list_labels(self.row_list)
        return [(code, labels.get(code, code)) for code in items.values_list("code", flat=True)]

    def build(self, scope: StatisticsScope, month_from: date, month_to: date) -> Report:
        columns = [
            (f"{sex}|{band}", f"{label} {band}") for sex, label in SEXES for band in self.age_bands
        ]
        queryset = counts_in(scope, month_from, month_to)
        if self.programmes:
            queryset = queryset.filter(programme__in=self.programmes)
        wanted = self.row_codes()
        facts = queryset.filter(event_kind__in=self.event_kinds)
        if self.report_group or self.row_labels:
            facts = facts.filter(**{f"{self.row_dimension}__in": [code for code, _ in wanted]})
        counts: dict[str, dict[str, int]] = {}
        for row, sex, band, n in sum_by(facts, self.row_dimension, "sex", "age_band"):
            column = f"{sex}|{band or 'unknown'}"
            counts.setdefault(row, {})[column] = counts.get(row, {}).get(column, 0) + int(n)
        report = Report(
            title=self.title,
            row_header=self.row_header,
            rows=[(code, label) for code, label in wanted if code in counts],
            columns=columns,
            beside_rows=[(s.key, s.label) for s in self.summaries],
        )
        for summary in self.summaries:
            rows = queryset.filter(event_kind=summary.event_kind)
            if summary.category:
                rows = rows.filter(category=summary.category)
            for sex, band, n in sum_by(rows, "sex", "age_band"):
                counts.setdefault(summary.key, {})[f"{sex}|{band or 'unknown'}"] = int(n)
        if self.children_total:
            report.beside_rows.append((CHILDREN_ROW, CHILDREN_LABEL))
            report.total_only = frozenset({CHILDREN_ROW})
            counts[CHILDREN_ROW] = {TOTAL: children_in(scope, month_from, month_to)}
        if self.intervention_share:
            opened, with_intervention = cases_with_intervention(scope, month_from, month_to)
            report.beside_rows += [
                (WITH_INTERVENTION_ROW, WITH_INTERVENTION_LABEL),
                (SHARE_ROW, SHARE_LABEL),
            ]
            report.total_only = report.total_only | {WITH_INTERVENTION_ROW, SHARE_ROW}
            report.hidden_with = {SHARE_ROW: WITH_INTERVENTION_ROW}
            counts[WITH_INTERVENTION_ROW] = {TOTAL: with_intervention}
            counts[SHARE_ROW] = {TOTAL: round(100 * with_intervention / opened) if opened else 0}
        return report_from_counts(report, counts)


@dataclass(frozen=True)
class ComputedReport:
    """A report computed by a function (the PEPFAR MER reports), with its period rule."""

    key: str
    title: str
    compute: Callable[[StatisticsScope, date, date], Report]
    check_period: Callable[[date, date], None] | None = None
    data_element_keys: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # rows by month mapped to the same data elements: DHIS2 takes one month at a time
    dhis2_one_month: bool = False
    kind: str = "computed"

    def build(self, scope: StatisticsScope, month_from: date, month_to: date) -> Report:
        return self.compute(scope, month_from, month_to)


CASES_OPENED = Summary("cases_opened", "Cases opened", "case_opened")
# Beside the cases: the children they are about, each counted once in the period however many
# cases (in however many organisations) were opened for them (the drain's ChildMonth rollup).
CHILDREN_ROW, CHILDREN_LABEL = "children", "Children (each counted once)"
# Interventions (case_apps/cases/facts.py): the cases opened in the period that had one by
# its end, each counted once, and their share of the cases opened (a percentage, hidden
# whenever the count it comes from is).
INTERVENTIONS = Summary("interventions", "Interventions", "intervention")
CASES_REOPENED = Summary("cases_reopened", "Cases reopened", "case_reopened")
WITH_INTERVENTION_ROW = "cases_with_intervention"
WITH_INTERVENTION_LABEL = "Cases opened with an intervention (each counted once)"
SHARE_ROW, SHARE_LABEL = "with_intervention_pct", "% of cases opened with an intervention"
REPORTS: dict[str, CountReport | ComputedReport] = {
    report.key: report
    for report in (
        CountReport(
            key="case_load_summary",
            title=gettext_noop("Case load summary"),
            row_header="Case category",
            event_kinds=("case_category_added",),
            row_list=CASE_CATEGORY_LIST,
            summaries=(CASES_OPENED, INTERVENTIONS, CASES_REOPENED),
            children_total=True,
            intervention_share=True,
        ),
        CountReport(
            key="vac",
            title=gettext_noop("Violence against children"),
            row_header="Case category",
            event_kinds=("case_category_added",),
            row_list=CASE_CATEGORY_LIST,
            report_group="V",
        ),
        CountReport(
            key="case_closures",
            title=gettext_noop("Case closures and transfers out"),
            row_header="Closure reason",
            event_kinds=("case_closed",),
            row_list="closure_reason",
            summaries=(Summary("transferred_out", "Transferred out", "case_closed", "COTR"),),
        ),
        CountReport(
            key="transfers",
            title=gettext_noop("Transfers in and out"),
            row_header="Transfer",
            event_kinds=("transfer_in", "transfer_out"),
            row_dimension="event_kind",
            row_labels=(("transfer_in", "Transfers in"), ("transfer_out", "Transfers out")),
        ),
        CountReport(
            key="ovc_registration",
            title=gettext_noop("OVC registration"),
            row_header="Programme",
            event_kinds=("ovc_enrolled",),
            row_dimension="programme",
            row_labels=tuple(OVC_PROGRAMMES),
            age_bands=tuple(mer.MER_AGE_BANDS),
        ),
        CountReport(
            key="ovc_exits",
            title=gettext_noop("OVC exits by reason"),
            row_header="Exit reason",
            event_kinds=("ovc_exited", "ovc_graduated"),
            row_labels=tuple((code, str(label)) for code, label in ovc_codes.EXIT_REASONS),
            age_bands=tuple(mer.MER_AGE_BANDS),
        ),
        CountReport(
            key="ovc_graduation",
            title=gettext_noop("OVC graduation"),
            row_header="Exit reason",
            event_kinds=("ovc_exited", "ovc_graduated"),
            row_labels=((ovc_codes.GRADUATION, "Graduation"),),
            age_bands=tuple(mer.MER_AGE_BANDS),
        ),
        ComputedReport(
            key="ovc_serv",
            title="OVC_SERV (PEPFAR MER)",
            compute=mer.ovc_serv,
            check_period=mer.check_mer_period,
            data_element_keys=tuple(mer.OVC_SERV_ROWS + mer.OVC_SERV_BESIDE),
        ),
        ComputedReport(
            key="ovc_hivstat",
            title="OVC_HIVSTAT (PEPFAR MER)",
            compute=mer.ovc_hivstat,
            check_period=mer.check_mer_period,
            data_element_keys=tuple(mer.OVC_HIVSTAT_ROWS),
        ),
        # issue 19: residents of institutions at each month's end, admissions, discharges
        ComputedReport(
            key="institution_population",
            title=gettext_noop("Institution population"),
            compute=institution_population,
            data_element_keys=POPULATION_DATA_ELEMENTS,
            dhis2_one_month=True,
        ),
    )
}


def report_build(key: str, scope: StatisticsScope, month_from: date, month_to: date) -> Report:
    """The report ``key`` for a scope and period, unreleased (check the period first)."""
    definition = REPORTS[key]
    if isinstance(definition, ComputedReport) and definition.check_period:
        definition.check_period(month_from, month_to)
    return definition.build(scope, month_from, month_to)


def dhis2_period_check(key: str, month_from: date, month_to: date) -> None:
    """Refuse (``ExportError``, the reason) a DHIS2 period the report cannot fill: several
    months of a report whose rows are by month."""
    from django.utils.translation import gettext

    from national_statistics.exports import ONE_MONTH_AT_A_TIME, ExportError

    definition = REPORTS[key]
    one_month = (month_from.year, month_from.month) == (month_to.year, month_to.month)
    if getattr(definition, "dhis2_one_month", False) and not one_month:
        raise ExportError(gettext(ONE_MONTH_AT_A_TIME))  # said to whoever asked


def data_element_keys(key: str) -> list[tuple[str, str]]:
    """The row keys of a report that DHIS2 data elements are mapped from (its national codes,
    its summary rows)."""
    definition = REPORTS[key]
    if isinstance(definition, ComputedReport):
        return list(definition.data_element_keys)
    return definition.row_codes() + [(s.key, s.label) for s in definition.summaries]


def category_option_combo_keys() -> list[str]:
    """Every column key of every report: sex|age band."""
    bands = {band for d in REPORTS.values() if isinstance(d, CountReport) for band in d.age_bands}
    bands |= set(mer.MER_AGE_BANDS)
    return sorted(f"{sex}|{band}" for sex, _ in SEXES for band in bands)

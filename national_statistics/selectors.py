"""Dashboard figures, read from monthly counts of de-identified facts only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext_noop

from national_statistics.models import (
    ChildAreaCount,
    ChildMonth,
    CountyMonthCount,
    MonthlyCount,
    PendingCount,
)
from tenants.capabilities import event_types

CASE_OPENED = "case_opened"
CATEGORY_ADDED = "case_category_added"
INTERVENTION = "intervention"
# The headline figures: the event types the case apps declare with a headline label
# (their capabilities.py), in their order.
HEADLINE_KINDS = {event.name: event.headline for event in event_types() if event.headline}
# Tiles that are not a sum of monthly counts (selectors below, rollups kept by the drain).
CHILDREN = "children"
OVC_SERV = "ovc_serv"
OVC_HIVSTAT = "ovc_hivstat"
PENDING = "pending"
TILES = {
    CHILDREN: gettext_noop("Children with a new case (each counted once)"),
    PENDING: gettext_noop("New cases still pending at the period's end"),
    OVC_SERV: gettext_noop("OVC_SERV (quarter to the last month)"),
    OVC_HIVSTAT: gettext_noop("OVC_HIVSTAT (quarter to the last month)"),
}


@dataclass(frozen=True)
class StatisticsScope:
    """Where figures are drawn from: the nation, a county, a sub-county or one organisation."""

    county: str = ""
    sub_county: str = ""
    organisation_id: int | None = None

    @property
    def level(self) -> str:
        if self.organisation_id:
            return "organisation"
        if self.sub_county:
            return "sub_county"
        if self.county:
            return "county"
        return "national"

    @property
    def drill_dimension(self) -> str | None:
        """The area one level down, shown for drill-down."""
        return {"national": "county", "county": "sub_county"}.get(self.level)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def counts_in(scope: StatisticsScope, month_from: date, month_to: date) -> QuerySet[MonthlyCount]:
    queryset = MonthlyCount.objects.filter(
        month__gte=first_of_month(month_from), month__lte=first_of_month(month_to)
    )
    if scope.organisation_id:
        queryset = queryset.filter(organisation_id=scope.organisation_id)
    if scope.county:
        queryset = queryset.filter(county=scope.county)
    if scope.sub_county:
        queryset = queryset.filter(sub_county=scope.sub_county)
    return queryset


def county_counts_in(
    scope: StatisticsScope, month_from: date, month_to: date
) -> QuerySet[CountyMonthCount] | None:
    """The period's cells of ``CountyMonthCount`` (no organisation, sub-county or programme)
    for the nation or a county; None for a scope it cannot hold (read ``counts_in``)."""
    if scope.organisation_id or scope.sub_county:
        return None
    queryset = CountyMonthCount.objects.filter(
        month__gte=first_of_month(month_from), month__lte=first_of_month(month_to)
    )
    return queryset.filter(county=scope.county) if scope.county else queryset


def children_in(scope: StatisticsScope, month_from: date, month_to: date) -> int:
    """Children (hashed registry persons) with a case opened in the period, each counted
    once however many organisations opened one (a transfer opens none). The nation and a
    county sum the ``ChildAreaCount`` cells whose mask meets the period's (periods of up to
    33 months); a sub-county, an organisation and longer periods a distinct count of their
    ``ChildMonth`` rows."""
    from national_statistics.children import child_period_mask, month_number

    first, last = month_number(month_from), month_number(month_to)
    if first > last:
        return 0
    held = child_period_mask(first, last)
    if held and not scope.organisation_id and not scope.sub_county:
        span, mask = held
        cells = (
            ChildAreaCount.objects.filter(area=scope.county, span=span)
            .alias(meets=F("months").bitand(mask))
            .exclude(meets=0)
        )
        return int(cells.aggregate(total=Sum("n"))["total"] or 0)
    rows = ChildMonth.objects.filter(
        month__gte=first_of_month(month_from), month__lte=first_of_month(month_to), n__gt=0
    )
    if scope.organisation_id:
        rows = rows.filter(organisation_id=scope.organisation_id)
    if scope.county:
        rows = rows.filter(county=scope.county)
    if scope.sub_county:
        rows = rows.filter(sub_county=scope.sub_county)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the distinct set fits in memory
        return rows.values("person_key").distinct().count()


def cases_with_intervention(
    scope: StatisticsScope, month_from: date, month_to: date
) -> tuple[int, int]:
    """The cases opened in the period and, of them, those with an intervention recorded by
    the period's end (each case counted once, from the drained facts)."""
    import calendar

    from django.db.models import Exists, OuterRef

    from national_statistics.models import Fact

    last = month_to.replace(day=calendar.monthrange(month_to.year, month_to.month)[1])
    opened = Fact.objects.filter(
        event_kind=CASE_OPENED, occurred_on__gte=first_of_month(month_from), occurred_on__lte=last
    )
    if scope.organisation_id:
        opened = opened.filter(organisation_id=scope.organisation_id)
    if scope.county:
        opened = opened.filter(county=scope.county)
    if scope.sub_county:
        opened = opened.filter(sub_county=scope.sub_county)
    intervened = Fact.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        case_ref=OuterRef("case_ref"),
        event_kind=INTERVENTION,
        occurred_on__lte=last,
    )
    cases = opened.values("organisation_id", "case_ref").distinct()
    with_intervention = opened.filter(Exists(intervened)).values("organisation_id", "case_ref")
    return cases.count(), with_intervention.distinct().count()


def pending_in(scope: StatisticsScope, month_from: date, month_to: date) -> int:
    """Cases opened in the period (their ``case_opened`` facts) that had neither become active
    (``case_activated``) nor closed (``case_closed``, ``transfer_out``) by the period's end:
    the cases still waiting for a first action. Read from ``PendingCount``, the drain's
    count of cases by opened and moved-on month (rollups.py), so a sum of a few thousand
    cells however many cases were opened."""
    last = first_of_month(month_to)
    cells = PendingCount.objects.filter(
        opened_month__gte=first_of_month(month_from), opened_month__lte=last, moved_month__gt=last
    )
    if scope.organisation_id:
        cells = cells.filter(organisation_id=scope.organisation_id)
    if scope.county:
        cells = cells.filter(county=scope.county)
    if scope.sub_county:
        cells = cells.filter(sub_county=scope.sub_county)
    return int(cells.aggregate(total=Sum("n"))["total"] or 0)


def mer_quarter_totals(scope: StatisticsScope, month_to: date) -> tuple[int, int]:
    """OVC_SERV and OVC_HIVSTAT totals of the fiscal quarter holding ``month_to`` (from the
    drain's rollup: a tile, not a report)."""
    from national_statistics import mer
    from national_statistics.suppression import TOTAL

    start = date(month_to.year, month_to.month - (month_to.month - 1) % 3, 1)
    end = date(start.year, start.month + 2, 1)
    serv = mer.ovc_serv(scope, start, end).cell(TOTAL, TOTAL)
    hivstat = mer.ovc_hivstat(scope, start, end).cell(TOTAL, TOTAL)
    return int(serv), int(hivstat)


def totals_by(
    queryset: QuerySet[MonthlyCount] | QuerySet[CountyMonthCount], event_kind: str, dimension: str
) -> dict[str, int]:
    rows = (
        queryset.filter(event_kind=event_kind)
        .values_list(dimension)
        .annotate(total=Sum("n"))
        .order_by("-total", dimension)
    )
    return {str(key): int(total) for key, total in rows}


@dataclass
class Dashboard:
    scope: StatisticsScope
    month_from: date
    month_to: date
    headline: dict[str, int] = field(default_factory=dict)
    tiles: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_sex: dict[str, int] = field(default_factory=dict)
    by_age_band: dict[str, int] = field(default_factory=dict)
    by_area: dict[str, int] = field(default_factory=dict)
    trend: dict[str, int] = field(default_factory=dict)


def dashboard(scope: StatisticsScope, month_from: date, month_to: date) -> Dashboard:
    """Everything a dashboard shows, in a handful of grouped queries: the nation and a county
    read ``CountyMonthCount`` (a county's sub-counties ``MonthlyCount``)."""
    cells = counts_in(scope, month_from, month_to)
    by_county = county_counts_in(scope, month_from, month_to)
    queryset = cells if by_county is None else by_county
    headline = dict.fromkeys(HEADLINE_KINDS, 0)
    headline.update(
        {
            kind: int(total)
            for kind, total in queryset.filter(event_kind__in=list(HEADLINE_KINDS))
            .values_list("event_kind")
            .annotate(total=Sum("n"))
            .order_by()
        }
    )
    trend = {
        month.strftime("%Y-%m"): total
        for month, total in sorted(
            (m, int(t))
            for m, t in queryset.filter(event_kind=CASE_OPENED)
            .values_list("month")
            .annotate(t=Sum("n"))
            .order_by()
        )
    }
    drill = scope.drill_dimension
    serv, hivstat = mer_quarter_totals(scope, month_to)
    tiles = {
        CHILDREN: children_in(scope, month_from, month_to),
        PENDING: pending_in(scope, month_from, month_to),
        OVC_SERV: serv,
        OVC_HIVSTAT: hivstat,
    }
    return Dashboard(
        scope=scope,
        month_from=month_from,
        month_to=month_to,
        headline=headline,
        tiles=tiles,
        by_category=totals_by(queryset, CATEGORY_ADDED, "category"),
        by_sex=totals_by(queryset, CASE_OPENED, "sex"),
        by_age_band=totals_by(queryset, CASE_OPENED, "age_band"),
        by_area=totals_by(cells if drill == "sub_county" else queryset, CASE_OPENED, drill)
        if drill
        else {},
        trend=trend,
    )


def dashboard_released(board: Dashboard, audience: str) -> Dashboard:
    """The dashboard as ``audience`` may see it: as it is, or every series suppressed (each
    with its total, so a hidden count never follows from the tiles) and small tiles hidden.
    What the page embeds for its charts comes from this, so it never holds more."""
    from national_statistics.audience import shows_small_counts
    from national_statistics.suppression import SUPPRESSED, TOTAL, is_small, suppress_series

    if shows_small_counts(audience):
        return board

    def series(counts: dict[str, int]) -> dict[str, int | str]:
        if not counts:
            return {}
        shown = suppress_series(counts)
        return {key: shown[key] for key in counts if key != TOTAL}

    return Dashboard(
        scope=board.scope,
        month_from=board.month_from,
        month_to=board.month_to,
        headline={k: SUPPRESSED if is_small(v) else v for k, v in board.headline.items()},
        tiles={k: SUPPRESSED if is_small(v) else v for k, v in board.tiles.items()},
        by_category=series(board.by_category),
        by_sex=series(board.by_sex),
        by_age_band=series(board.by_age_band),
        by_area=series(board.by_area),
        trend=series(board.trend),
    )


# --- A parent organisation's view of its child organisations ------------------------------
@dataclass
class ChildFigures:
    """A parent's table: each child organisation's headline figures (counts of facts only,
    never records or names of children) and the total, as ``audience`` may see them."""

    kinds: dict[str, str]  # event kind -> headline label (gettext_noop)
    rows: list[tuple[int, str, str, dict[str, int | str]]]  # (id, name, type code, figures)
    total: dict[str, int | str]


def child_figures(
    parent_id: int, month_from: date, month_to: date, *, small_counts_shown: bool = False
) -> ChildFigures:
    """The headline figures of the organisations whose parent is ``parent_id`` (a county
    office's sub-county offices, an implementing partner's local partners), with a total.
    Two queries whatever the number of children. The figures cross the children's
    boundaries, so counts from 1 to 4 are suppressed with complements (each kind's column,
    its total included) unless ``small_counts_shown``."""
    from national_statistics.suppression import TOTAL, suppress_table
    from tenants.models import Organisation

    children = list(
        Organisation.objects.filter(parent_id=parent_id, training=False)
        .order_by("name")
        .values_list("pk", "name", "type_code")
    )
    kinds = list(HEADLINE_KINDS)
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(kinds, 0) for pk, _n, _c in children}
    if children:
        rows = (
            MonthlyCount.objects.filter(
                organisation_id__in=list(counts),
                event_kind__in=kinds,
                month__gte=first_of_month(month_from),
                month__lte=first_of_month(month_to),
            )
            .values_list("organisation_id", "event_kind")
            .annotate(total=Sum("n"))
            .order_by()
        )
        for organisation_id, kind, total in rows:
            counts[organisation_id][kind] = int(total)
    if small_counts_shown:
        shown = {pk: dict(values) for pk, values in counts.items()}
        total = {kind: sum(values[kind] for values in counts.values()) for kind in kinds}
    else:
        # one column per kind (its rows the children, and its total), suppressed on its own:
        # a hidden count never follows from the column's total
        shown = {pk: {} for pk in counts}
        total = {}
        for kind in kinds:
            table = suppress_table({pk: {kind: values[kind]} for pk, values in counts.items()})
            for pk in counts:
                shown[pk][kind] = table.cell(pk, kind)
            total[kind] = table.cell(TOTAL, kind) if counts else 0
    return ChildFigures(
        kinds=dict(HEADLINE_KINDS),
        rows=[(pk, name, code, shown[pk]) for pk, name, code in children],
        total=total,
    )

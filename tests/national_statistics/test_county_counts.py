"""CountyMonthCount (MonthlyCount without organisation, sub-county and programme) kept exact
by the real drain under inserts, restatements (other month, county, category) and
retractions in two organisations; the national and county dashboards read from it give the
figures MonthlyCount gives; and ChildAreaCount stays the count of ChildArea's rows."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from case_apps.outbox.services import outbox_event_record, outbox_retraction_record
from national_statistics import selectors
from national_statistics.children import child_areas_rebuild
from national_statistics.county_counts import county_counts_rebuild
from national_statistics.drain import drain_organisation
from national_statistics.models import ChildArea, ChildAreaCount, CountyMonthCount, MonthlyCount
from national_statistics.selectors import StatisticsScope, counts_in, dashboard, totals_by
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db
KINDS = ["case_opened", "case_category_added", "follow_up", "referral", "case_closed"]
PLACES = {"042": ["0421", "0422"], "047": ["0471"]}
PERIOD = (date(2025, 1, 1), date(2025, 12, 1))


def write(rng: random.Random, organisation, sources: list[str]) -> None:
    """An event for each source, with random dimensions and a day in 2025 (a source already
    drained is restated: its fact moves month, county, category...)."""
    with workspace_context(organisation), transaction.atomic():
        for source in sources:
            county = rng.choice(sorted(PLACES))
            outbox_event_record(
                kind=rng.choice(KINDS),
                payload={
                    "category": rng.choice(["CSIC", "CCDF", "CTRF"]),
                    "sex": rng.choice(["SFEM", "SMAL"]),
                    "age_band": rng.choice(["0-5", "6-10", "16-17"]),
                    "county": county,
                    "sub_county": rng.choice(PLACES[county]),
                    "programme": rng.choice(["case_management", "ovc"]),
                    "case_ref": source,
                    "person_ref": f"{rng.randrange(40):032x}",
                },
                on=date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
                source=source,
            )


def retract(organisation, sources: list[str]) -> None:
    with workspace_context(organisation), transaction.atomic():
        for source in sources:
            outbox_retraction_record(source=source)


def county_cells() -> dict[tuple, int]:
    return {
        key[:-1]: key[-1]
        for key in CountyMonthCount.objects.filter(n__gt=0).values_list(
            "event_kind", "month", "county", "category", "sex", "age_band", "n"
        )
    }


def monthly_cells_by_county() -> dict[tuple, int]:
    rows = (
        MonthlyCount.objects.values_list(
            "event_kind", "month", "county", "category", "sex", "age_band"
        )
        .annotate(total=Sum("n"))
        .filter(total__gt=0)
        .order_by()
    )
    return {row[:-1]: row[-1] for row in rows}


def child_counts() -> dict[tuple, int]:
    return {
        (area, span, months): n
        for area, span, months, n in ChildAreaCount.objects.filter(n__gt=0).values_list(
            "area", "span", "months", "n"
        )
    }


def child_rows_counted() -> dict[tuple, int]:
    rows = ChildArea.objects.values_list("area", "span", "months").annotate(n=Count("*")).order_by()
    return {(area, span, months): n for area, span, months, n in rows}


def assert_exact() -> None:
    assert county_cells() == monthly_cells_by_county()
    assert child_counts() == child_rows_counted()
    for scope in (StatisticsScope(), StatisticsScope(county="042"), StatisticsScope(county="047")):
        board = dashboard(scope, *PERIOD)
        cells = counts_in(scope, *PERIOD)  # the monthly counts the series were read from before
        assert board.by_category == totals_by(cells, "case_category_added", "category")
        assert board.by_sex == totals_by(cells, "case_opened", "sex")
        assert board.by_age_band == totals_by(cells, "case_opened", "age_band")
        assert board.by_area == totals_by(cells, "case_opened", scope.drill_dimension)
        for kind in selectors.HEADLINE_KINDS:
            assert board.headline[kind] == sum(totals_by(cells, kind, "event_kind").values())
        assert sum(board.trend.values()) == board.headline["case_opened"]


def test_county_counts_stay_exact_under_inserts_restatements_and_retractions(world):
    rng = random.Random(20261203)
    acme = [f"case:a{i}:opened" for i in range(150)]
    beta = [f"case:b{i}:opened" for i in range(80)]
    write(rng, world.acme, acme)
    write(rng, world.beta, beta)
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    assert CountyMonthCount.objects.count() < MonthlyCount.objects.count()
    assert_exact()
    kept = county_cells()

    write(rng, world.acme, rng.sample(acme, 60))  # restated: moved month, county, category...
    retract(world.acme, rng.sample(acme, 40))
    write(rng, world.beta, rng.sample(beta, 30))
    retract(world.beta, rng.sample(beta, 20))
    write(rng, world.beta, [f"case:b{i}:opened" for i in range(80, 100)])  # new ones
    drain_organisation(world.beta)
    drain_organisation(world.acme)
    assert county_cells() != kept  # the restatements moved cells
    assert_exact()

    # a rebuild from the monthly counts gives the cells the drain kept, and a rebuild of the
    # children's rollup the counts the drain kept
    kept, children = county_cells(), child_counts()
    county_counts_rebuild()
    child_areas_rebuild()
    assert county_cells() == kept
    assert child_counts() == children


def test_a_retraction_takes_a_fact_off_its_county_cell(world):
    write(random.Random(1), world.acme, ["case:x:opened"])
    drain_organisation(world.acme)
    assert sum(county_cells().values()) == 1
    retract(world.acme, ["case:x:opened"])
    drain_organisation(world.acme)
    assert county_cells() == {}
    assert dashboard(StatisticsScope(), *PERIOD).headline == dict.fromkeys(
        selectors.HEADLINE_KINDS, 0
    )

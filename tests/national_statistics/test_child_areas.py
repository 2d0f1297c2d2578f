"""The children tile read from ChildAreaCount (ChildArea's rows, one per child, area and span
of months with a bit mask of its months, counted by mask) equals the exact distinct count of
children from the facts, for months, quarters, years and longer periods, nationally, per
county and sub-county and per organisation, after restatements and retractions drained
through the real drain; and the tile is still released by audience like every other tile."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count

from case_apps.outbox.services import outbox_event_record, outbox_retraction_record
from national_statistics.children import child_areas_rebuild, child_period_mask, month_number
from national_statistics.drain import drain_organisation
from national_statistics.models import ChildArea, ChildAreaCount, Fact
from national_statistics.selectors import (
    CHILDREN,
    StatisticsScope,
    children_in,
    dashboard,
    dashboard_released,
)
from national_statistics.suppression import SUPPRESSED
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db
FIRST = date(2023, 1, 1)
MONTHS = 42  # 2023-01 to 2026-06: longer than one span (33 months) holds
AREAS = {"042": ["0421", "0422"], "047": ["0471"]}


def month_at(n: int) -> date:
    return date(FIRST.year + (FIRST.month - 1 + n) // 12, (FIRST.month - 1 + n) % 12 + 1, 1)


def opened(ref: str, person: str, on: date, county: str, sub_county: str) -> None:
    outbox_event_record(
        kind="case_opened",
        payload={
            "sex": "SFEM",
            "age_band": "6-10",
            "county": county,
            "sub_county": sub_county,
            "programme": "case_management",
            "case_ref": ref,
            "person_ref": person,
        },
        on=on,
        source=f"case:{ref}:opened",
    )


def random_day(rng: random.Random) -> date:
    return month_at(rng.randrange(MONTHS)) + timedelta(days=rng.randint(0, 27))


def random_place(rng: random.Random) -> tuple[str, str]:
    county = rng.choice(sorted(AREAS))
    return county, rng.choice(AREAS[county])


def open_cases(organisation, rng: random.Random, people: list[str], n: int) -> list[str]:
    """``n`` cases for people drawn from ``people`` (some children get several cases, in
    other months and places); one in ten cases has no registry person."""
    refs = []
    with workspace_context(organisation), transaction.atomic():
        for i in range(n):
            ref = f"{organisation.pk}-{i}"
            person = "" if rng.random() < 0.1 else rng.choice(people)
            opened(ref, person, random_day(rng), *random_place(rng))
            refs.append(ref)
    return refs


def exact(scope: StatisticsScope, month_from: date, month_to: date) -> int:
    """The children of the period counted from the facts themselves."""
    end = (month_to.replace(day=1) + timedelta(days=32)).replace(day=1)
    facts = Fact.objects.filter(
        event_kind="case_opened",
        occurred_on__gte=month_from.replace(day=1),
        occurred_on__lt=end,
    ).exclude(person_ref="")
    if scope.organisation_id:
        facts = facts.filter(organisation_id=scope.organisation_id)
    if scope.county:
        facts = facts.filter(county=scope.county)
    if scope.sub_county:
        facts = facts.filter(sub_county=scope.sub_county)
    return facts.values("person_ref").distinct().count()


def periods() -> list[tuple[date, date]]:
    months = [(month_at(n), month_at(n)) for n in range(MONTHS)]
    quarters = [(month_at(n), month_at(n + 2)) for n in range(0, MONTHS, 3)]
    years = [(date(y, 1, 1), date(y, 12, 1)) for y in (2023, 2024, 2025, 2026)]
    financial = [(date(y, 7, 1), date(y + 1, 6, 1)) for y in (2023, 2024, 2025)]
    longer = [
        (date(2024, 7, 1), date(2026, 6, 1)),  # 24 months, across a span start
        (date(2023, 3, 1), date(2025, 11, 1)),  # 33 months: the longest one span holds
        (date(2023, 1, 1), date(2026, 6, 1)),  # 42 months: counted from ChildMonth
    ]
    return months + quarters + years + financial + longer


def assert_children_exact(world) -> None:
    counted = ChildArea.objects.values_list("area", "span", "months").annotate(n=Count("*"))
    assert {(a, s, m): n for a, s, m, n in counted.order_by()} == {
        (a, s, m): n
        for a, s, m, n in ChildAreaCount.objects.filter(n__gt=0).values_list(
            "area", "span", "months", "n"
        )
    }  # the tile's counts are the count of the rows by mask
    scopes = [
        StatisticsScope(),
        StatisticsScope(county="042"),
        StatisticsScope(county="047"),
        StatisticsScope(county="042", sub_county="0422"),
        StatisticsScope(organisation_id=world.acme.pk),
    ]
    for scope in scopes:
        for month_from, month_to in periods():
            assert children_in(scope, month_from, month_to) == exact(scope, month_from, month_to), (
                scope,
                month_from,
                month_to,
            )


def child_area_rows() -> list[tuple]:
    return sorted(ChildArea.objects.values_list("area", "span", "person_key", "months"))


def test_the_period_masks_cover_exactly_the_period():
    assert child_period_mask(month_number(date(2024, 7, 1)), month_number(date(2024, 7, 1))) == (
        (2024 * 12 + 6) // 32,
        1 << ((2024 * 12 + 6) % 32),
    )
    for first in range(24_000, 24_100):
        for last in range(first, first + 40):
            held = child_period_mask(first, last)
            if held is None:
                assert last - first > 32
                continue
            span, mask = held
            months = {32 * span + i for i in range(64) if (mask % (1 << 64)) >> i & 1}
            assert months == set(range(first, last + 1))
            assert -(1 << 63) <= mask < 1 << 63  # a PostgreSQL bigint


def test_the_tile_equals_the_exact_count_after_restatements_and_retractions(world):
    rng = random.Random(20261203)
    people = [f"{i:032x}" for i in range(70)]
    acme = open_cases(world.acme, rng, people, 120)
    beta = open_cases(world.beta, rng, people[:40], 60)
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    assert exact(StatisticsScope(), date(2024, 7, 1), date(2026, 6, 1)) > 30
    assert_children_exact(world)
    kept = child_area_rows()
    assert kept

    # restated: cases moved to other months and places, cases withdrawn (their child's
    # month cleared unless another case keeps it), in both organisations
    with workspace_context(world.acme), transaction.atomic():
        for ref in rng.sample(acme, 40):
            opened(ref, rng.choice(people), random_day(rng), *random_place(rng))
        for ref in rng.sample(acme, 30):
            outbox_retraction_record(source=f"case:{ref}:opened")
    with workspace_context(world.beta), transaction.atomic():
        for ref in rng.sample(beta, 20):
            outbox_retraction_record(source=f"case:{ref}:opened")
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    assert child_area_rows() != kept  # the restatement changed the rollup
    assert_children_exact(world)

    # a rebuild from ChildMonth gives the rows the drain kept
    kept = child_area_rows()
    child_areas_rebuild()
    assert child_area_rows() == kept


def test_a_month_stays_while_another_organisation_keeps_it(world):
    day = date(2025, 3, 12)
    month = day.replace(day=1)
    with workspace_context(world.acme), transaction.atomic():
        opened("a1", "c" * 32, day, "042", "0421")
    with workspace_context(world.beta), transaction.atomic():
        opened("b1", "c" * 32, day + timedelta(days=3), "042", "0422")
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    national, county = StatisticsScope(), StatisticsScope(county="042")
    assert children_in(national, month, month) == children_in(county, month, month) == 1

    with workspace_context(world.acme), transaction.atomic():
        outbox_retraction_record(source="case:a1:opened")
    drain_organisation(world.acme)
    assert children_in(national, month, month) == children_in(county, month, month) == 1
    assert children_in(StatisticsScope(organisation_id=world.acme.pk), month, month) == 0

    with workspace_context(world.beta), transaction.atomic():  # moved to another county
        opened("b1", "c" * 32, day, "047", "0471")
    drain_organisation(world.beta)
    assert children_in(county, month, month) == 0
    assert children_in(StatisticsScope(county="047"), month, month) == 1
    assert children_in(national, month, month) == 1

    with workspace_context(world.beta), transaction.atomic():
        outbox_retraction_record(source="case:b1:opened")
    drain_organisation(world.beta)
    assert children_in(national, month, month) == 0
    assert not ChildArea.objects.exists()  # no row keeps an empty mask


def test_the_tile_is_released_by_audience(world):
    day = date(2025, 3, 12)
    month = day.replace(day=1)
    with workspace_context(world.acme), transaction.atomic():
        for i in range(3):
            opened(f"s{i}", f"{i:032x}", day, "042", "0421")
    drain_organisation(world.acme)
    board = dashboard(StatisticsScope(), month, month)
    assert board.tiles[CHILDREN] == 3
    assert dashboard_released(board, "analyst").tiles[CHILDREN] == 3
    assert dashboard_released(board, "published").tiles[CHILDREN] == SUPPRESSED

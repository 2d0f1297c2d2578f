"""The pending tile read from PendingCount (the drain's count of cases by opened and
moved-on month) equals the count from the facts it replaced (kept here as the reference),
for months, quarters and years, nationally, per county and sub-county and per organisation,
after restatements, retractions, back-dated facts and a case moving county, all drained
through the real drain; a rebuild from the facts gives the rows the drain kept."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef

from case_apps.outbox.services import outbox_event_record, outbox_retraction_record
from national_statistics.drain import drain_organisation
from national_statistics.models import CaseProgress, Fact, PendingCount
from national_statistics.rollups import case_progress_rebuild
from national_statistics.selectors import (
    PENDING,
    StatisticsScope,
    dashboard,
    dashboard_released,
    first_of_month,
    pending_in,
)
from national_statistics.suppression import SUPPRESSED
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db
FIRST = date(2024, 1, 1)
MONTHS = 30
AREAS = {"042": ["0421", "0422"], "047": ["0471"]}
MOVED_ON = ("case_activated", "case_closed", "transfer_out")


def pending_from_facts(scope: StatisticsScope, month_from: date, month_to: date) -> int:
    """The tile as it was counted before PendingCount: the period's ``case_opened`` facts
    whose case has no moved-on fact before the period's end (an anti-join per case)."""
    start = first_of_month(month_from)
    end = (first_of_month(month_to) + timedelta(days=32)).replace(day=1)  # exclusive
    opened = Fact.objects.filter(
        event_kind="case_opened", occurred_on__gte=start, occurred_on__lt=end
    )
    if scope.organisation_id:
        opened = opened.filter(organisation_id=scope.organisation_id)
    if scope.county:
        opened = opened.filter(county=scope.county)
    if scope.sub_county:
        opened = opened.filter(sub_county=scope.sub_county)
    moved_on = Fact.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        case_ref=OuterRef("case_ref"),
        event_kind__in=MOVED_ON,
        occurred_on__lt=end,
    )
    return opened.exclude(case_ref="").exclude(Exists(moved_on)).count()


def month_at(n: int) -> date:
    return date(FIRST.year + (FIRST.month - 1 + n) // 12, (FIRST.month - 1 + n) % 12 + 1, 1)


def random_day(rng: random.Random) -> date:
    return month_at(rng.randrange(MONTHS)) + timedelta(days=rng.randint(0, 27))


def random_place(rng: random.Random) -> tuple[str, str]:
    county = rng.choice(sorted(AREAS))
    return county, rng.choice(AREAS[county])


def record(kind: str, ref: str, on: date, county: str, sub_county: str, source: str) -> None:
    outbox_event_record(
        kind=kind,
        payload={
            "sex": "SFEM",
            "age_band": "6-10",
            "county": county,
            "sub_county": sub_county,
            "programme": "case_management",
            "case_ref": ref,
            "person_ref": ref.encode().hex()[:32].ljust(32, "0"),
        },
        on=on,
        source=source,
    )


def opened(ref: str, on: date, county: str, sub_county: str) -> None:
    record("case_opened", ref, on, county, sub_county, f"case:{ref}:opened")


def moved_on(kind: str, ref: str, on: date, county: str = "042", sub_county: str = "0421"):
    record(kind, ref, on, county, sub_county, f"case:{ref}:{kind}")


def open_cases(organisation, rng: random.Random, n: int) -> list[str]:
    """``n`` cases, about half of which move on (some several times, some in the month they
    opened, some dated before they opened); a few have no case reference."""
    refs = []
    with workspace_context(organisation), transaction.atomic():
        for i in range(n):
            ref = f"{organisation.pk}-{i}"
            day = random_day(rng)
            opened(ref if rng.random() > 0.03 else "", day, *random_place(rng))
            for kind in MOVED_ON:
                if rng.random() < 0.3:
                    later = day + timedelta(days=rng.choice([0, 5, 40, 200, -10]))
                    moved_on(kind, ref, later, *random_place(rng))
            refs.append(ref)
    return refs


def periods() -> list[tuple[date, date]]:
    months = [(month_at(n), month_at(n)) for n in range(MONTHS)]
    quarters = [(month_at(n), month_at(n + 2)) for n in range(0, MONTHS, 3)]
    years = [(date(y, 1, 1), date(y, 12, 1)) for y in (2024, 2025, 2026)]
    longer = [(date(2024, 7, 1), date(2026, 6, 1)), (date(2023, 1, 1), date(2027, 1, 1))]
    return months + quarters + years + longer


def assert_pending_exact(world) -> None:
    scopes = [
        StatisticsScope(),
        StatisticsScope(county="042"),
        StatisticsScope(county="047"),
        StatisticsScope(county="042", sub_county="0422"),
        StatisticsScope(organisation_id=world.acme.pk),
        StatisticsScope(organisation_id=world.beta.pk, county="047"),
    ]
    for scope in scopes:
        for month_from, month_to in periods():
            expected = pending_from_facts(scope, month_from, month_to)
            assert pending_in(scope, month_from, month_to) == expected, (
                scope,
                month_from,
                month_to,
            )


def progress_rows() -> list[tuple]:
    return sorted(
        CaseProgress.objects.values_list(
            "organisation_id",
            "case_ref",
            "opened_month",
            "county",
            "sub_county",
            "moved_month",
            "n",
        )
    )


def pending_cells() -> list[tuple]:
    return sorted(
        PendingCount.objects.filter(n__gt=0).values_list(
            "opened_month", "moved_month", "organisation_id", "county", "sub_county", "n"
        )
    )


def test_the_tile_equals_the_count_from_facts_through_restatements(world):
    rng = random.Random(20261203)
    acme = open_cases(world.acme, rng, 150)
    beta = open_cases(world.beta, rng, 80)
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    assert pending_from_facts(StatisticsScope(), date(2024, 1, 1), date(2026, 6, 1)) > 50
    assert_pending_exact(world)
    kept = progress_rows()

    # restated (other months, other counties), retracted openings and moves, back-dated
    # moves (before the opening), a case opened again by a second fact
    with workspace_context(world.acme), transaction.atomic():
        for ref in rng.sample(acme, 40):
            opened(ref, random_day(rng), *random_place(rng))
        for ref in rng.sample(acme, 20):
            outbox_retraction_record(source=f"case:{ref}:opened")
        for ref in rng.sample(acme, 30):
            moved_on(rng.choice(MOVED_ON), ref, random_day(rng) - timedelta(days=400))
        for ref in rng.sample(acme, 5):
            record("case_opened", ref, random_day(rng), "047", "0471", f"case:{ref}:again")
    with workspace_context(world.beta), transaction.atomic():
        for ref in rng.sample(beta, 20):
            for kind in MOVED_ON:
                outbox_retraction_record(source=f"case:{ref}:{kind}")
        for ref in rng.sample(beta, 10):
            moved_on("case_closed", ref, random_day(rng))
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    assert progress_rows() != kept
    assert_pending_exact(world)

    # a rebuild from the facts gives the rows and cells the drain kept
    rows, cells = progress_rows(), pending_cells()
    case_progress_rebuild()
    assert progress_rows() == rows
    assert pending_cells() == cells


def test_a_case_moving_county_and_moving_on(world):
    month = date(2025, 3, 1)
    national, county, other = (
        StatisticsScope(),
        StatisticsScope(county="042"),
        StatisticsScope(county="047"),
    )
    with workspace_context(world.acme), transaction.atomic():
        opened("c1", date(2025, 3, 12), "042", "0421")
    drain_organisation(world.acme)
    assert pending_in(national, month, month) == pending_in(county, month, month) == 1

    with workspace_context(world.acme), transaction.atomic():  # corrected: another county
        opened("c1", date(2025, 3, 14), "047", "0471")
    drain_organisation(world.acme)
    assert pending_in(county, month, month) == 0
    assert pending_in(other, month, month) == pending_in(national, month, month) == 1

    with workspace_context(world.acme), transaction.atomic():  # active in April
        moved_on("case_activated", "c1", date(2025, 4, 2))
    drain_organisation(world.acme)
    assert pending_in(other, month, month) == 1  # still pending at March's end
    assert pending_in(other, month, date(2025, 4, 1)) == 0

    with workspace_context(world.acme), transaction.atomic():  # the activation withdrawn
        outbox_retraction_record(source="case:c1:case_activated")
    drain_organisation(world.acme)
    assert pending_in(other, month, date(2025, 4, 1)) == 1
    # another organisation's case of the same reference is not this case
    with workspace_context(world.beta), transaction.atomic():
        moved_on("case_closed", "c1", date(2025, 3, 20))
    drain_organisation(world.beta)
    assert pending_in(other, month, date(2025, 4, 1)) == 1

    with workspace_context(world.acme), transaction.atomic():
        outbox_retraction_record(source="case:c1:opened")
    drain_organisation(world.acme)
    assert pending_in(national, month, date(2025, 4, 1)) == 0
    assert not CaseProgress.objects.exists()
    assert not pending_cells()


def test_the_tile_is_released_by_audience(world):
    month = date(2025, 3, 1)
    with workspace_context(world.acme), transaction.atomic():
        for i in range(3):
            opened(f"s{i}", date(2025, 3, 12), "042", "0421")
    drain_organisation(world.acme)
    board = dashboard(StatisticsScope(), month, month)
    assert board.tiles[PENDING] == 3
    assert dashboard_released(board, "analyst").tiles[PENDING] == 3
    assert dashboard_released(board, "published").tiles[PENDING] == SUPPRESSED

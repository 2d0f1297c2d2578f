"""The MER rollup kept by the drain gives the same OVC_SERV and OVC_HIVSTAT as computing
them from every fact, for random beneficiaries, periods and scopes, also after
restatements and retractions."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import transaction

from case_apps.outbox.services import outbox_event_record, outbox_retraction_record
from national_statistics import mer
from national_statistics.drain import drain_organisation
from national_statistics.models import MerQuarter
from national_statistics.rollups import mer_rollup_rebuild
from national_statistics.selectors import StatisticsScope
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db
BANDS = ["<1", "1-4", "5-9", "10-14", "15-17", "18-20", "21+"]
PERIODS = [
    (date(2025, 10, 1), date(2026, 3, 1)),  # SAPR
    (date(2024, 10, 1), date(2025, 9, 1)),  # APR
    (date(2025, 7, 1), date(2025, 9, 1)),  # a quarter
    (date(2026, 1, 1), date(2026, 3, 1)),
]


def _event(kind, ref, on, category="", *, sex, band, county, what):
    outbox_event_record(
        kind=kind,
        payload={
            "category": category,
            "sex": sex,
            "age_band": band,
            "county": county,
            "sub_county": county + "1",
            "programme": "POVC",
            "case_ref": ref,
        },
        on=on,
        source=f"ovc:{ref}:{what}",
    )


PEOPLE: dict[str, dict] = {}


def random_beneficiaries(organisation, rng: random.Random, n: int) -> list[str]:
    """Beneficiaries with random histories (each keeps its sex, age band and area)."""
    refs = []
    with workspace_context(organisation), transaction.atomic():
        for i in range(n):
            ref = f"b{organisation.pk}-{i}"
            refs.append(ref)
            person = {
                "sex": rng.choice(["SFEM", "SMAL"]),
                "band": rng.choice(BANDS),
                "county": rng.choice(["042", "047"]),
            }
            PEOPLE[ref] = person
            enrolled = date(2024, 10, 1) + timedelta(days=rng.randint(0, 540))
            _event("ovc_enrolled", ref, enrolled, **person, what="enrolled")
            status = rng.choice(["negative", "unknown", "positive_on_art", "positive_no_art"])
            _event("ovc_hiv_status", ref, enrolled, status, **person, what="hiv")
            school = rng.choice(["SLPR", "SLSE", "SLNS"])
            _event("ovc_school_status", ref, enrolled, school, **person, what="school")
            day = enrolled
            for s in range(rng.randint(0, 8)):
                day += timedelta(days=rng.randint(20, 120))
                _event("ovc_service", ref, day, "healthy", **person, what=f"service:{s}")
            if rng.random() < 0.3:
                _event(
                    "ovc_hiv_test_not_required",
                    ref,
                    enrolled + timedelta(days=rng.randint(0, 300)),
                    **person,
                    what="screening",
                )
            if rng.random() < 0.2:
                _event(
                    "ovc_school_status",
                    ref,
                    enrolled + timedelta(days=rng.randint(0, 400)),
                    rng.choice(["SLSE", "SLNS"]),
                    **person,
                    what="school:later",
                )
            if rng.random() < 0.3:
                reason = rng.choice(["ERCP", "ERRL", "ERDO"])
                kind = "ovc_graduated" if reason == "ERCP" else "ovc_exited"
                exit_on = max(day, enrolled) + timedelta(days=rng.randint(0, 90))
                _event(kind, ref, exit_on, reason, **person, what="exit")
    return refs


def assert_rollup_equals_facts() -> None:
    scopes = [StatisticsScope(), StatisticsScope(county="047"), StatisticsScope(sub_county="0421")]
    for scope in scopes:
        for period in PERIODS:
            for select in (mer.OVC_SERV_SELECT, mer.OVC_HIVSTAT_SELECT):
                rolled = mer._beneficiary_counts(select, scope, *period)
                counted = mer._beneficiary_counts(select, scope, *period, from_facts=True)
                assert sorted(rolled) == sorted(counted), (scope, period, select[:20])


def test_the_rollup_equals_the_count_from_facts_after_restatements(world):
    rng = random.Random(12)
    refs = random_beneficiaries(world.acme, rng, 150)
    random_beneficiaries(world.beta, rng, 60)
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    assert MerQuarter.objects.exists()
    total = sum(
        n for *_, n in mer._beneficiary_counts(mer.OVC_SERV_SELECT, StatisticsScope(), *PERIODS[0])
    )
    assert total > 20  # the periods hold beneficiaries to count
    assert_rollup_equals_facts()

    # restate: exits withdrawn, services moved to other days, enrolments retracted
    with workspace_context(world.acme), transaction.atomic():
        for ref in rng.sample(refs, 40):
            outbox_retraction_record(source=f"ovc:{ref}:exit")
            outbox_retraction_record(source=f"ovc:{ref}:service:0")
        for ref in rng.sample(refs, 10):
            outbox_retraction_record(source=f"ovc:{ref}:enrolled")
        for ref in rng.sample(refs, 30):
            _event(
                "ovc_service",
                ref,
                date(2026, 2, 10),
                "safe",
                **PEOPLE[ref],
                what="service:1",
            )
    drain_organisation(world.acme)
    assert_rollup_equals_facts()

    # a rebuild from the facts gives the same rows as the drain kept
    kept = sorted(MerQuarter.objects.values_list("case_ref", "quarter", "exit", "hivstat"))
    mer_rollup_rebuild()
    assert sorted(MerQuarter.objects.values_list("case_ref", "quarter", "exit", "hivstat")) == kept

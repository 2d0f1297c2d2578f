"""Issue 19 "Speed": the institution population report reads the drain's population rollups
(a balance of every admission and discharge, and the months from the period's start), and
they stay exact: after a seeded random sequence of back-dated admissions, discharges,
corrections of admission and discharge days and of a child's date of birth, discharges
undone and admissions withdrawn (all restating or retracting facts), with the real drain at
random points, the rollups equal a count of the facts and the report equals a recount of the
admissions as they stand, for an institution, a sub-county, a county and the nation."""

from __future__ import annotations

import random
from collections import Counter
from copy import copy
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from case_apps.cases.facts import age_band
from case_apps.institutions import facts
from case_apps.institutions.models import Admission, ResidentialStatus
from case_apps.outbox.services import outbox_retraction_record
from national_statistics.drain import drain_organisation
from national_statistics.institutions import months_of, population_by_month
from national_statistics.models import (
    Fact,
    PopulationAreaBalance,
    PopulationAreaMonth,
    PopulationBalance,
    PopulationMonth,
)
from national_statistics.rollups import population_rollup_rebuild
from national_statistics.selectors import StatisticsScope
from shared_registry.models import Person
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
SEED = 20261203
FIRST_DAY = date(2025, 1, 1)


@dataclass
class Stay:
    """An admission as the test knows it: where its facts say it is, and whether it stands."""

    organisation: object
    place: object  # the organisation as its facts describe it (county, sub-county)
    admission_id: int
    child_id: int
    standing: bool = True


def _month(day: date) -> date:
    return day.replace(day=1)


def _write_facts(stay: Stay) -> Admission:
    with workspace_context(stay.organisation):
        admission = Admission.objects.select_related("case__child").get(pk=stay.admission_id)
        facts.admission_facts(admission, stay.place)
    return admission


def _update(stay: Stay, **fields) -> None:
    with workspace_context(stay.organisation):
        Admission.objects.filter(pk=stay.admission_id).update(**fields)
    _write_facts(stay)


def _withdraw(stay: Stay) -> None:
    """The admission disposed of: both its facts retracted."""
    with workspace_context(stay.organisation):
        admission = Admission.objects.get(pk=stay.admission_id)
        for what in ("admission", "discharge"):
            outbox_retraction_record(source=f"case:{admission.case_id}:{what}:{admission.pk}")
    stay.standing = False


def recount(stays: list[Stay], scope: StatisticsScope, months: list[date]) -> list[tuple]:
    """(month, residents, admissions, discharges) from the admissions as they stand."""
    admitted: Counter = Counter()
    discharged: Counter = Counter()
    for stay in stays:
        place = stay.place
        if not stay.standing:
            continue
        if scope.organisation_id and stay.organisation.pk != scope.organisation_id:
            continue
        if scope.county and place.county_code != scope.county:
            continue
        if scope.sub_county and place.sub_county_code != scope.sub_county:
            continue
        with workspace_context(stay.organisation):
            admission = Admission.objects.get(pk=stay.admission_id)
        child = Person.objects.get(pk=stay.child_id)
        group = (child.sex, age_band(child.date_of_birth, child.birth_year, admission.admitted_on))
        admitted[(_month(admission.admitted_on), group)] += 1
        if admission.discharged_on is not None:
            discharged[(_month(admission.discharged_on), group)] += 1
    lines = []
    for month in months:
        residents = Counter()
        for (day, group), n in admitted.items():
            if day <= month:
                residents[group] += n
        for (day, group), n in discharged.items():
            if day <= month:
                residents[group] -= n
        lines.append(
            (
                month,
                {g: n for g, n in residents.items() if n > 0},
                {g: n for (m, g), n in admitted.items() if m == month},
                {g: n for (m, g), n in discharged.items() if m == month},
            )
        )
    return lines


def rolled_up(scope: StatisticsScope, months: list[date]) -> list[tuple]:
    return [
        (line.month, line.residents, line.admissions, line.discharges)
        for line in population_by_month(scope, months[0], months[-1])
    ]


def rollups_from_facts() -> dict[str, dict]:
    """The rollups as a count of the facts would make them (zero cells left out): per
    institution and per area (the same without the institution)."""
    months: Counter = Counter()
    balance: Counter = Counter()
    area_months: Counter = Counter()
    area_balance: Counter = Counter()
    for organisation_id, county, sub_county, sex, band, kind, day in Fact.objects.filter(
        event_kind__in=("resident_admitted", "resident_discharged")
    ).values_list(
        "organisation_id", "county", "sub_county", "sex", "age_band", "event_kind", "occurred_on"
    ):
        area = (county, sub_county, sex, band)
        what = "admitted" if kind == "resident_admitted" else "discharged"
        months[(_month(day), organisation_id, *area, what)] += 1
        area_months[(_month(day), *area, what)] += 1
        balance[(organisation_id, *area)] += 1 if what == "admitted" else -1
        area_balance[area] += 1 if what == "admitted" else -1
    return {
        name: {k: n for k, n in counts.items() if n}
        for name, counts in (
            ("months", months),
            ("balance", balance),
            ("area_months", area_months),
            ("area_balance", area_balance),
        )
    }


def rollups_stored() -> dict[str, dict]:
    stored: dict[str, dict] = {"months": {}, "area_months": {}}
    for name, model, keys in (
        ("months", PopulationMonth, ("month", "organisation_id")),
        ("area_months", PopulationAreaMonth, ("month",)),
    ):
        for row in model.objects.all():
            key = (*(getattr(row, k) for k in keys), row.county, row.sub_county, row.sex)
            for what, n in (("admitted", row.admitted), ("discharged", row.discharged)):
                if n:
                    stored[name][(*key, row.age_band, what)] = n
    stored["balance"] = {
        (row.organisation_id, row.county, row.sub_county, row.sex, row.age_band): row.residents
        for row in PopulationBalance.objects.exclude(residents=0)
    }
    stored["area_balance"] = {
        (row.county, row.sub_county, row.sex, row.age_band): row.residents
        for row in PopulationAreaBalance.objects.exclude(residents=0)
    }
    return stored


def test_rollups_stay_exact_through_back_dated_changes_and_restatements(world):
    rng = random.Random(SEED)
    today = timezone.localdate()
    span = (today - FIRST_DAY).days

    def some_day(after: date = FIRST_DAY) -> date:
        return after + timedelta(days=rng.randrange(max((today - after).days, 0) + 1))

    in_240 = copy(world.acme)
    in_240.sub_county_code = "240"
    places = [
        (world.acme, world.acme_admin, world.acme),
        (world.acme, world.acme_admin, in_240),
        (world.beta, world.beta_worker, world.beta),
    ]
    stays: list[Stay] = []
    for _step in range(70):
        standing = [s for s in stays if s.standing]
        action = rng.choice(
            ["admit"] * 4
            + (
                ["discharge", "correct_admission", "correct_discharge", "undo", "birth", "withdraw"]
                if standing
                else []
            )
        )
        if action == "admit":
            organisation, user, place = rng.choice(places)
            born = FIRST_DAY - timedelta(days=rng.randrange(18 * 365))
            child = make_child(sex=rng.choice(["SFEM", "SMAL"]), date_of_birth=born)
            admitted_on = FIRST_DAY + timedelta(days=rng.randrange(span))
            admission = make_admission(organisation, user, child, admitted_on=admitted_on)
            stay = Stay(organisation, place, admission.pk, child.pk)
            stays.append(stay)
            _write_facts(stay)
        else:
            stay = rng.choice(standing)
            with workspace_context(stay.organisation):
                admission = Admission.objects.get(pk=stay.admission_id)
            if action in ("discharge", "correct_discharge"):
                _update(
                    stay,
                    discharged_on=some_day(admission.admitted_on),
                    residential_status=ResidentialStatus.DISCHARGED,
                )
            elif action == "correct_admission":  # back-dated or later, before any discharge
                last = admission.discharged_on or today
                _update(stay, admitted_on=last - timedelta(days=rng.randrange(400)))
            elif action == "undo" and admission.discharged_on:
                _update(stay, discharged_on=None, residential_status=ResidentialStatus.RESIDENT)
            elif action == "birth":  # the child's age band at admission changes
                Person.objects.filter(pk=stay.child_id).update(
                    date_of_birth=admission.admitted_on - timedelta(days=rng.randrange(18 * 365))
                )
                _write_facts(stay)
            elif action == "withdraw":
                _withdraw(stay)
        if rng.random() < 0.3:
            for organisation in (world.acme, world.beta):
                drain_organisation(organisation, batch_size=rng.choice([3, 50]))
    for organisation in (world.acme, world.beta):
        drain_organisation(organisation)
        drain_organisation(organisation)  # a second run changes nothing

    assert sum(1 for s in stays if s.standing) > 10 and any(not s.standing for s in stays)
    stored = rollups_stored()
    assert stored == rollups_from_facts() and all(stored.values())
    scopes = [
        StatisticsScope(organisation_id=world.acme.pk),
        StatisticsScope(county="042", sub_county="240"),
        StatisticsScope(county="042"),
        StatisticsScope(county="047"),
        StatisticsScope(),
    ]
    periods = [
        months_of(date(2024, 12, 1), today),  # from before the first admission
        months_of(date(2025, 6, 1), date(2025, 9, 1)),  # residents before it, months after it
        months_of(today, today),
    ]
    for scope in scopes:
        for months in periods:
            assert rolled_up(scope, months) == recount(stays, scope, months), (scope, months)
    # the report's figures are non-trivial: residents at the end, people discharged
    national = rolled_up(StatisticsScope(), periods[0])
    assert national[-1][1] and any(line[3] for line in national)

    # rebuilt from the monthly counts, the rollups are the same (the migration, the bench)
    before = rollups_stored()
    population_rollup_rebuild()
    assert rollups_stored() == before


def test_the_report_reads_two_queries_whatever_the_period(world):
    for organisation, user, day in [
        (world.acme, world.acme_admin, date(2020, 3, 4)),
        (world.acme, world.acme_admin, date(2025, 11, 4)),
        (world.beta, world.beta_worker, date(2026, 1, 9)),
    ]:
        admission = make_admission(organisation, user, make_child(), admitted_on=day)
        _write_facts(Stay(organisation, organisation, admission.pk, admission.case.child_id))
        drain_organisation(organisation)
    for scope, first, last in [
        (StatisticsScope(), date(2026, 1, 1), date(2026, 1, 1)),
        (StatisticsScope(county="042"), date(2019, 1, 1), date(2026, 6, 1)),
        (StatisticsScope(organisation_id=world.acme.pk), date(2021, 1, 1), date(2021, 12, 1)),
    ]:
        with CaptureQueriesContext(connection) as queries:
            lines = population_by_month(scope, first, last)
        assert len(queries) == 2
        assert len(lines) == len(months_of(first, last))
    # residents before the period come from the balance less the months since its start
    (dec,) = population_by_month(
        StatisticsScope(county="042"), date(2025, 12, 1), date(2025, 12, 1)
    )
    assert dec.residents_total == 2 and dec.admissions_total == 0
    (early,) = population_by_month(StatisticsScope(), date(2020, 3, 1), date(2020, 3, 1))
    assert early.residents_total == 1 and early.admissions_total == 1

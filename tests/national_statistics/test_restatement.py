"""Issue 12: facts carry the date of what they record, and corrections, deletions and
disposals restate them, so any month's figures equal a recount of the records.

A seeded random sequence of back-dated entries (cases, follow-ups, referrals, placements,
OVC enrolments and services), corrections of dates (date reported, follow-up dates,
registration dates), deletions (follow-ups, referrals, placements) and disposals runs
through the real services, with the real drain at random points; then every monthly cell
is compared with a recount made from the organisation's records.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.models import (
    CaseCategory,
    CaseEvent,
    CaseRecord,
    FollowUp,
    Placement,
    Referral,
)
from case_apps.cases.retention import dispose_cases
from case_apps.ovc import date_rules
from case_apps.ovc import services as ovc
from case_apps.ovc.models import Enrolment, ServiceRecord
from case_apps.ovc.retention import dispose_enrolments
from national_statistics.drain import drain_organisation
from national_statistics.models import Fact, MonthlyCount
from shared_registry.models import Person
from tenants.actor import member_actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, open_case
from tests.ovc.conftest import as_member, make_caregiver

pytestmark = pytest.mark.django_db
SEED = 20261202


def _month(day: date) -> date:
    return day.replace(day=1)


def recount(organisation) -> Counter:
    """Monthly cells counted from the records themselves, as the reports define them."""
    cells: Counter = Counter()
    with workspace_context(organisation):
        children = {p.pk: p for p in Person.objects.all()}

        def key(month_day, kind, category, case):
            child = children[case.child_id]
            band = services.age_band(child.date_of_birth, child.birth_year, case.date_reported)
            county = case.occurrence_county_code or organisation.county_code
            return (_month(month_day), kind, category, child.sex, band, county)

        for case in CaseRecord.objects.all():
            cells[key(case.date_reported, "case_opened", "", case)] += 1
        for row in CaseCategory.objects.select_related("case"):
            cells[
                key(row.case.date_reported, "case_category_added", row.category_code, row.case)
            ] += 1
        for row in FollowUp.objects.select_related("case"):
            cells[key(row.date, "follow_up", row.follow_up_type, row.case)] += 1
        for row in Referral.objects.select_related("case"):
            for reason in row.reasons:  # one fact per reason of the referral
                cells[key(row.referred_on, "referral", reason, row.case)] += 1
        for row in Placement.objects.select_related("case"):
            cells[key(row.admitted_on, "placement", row.care_type, row.case)] += 1
        for enrolment in Enrolment.objects.select_related("household"):
            child = children[enrolment.child_id]
            county = enrolment.household.county_code
            band = ovc.mer_age_band(child, enrolment.registration_date)
            on = enrolment.registration_date
            cells[(_month(on), "ovc_enrolled", "", child.sex, band, county)] += 1
            if enrolment.exit_date:
                band = ovc.mer_age_band(child, enrolment.exit_date)
                kind = "ovc_graduated" if enrolment.exit_reason == "ERCP" else "ovc_exited"
                cells[
                    (
                        _month(enrolment.exit_date),
                        kind,
                        enrolment.exit_reason,
                        child.sex,
                        band,
                        county,
                    )
                ] += 1
        for row in ServiceRecord.objects.select_related("enrolment__household"):
            child = children[row.enrolment.child_id]
            band = ovc.mer_age_band(child, row.date)
            county = row.enrolment.household.county_code
            cells[(_month(row.date), "ovc_service", row.domain, child.sex, band, county)] += 1
    return cells


COUNTED_KINDS = (
    "case_opened",
    "case_category_added",
    "follow_up",
    "referral",
    "placement",
    "ovc_enrolled",
    "ovc_service",
    "ovc_exited",
    "ovc_graduated",
)


def drained_cells(organisation) -> tuple[Counter, Counter]:
    """The monthly counts, and the facts grouped the same way (both must agree)."""
    counts: Counter = Counter()
    for c in MonthlyCount.objects.filter(
        organisation=organisation, event_kind__in=COUNTED_KINDS, n__gt=0
    ):
        counts[(c.month, c.event_kind, c.category, c.sex, c.age_band, c.county)] += c.n
    facts: Counter = Counter()
    for f in Fact.objects.filter(organisation=organisation, event_kind__in=COUNTED_KINDS):
        facts[(_month(f.occurred_on), f.event_kind, f.category, f.sex, f.age_band, f.county)] += 1
    return counts, facts


class Scenario:
    """Random, valid operations on one organisation through its own services."""

    def __init__(self, organisation, actor, rng: random.Random, supervisor=None):
        self.organisation, self.actor, self.rng = organisation, actor, rng
        self.supervisor = supervisor  # deletions are supervised
        self.today = timezone.localdate()
        self.cases: list[int] = []
        self.enrolments: list[int] = []
        self.children = [
            make_child(
                f"Child{n}",
                "Random",
                sex=rng.choice(["SFEM", "SMAL"]),
                date_of_birth=date(self.today.year - rng.randint(1, 17), rng.randint(1, 12), 5),
            )
            for n in range(8)
        ]

    def day_after(self, start: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (self.today - start).days))

    def open_case(self) -> None:
        reported = self.today - timedelta(days=self.rng.randint(0, 400))  # typed in late
        categories = self.rng.sample(["CSIC", "CCDF", "CTRF", "CSNG"], self.rng.randint(1, 2))
        case = open_case(
            self.organisation,
            self.actor,
            child=self.rng.choice(self.children),
            date_reported=reported,
            categories=[services.CategoryInput(category_code=c) for c in categories],
        )
        self.cases.append(case.pk)

    def _case(self) -> CaseRecord | None:
        live = list(CaseRecord.objects.filter(pk__in=self.cases))
        return self.rng.choice(live) if live else None

    def follow_up(self) -> None:
        case = self._case()
        if case:
            services.follow_up_record(
                organisation=self.organisation,
                case=case,
                actor=member_actor(self.actor, self.organisation),
                follow_up_type=self.rng.choice(["HVIS", "COUN", "MEDI"]),
                date=self.day_after(case.date_reported),
            )

    def referral(self) -> None:
        case = self._case()
        if case:
            services.referral_record(
                organisation=self.organisation,
                case=case,
                actor=member_actor(self.actor, self.organisation),
                actor_type="RDSA",
                destination="RDPL",
                reasons=self.rng.choice([["RMPR"], ["RMTX"], ["RMTX", "RMPP"]]),
                referred_on=self.day_after(case.date_reported),
            )

    def placement(self) -> None:
        case = self._case()
        if case:
            services.placement_record(
                organisation=self.organisation,
                case=case,
                actor=member_actor(self.actor, self.organisation),
                care_type="AFFC",
                placed_with="A foster family",
                admitted_on=self.day_after(case.date_reported),
            )

    def _record_of(self, model):
        live = list(model.objects.filter(case_id__in=self.cases, case__status="open"))
        return self.rng.choice(live) if live else None

    def correct_follow_up_date(self) -> None:
        follow_up = self._record_of(FollowUp)
        if follow_up:
            services.follow_up_date_correct(
                actor=actor_of(self.organisation, self.actor),
                case=follow_up.case_id,
                follow_up_id=follow_up.pk,
                date=self.day_after(follow_up.case.date_reported),
            )

    def delete_follow_up(self) -> None:
        follow_up = self._record_of(FollowUp)
        if follow_up:
            services.follow_up_delete(
                actor=self.supervisor,
                case=follow_up.case_id,
                follow_up_id=follow_up.pk,
                reason="Typed twice from the same visit form",
            )

    def delete_referral(self) -> None:
        referral = self._record_of(Referral)
        if referral:
            services.referral_delete(
                actor=self.supervisor,
                case=referral.case_id,
                referral_id=referral.pk,
                reason="Recorded on the wrong child's case",
            )

    def delete_placement(self) -> None:
        placement = self._record_of(Placement)
        if placement:
            services.placement_delete(
                actor=self.supervisor,
                case=placement.case_id,
                placement_id=placement.pk,
                reason="The placement never took place",
            )

    def correct_date_reported(self) -> None:
        case = self._case()
        if case:
            services.case_update(
                case=case,
                actor=member_actor(self.actor, self.organisation),
                expected_version=case.version,
                organisation=self.organisation,
                date_reported=self.today - timedelta(days=self.rng.randint(0, 400)),
            )

    def dispose_case(self) -> None:
        case = self._case()
        if case:
            dispose_cases([case.pk], "delete")

    def enrol(self) -> None:
        household = ovc.household_register(
            actor=as_member(self.actor, self.organisation), head=make_caregiver()
        )
        free = [c for c in self.children if not Enrolment.objects.filter(child=c).exists()]
        if not free:
            return
        registered = self.today - timedelta(days=self.rng.randint(60, 400))
        with date_rules.entered_on(
            self._entered(registered, date_rules.REGISTRATION_MAX_DAYS_BACK)
        ):
            enrolment = ovc.child_enrol(
                actor=as_member(self.actor, self.organisation),
                household=household,
                child=self.rng.choice(free),
                registration_date=registered,
                eligibility=["ECFD"],
                hiv_status="HSTN",
                school_level="SLPR",
            )
        self.enrolments.append(enrolment.pk)

    def _enrolment(self) -> Enrolment | None:
        live = list(Enrolment.objects.filter(pk__in=self.enrolments, status="active"))
        return self.rng.choice(live) if live else None

    def serve(self) -> None:
        enrolment = self._enrolment()
        if enrolment:
            day = self.day_after(enrolment.registration_date)
            with date_rules.entered_on(self._entered(day, date_rules.EVENT_MAX_DAYS_BACK)):
                domain = self.rng.choice(["healthy", "safe"])
                ovc.service_record(
                    actor=as_member(self.actor, self.organisation),
                    enrolment=enrolment,
                    domain=domain,
                    service={"healthy": "CP212HE", "safe": "CP62SA"}[domain],
                    provider="CHV",
                    date=day,
                )

    def _entered(self, day: date, max_days_back: int) -> date:
        """A late entry of a paper form, within the days the OVC rules allow."""
        return min(self.today, day + timedelta(days=self.rng.randint(0, max_days_back)))

    def correct_registration_date(self) -> None:
        enrolment = self._enrolment()
        first_service = enrolment and min(
            [s.date for s in enrolment.services.all()], default=self.today
        )
        if enrolment:
            earliest = enrolment.registration_date - timedelta(days=28)
            latest = min(enrolment.registration_date + timedelta(days=28), first_service)
            new = earliest + timedelta(days=self.rng.randint(0, (latest - earliest).days))
            ovc.enrolment_update(
                actor=as_member(self.actor, self.organisation),
                enrolment=enrolment,
                registration_date=new,
            )

    def exit(self) -> None:
        enrolment = self._enrolment()
        if enrolment:
            start = max(enrolment.registration_date, self.today - timedelta(days=90))
            ovc.enrolment_exit(
                actor=as_member(self.actor, self.organisation),
                enrolment=enrolment,
                exit_reason="ERRL",
                exit_date=self.day_after(start),
            )

    def dispose_enrolment(self) -> None:
        enrolment = Enrolment.objects.filter(pk__in=self.enrolments).first()
        if enrolment:
            dispose_enrolments([enrolment.pk], "delete")

    def drain(self) -> None:
        drain_organisation(self.organisation)


def test_every_monthly_cell_equals_a_recount_after_random_late_entries_and_corrections(
    world, national_lists
):
    rng = random.Random(SEED)
    supervisor = actor_of(world.acme, world.acme_admin)
    scenario = Scenario(world.acme, world.acme_worker, rng, supervisor)
    operations = [
        (scenario.open_case, 6),
        (scenario.follow_up, 5),
        (scenario.referral, 3),
        (scenario.placement, 2),
        (scenario.correct_date_reported, 3),
        (scenario.correct_follow_up_date, 2),
        (scenario.delete_follow_up, 2),
        (scenario.delete_referral, 1),
        (scenario.delete_placement, 1),
        (scenario.dispose_case, 1),
        (scenario.enrol, 2),
        (scenario.serve, 4),
        (scenario.correct_registration_date, 2),
        (scenario.exit, 1),
        (scenario.dispose_enrolment, 1),
        (scenario.drain, 2),
    ]
    choices, weights = zip(*operations, strict=True)
    done: Counter = Counter()
    with workspace_context(world.acme):
        for _ in range(150):
            operation = rng.choices(choices, weights)[0]
            operation()
            done[operation.__name__] += 1
            if done["drain"] and done["drain"] % 3 == 0 and operation is scenario.drain:
                counts, facts = drained_cells(world.acme)
                assert counts == facts  # the rollup never drifts from the facts
    drain_organisation(world.acme)
    drain_organisation(world.acme)  # nothing counted twice

    expected = recount(world.acme)
    counts, facts = drained_cells(world.acme)
    assert facts == expected
    assert counts == expected
    # the sequence did what it is meant to test
    assert all(
        done[name]
        for name in (
            "correct_date_reported",
            "dispose_case",
            "serve",
            "correct_follow_up_date",
            "delete_follow_up",
            "delete_referral",
            "delete_placement",
        )
    )
    with workspace_context(world.acme):
        removed = CaseEvent.objects.filter(action__endswith="_deleted").count()
        corrected = CaseEvent.objects.filter(action="follow_up_date_corrected").count()
    assert removed >= 3 and corrected >= 1  # the deletions and corrections really happened
    assert len({cell[0] for cell in expected}) > 6  # facts spread over many months
    with workspace_context(world.acme):
        assert CaseRecord.objects.count() >= 5


def test_a_case_typed_in_late_counts_in_the_month_it_was_reported(world, national_lists):
    today = timezone.localdate()
    reported = (today.replace(day=1) - timedelta(days=1)).replace(day=10)  # last month
    case = open_case(world.acme, world.acme_worker, date_reported=reported)
    with workspace_context(world.acme):
        services.follow_up_record(
            organisation=world.acme,
            case=case,
            actor=member_actor(world.acme_worker, world.acme),
            follow_up_type="HVIS",
            date=reported + timedelta(days=2),
        )
    drain_organisation(world.acme)
    facts = Fact.objects.filter(organisation=world.acme)
    assert {(f.event_kind, f.occurred_on) for f in facts} == {
        ("case_opened", reported),
        ("case_category_added", reported),
        ("follow_up", reported + timedelta(days=2)),
        ("case_activated", reported + timedelta(days=2)),  # the first action (issue 17)
    }
    # the date reported is corrected: every fact of the case moves with it
    corrected = reported - timedelta(days=40)
    with workspace_context(world.acme):
        services.case_update(
            case=case,
            actor=member_actor(world.acme_worker, world.acme),
            expected_version=case.version,
            organisation=world.acme,
            date_reported=corrected,
        )
    drain_organisation(world.acme)
    facts = Fact.objects.filter(organisation=world.acme)
    assert {(f.event_kind, f.occurred_on) for f in facts} == {
        ("case_opened", corrected),
        ("case_category_added", corrected),
        ("follow_up", reported + timedelta(days=2)),
        ("case_activated", reported + timedelta(days=2)),  # the first action (issue 17)
    }
    cells = dict(
        MonthlyCount.objects.filter(organisation=world.acme, n__gt=0).values_list(
            "event_kind", "month"
        )
    )
    assert cells["case_opened"] == corrected.replace(day=1)

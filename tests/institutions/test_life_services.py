"""Life in the institution (issue 19): leave and the overdue leave, adverse events (an escape
or a death ends the residence), the return after an escape, education, case conferences,
the care plan and its reviews; their dates, codes and the case timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases.models import CaseEvent
from case_apps.cases.presenters import present_timeline
from case_apps.institutions import selectors_life, services_life
from case_apps.institutions.models import Admission, AdmissionSource, ResidentialStatus
from case_apps.institutions.models_life import CarePlan, LeaveOfAbsence
from case_apps.outbox.models import OutboxEvent
from shared_registry.services_residence import residence_current
from tenants.actor import NotFound
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days_ago(n: int):
    return TODAY() - timedelta(days=n)


@pytest.fixture
def stay(world):
    """A child resident in acme for ten days (the case reported the day before)."""
    from tests.case_apps.conftest import open_case

    child = make_child("Baraka", "Life")
    case = open_case(world.acme, world.acme_worker, child=child, date_reported=days_ago(11))
    actor = actor_of(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        admission = Admission.objects.create(
            case=case,
            admitted_on=days_ago(10),
            admission_type="TANA",
            admission_reason="RACP",
            source=AdmissionSource.DIRECT,
            officer=world.acme_worker,
        )
        from shared_registry.services_residence import residence_begin

        residence_begin(
            person=child,
            organisation=world.acme,
            admission_id=admission.pk,
            admitted_on=days_ago(10),
        )
    return admission, actor


def test_a_leave_runs_with_the_residence_is_overdue_when_late_and_ends_on_return(world, stay):
    admission, actor = stay
    with workspace_context(world.acme):
        leave = services_life.leave_record(
            actor=actor,
            admission=admission,
            left_on=days_ago(5),
            due_back_on=days_ago(2),
            destination="Grandmother, Nyalenda",
            reason="Family visit",
        )
        assert residence_current(admission.case.child_id).organisation == world.acme
        assert list(selectors_life.leaves_overdue(actor=actor)) == [leave]
        assert selectors_life.admission_life_read(actor=actor, admission_id=admission.pk).on_leave
        with pytest.raises(ValidationError) as second:
            services_life.leave_record(
                actor=actor,
                admission=admission,
                left_on=days_ago(1),
                due_back_on=TODAY(),
                destination="Uncle",
                reason="Visit",
            )
        assert "left_on" in second.value.message_dict
        services_life.leave_return(
            actor=actor, admission=admission, leave_id=leave.pk, returned_on=days_ago(1)
        )
        assert not selectors_life.leaves_overdue(actor=actor).exists()
        assert LeaveOfAbsence.objects.get().returned_on == days_ago(1)
        actions = set(CaseEvent.objects.values_list("action", flat=True))
    assert {"leave_recorded", "leave_returned"} <= actions


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"left_on": TODAY() + timedelta(days=1)}, "left_on"),  # in the future
        ({"left_on": TODAY() - timedelta(days=20)}, "left_on"),  # before the admission
        ({"due_back_on": TODAY() - timedelta(days=4)}, "due_back_on"),  # before leaving
        ({"destination": "  "}, "destination"),
        ({"reason": ""}, "reason"),
    ],
)
def test_a_leave_is_refused_naming_the_field(world, stay, overrides, field):
    admission, actor = stay
    fields = {
        "left_on": days_ago(3),
        "due_back_on": TODAY(),
        "destination": "Aunt",
        "reason": "Visit",
    }
    fields.update(overrides)
    with workspace_context(world.acme), pytest.raises(ValidationError) as refused:
        services_life.leave_record(actor=actor, admission=admission, **fields)
    assert field in refused.value.message_dict
    with workspace_context(world.acme):
        assert not LeaveOfAbsence.objects.exists()


def test_an_adverse_event_other_than_escape_or_death_leaves_the_residence(world, stay):
    admission, actor = stay
    with workspace_context(world.acme):
        services_life.adverse_event_record(
            actor=actor, admission=admission, event_code="AEMC", occurred_on=days_ago(3)
        )
        admission.refresh_from_db()
        assert residence_current(admission.case.child_id) is not None
    assert admission.residential_status == ResidentialStatus.RESIDENT


@pytest.mark.parametrize(
    ("code", "status"), [("AEES", ResidentialStatus.ESCAPED), ("AEDE", ResidentialStatus.DIED)]
)
def test_an_escape_or_a_death_ends_the_residence_on_the_day(world, stay, code, status):
    admission, actor = stay
    with workspace_context(world.acme):
        services_life.adverse_event_record(
            actor=actor, admission=admission, event_code=code, occurred_on=days_ago(4)
        )
        admission.refresh_from_db()
        assert OutboxEvent.objects.filter(kind="resident_discharged").exists()
        assert residence_current(admission.case.child_id) is None
    assert (admission.residential_status, admission.discharged_on) == (status, days_ago(4))


def test_records_on_an_ended_residence_are_refused(world, stay):
    admission, actor = stay
    with workspace_context(world.acme):
        services_life.adverse_event_record(
            actor=actor, admission=admission, event_code="AEES", occurred_on=days_ago(4)
        )
        with pytest.raises(ValidationError, match="no longer resident"):
            services_life.education_record(
                actor=actor,
                admission=admission,
                school_name="Kisumu Primary",
                level="SLPR",
                started_on=days_ago(3),
            )
        with pytest.raises(ValidationError, match="no longer resident"):
            services_life.adverse_event_record(
                actor=actor, admission=admission, event_code="AEMC", occurred_on=days_ago(3)
            )


def test_the_return_after_escape_is_a_new_admission_following_the_escaped_one(world, stay):
    admission, actor = stay
    with workspace_context(world.acme):
        services_life.adverse_event_record(
            actor=actor, admission=admission, event_code="AEES", occurred_on=days_ago(4)
        )
        with pytest.raises(ValidationError) as early:
            services_life.resident_return(actor=actor, admission=admission, returned_on=days_ago(5))
        assert "returned_on" in early.value.message_dict
        returned = services_life.resident_return(
            actor=actor, admission=admission, returned_on=days_ago(1), admission_number="R-1"
        )
        assert (returned.admission_type, returned.source) == ("TARE", AdmissionSource.RETURN)
        assert returned.previous_admission_id == admission.pk
        assert returned.case_id == admission.case_id
        life = selectors_life.admission_life_read(actor=actor, admission_id=admission.pk)
        assert life.returned_as == returned and not life.may_return
        with pytest.raises(ValidationError, match="already recorded"):
            services_life.resident_return(actor=actor, admission=admission, returned_on=TODAY())
        assert residence_current(admission.case.child_id).organisation == world.acme


def test_a_return_is_refused_naming_the_institution_that_admitted_the_child_meanwhile(
    world, institutions_world, stay
):
    admission, actor = stay
    with workspace_context(world.acme):
        services_life.adverse_event_record(
            actor=actor, admission=admission, event_code="AEES", occurred_on=days_ago(4)
        )
    child = admission.case.child
    make_admission(institutions_world.rescue, institutions_world.rescue_worker, child=child)
    with workspace_context(world.acme):
        with pytest.raises(ValidationError) as refused:
            services_life.resident_return(actor=actor, admission=admission, returned_on=TODAY())
        assert "Kisumu Rescue Centre" in str(refused.value)
        assert Admission.objects.filter(case=admission.case).count() == 1  # nothing half-saved


def test_a_child_not_escaped_cannot_be_recorded_as_returned(world, stay):
    admission, actor = stay
    with workspace_context(world.acme), pytest.raises(ValidationError, match="escaped"):
        services_life.resident_return(actor=actor, admission=admission, returned_on=TODAY())


def test_a_child_recalled_after_release_on_licence_returns_as_tatr(world, stay):
    from case_apps.institutions.services_admissions import resident_discharge

    admission, actor = stay
    with workspace_context(world.acme):
        resident_discharge(
            actor=actor, admission=admission, discharged_on=days_ago(6), discharge_type="DTLI"
        )
        life = selectors_life.admission_life_read(actor=actor, admission_id=admission.pk)
        assert life.may_return
        returned = services_life.resident_return(
            actor=actor, admission=admission, returned_on=days_ago(2)
        )
        assert (returned.admission_type, returned.previous_admission_id) == ("TATR", admission.pk)
        assert returned.admitted_on == days_ago(2) and returned.is_resident
        assert residence_current(admission.case.child_id).admission_id == returned.pk


def test_a_child_discharged_for_good_cannot_be_recorded_as_returned(world, stay):
    from case_apps.institutions.services_admissions import resident_discharge

    admission, actor = stay
    with workspace_context(world.acme):
        resident_discharge(
            actor=actor, admission=admission, discharged_on=days_ago(6), discharge_type="DTEO"
        )
        assert not selectors_life.admission_life_read(
            actor=actor, admission_id=admission.pk
        ).may_return
        with pytest.raises(ValidationError, match="released on licence"):
            services_life.resident_return(actor=actor, admission=admission, returned_on=TODAY())
        assert Admission.objects.filter(case=admission.case).count() == 1


def test_education_and_a_conference_check_their_codes_and_dates(world, stay):
    admission, actor = stay
    with workspace_context(world.acme):
        with pytest.raises(ValidationError) as bad:
            services_life.education_record(
                actor=actor, admission=admission, school_name="", level="XXXX", started_on=TODAY()
            )
        assert {"school_name", "level"} <= set(bad.value.message_dict)
        record = services_life.education_record(
            actor=actor,
            admission=admission,
            school_name="Tumaini Vocational Centre",
            level="SLTV",
            class_name="Tailoring",
            started_on=days_ago(9),
        )
        assert record.level == "SLTV"
        with pytest.raises(ValidationError) as next_before:
            services_life.conference_record(
                actor=actor,
                admission=admission,
                held_on=days_ago(2),
                attendees="Manager",
                decisions="Stay",
                next_on=days_ago(3),
            )
        assert "next_on" in next_before.value.message_dict
        services_life.conference_record(
            actor=actor,
            admission=admission,
            held_on=days_ago(2),
            attendees="Manager, social worker",
            decisions="Start family tracing",
            next_on=TODAY() + timedelta(days=30),
        )


def test_a_care_plan_needs_goals_and_its_reviews_move_the_next_review_on(world, stay):
    admission, actor = stay
    with workspace_context(world.acme):
        with pytest.raises(ValidationError) as no_goals:
            services_life.care_plan_record(
                actor=actor, admission=admission, drawn_up_on=days_ago(9), review_due_on=TODAY()
            )
        assert "health_goals" in no_goals.value.message_dict
        plan = services_life.care_plan_record(
            actor=actor,
            admission=admission,
            drawn_up_on=days_ago(9),
            review_due_on=days_ago(1),
            family_goals="Trace the family",
        )
        assert list(selectors_life.care_plans_review_overdue(actor=actor)) == [plan]
        with pytest.raises(ValidationError) as before_plan:
            services_life.care_plan_review(
                actor=actor,
                admission=admission,
                plan_id=plan.pk,
                reviewed_on=days_ago(10),
                progress="x",
                next_review_on=TODAY(),
            )
        assert "reviewed_on" in before_plan.value.message_dict
        services_life.care_plan_review(
            actor=actor,
            admission=admission,
            plan_id=plan.pk,
            reviewed_on=TODAY(),
            progress="Family traced",
            next_review_on=TODAY() + timedelta(days=90),
        )
        assert CarePlan.objects.get().review_due_on == TODAY() + timedelta(days=90)
        assert not selectors_life.care_plans_review_overdue(actor=actor).exists()
        with pytest.raises(NotFound):
            services_life.care_plan_review(
                actor=actor,
                admission=admission,
                plan_id=plan.pk + 1000,
                reviewed_on=TODAY(),
                progress="x",
                next_review_on=TODAY() + timedelta(days=1),
            )


def test_life_reads_on_the_case_timeline_dated_by_the_day_it_happened(world, stay):
    admission, actor = stay
    with workspace_context(world.acme):
        services_life.leave_record(
            actor=actor,
            admission=admission,
            left_on=days_ago(8),
            due_back_on=days_ago(7),
            destination="Aunt in Kondele",
            reason="Burial",
        )
        services_life.adverse_event_record(
            actor=actor, admission=admission, event_code="AEPG", occurred_on=days_ago(6)
        )
        plan = services_life.care_plan_record(
            actor=actor,
            admission=admission,
            drawn_up_on=days_ago(5),
            review_due_on=TODAY() + timedelta(days=10),
            health_goals="Antenatal care",
        )
        services_life.care_plan_review(
            actor=actor,
            admission=admission,
            plan_id=plan.pk,
            reviewed_on=days_ago(1),
            progress="Attending clinic",
            next_review_on=TODAY() + timedelta(days=30),
        )
        items = {item.kind: item for item in present_timeline(admission.case)}
    assert items["life_leave"].on == days_ago(8) and "Aunt in Kondele" in items["life_leave"].lines
    assert items["life_adverse_event"].title == "Adverse event: Pregnant"
    assert items["life_care_plan"].on == days_ago(5)
    assert "Health: Antenatal care" in items["life_care_plan"].lines
    assert items["life_care_plan_review"].lines[0] == "Attending clinic"


def test_another_member_who_does_not_see_the_case_finds_no_admission(world, stay):
    from tenants.models import Role
    from tenants.services import membership_grant
    from tests.factories import UserFactory

    admission, _actor = stay
    other = UserFactory(email="other-life@acme.test")
    membership_grant(user=other, organisation=world.acme, roles=[Role.CASE_WORKER])
    with workspace_context(world.acme), pytest.raises(NotFound):
        services_life.leave_record(
            actor=actor_of(world.acme, other),
            admission=admission,
            left_on=days_ago(1),
            due_back_on=TODAY(),
            destination="Aunt",
            reason="Visit",
        )
    with workspace_context(world.acme):
        assert not selectors_life.leaves_overdue(actor=actor_of(world.acme, other)).exists()

"""Case services: every transition, its history and its outbox event."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.models import (
    ApprovalRequest,
    ApprovalStatus,
    CaseEvent,
    CaseRecord,
    CaseStatus,
    FollowUp,
    ReferralStatus,
)
from case_apps.outbox.models import OutboxEvent
from shared_registry.models import PersonLink
from tenants.actor import Forbidden
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, closure_details, make_child, open_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_case_gets_a_serial_and_a_national_reference(world, team):
    first = open_case(world.acme, team.worker)
    second = open_case(world.acme, team.worker)
    year = first.date_reported.year
    assert (first.serial_number, second.serial_number) == (1, 2)
    assert first.national_reference == f"CPIMS/042/ACME/00001/{year}"
    with workspace_context(world.acme):
        assert first.assigned_officer_id == team.worker.pk
        assert CaseEvent.objects.get(case=first).action == "opened"


def test_opening_writes_de_identified_outbox_events(world, team):
    child = make_child("Wanjiku", "Kamau", sex="SFEM")
    case = open_case(
        world.acme,
        team.worker,
        child,
        categories=[
            services.CategoryInput(category_code="CSIC"),
            services.CategoryInput(category_code="CCDF"),
        ],
    )
    with workspace_context(world.acme):
        events = list(OutboxEvent.objects.order_by("id"))
    assert [e.kind for e in events] == ["case_opened", "case_category_added", "case_category_added"]
    assert {e.payload.get("category") for e in events[1:]} == {"CSIC", "CCDF"}
    assert events[0].payload["sex"] == "SFEM" and events[0].payload["age_band"] == "11-15"
    assert events[0].payload["county"] == "042"
    text = str([e.payload for e in events])
    assert "Wanjiku" not in text and case.national_reference not in text


def test_opening_links_the_child_to_the_organisation_in_the_registry(world, team):
    child = make_child()
    open_case(world.acme, team.worker, child)
    assert PersonLink.objects.filter(person=child, organisation=world.acme).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"risk_level": "NOPE"}, "risk_level"),
        ({"reporter_type": ""}, "reporter_type"),
        ({"how_reported": "carrier pigeon"}, "how_reported"),
        ({"categories": []}, "categories"),
        ({"categories": [services.CategoryInput(category_code="XXXX")]}, "categories"),
        ({"date_reported": TODAY() + timedelta(days=1)}, "date_reported"),
        ({"immediate_needs": ["EMTE", "BOGUS"]}, "immediate_needs"),
    ],
)
def test_bad_case_record_sheet_names_the_field_and_saves_nothing(world, team, overrides, field):
    with pytest.raises(ValidationError) as error:
        open_case(world.acme, team.worker, **overrides)
    assert field in error.value.message_dict
    with workspace_context(world.acme):
        assert CaseRecord.objects.count() == 0
        assert OutboxEvent.objects.count() == 0


@pytest.mark.parametrize(
    "details",
    [
        {"follow_up_type": "CRTS", "court_session_type": "STMN", "court_outcome": "CADJ"},
        {"follow_up_type": "SUMM", "summons_issued_on": TODAY()},
        {"follow_up_type": "HVIS", "next_court_date": TODAY() + timedelta(days=14)},
    ],
)
def test_court_sessions_and_summons_are_no_longer_follow_ups(world, team, details):
    """They have their own records (tests/case_apps/test_court.py, test_summons.py)."""
    case = open_case(world.acme, team.worker)
    field = (
        next(k for k in details if k != "follow_up_type")
        if details["follow_up_type"] == "HVIS"
        else "follow_up_type"
    )
    with workspace_context(world.acme):
        with pytest.raises(ValidationError) as error:
            services.follow_up_record(
                organisation=world.acme,
                case=case,
                actor=actor_of(world.acme, team.worker),
                date=TODAY(),
                **details,
            )
        assert field in error.value.message_dict
        assert FollowUp.objects.count() == 0
        assert OutboxEvent.objects.filter(kind="follow_up").count() == 0


def test_referral_from_pending_to_completed(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        referral = services.referral_record(
            organisation=world.acme,
            case=case,
            actor=actor_of(world.acme, team.worker),
            actor_type="RDSA",
            destination="RDPL",
            reasons=["RMPR"],
            referred_on=TODAY(),
        )
        assert referral.status == ReferralStatus.PENDING
        services.referral_complete(
            referral=referral,
            actor=actor_of(world.acme, team.worker),
            completed=True,
            completed_on=TODAY(),
            outcome="OB number issued",
        )
        assert referral.status == ReferralStatus.COMPLETED
        with pytest.raises(ValidationError):
            services.referral_complete(
                referral=referral,
                actor=actor_of(world.acme, team.worker),
                completed=True,
                completed_on=TODAY(),
                outcome="again",
            )


def test_closure_needs_a_supervisors_approval(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        approval = services.closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Child reunited and settled",
            **closure_details(case),
        )
        assert CaseRecord.objects.get().status == CaseStatus.CLOSURE_REQUESTED
        with pytest.raises(Forbidden):  # a case worker decides no request
            services.approval_decide(
                organisation=world.acme,
                approval=approval,
                actor=actor_of(world.acme, team.worker),
                approve=True,
            )
        services.approval_decide(
            organisation=world.acme,
            approval=approval,
            actor=actor_of(world.acme, team.supervisor),
            approve=True,
        )
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED and case.closure_reason == "COEN"
        assert OutboxEvent.objects.filter(kind="case_closed").count() == 1
        actions = list(CaseEvent.objects.filter(case=case).values_list("action", "actor_id"))
        assert ("closure_requested", team.worker.pk) in actions
        assert ("closure_approved", team.supervisor.pk) in actions
        with pytest.raises(ValidationError):  # a closed case takes no follow-ups
            services.follow_up_record(
                organisation=world.acme,
                case=case,
                actor=actor_of(world.acme, team.worker),
                follow_up_type="HVIS",
                date=TODAY(),
            )


def test_rejected_closure_goes_back_open_with_the_reason(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        approval = services.closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Done",
            **closure_details(case),
        )
        with pytest.raises(ValidationError):  # a rejection needs a reason
            services.approval_decide(
                organisation=world.acme,
                approval=approval,
                actor=actor_of(world.acme, team.supervisor),
                approve=False,
            )
        services.approval_decide(
            organisation=world.acme,
            approval=approval,
            actor=actor_of(world.acme, team.supervisor),
            approve=False,
            reason="Court order still pending",
        )
        case.refresh_from_db()
        approval.refresh_from_db()
        assert case.status == CaseStatus.OPEN
        assert approval.status == ApprovalStatus.REJECTED
        assert approval.decision_reason == "Court order still pending"
        event = CaseEvent.objects.get(case=case, action="closure_rejected")
        assert event.reason == "Court order still pending"


def test_case_plan_is_approved_by_a_supervisor(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        plan = services.case_plan_submit(
            case=case,
            actor=actor_of(world.acme, team.worker),
            goals="Return to school",
            services="Fees, uniform",
            responsible="Caregiver and CHV",
            due_on=TODAY() + timedelta(days=60),
        )
        with pytest.raises(ValidationError):  # one plan waits at a time
            services.case_plan_submit(
                case=case,
                actor=actor_of(world.acme, team.worker),
                goals="x",
                services="y",
                responsible="z",
                due_on=TODAY(),
            )
        approval = ApprovalRequest.objects.get(case_plan=plan)
        services.approval_decide(
            organisation=world.acme,
            approval=approval,
            actor=actor_of(world.acme, team.supervisor),
            approve=True,
        )
        plan.refresh_from_db()
        assert plan.is_approved


def test_second_save_of_a_stale_version_is_refused(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        services.case_update(
            case=case,
            actor=actor_of(world.acme, team.worker),
            expected_version=1,
            risk_level="RLMD",
        )
        with pytest.raises(services.CaseConflict) as conflict:
            services.case_update(
                case=case,
                actor=actor_of(world.acme, team.supervisor),
                expected_version=1,
                risk_level="RLLW",
            )
        assert conflict.value.current.risk_level == "RLMD"
        assert CaseRecord.objects.get().risk_level == "RLMD"


def test_reassign_moves_the_case_and_records_why(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        with pytest.raises(ValidationError):
            services.case_reassign(
                case=case,
                actor=actor_of(world.acme, team.supervisor),
                officer=team.other_worker,
                reason="",
            )
        services.case_reassign(
            case=case,
            actor=actor_of(world.acme, team.supervisor),
            officer=team.other_worker,
            reason="Leave",
        )
        assert CaseRecord.objects.get().assigned_officer_id == team.other_worker.pk


def test_placement_and_discharge(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        with pytest.raises(ValidationError):
            services.placement_record(
                organisation=world.acme,
                case=case,
                actor=actor_of(world.acme, team.worker),
                care_type="AFFC",
                placed_with="",
                admitted_on=TODAY(),
            )
        placement = services.placement_record(
            organisation=world.acme,
            case=case,
            actor=actor_of(world.acme, team.worker),
            care_type="AFFC",
            placed_with="Mrs Achieng (foster parent)",
            admitted_on=TODAY() - timedelta(days=2),
        )
        services.placement_discharge(
            placement=placement, actor=actor_of(world.acme, team.worker), discharged_on=TODAY()
        )
        with pytest.raises(ValidationError):
            services.placement_discharge(
                placement=placement, actor=actor_of(world.acme, team.worker), discharged_on=TODAY()
            )


def test_place_of_occurrence_must_be_real_and_consistent(world, team, kenya_geography):
    with pytest.raises(ValidationError) as error:
        open_case(world.acme, team.worker, occurrence_county_code="099")
    assert "occurrence_county_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # Kisumu Central is not in Nairobi
        open_case(
            world.acme, team.worker, occurrence_county_code="047", occurrence_sub_county_code="240"
        )
    assert "occurrence_sub_county_code" in error.value.message_dict
    case = open_case(
        world.acme, team.worker, occurrence_county_code="042", occurrence_sub_county_code="240"
    )
    assert case.occurrence_sub_county_code == "240"


def test_bursary_award(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        with pytest.raises(ValidationError) as error:
            services.bursary_award_record(
                organisation=world.acme,
                case=case,
                actor=actor_of(world.acme, team.worker),
                bursary_type="Lottery",
                amount_kes=0,
                year=2026,
                awarded_on=TODAY(),
                term=4,
            )
        assert set(error.value.message_dict) == {"bursary_type", "amount_kes", "term"}
        award = services.bursary_award_record(
            organisation=world.acme,
            case=case,
            actor=actor_of(world.acme, team.worker),
            bursary_type="BCDF",
            amount_kes=15000,
            year=2026,
            awarded_on=TODAY(),
        )
        assert award.pk and OutboxEvent.objects.filter(kind="bursary").count() == 1

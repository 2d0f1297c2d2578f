"""Case services and selectors refuse on their own: they fetch as the actor, ask the policy
and log reads themselves, whoever calls them (issue 16)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.workspace.models import AccessEntry
from case_apps.cases import selectors, services
from case_apps.cases.models import (
    ApprovalRequest,
    ApprovalStatus,
    CaseEvent,
    CaseRecord,
    CaseStatus,
    FollowUp,
)
from tenants.actor import Actor, Forbidden, NotFound
from tenants.policy import Permission
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, closure_details, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _closure_waiting(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        approval = services.closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Reunited",
            **closure_details(case),
        )
    return case, approval


def test_a_case_worker_cannot_decide_a_request(world, team):
    case, approval = _closure_waiting(world, team)
    with workspace_context(world.acme):
        with pytest.raises(Forbidden):
            services.approval_decide(  # the worker sees the case, the role decides nothing
                approval=approval, actor=actor_of(world.acme, team.worker), approve=True
            )
        approval.refresh_from_db()
        assert approval.status == ApprovalStatus.PENDING
        assert CaseRecord.objects.get(pk=case.pk).status == CaseStatus.CLOSURE_REQUESTED


def test_a_supervisor_cannot_decide_on_a_case_outside_their_team(world, team):
    # the other officer has a supervisor of their own: their approvals go there (issue 17;
    # an officer with none would have any supervisor decide: test_approval_routing.py)
    from case_apps.cases.models import Supervision
    from tenants.models import Role
    from tenants.services import membership_grant
    from tests.factories import UserFactory

    theirs = UserFactory(email="theirs@acme.test")
    membership_grant(user=theirs, organisation=world.acme, roles=[Role.SUPERVISOR])
    with workspace_context(world.acme):
        Supervision.objects.create(supervisor=theirs, officer=team.other_worker)
    case = open_case(world.acme, team.other_worker)  # not in the supervisor's team
    with workspace_context(world.acme):
        approval = services.closure_request(
            case=case,
            actor=actor_of(world.acme, team.other_worker),
            closure_reason="COEN",
            notes="Reunited",
            **closure_details(case),
        )
        with pytest.raises(NotFound):
            services.approval_decide(
                approval=approval, actor=actor_of(world.acme, team.supervisor), approve=True
            )
        with pytest.raises(NotFound):
            selectors.approval_waiting_get(
                actor=actor_of(world.acme, team.supervisor), approval_id=approval.pk
            )
        assert ApprovalRequest.objects.get(pk=approval.pk).status == ApprovalStatus.PENDING


def test_a_supervisor_still_cannot_approve_their_own_request(world, team):
    case = open_case(world.acme, team.worker)
    supervisor = actor_of(world.acme, team.supervisor)
    with workspace_context(world.acme):
        approval = services.closure_request(
            case=case,
            actor=supervisor,
            closure_reason="COEN",
            notes="Reunited",
            **closure_details(case),
        )
        with pytest.raises(ValidationError) as error:
            services.approval_decide(approval=approval, actor=supervisor, approve=True)
    assert "reason" in error.value.message_dict


def test_another_officers_case_is_not_found(world, team):
    case = open_case(world.acme, team.worker)
    other = actor_of(world.acme, team.other_worker)
    with workspace_context(world.acme):
        with pytest.raises(NotFound):
            selectors.case_get(actor=other, case_id=case.pk)
        with pytest.raises(NotFound):
            selectors.case_get(actor=other, case_id=case.pk + 1000)  # missing: the same
        with pytest.raises(NotFound):
            services.follow_up_record(case=case, actor=other, follow_up_type="HVIS", date=TODAY())
        with pytest.raises(NotFound):
            services.case_update(case=case, actor=other, expected_version=1, risk_level="RLLW")
        assert FollowUp.objects.count() == 0
        assert CaseRecord.objects.get(pk=case.pk).risk_level == "RLHG"


def test_a_viewer_sees_the_case_but_records_nothing_on_it(world, team):
    case = open_case(world.acme, team.worker)
    viewer = actor_of(world.acme, team.viewer)
    with workspace_context(world.acme):
        assert selectors.case_get(actor=viewer, case_id=case.pk).pk == case.pk
        with pytest.raises(Forbidden):
            selectors.case_get(actor=viewer, case_id=case.pk, permission=Permission.RECORD_CASES)
        with pytest.raises(Forbidden):
            services.follow_up_record(case=case, actor=viewer, follow_up_type="HVIS", date=TODAY())
        with pytest.raises(Forbidden):
            services.case_plan_submit(
                case=case,
                actor=viewer,
                goals="g",
                services="s",
                responsible="r",
                due_on=TODAY() + timedelta(days=9),
            )
        with pytest.raises(Forbidden):
            open_case(world.acme, viewer)
        assert FollowUp.objects.count() == 0 and CaseRecord.objects.count() == 1


def test_only_a_supervisor_moves_a_case(world, team):
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        with pytest.raises(Forbidden):  # the worker sees the case but may not move it
            services.case_reassign(
                case=case,
                actor=actor_of(world.acme, team.worker),
                officer=team.other_worker,
                reason="Leave",
            )
        assert CaseRecord.objects.get(pk=case.pk).assigned_officer_id == team.worker.pk
        assert not CaseEvent.objects.filter(action="reassigned").exists()


def test_a_member_of_another_organisation_finds_nothing(world, team):
    case = open_case(world.acme, team.worker)
    stranger = Actor(user=world.beta_worker, organisation=world.acme)  # no acme membership
    with workspace_context(world.acme):
        with pytest.raises(NotFound):
            selectors.case_get(actor=stranger, case_id=case.pk)
        with pytest.raises(Forbidden):
            open_case(world.acme, stranger)
        with pytest.raises(Forbidden):  # an actor of beta cannot act for acme
            services.case_open(
                actor=actor_of(world.beta, world.beta_worker),
                organisation=world.acme,
                child=case.child,
                date_reported=TODAY(),
                how_reported="walk_in",
                reporter_type="CRMO",
                risk_level="RLHG",
                categories=[services.CategoryInput(category_code="CSIC")],
            )


def test_a_bare_user_is_refused_as_a_programming_error(world, team):
    """Every service takes an Actor: a bare user is not guessed into a member, it is a
    TypeError, and nothing is written."""
    from case_apps.cases.models import FollowUp
    from sharing import gateway
    from sharing import services as sharing_services

    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        with pytest.raises(TypeError):
            services.follow_up_record(
                case=case, actor=team.worker, follow_up_type="HVIS", date=TODAY()
            )
        assert not FollowUp.objects.filter(case=case).exists()
    with pytest.raises(TypeError):
        sharing_services.may_approve(team.worker)
    with pytest.raises(TypeError):
        gateway.read(
            actor=team.worker, record_kind="case_summary", person=case.child, fields=["status"]
        )
    with workspace_context(world.acme):
        follow_up = services.follow_up_record(
            case=case,
            actor=actor_of(world.acme, team.worker),
            follow_up_type="HVIS",
            date=TODAY(),
        )
    assert follow_up.officer_id == team.worker.pk


def test_reading_selectors_log_the_read_and_refusals_log_nothing(world, team):
    case = open_case(world.acme, team.worker)
    worker = actor_of(world.acme, team.worker)
    with workspace_context(world.acme):
        mine = AccessEntry.objects.filter(actor_id__in=[team.worker.pk, team.other_worker.pk])
        before = mine.count()
        selectors.case_get(actor=worker, case_id=case.pk)  # a check, not a read: no entry
        assert mine.count() == before
        selectors.case_read(actor=worker, case_id=case.pk, purpose="case page")
        selectors.child_cases_read(actor=worker, person_id=case.child_id, purpose="child page")
        with pytest.raises(NotFound):
            selectors.case_read(
                actor=actor_of(world.acme, team.other_worker), case_id=case.pk, purpose="x"
            )
        with pytest.raises(NotFound):
            selectors.child_cases_read(
                actor=actor_of(world.acme, team.other_worker),
                person_id=case.child_id,
                purpose="x",
            )
        entries = list(
            mine.order_by("id").values_list("record_kind", "record_id", "purpose", "actor_id")
        )[before:]
    assert entries == [
        ("case", str(case.pk), "case page", team.worker.pk),
        ("child", str(case.child_id), "child page", team.worker.pk),
    ]


def test_the_api_answers_the_services_refusals(world, team):
    case = open_case(world.acme, team.worker)
    follow_up = {"follow_up_type": "HVIS", "date": TODAY().isoformat()}
    url = f"/api/v1/cases/{case.pk}/follow-ups"
    other = client_on(world.acme, team.other_worker)
    response = other.post(url, follow_up, content_type="application/json")
    assert response.status_code == 404 and response.json()["detail"] == "No such case."
    viewer = client_on(world.acme, team.viewer)
    response = viewer.post(url, follow_up, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this."
    with workspace_context(world.acme):
        assert FollowUp.objects.count() == 0


def test_a_case_moves_only_to_a_member_who_holds_cases(world, team):
    case = open_case(world.acme, team.worker)
    supervisor = actor_of(world.acme, team.supervisor)
    with workspace_context(world.acme):
        for officer in (team.viewer, world.beta_worker):  # read-only; another organisation
            with pytest.raises(ValidationError) as error:
                services.case_reassign(case=case, actor=supervisor, officer=officer, reason="Leave")
            assert "officer" in error.value.message_dict
        assert CaseRecord.objects.get(pk=case.pk).assigned_officer_id == team.worker.pk
        services.case_reassign(case=case, actor=supervisor, officer=team.other_worker, reason="x")
        assert CaseRecord.objects.get(pk=case.pk).assigned_officer_id == team.other_worker.pk


def test_the_policy_names_who_holds_a_caseload(world, team):
    from tenants.models import Membership, Role
    from tenants.policy import caseload_roles, may_hold_caseload

    assert Role.VIEWER not in caseload_roles() and Role.CASE_WORKER in caseload_roles()
    viewer = Membership.objects.get(user=team.viewer, organisation=world.acme)
    worker = Membership.objects.get(user=team.worker, organisation=world.acme)
    assert not may_hold_caseload(viewer) and may_hold_caseload(worker)
    assert not may_hold_caseload(None)
    worker.is_active = False
    assert not may_hold_caseload(worker)

"""Approvals go to the officer's supervisors, or to any supervisor when none can decide,
never to nobody (issue 17): the queue, the home count, deciding, the e-mail, the screen and
the API follow the same routing (case_apps/cases/selectors_teams.py)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from case_apps.cases import selectors, services
from case_apps.cases.models import ApprovalStatus, Supervision
from case_apps.cases.selectors_teams import approvals_routed_to, approvers_for
from tenants.actor import NotFound
from tenants.models import Membership, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import actor_of, closure_details, open_case
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(world, team):
    """Another supervisor of acme, who supervises nobody yet."""
    user = UserFactory(email="second@acme.test", full_name="Simba Second")
    membership_grant(user=user, organisation=world.acme, roles=[Role.SUPERVISOR])
    return user


def _closure(world, user, case):
    with workspace_context(world.acme):
        return services.closure_request(
            case=case,
            actor=actor_of(world.acme, user),
            closure_reason="COEN",
            notes="Settled",
            **closure_details(case),
        )


def _waiting_ids(world, user) -> set[int]:
    with workspace_context(world.acme):
        return set(
            selectors.approvals_waiting_for(actor=actor_of(world.acme, user)).values_list(
                "pk", flat=True
            )
        )


def _decide(world, user, approval):
    with workspace_context(world.acme):
        return services.approval_decide(
            organisation=world.acme,
            approval=approval,
            actor=actor_of(world.acme, user),
            approve=False,
            reason="Not yet",
        )


def test_an_officers_approval_goes_to_their_supervisor_only(world, team, second):
    approval = _closure(world, team.worker, open_case(world.acme, team.worker))
    assert approval.pk in _waiting_ids(world, team.supervisor)
    assert approval.pk not in _waiting_ids(world, second)
    assert approval.pk in _waiting_ids(world, world.acme_admin)  # the admin sees all
    with pytest.raises(NotFound):  # not routed to the second supervisor
        _decide(world, second, approval)
    with workspace_context(world.acme):
        approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    decided = _decide(world, team.supervisor, approval)
    assert decided.status == ApprovalStatus.REJECTED and decided.decided_by == team.supervisor


def test_an_officer_without_a_supervisor_goes_to_any_supervisor(world, team, second):
    approval = _closure(world, team.other_worker, open_case(world.acme, team.other_worker))
    assert approval.pk in _waiting_ids(world, team.supervisor)
    assert approval.pk in _waiting_ids(world, second)
    with workspace_context(world.acme):
        approvers = approvers_for(
            organisation=world.acme, requested_by_id=team.other_worker.pk, officer_id=None
        )
    assert {u.pk for u in approvers} == {team.supervisor.pk, second.pk, world.acme_admin.pk}
    assert _decide(world, second, approval).decided_by == second


def test_the_supervisor_an_approval_fell_to_reads_its_case_until_it_is_decided(world, team, second):
    # the officer has no supervisor: any supervisor decides, so any supervisor must be able to
    # read the case the request is about (read only), and only while the request waits
    case = open_case(world.acme, team.other_worker)
    page = f"/cases/{case.pk}/"
    assert client_on(world.acme, second).get(page).status_code == 404
    approval = _closure(world, team.other_worker, case)
    assert client_on(world.acme, second).get(page).status_code == 200
    with workspace_context(world.acme), pytest.raises(NotFound):  # reading, never recording
        selectors.case_get(
            actor=actor_of(world.acme, second),
            case_id=case.pk,
            permission=selectors.Permission.RECORD_CASES,
        )
    _decide(world, second, approval)
    assert client_on(world.acme, second).get(page).status_code == 404


def test_a_supervisor_who_left_hands_over_to_any_supervisor(world, team, second):
    approval = _closure(world, team.worker, open_case(world.acme, team.worker))
    assert approval.pk not in _waiting_ids(world, second)
    Membership.objects.filter(user=team.supervisor, organisation=world.acme).update(is_active=False)
    assert approval.pk in _waiting_ids(world, second)
    assert _decide(world, second, approval).decided_by == second


def test_a_supervisor_who_asks_never_decides_and_it_goes_to_another(world, team, second):
    # the supervisor asks to close their officer's case: they are its only supervisor
    case = open_case(world.acme, team.worker)
    approval = _closure(world, team.supervisor, case)
    assert approval.pk not in _waiting_ids(world, team.supervisor)
    assert approval.pk in _waiting_ids(world, second)
    with pytest.raises(ValidationError):
        _decide(world, team.supervisor, approval)
    assert _decide(world, second, approval).decided_by == second


def test_the_assigned_officers_supervisor_also_decides(world, team, second):
    with workspace_context(world.acme):
        Supervision.objects.create(supervisor=second, officer=team.other_worker)
    case = open_case(world.acme, team.worker)
    with workspace_context(world.acme):
        services.case_reassign(
            case=case,
            actor=actor_of(world.acme, team.supervisor),
            officer=team.other_worker,
            reason="Caseload balance",
        )
    approval = _closure(world, team.worker, case)  # the worker recorded it, so still sees it
    assert approval.pk in _waiting_ids(world, team.supervisor)  # the requester's supervisor
    assert approval.pk in _waiting_ids(world, second)  # the assigned officer's supervisor


def test_case_workers_and_viewers_have_nothing_waiting(world, team):
    _closure(world, team.worker, open_case(world.acme, team.worker))
    for user in (team.worker, team.other_worker, team.viewer):
        with workspace_context(world.acme):
            assert not approvals_routed_to(actor=actor_of(world.acme, user)).exists()


def test_the_home_count_is_what_is_routed(world, team, second):
    _closure(world, team.worker, open_case(world.acme, team.worker))
    _closure(world, team.other_worker, open_case(world.acme, team.other_worker))
    with workspace_context(world.acme):
        assert (
            selectors.caseload_summary(actor=actor_of(world.acme, team.supervisor)).waiting_for_me
            == 2
        )
        assert selectors.caseload_summary(actor=actor_of(world.acme, second)).waiting_for_me == 1
        assert (
            selectors.caseload_summary(actor=actor_of(world.acme, world.acme_admin)).waiting_for_me
            == 2
        )
    home = client_on(world.acme, second).get("/").content.decode()
    assert "Waiting for your approval" in home


def test_the_routed_supervisors_are_told_by_email(
    world, team, second, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    case = open_case(world.acme, team.worker)
    with django_capture_on_commit_callbacks(execute=True):
        _closure(world, team.worker, case)
    [message] = mail.outbox
    assert message.to == [team.supervisor.email]
    assert case.national_reference in message.subject
    assert case.child.full_name not in message.body + message.subject  # names no child
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _closure(world, team.other_worker, open_case(world.acme, team.other_worker))
    [message] = mail.outbox
    assert set(message.to) == {team.supervisor.email, second.email, world.acme_admin.email}


def test_the_screen_and_the_api_follow_the_routing(world, team, second):
    approval = _closure(world, team.worker, open_case(world.acme, team.worker))
    other = client_on(world.acme, second)
    assert approval.case.national_reference not in other.get("/cases/approvals/").content.decode()
    assert other.get(f"/cases/approvals/{approval.pk}/").status_code == 404
    refused = other.post(
        f"/api/v1/approvals/{approval.pk}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert other.get("/api/v1/approvals").json() == []
    mine = client_on(world.acme, team.supervisor)
    assert [a["id"] for a in mine.get("/api/v1/approvals").json()] == [approval.pk]
    assert approval.case.national_reference in mine.get("/cases/approvals/").content.decode()
    assert client_on(world.acme, team.worker).get("/api/v1/approvals").status_code == 403
    decided = mine.post(
        f"/api/v1/approvals/{approval.pk}/decision",
        {"approve": False, "reason": "Court order pending"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REJECTED


def test_another_organisation_sees_none_of_acmes_approvals(world, team):
    approval = _closure(world, team.worker, open_case(world.acme, team.worker))
    beta_admin = UserFactory(email="admin2@beta.test")
    membership_grant(user=beta_admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    beta = client_on(world.beta, beta_admin)
    assert beta.get("/api/v1/approvals").json() == []
    assert beta.get(f"/cases/approvals/{approval.pk}/").status_code == 404
    answer = beta.post(
        f"/api/v1/approvals/{approval.pk}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert answer.status_code == 404
    with workspace_context(world.acme):
        approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING

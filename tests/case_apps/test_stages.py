"""Stages: a case is pending until its first action after intake, then active from the date
that action happened; intake-type actions leave it pending; the stage shows on the screens,
filters the caseload, is counted on the home page, in the API and on the national dashboard
(from facts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.facts import case_facts_restate
from case_apps.cases.models import CaseEvent, CaseRecord, CaseStage
from case_apps.outbox.models import OutboxEvent
from national_statistics.selectors import PENDING, TILES, StatisticsScope, pending_in
from national_statistics.tasks import drain_all_task
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, closure_details, make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _follow_up(world, user, case, on):
    with workspace_context(world.acme):
        return services.follow_up_record(
            case=case, actor=actor_of(world.acme, user), follow_up_type="HVIS", date=on
        )


def _stage(world, case) -> tuple[str, object]:
    with workspace_context(world.acme):
        return CaseRecord.objects.values_list("stage", "activated_on").get(pk=case.pk)


def _activations(world, case) -> list:
    with workspace_context(world.acme):
        dates = list(
            OutboxEvent.objects.filter(kind="case_activated", source=f"case:{case.pk}:activated")
            .order_by("id")
            .values_list("occurred_at", flat=True)
        )
        return [timezone.localtime(at).date() for at in dates]


def test_the_first_action_makes_the_case_active_from_its_date(world, team):
    case = open_case(world.acme, team.worker, date_reported=TODAY() - timedelta(days=10))
    assert _stage(world, case) == (CaseStage.PENDING, None)
    visit_day = TODAY() - timedelta(days=6)
    _follow_up(world, team.worker, case, visit_day)
    assert _stage(world, case) == (CaseStage.ACTIVE, visit_day)
    assert _activations(world, case) == [visit_day]
    with workspace_context(world.acme):
        event = CaseEvent.objects.get(case=case, action="activated")
        assert (event.from_status, event.to_status) == ("pending", "active")
        assert event.reason.startswith("follow_up_recorded")
    # a later action changes nothing
    _follow_up(world, team.worker, case, TODAY())
    assert _stage(world, case) == (CaseStage.ACTIVE, visit_day)
    assert _activations(world, case) == [visit_day]


def test_an_earlier_action_typed_later_moves_the_date_back(world, team):
    case = open_case(world.acme, team.worker, date_reported=TODAY() - timedelta(days=20))
    _follow_up(world, team.worker, case, TODAY() - timedelta(days=2))
    earlier = TODAY() - timedelta(days=15)
    with workspace_context(world.acme):
        services.referral_record(
            case=case,
            actor=actor_of(world.acme, team.worker),
            actor_type="RDSA",
            destination="RDPL",
            reasons=["RMPR"],
            referred_on=earlier,
        )
    assert _stage(world, case) == (CaseStage.ACTIVE, earlier)
    assert _activations(world, case)[-1] == earlier  # the fact moves to the earlier day


def test_intake_actions_leave_the_case_pending(world, team):
    case = open_case(world.acme, team.worker)
    worker = actor_of(world.acme, team.worker)
    supervisor = actor_of(world.acme, team.supervisor)
    with workspace_context(world.acme):
        services.case_update(
            case=case, actor=worker, expected_version=case.version, reporter_name="Mama"
        )
        services.case_reassign(
            case=case, actor=supervisor, officer=team.other_worker, reason="Leave of absence"
        )
        approval = services.closure_request(
            case=case,
            actor=worker,
            closure_reason="COEN",
            notes="Duplicate intake",
            **closure_details(case),
        )
        services.approval_decide(
            approval=approval, actor=supervisor, approve=False, reason="Not a duplicate"
        )
        assert not OutboxEvent.objects.filter(kind="case_activated").exists()
    assert _stage(world, case) == (CaseStage.PENDING, None)


@pytest.mark.parametrize("action", ["placement", "bursary", "case_plan"])
def test_every_kind_of_work_with_the_child_activates(world, team, action):
    case = open_case(world.acme, team.worker, date_reported=TODAY() - timedelta(days=9))
    actor = actor_of(world.acme, team.worker)
    on = TODAY() - timedelta(days=4)
    with workspace_context(world.acme):
        if action == "placement":
            services.placement_record(
                case=case, actor=actor, care_type="AFKS", placed_with="Aunt", admitted_on=on
            )
        elif action == "bursary":
            services.bursary_award_record(
                case=case,
                actor=actor,
                bursary_type="BCDF",
                amount_kes=5000,
                year=2026,
                awarded_on=on,
            )
        else:
            on = TODAY()
            services.case_plan_submit(
                case=case,
                actor=actor,
                goals="Back to school",
                services="Fees",
                responsible="Officer",
                due_on=TODAY() + timedelta(days=30),
            )
    assert _stage(world, case) == (CaseStage.ACTIVE, on)


def test_a_restatement_keeps_the_activation_fact(world, team):
    case = open_case(world.acme, team.worker, date_reported=TODAY() - timedelta(days=5))
    on = TODAY() - timedelta(days=1)
    _follow_up(world, team.worker, case, on)
    with workspace_context(world.acme):
        case_facts_restate(case=case, organisation=world.acme)
        kinds = list(
            OutboxEvent.objects.filter(source=f"case:{case.pk}:activated")
            .order_by("-id")
            .values_list("kind", flat=True)
        )
    assert kinds[0] == "case_activated"  # written again, never retracted


def test_the_caseload_filters_by_stage_and_shows_it(world, team):
    pending = open_case(world.acme, team.worker, make_child("Pendo", "Wanjiru"))
    active = open_case(world.acme, team.worker, make_child("Amani", "Kilonzo"))
    _follow_up(world, team.worker, active, TODAY())
    client = client_on(world.acme, team.worker)
    page = client.get("/cases/", {"stage": "active"}).content.decode()
    assert active.national_reference in page and pending.national_reference not in page
    assert 'data-testid="case-stage"' in page and ">Active</span>" in page
    page = client.get("/cases/", {"stage": "pending"}).content.decode()
    assert pending.national_reference in page and active.national_reference not in page
    detail = client.get(f"/cases/{active.pk}/").content.decode()
    assert 'data-testid="case-stage"' in detail and 'data-testid="case-activated-on"' in detail


def test_the_home_page_counts_each_stage(world, team):
    open_case(world.acme, team.worker, make_child("Pendo", "Wanjiru"))
    active = open_case(world.acme, team.worker, make_child("Amani", "Kilonzo"))
    _follow_up(world, team.worker, active, TODAY())
    response = client_on(world.acme, team.worker).get("/")
    assert response.context["summary"].stages == {
        "pending": 1,
        "active": 1,
        "closed": 0,
        "reopened": 0,
    }
    html = response.content.decode()
    assert 'data-testid="stage-tiles"' in html and "?stage=pending" in html


def test_the_api_carries_the_stage_and_filters_by_it(world, team):
    pending = open_case(world.acme, team.worker, make_child("Pendo", "Wanjiru"))
    active = open_case(world.acme, team.worker, make_child("Amani", "Kilonzo"))
    _follow_up(world, team.worker, active, TODAY())
    client = client_on(world.acme, team.worker)
    one = client.get(f"/api/v1/cases/{active.pk}").json()
    assert (one["stage"], one["activated_on"]) == ("active", TODAY().isoformat())
    listed = client.get("/api/v1/cases", {"stage": "pending"}).json()["items"]
    assert [c["id"] for c in listed] == [pending.pk]


def test_another_organisation_does_not_see_the_stage_of_a_case(world, team):
    case = open_case(world.acme, team.worker)
    beta = client_on(world.beta, world.beta_worker)
    assert beta.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert case.national_reference not in beta.get("/cases/", {"stage": "pending"}).content.decode()


def test_the_national_dashboard_counts_pending_cases_from_facts(world, team):
    waiting = open_case(world.acme, team.worker, make_child("Pendo", "Wanjiru"))
    worked = open_case(world.acme, team.worker, make_child("Amani", "Kilonzo"))
    _follow_up(world, team.worker, worked, TODAY())
    drain_all_task.delay().get()
    month = TODAY() - timedelta(days=40)  # the cases were reported three days ago
    scope = StatisticsScope(organisation_id=world.acme.pk)
    assert pending_in(scope, month, TODAY()) == 1
    # the case waiting is worked on: no longer pending once drained
    _follow_up(world, team.worker, waiting, TODAY())
    drain_all_task.delay().get()
    assert pending_in(scope, month, TODAY()) == 0
    assert PENDING in TILES  # a tile of the dashboards

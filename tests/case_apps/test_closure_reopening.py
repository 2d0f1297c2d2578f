"""Closure with the officer's closure date and a final intervention per category, reopening
approved by a supervisor, and closing again (issue 17): the case's state, history, timeline
and national figures follow each step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases import services
from case_apps.cases.facts import case_facts_restate
from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    CaseEvent,
    CaseRecord,
    CaseStage,
    CaseStatus,
)
from case_apps.cases.models_interventions import CaseIntervention
from case_apps.cases.presenters import present_timeline
from case_apps.cases.services.approvals import approval_decide, closure_request
from case_apps.cases.services.interventions import FinalIntervention
from case_apps.cases.services.reopening import reopening_request
from national_statistics.drain import drain_organisation
from national_statistics.models import Fact
from tenants.actor import Forbidden
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, closure_details, closure_form_data, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
REASON = "The father came back and threatens the child again"


def _case(world, team):
    return open_case(
        world.acme,
        team.worker,
        date_reported=TODAY() - timedelta(days=20),
        categories=[
            services.CategoryInput(category_code="CSIC"),
            services.CategoryInput(category_code="CCDF"),
        ],
    )


def _close(world, team, case, closed_on, code="RTPA"):
    with workspace_context(world.acme):
        approval = closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Child settled at home",
            **closure_details(case, closed_on=closed_on, code=code),
        )
        return approval_decide(
            approval=approval, actor=actor_of(world.acme, team.supervisor), approve=True
        )


def _reopen(world, team, case, reopened_on):
    with workspace_context(world.acme):
        approval = reopening_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            reason=REASON,
            reopened_on=reopened_on,
        )
        return approval_decide(
            approval=approval, actor=actor_of(world.acme, team.supervisor), approve=True
        )


def _live_facts(world, kind: str) -> list:
    drain_organisation(world.acme)
    return sorted(
        Fact.objects.filter(organisation_id=world.acme.pk, event_kind=kind).values_list(
            "occurred_on", flat=True
        )
    )


@pytest.mark.parametrize(
    ("closed_on", "field"),
    [
        (None, "closed_on"),
        (TODAY() + timedelta(days=1), "closed_on"),
        (TODAY() - timedelta(days=30), "closed_on"),  # before the case was reported
        (TODAY() - timedelta(days=5), "closed_on"),  # before its last follow-up
    ],
)
def test_the_closure_date_keeps_to_the_back_dating_rule(world, team, closed_on, field):
    case = _case(world, team)
    worker = actor_of(world.acme, team.worker)
    with workspace_context(world.acme):
        services.follow_up_record(
            case=case, actor=worker, follow_up_type="HVIS", date=TODAY() - timedelta(days=3)
        )
        details = closure_details(case)
        details["closed_on"] = closed_on
        with pytest.raises(ValidationError) as error:
            closure_request(
                case=case, actor=worker, closure_reason="COEN", notes="Settled", **details
            )
        assert field in error.value.message_dict
        assert CaseRecord.objects.get(pk=case.pk).status == CaseStatus.OPEN
        assert not ApprovalRequest.objects.filter(case=case).exists()


def test_every_category_needs_its_final_intervention(world, team):
    case = _case(world, team)
    worker = actor_of(world.acme, team.worker)
    with workspace_context(world.acme):
        first, second = case.categories.order_by("id")
        attempts = [
            [FinalIntervention(first.pk, "RTPA")],  # the second category has none
            [FinalIntervention(first.pk, "RTPA"), FinalIntervention(second.pk, "ZZZZ")],
            [FinalIntervention(first.pk, "RTPA"), FinalIntervention(first.pk, "REUN")],
        ]
        for finals in attempts:
            with pytest.raises(ValidationError) as error:
                closure_request(
                    case=case,
                    actor=worker,
                    closure_reason="COEN",
                    notes="Settled",
                    closed_on=TODAY(),
                    final_interventions=finals,
                )
            assert "final_interventions" in error.value.message_dict
        assert not ApprovalRequest.objects.filter(case=case).exists()


def test_an_approved_closure_is_dated_by_the_officers_date_with_its_final_interventions(
    world, team
):
    case = _case(world, team)
    closed_on = TODAY() - timedelta(days=4)
    with workspace_context(world.acme):
        approval = closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Child settled at home",
            **closure_details(case, closed_on=closed_on),
        )
        assert not CaseIntervention.objects.exists()  # waiting for approval: nothing final yet
    with workspace_context(world.acme):
        approval_decide(
            approval=approval, actor=actor_of(world.acme, team.supervisor), approve=True
        )
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED and case.stage == CaseStage.CLOSED
        assert case.closed_on == closed_on and case.closed_at is not None
        finals = list(CaseIntervention.objects.filter(case=case))
        assert [(f.intervention_code, f.is_final, f.date) for f in finals] == [
            ("RTPA", True, closed_on),
            ("RTPA", True, closed_on),
        ]
        assert {f.category.category_code for f in finals} == {"CSIC", "CCDF"}
        assert all(f.officer_id == team.worker.pk and f.approval_id == approval.pk for f in finals)
    assert _live_facts(world, "case_closed") == [closed_on]  # not the approval day
    assert _live_facts(world, "intervention") == [closed_on, closed_on]


def test_a_rejected_closure_records_no_final_intervention(world, team):
    case = _case(world, team)
    with workspace_context(world.acme):
        approval = closure_request(
            case=case,
            actor=actor_of(world.acme, team.worker),
            closure_reason="COEN",
            notes="Settled",
            **closure_details(case),
        )
        approval_decide(
            approval=approval,
            actor=actor_of(world.acme, team.supervisor),
            approve=False,
            reason="One more home visit first",
        )
        assert CaseRecord.objects.get(pk=case.pk).status == CaseStatus.OPEN
        assert not CaseIntervention.objects.exists()
        assert ApprovalRequest.objects.get(pk=approval.pk).final_interventions  # kept on it


def test_reopening_needs_a_closed_case_a_reason_and_a_plausible_day(world, team):
    case = _case(world, team)
    worker = actor_of(world.acme, team.worker)
    with workspace_context(world.acme), pytest.raises(ValidationError):
        reopening_request(case=case, actor=worker, reason=REASON)  # still open
    _close(world, team, case, TODAY() - timedelta(days=5))
    with workspace_context(world.acme):
        for reason, reopened_on, field in [
            ("", TODAY(), "reason"),
            ("again", TODAY(), "reason"),
            (REASON, TODAY() + timedelta(days=1), "reopened_on"),
            (REASON, TODAY() - timedelta(days=6), "reopened_on"),  # before it closed
        ]:
            with pytest.raises(ValidationError) as error:
                reopening_request(case=case, actor=worker, reason=reason, reopened_on=reopened_on)
            assert field in error.value.message_dict
        assert not ApprovalRequest.objects.filter(kind=ApprovalKind.REOPENING).exists()
        with pytest.raises(Forbidden):  # a viewer asks nothing
            reopening_request(case=case, actor=actor_of(world.acme, team.viewer), reason=REASON)


def test_a_rejected_reopening_keeps_the_case_closed_with_the_reason(world, team):
    case = _case(world, team)
    _close(world, team, case, TODAY() - timedelta(days=5))
    with workspace_context(world.acme):
        approval = reopening_request(
            case=case, actor=actor_of(world.acme, team.worker), reason=REASON
        )
        assert CaseEvent.objects.filter(case=case, action="reopening_requested").exists()
        with pytest.raises(ValidationError):  # a second one while the first waits
            reopening_request(case=case, actor=actor_of(world.acme, team.worker), reason=REASON)
        approval_decide(
            approval=approval,
            actor=actor_of(world.acme, team.supervisor),
            approve=False,
            reason="Police already handle the threat",
        )
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED and case.stage == CaseStage.CLOSED
        assert ApprovalRequest.objects.get(pk=approval.pk).status == ApprovalStatus.REJECTED
        rejected = CaseEvent.objects.get(case=case, action="reopening_rejected")
        assert rejected.reason == "Police already handle the threat"
    assert _live_facts(world, "case_reopened") == []


def test_closed_reopened_and_closed_again_counts_two_closures_and_one_reopening(world, team):
    case = _case(world, team)
    first_closure = TODAY() - timedelta(days=10)
    reopened_on = TODAY() - timedelta(days=6)
    second_closure = TODAY() - timedelta(days=2)
    _close(world, team, case, first_closure)
    assert _live_facts(world, "case_closed") == [first_closure]
    _reopen(world, team, case, reopened_on)
    with workspace_context(world.acme):
        case.refresh_from_db()
        assert case.status == CaseStatus.OPEN and case.stage == CaseStage.REOPENED
        assert case.closed_on is None and case.closure_reason == ""
        actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
        assert "reopening_requested" in actions and "case_reopened" in actions
        with pytest.raises(ValidationError) as error:  # not before the day it reopened
            closure_request(
                case=case,
                actor=actor_of(world.acme, team.worker),
                closure_reason="COEN",
                notes="Settled",
                **closure_details(case, closed_on=reopened_on - timedelta(days=1)),
            )
        assert "closed_on" in error.value.message_dict
    assert _live_facts(world, "case_closed") == [first_closure]  # the closure still counts
    assert _live_facts(world, "case_reopened") == [reopened_on]
    _close(world, team, case, second_closure, code="REUN")
    assert _live_facts(world, "case_closed") == [first_closure, second_closure]
    assert _live_facts(world, "case_reopened") == [reopened_on]
    with workspace_context(world.acme):
        case.refresh_from_db()
        assert case.closed_on == second_closure and case.stage == CaseStage.CLOSED
        assert CaseIntervention.objects.filter(case=case, is_final=True).count() == 4
        written = case_facts_restate(case=case, organisation=world.acme)
        assert written == 1 + 2 + 4 + 2 + 1  # opened, categories, finals, closures, reopening
    assert _live_facts(world, "case_closed") == [first_closure, second_closure]  # restated
    assert _live_facts(world, "case_reopened") == [reopened_on]
    assert _live_facts(world, "intervention") == [first_closure] * 2 + [second_closure] * 2
    with workspace_context(world.acme):
        items = present_timeline(case)
    reopened = [item for item in items if item.kind == "reopened"]
    assert len(reopened) == 1 and reopened[0].on == reopened_on and REASON in reopened[0].lines
    finals = [i for i in items if i.kind == "intervention"]
    assert finals and all(i.title.startswith("Final intervention") for i in finals)


def test_the_closure_and_reopening_screens(world, team):
    case = _case(world, team)
    worker = client_on(world.acme, team.worker)
    form = worker.get(f"/cases/{case.pk}/closure/").content.decode()
    assert 'name="closed_on"' in form and "Final intervention: Neglect" in form
    with workspace_context(world.acme):
        data = closure_form_data(case)
    typed = {"closure_reason": "COEN", "notes": "Child settled at home", **data}
    typed["closed_on"] = (TODAY() + timedelta(days=2)).isoformat()
    refused = worker.post(f"/cases/{case.pk}/closure/", typed)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "cannot be in the future" in body and "Child settled at home" in body
    typed["closed_on"] = (TODAY() - timedelta(days=1)).isoformat()
    assert worker.post(f"/cases/{case.pk}/closure/", typed).status_code == 302
    with workspace_context(world.acme):
        approval = ApprovalRequest.objects.get(case=case)
    supervisor = client_on(world.acme, team.supervisor)
    review = supervisor.get(f"/cases/approvals/{approval.pk}/").content.decode()
    closed_label = (TODAY() - timedelta(days=1)).strftime("%-d %b %Y")
    assert f"Closure date: {closed_label}" in review
    assert "Final intervention for Neglect: Release to parent(s)" in review
    decided = supervisor.post(f"/cases/approvals/{approval.pk}/", {"decision": "approve"})
    assert decided.status_code == 302
    page = worker.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="final-intervention"' in page and closed_label in page
    assert 'data-testid="request-reopening"' in page
    refused = worker.post(f"/cases/{case.pk}/reopening/", {"reason": "short", "reopened_on": ""})
    assert refused.status_code == 200 and "short" in refused.content.decode()
    asked = worker.post(
        f"/cases/{case.pk}/reopening/", {"reason": REASON, "reopened_on": TODAY().isoformat()}
    )
    assert asked.status_code == 302
    queue = supervisor.get("/cases/approvals/").content.decode()
    assert "Case reopening" in queue
    with workspace_context(world.acme):
        reopening = ApprovalRequest.objects.get(kind=ApprovalKind.REOPENING)
    review = supervisor.get(f"/cases/approvals/{reopening.pk}/").content.decode()
    assert REASON in review and "Reopens on" in review
    decided = supervisor.post(f"/cases/approvals/{reopening.pk}/", {"decision": "approve"})
    assert decided.status_code == 302
    page = worker.get(f"/cases/{case.pk}/").content.decode()
    assert "Case reopened" in page and 'data-testid="request-reopening"' not in page
    with workspace_context(world.acme):
        assert CaseRecord.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_the_api_closes_with_date_and_finals_reopens_and_decides(world, team):
    case = _case(world, team)
    worker = client_on(world.acme, team.worker)
    supervisor = client_on(world.acme, team.supervisor)
    categories = worker.get(f"/api/v1/cases/{case.pk}/categories").json()
    body = {
        "closure_reason": "COEN",
        "notes": "Child settled at home",
        "closed_on": TODAY().isoformat(),
        "final_interventions": [{"category_id": categories[0]["id"], "intervention_code": "RTPA"}],
    }
    missing = worker.post(f"/api/v1/cases/{case.pk}/closure", body, content_type="application/json")
    assert missing.status_code == 422 and "final_interventions" in missing.content.decode()
    no_date = worker.post(
        f"/api/v1/cases/{case.pk}/closure",
        {**body, "closed_on": None},
        content_type="application/json",
    )
    assert no_date.status_code == 422 and "closed_on" in no_date.content.decode()
    body["final_interventions"].append(
        {"category_id": categories[1]["id"], "intervention_code": "REUN"}
    )
    asked = worker.post(f"/api/v1/cases/{case.pk}/closure", body, content_type="application/json")
    assert asked.status_code == 201, asked.content
    decided = supervisor.post(
        f"/api/v1/approvals/{asked.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.status_code == 200
    finals = worker.get(f"/api/v1/cases/{case.pk}/interventions").json()
    assert sorted(i["intervention_code"] for i in finals if i["is_final"]) == ["REUN", "RTPA"]
    short = worker.post(
        f"/api/v1/cases/{case.pk}/reopening", {"reason": "x"}, content_type="application/json"
    )
    assert short.status_code == 422 and "reason" in short.content.decode()
    reopening = worker.post(
        f"/api/v1/cases/{case.pk}/reopening", {"reason": REASON}, content_type="application/json"
    )
    assert reopening.status_code == 201
    decided = supervisor.post(
        f"/api/v1/approvals/{reopening.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert worker.get(f"/api/v1/cases/{case.pk}").json()["status"] == "open"


def test_no_organisation_reopens_or_closes_another_ones_case(world, team):
    case = _case(world, team)
    _close(world, team, case, TODAY() - timedelta(days=1))
    for client in (
        client_on(world.acme, world.beta_worker),  # not a member of acme
        client_on(world.beta, world.beta_worker),  # beta's own host: acme's ids mean nothing
    ):
        response = client.post(
            f"/api/v1/cases/{case.pk}/reopening",
            {"reason": REASON},
            content_type="application/json",
        )
        assert response.status_code in (401, 403, 404), response.status_code
        for path in (f"/cases/{case.pk}/reopening/", f"/cases/{case.pk}/closure/"):
            response = client.post(path, {"reason": REASON, "reopened_on": TODAY().isoformat()})
            assert response.status_code in (302, 403, 404), (path, response.status_code)
            if response.status_code == 302:  # sent to sign in, never to a confirmation
                assert "/cases/" not in response["Location"]
    response = client_on(world.beta, world.beta_worker).post(
        f"/api/v1/cases/{case.pk}/reopening", {"reason": REASON}, content_type="application/json"
    )
    assert response.status_code == 404
    with workspace_context(world.acme):
        assert CaseRecord.objects.get(pk=case.pk).status == CaseStatus.CLOSED
        assert not ApprovalRequest.objects.filter(kind=ApprovalKind.REOPENING).exists()


def test_existing_closed_cases_get_their_closure_date_from_the_approval(world, team):
    """The migration's backfill: closed_on from closed_at, in Nairobi time."""
    import importlib
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module(
        "case_apps.cases.migrations.0006_interventions_closure_reopening"
    )
    case = _case(world, team)
    late_evening = datetime(2026, 3, 4, 22, 30, tzinfo=ZoneInfo("UTC"))  # 01:30 on 5 Mar there
    with workspace_context(world.acme):
        CaseRecord.objects.filter(pk=case.pk).update(
            status=CaseStatus.CLOSED, closed_at=late_evening, closed_on=None
        )

        class Editor:
            pass

        editor = Editor()
        editor.connection = connection
        migration.closed_on_from_closed_at(apps, editor)
        assert str(CaseRecord.objects.get(pk=case.pk).closed_on) == "2026-03-05"

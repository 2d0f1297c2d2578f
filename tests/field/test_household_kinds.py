"""Field forms about a household (issue 21): Form 1B services to a caregiver, wellbeing and
the CPARA. Synced as waiting; approval writes the record with the web app's service, dated
by the visit date and credited to the volunteer; rejection writes nothing; the web app's
refusals come back naming the field; another organisation reaches none of it."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from case_apps.field import services
from case_apps.field.models import FieldForm, FormStatus
from case_apps.ovc.models import Cpara, WellbeingAssessment
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.models_visits import HouseholdVisit
from case_apps.ovc.scoring import BENCHMARKS
from case_apps.ovc.services_assessments import wellbeing_questions
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.field.conftest import days_ago
from tests.ovc.conftest import as_member

pytestmark = pytest.mark.django_db
API = "/api/v1/field/"


def household_form(household_id: int, kind: str, payload: dict, days: int = 4) -> dict:
    return {
        "uuid": str(uuid4()),
        "kind": kind,
        "target_id": household_id,
        "visit_date": days_ago(days).isoformat(),
        "payload": payload,
    }


def form1b(household_id: int, **payload) -> dict:
    body = {"domain": "stable", "service": "F1BST01", "provider": "CHV Akinyi"} | payload
    return household_form(household_id, "form1b", body)


def wellbeing(household_id: int) -> dict:
    answers = {
        key: index % 2 == 0 for index, (key, _d, _l) in enumerate(wellbeing_questions("WBG"))
    }
    return household_form(household_id, "wellbeing", {"kind": "WBG", "answers": answers}, 5)


def cpara(household_id: int, **answers) -> dict:
    every = {str(number): "yes" for number in BENCHMARKS} | answers
    return household_form(household_id, "cpara", {"answers": every}, 6)


def visit(household_id: int, **payload) -> dict:
    body = {"outcome": "met", "purposes": ["routine"], "caregiver_present": True} | payload
    return household_form(household_id, "household_visit", body, 3)


def upload(client, device: str, forms: list[dict]) -> list[dict]:
    body = json.dumps({"device": device, "forms": forms})
    response = client.post(f"{API}forms", data=body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["answers"]


def test_the_bundle_carries_caregivers_and_the_household_forms_codes(world, field):
    bundle = client_on(world.beta, world.beta_worker).get(f"{API}bundle?device={field.device}")
    body = bundle.json()
    household = body["households"][0]
    assert household["caregivers"] and household["stamp"]
    codes = body["codes"]
    assert any(code == "F1BST01" for code, _label in codes["form1b_services"]["stable"])
    assert {code for code, _label in codes["wellbeing_kinds"]} >= {"WBG", "WBGA"}
    assert len(codes["cpara_benchmarks"]) == len(BENCHMARKS)
    assert {code for code, _label in codes["visit_outcomes"]} == {"met", "nobody_home", "moved"}
    assert "routine" in {code for code, _label in codes["visit_purposes"]}


def test_household_forms_wait_then_approval_writes_them_dated_by_the_visit(world, field):
    client = client_on(world.beta, world.beta_worker)
    forms = [form1b(field.household.pk), wellbeing(field.household.pk), cpara(field.household.pk)]
    answers = upload(client, field.device, forms)
    assert [(a["result"], a["status"]) for a in answers] == [("stored", "pending")] * 3, answers
    supervisor = as_member(field.supervisor, world.beta)
    with workspace_context(world.beta):
        assert not HouseholdServiceRecord.objects.filter(household=field.household).exists()
        assert not Cpara.objects.filter(household=field.household).exists()
        stored = [FieldForm.objects.get(uuid=f["uuid"]) for f in forms]
        assert all(f.household_id == field.household.pk and not f.enrolment_id for f in stored)
        for form in stored:
            services.form_approve(actor=supervisor, form_id=form.pk)
        service = HouseholdServiceRecord.objects.get(household=field.household)
        assert (service.date, service.recorded_by_id) == (days_ago(4), world.beta_worker.pk)
        assert str(service.uuid) == forms[0]["uuid"]
        assessment = WellbeingAssessment.objects.get(household=field.household)
        assert (assessment.assessed_on, assessment.assessed_by_id) == (
            days_ago(5),
            world.beta_worker.pk,
        )
        score = Cpara.objects.get(household=field.household)
        assert (score.assessed_on, score.assessed_by_id) == (days_ago(6), world.beta_worker.pk)
        assert {f.status for f in FieldForm.objects.filter(pk__in=[f.pk for f in stored])} == {
            FormStatus.APPROVED
        }


def test_a_rejected_household_form_writes_nothing(world, field):
    client = client_on(world.beta, world.beta_worker)
    form = form1b(field.household.pk)
    upload(client, field.device, [form])
    with workspace_context(world.beta):
        stored = FieldForm.objects.get(uuid=form["uuid"])
        services.form_reject(
            actor=as_member(field.supervisor, world.beta), form_id=stored.pk, reason="Wrong home"
        )
        assert not HouseholdServiceRecord.objects.exists()
    mine = {row["uuid"]: row for row in client.get(f"{API}forms").json()}
    assert (mine[form["uuid"]]["status"], mine[form["uuid"]]["reason"]) == (
        "rejected",
        "Wrong home",
    )


def test_household_forms_are_refused_by_the_web_apps_rules_naming_the_field(world, field):
    client = client_on(world.beta, world.beta_worker)
    household = field.household.pk
    bad_service = form1b(household, service="F1BXX99")
    unanswered = cpara(household, **{"9": "maybe"})
    unknown = household_form(household, "wellbeing", {"kind": "NOPE", "answers": {}})
    answers = upload(client, field.device, [bad_service, unanswered, unknown])
    assert [a["result"] for a in answers] == ["refused"] * 3
    assert "service" in answers[0]["errors"]
    assert "benchmark_9" in answers[1]["errors"]
    assert "kind" in answers[2]["errors"]
    with workspace_context(world.beta):
        assert not FieldForm.objects.exists()


def test_another_organisation_reaches_no_household(world, field):
    acme = client_on(world.acme, world.acme_worker)
    device = "00000000-0000-4000-8000-000000000002"
    answers = upload(acme, device, [form1b(field.household.pk), cpara(field.household.pk)])
    assert [a["result"] for a in answers] == ["refused", "refused"]
    assert all("target_id" in a["errors"] for a in answers)
    with workspace_context(world.acme):
        assert not FieldForm.objects.exists()


def test_a_wellbeing_form_for_a_child_out_of_the_caseload_names_the_child(world, field):
    client = client_on(world.beta, world.beta_worker)
    form = household_form(
        field.household.pk,
        "wellbeing",
        {"kind": "WBGA", "enrolment_id": 999_999, "answers": {}},
    )
    (answer,) = upload(client, field.device, [form])
    assert answer["result"] == "refused" and "enrolment_id" in answer["errors"]


def test_a_household_visit_waits_then_approval_writes_it_dated_by_the_visit(world, field):
    client = client_on(world.beta, world.beta_worker)
    seen = visit(field.household.pk, children_seen=[field.enrolment.pk], observations="Well")
    bad = visit(field.household.pk, purposes=["picnic"])
    stranger = visit(field.household.pk, children_seen=[field.enrolment.pk + 1000])
    answers = upload(client, field.device, [seen, bad, stranger])
    assert [a["result"] for a in answers] == ["stored", "refused", "refused"], answers
    assert "purposes" in answers[1]["errors"] and "children_seen" in answers[2]["errors"]
    with workspace_context(world.beta):
        assert not HouseholdVisit.objects.exists()
        stored = FieldForm.objects.get(uuid=seen["uuid"])
        assert stored.household_id == field.household.pk
        services.form_approve(actor=as_member(field.supervisor, world.beta), form_id=stored.pk)
        written = HouseholdVisit.objects.get(household=field.household)
        assert (written.visited_on, written.visited_by_id) == (days_ago(3), world.beta_worker.pk)
        assert str(written.uuid) == seen["uuid"] and written.caregiver_present
        assert [e.pk for e in written.children_seen.all()] == [field.enrolment.pk]

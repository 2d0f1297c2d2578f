"""Forms typed in the web app by staff follow the organisation's setting (issue 21): off, they
are written at once; on, a member who does not supervise has them waiting in the
supervisors' queue ("typed in the web app") and approval writes them as a synced form is
written, dated by the form's date. Supervisors' own forms are written at once; refused forms
store nothing; only the organisation's administrators change the setting, audited, and only
for their own organisation."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from case_apps.cases.models import FollowUp
from case_apps.field.models import FieldForm, FormStatus
from case_apps.field.selectors import queue_page_open
from case_apps.ovc.models import Cpara, HivScreening, ServiceRecord, WellbeingAssessment
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.models_visits import HouseholdVisit
from case_apps.ovc.services_assessments import wellbeing_questions
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_approval_setting_set
from tests.case_apps.conftest import open_case, team  # noqa: F401 (team: fixture)
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.field.conftest import days_ago, service_form
from tests.ovc.conftest import ALL_MET, as_member

pytestmark = pytest.mark.django_db
WAITS = "it waits for a supervisor&#x27;s approval before it counts"
TYPED = "typed in the web app"


def admin_of(organisation):
    admin = UserFactory(email=f"admin-{uuid4().hex[:6]}@{organisation.slug}.test")
    membership_grant(user=admin, organisation=organisation, roles=[Role.ORGANISATION_ADMIN])
    return admin


def approval_on(organisation, required: bool = True) -> None:
    """Set the organisation's setting through the service (the session's organisation
    objects are left as they are in memory: the service works on its own copy)."""
    organisation_approval_setting_set(
        actor=as_member(admin_of(organisation), organisation), required=required
    )


def service_post(client, field, **overrides):
    body = {"domain": "safe", "service": "CP62SA", "provider": "CHV Akinyi"}
    body |= {"date": days_ago(3).isoformat()} | overrides
    return client.post(f"/ovc/children/{field.enrolment.pk}/services/new/", body, follow=True)


def waiting_forms(organisation) -> list[FieldForm]:
    with workspace_context(organisation):
        return list(FieldForm.objects.filter(status=FormStatus.PENDING))


def test_with_the_setting_off_a_workers_service_is_written_at_once(world, field):
    page = service_post(client_on(world.beta, world.beta_worker), field)
    assert page.status_code == 200 and WAITS not in page.content.decode()
    with workspace_context(world.beta):
        record = ServiceRecord.objects.get(enrolment=field.enrolment)
        assert (record.date, record.recorded_by_id) == (days_ago(3), world.beta_worker.pk)
    assert waiting_forms(world.beta) == []


def test_with_the_setting_on_the_service_waits_then_approval_writes_it(world, field):
    approval_on(world.beta)
    page = service_post(client_on(world.beta, world.beta_worker), field)
    assert page.status_code == 200 and WAITS in page.content.decode()
    (form,) = waiting_forms(world.beta)
    assert (form.kind, form.device_id, form.author_id) == ("service", None, world.beta_worker.pk)
    assert form.payload["provider"] == "CHV Akinyi" and "date" not in form.payload
    assert form.visit_date == days_ago(3)
    with workspace_context(world.beta):
        assert not ServiceRecord.objects.filter(enrolment=field.enrolment).exists()
    supervisor = client_on(world.beta, field.supervisor)
    queue = supervisor.get("/field/queue/").content.decode()
    assert str(form.uuid) in queue and TYPED in queue
    supervisor.post(f"/field/queue/{form.pk}/decide/", {"decision": "approve"})
    with workspace_context(world.beta):
        record = ServiceRecord.objects.get(enrolment=field.enrolment)
        assert record.date == days_ago(3)  # the form's date, not the approval's
        assert record.recorded_by_id == world.beta_worker.pk
        form.refresh_from_db()
        assert (form.status, form.record_id) == (FormStatus.APPROVED, record.pk)


def test_a_supervisors_own_web_form_is_written_at_once(world, field):
    approval_on(world.beta)
    page = service_post(client_on(world.beta, field.supervisor), field)
    assert page.status_code == 200 and WAITS not in page.content.decode()
    with workspace_context(world.beta):
        assert ServiceRecord.objects.filter(enrolment=field.enrolment).exists()
    assert waiting_forms(world.beta) == []


def test_a_refused_form_stores_nothing_and_shows_the_error(world, field):
    approval_on(world.beta)
    client = client_on(world.beta, world.beta_worker)
    future = days_ago(-5).isoformat()
    page = service_post(client, field, date=future, provider="Typed provider")
    html = page.content.decode()
    assert page.status_code == 200 and "cannot be in the future" in html
    assert "Typed provider" in html  # what was typed stays
    assert waiting_forms(world.beta) == []
    with workspace_context(world.beta):
        assert not ServiceRecord.objects.filter(enrolment=field.enrolment).exists()


def test_the_household_screening_and_visit_screens_wait_too(world, field):
    approval_on(world.beta)
    client = client_on(world.beta, world.beta_worker)
    household, enrolment = field.household.pk, field.enrolment.pk
    with workspace_context(world.beta):
        head = field.household.members.get(is_head=True)
    answers = {f"q_{key}": "yes" for key, _d, _l in wellbeing_questions("WBG")}
    posts = {
        "cpara": (
            f"/ovc/households/{household}/cpara/new/",
            {"assessed_on": days_ago(6).isoformat()}
            | {f"benchmark_{n}": a for n, a in ALL_MET.items()},
        ),
        "wellbeing": (
            f"/ovc/households/{household}/wellbeing/new/?kind=WBG",
            {"assessed_on": days_ago(5).isoformat(), "enrolment": "", "notes": "Calm"} | answers,
        ),
        "form1b": (
            f"/ovc/households/{household}/caregiver-services/new/",
            {"caregiver_id": head.pk, "domain": "stable", "service": "F1BST01"}
            | {"provider": "CHV Akinyi", "date": days_ago(4).isoformat()},
        ),
        "hiv_screening": (
            f"/ovc/children/{enrolment}/screening/new/",
            {"screened_on": days_ago(2).isoformat(), "status_known": "HSKN"}
            | {"risks": ["sexual_abuse"], "not_referred_reason": "Caregiver away"},
        ),
        "household_visit": (
            f"/ovc/households/{household}/visits/new/",
            {"visited_on": days_ago(1).isoformat(), "outcome": "met", "purposes": ["routine"]}
            | {"children_seen": [str(enrolment)], "next_visit_on": days_ago(-7).isoformat()},
        ),
    }
    for kind, (url, body) in posts.items():
        page = client.post(url, body, follow=True)
        assert page.status_code == 200 and WAITS in page.content.decode(), kind
    forms = {form.kind: form for form in waiting_forms(world.beta)}
    assert set(forms) == set(posts)
    assert forms["cpara"].payload["answers"]["1"] == "yes"  # as the field app sends it
    assert forms["household_visit"].payload["children_seen"] == [enrolment]
    records = (Cpara, WellbeingAssessment, HouseholdServiceRecord, HouseholdVisit)
    with workspace_context(world.beta):
        assert not any(m.objects.filter(household=field.household).exists() for m in records)
        assert not HivScreening.objects.filter(enrolment=field.enrolment).exists()
    supervisor = client_on(world.beta, field.supervisor)
    for form in forms.values():
        supervisor.post(f"/field/queue/{form.pk}/decide/", {"decision": "approve"})
    with workspace_context(world.beta):
        cpara = Cpara.objects.get(household=field.household)
        assert (cpara.assessed_on, cpara.total) == (days_ago(6), 9)
        assert WellbeingAssessment.objects.get(household=field.household).notes == "Calm"
        assert HouseholdServiceRecord.objects.get(household=field.household).date == days_ago(4)
        assert HivScreening.objects.get(enrolment=field.enrolment).screened_on == days_ago(2)
        visit = HouseholdVisit.objects.get(household=field.household)
        assert (visit.visited_on, visit.next_visit_on) == (days_ago(1), days_ago(-7))
        assert visit.visited_by_id == world.beta_worker.pk


def test_a_case_follow_up_waits_then_is_written(world, team):  # noqa: F811
    approval_on(world.acme)
    case = open_case(world.acme, team.worker)
    worker = client_on(world.acme, team.worker)
    body = {"follow_up_type": "HVIS", "date": days_ago(1).isoformat(), "notes": "Home visit"}
    page = worker.post(f"/cases/{case.pk}/follow-ups/new/", body, follow=True)
    assert page.status_code == 200 and WAITS in page.content.decode()
    (form,) = waiting_forms(world.acme)
    assert (form.kind, form.case_id, form.device_id) == ("follow_up", case.pk, None)
    with workspace_context(world.acme):
        assert not FollowUp.objects.filter(case=case).exists()
    supervisor = client_on(world.acme, team.supervisor)
    assert TYPED in supervisor.get("/field/queue/").content.decode()
    supervisor.post(f"/field/queue/{form.pk}/decide/", {"decision": "approve"})
    with workspace_context(world.acme):
        follow_up = FollowUp.objects.get(case=case)
        assert (follow_up.date, follow_up.officer_id) == (days_ago(1), team.worker.pk)
    # the supervisor's own follow-up counts at once
    page = supervisor.post(f"/cases/{case.pk}/follow-ups/new/", body | {"notes": "Own"})
    assert page.status_code == 302
    with workspace_context(world.acme):
        assert FollowUp.objects.filter(case=case, notes="Own").exists()


def test_an_administrator_sets_it_on_the_organisation_page_audited(world):
    admin = client_on(world.acme, world.acme_admin)
    page = admin.get("/organisation/").content.decode()
    assert 'name="required"' in page and "csrfmiddlewaretoken" in page
    response = admin.post("/organisation/", {"required": "on"})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.acme.pk).staff_forms_need_approval
    assert not Organisation.objects.get(pk=world.beta.pk).staff_forms_need_approval
    acme = Organisation.objects.get(pk=world.acme.pk)
    with workspace_context(world.acme):  # the organisation's own change log, one entry
        entries = list(LogEntry.objects.get_for_object(acme))
    (entry,) = [e for e in entries if "staff_forms_need_approval" in e.changes_dict]
    assert entry.actor_id == world.acme_admin.pk
    assert entry.changes_dict["staff_forms_need_approval"] == ["False", "True"]
    body = client_on(world.acme, world.acme_worker).get("/api/v1/organisation/").json()
    assert body["staff_forms_need_approval"] is True
    assert admin.post("/organisation/", {}).status_code == 302  # unticked: off again
    assert not Organisation.objects.get(pk=world.acme.pk).staff_forms_need_approval


def test_a_case_worker_reads_it_and_cannot_change_it(world):
    worker = client_on(world.acme, world.acme_worker)
    page = worker.get("/organisation/").content.decode()
    assert 'data-testid="approval-state"' in page and 'name="required"' not in page
    assert worker.post("/organisation/", {"required": "on"}).status_code == 403
    assert not Organisation.objects.get(pk=world.acme.pk).staff_forms_need_approval
    with pytest.raises(PermissionDenied):
        organisation_approval_setting_set(
            actor=as_member(world.acme_worker, world.acme), required=True
        )
    assert not Organisation.objects.get(pk=world.acme.pk).staff_forms_need_approval


def test_no_one_changes_another_organisations_setting(world):
    beta_admin = admin_of(world.beta)
    for client in (
        client_on(world.acme, beta_admin),  # beta's admin on acme's host
        client_on(world.acme, world.beta_worker),
        client_on(world.acme),  # anonymous
    ):
        response = client.post("/organisation/", {"required": "on"})
        assert response.status_code in (302, 403, 404)
    assert not Organisation.objects.get(pk=world.acme.pk).staff_forms_need_approval
    # acme's admin toggling on acme's host never changes beta
    assert client_on(world.acme, world.acme_admin).post("/organisation/", {"required": "on"})
    assert not Organisation.objects.get(pk=world.beta.pk).staff_forms_need_approval
    beta = client_on(world.beta, world.beta_worker).get("/api/v1/organisation/").json()
    assert beta["staff_forms_need_approval"] is False


def test_the_queue_says_where_each_form_comes_from(world, field):
    approval_on(world.beta)
    service_post(client_on(world.beta, world.beta_worker), field)
    synced = service_form(field.enrolment.pk)
    body = json.dumps({"device": field.device, "forms": [synced]})
    client_on(world.beta, world.beta_worker).post(
        "/api/v1/field/forms", data=body, content_type="application/json"
    )
    with workspace_context(world.beta):
        page = queue_page_open(actor=as_member(field.supervisor, world.beta))
    sources = {str(row.uuid) == synced["uuid"]: row.source for row in page.rows}
    assert sources == {True: "field app", False: TYPED}

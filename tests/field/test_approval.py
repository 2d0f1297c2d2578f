"""Supervisor approval of field forms (issue 21): only an approved form writes the child's
history and the outbox, dated by the visit date; a rejected one goes back with its reason;
the queue shows household and child, to the volunteer's supervisor only."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError

from case_apps.field import services
from case_apps.field.models import FieldForm, FormStatus
from case_apps.outbox.models import OutboxEvent
from case_apps.ovc.models import HivScreening, ServiceRecord
from tenants.actor import NotFound
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.field.conftest import days_ago, screening_form, service_form
from tests.ovc.conftest import as_member

pytestmark = pytest.mark.django_db
API = "/api/v1/field/"


def synced(world, field, forms) -> list[FieldForm]:
    client = client_on(world.beta, world.beta_worker)
    body = {"device": field.device, "forms": forms}
    response = client.post(f"{API}forms", data=json.dumps(body), content_type="application/json")
    assert all(a["result"] == "stored" for a in response.json()["answers"]), response.content
    with workspace_context(world.beta):
        return [FieldForm.objects.get(uuid=f["uuid"]) for f in forms]


def test_approval_writes_the_record_dated_by_the_visit_date(world, field):
    service, screening = synced(
        world, field, [service_form(field.enrolment.pk), screening_form(field.enrolment.pk)]
    )
    supervisor = as_member(field.supervisor, world.beta)
    with workspace_context(world.beta):
        services.form_approve(actor=supervisor, form_id=service.pk)
        record = ServiceRecord.objects.get(enrolment=field.enrolment)
        assert record.date == days_ago(3)  # the visit, not the sync or approval day
        assert record.recorded_by_id == world.beta_worker.pk  # credited to the volunteer
        assert str(record.uuid) == str(service.uuid)
        fact = OutboxEvent.objects.get(kind="ovc_service", source__endswith=f"service:{record.pk}")
        assert fact.occurred_at.date() == days_ago(3)
        services.form_reject(actor=supervisor, form_id=screening.pk, reason="Wrong child")
        assert not HivScreening.objects.filter(enrolment=field.enrolment).exists()
        service.refresh_from_db()
        assert (service.status, service.decided_by_id) == (FormStatus.APPROVED, field.supervisor.pk)
        with pytest.raises(NotFound):  # decided: no longer in the queue
            services.form_approve(actor=supervisor, form_id=service.pk)
    mine = client_on(world.beta, world.beta_worker).get(f"{API}forms").json()
    by_uuid = {row["uuid"]: row for row in mine}
    assert by_uuid[str(screening.uuid)]["status"] == "rejected"
    assert by_uuid[str(screening.uuid)]["reason"] == "Wrong child"
    assert by_uuid[str(service.uuid)]["status"] == "approved"


def test_a_rejection_needs_a_reason(world, field):
    (form,) = synced(world, field, [service_form(field.enrolment.pk)])
    with workspace_context(world.beta), pytest.raises(ValidationError) as refused:
        services.form_reject(
            actor=as_member(field.supervisor, world.beta), form_id=form.pk, reason=" "
        )
    assert "reason" in refused.value.message_dict


def test_only_the_volunteers_supervisor_decides_never_the_author(world, field):
    (form,) = synced(world, field, [service_form(field.enrolment.pk)])
    with workspace_context(world.beta), pytest.raises(NotFound):
        services.form_approve(actor=as_member(world.beta_worker, world.beta), form_id=form.pk)
    with workspace_context(world.acme), pytest.raises(NotFound):
        services.form_approve(actor=as_member(world.acme_admin, world.acme), form_id=form.pk)


def test_the_queue_screen_shows_household_and_child_and_decides(world, field):
    service, screening = synced(
        world, field, [service_form(field.enrolment.pk), screening_form(field.enrolment.pk)]
    )
    client = client_on(world.beta, field.supervisor)
    page = client.get("/field/queue/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        field.household.number in html
        and "BARAKA WANJIKU" in html.upper()
        and "Betty Worker" in html
    )
    assert f'action="/field/queue/{service.pk}/decide/"' in html  # each row's own decision
    assert "Betty Worker: 2" not in html and 'data-testid="show-per-author"' in html
    shown = client.get("/field/queue/", {"volunteers": "1"}).content.decode()
    assert "Betty Worker: 2" in shown  # what waits per volunteer, on request
    assert "2 forms wait" in html and "2 forms wait" in shown
    found = client.get("/field/queue/", {"q": field.household.number}).content.decode()
    assert str(service.uuid) in found
    client.post(f"/field/queue/{service.pk}/decide/", {"decision": "approve"})
    client.post(f"/field/queue/{screening.pk}/decide/", {"decision": "reject", "reason": "Redo"})
    with workspace_context(world.beta):
        assert ServiceRecord.objects.filter(enrolment=field.enrolment).count() == 1
        screening.refresh_from_db()
        assert (screening.status, screening.reason) == (FormStatus.REJECTED, "Redo")


def test_the_queue_is_closed_to_others(world, field):
    (form,) = synced(world, field, [service_form(field.enrolment.pk)])
    assert client_on(world.beta, world.beta_worker).get("/field/queue/").status_code == 403
    acme = client_on(world.acme, world.acme_admin)
    assert str(form.uuid) not in acme.get("/field/queue/").content.decode()
    assert acme.post(f"/field/queue/{form.pk}/decide/", {"decision": "approve"}).status_code == 404
    with workspace_context(world.beta):
        form.refresh_from_db()
        assert form.status == FormStatus.PENDING


def test_home_pages_count_what_waits(world, field):
    synced(world, field, [service_form(field.enrolment.pk), screening_form(field.enrolment.pk)])
    volunteer = client_on(world.beta, world.beta_worker).get("/").content.decode()
    assert "2 of your field forms wait for approval" in volunteer
    supervisor = client_on(world.beta, field.supervisor).get("/").content.decode()
    assert "2 field forms wait for your approval" in supervisor


def test_the_app_page_service_worker_and_manifest_are_served(world, field):
    client = client_on(world.beta, world.beta_worker)
    assert client.get("/field/").status_code == 200
    worker = client.get("/field/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("application/javascript")
    assert b"workbox-core" in worker.content and b"googleapis" not in worker.content
    assert client.get("/field/manifest.webmanifest").json()["scope"] == "/field/"
    assert client_on(world.beta, world.outsider).get("/field/").status_code == 403


def test_the_decision_is_audited(world, field):
    from auditlog.models import LogEntry

    (form,) = synced(world, field, [service_form(field.enrolment.pk)])
    with workspace_context(world.beta):
        services.form_approve(actor=as_member(field.supervisor, world.beta), form_id=form.pk)
        changes = [
            entry.changes_dict
            for entry in LogEntry.objects.get_for_object(form)
            if "status" in entry.changes_dict
        ]
    assert ["pending", "approved"] in [c["status"] for c in changes]


def test_the_queue_pages_by_keyset_in_a_fixed_number_of_queries(world, field):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from case_apps.field.selectors import QUEUE_PAGE, queue_page_open

    (first,) = synced(world, field, [service_form(field.enrolment.pk)])
    supervisor = as_member(field.supervisor, world.beta)
    with workspace_context(world.beta):
        FieldForm.objects.bulk_create(
            [
                FieldForm(
                    uuid=uuid4(),
                    kind=first.kind,
                    author_id=first.author_id,
                    household_id=first.household_id,
                    enrolment_id=first.enrolment_id,
                    visit_date=first.visit_date,
                    payload=first.payload,
                    status=FormStatus.PENDING,
                )
                for _ in range(QUEUE_PAGE + 1)
            ]
        )
        with CaptureQueriesContext(connection) as queries:
            page = queue_page_open(actor=supervisor)
        assert len(queries) <= 4  # the page, the counts, the volunteers, the access log
        assert page.waiting == QUEUE_PAGE + 2 and len(page.rows) == QUEUE_PAGE
        assert page.rows[0].id == first.pk and page.rows[0].child.upper() == "BARAKA WANJIKU"
        rest = queue_page_open(actor=supervisor, after=page.next_after)
        assert len(rest.rows) == 2 and not rest.next_after
        seen = {row.id for row in page.rows} | {row.id for row in rest.rows}
        assert len(seen) == QUEUE_PAGE + 2
        assert len(queue_page_open(actor=supervisor, after="nonsense").rows) == QUEUE_PAGE
    html = client_on(world.beta, field.supervisor).get("/field/queue/").content.decode()
    assert 'data-testid="next-page"' in html and page.next_after in html

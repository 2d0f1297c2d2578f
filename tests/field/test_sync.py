"""Sync of field forms (issue 21): each form answered on its own, idempotent by its uuid,
an interrupted upload resumed without duplicates, a conflicting change flagged, and the
other organisation never reaching any of it."""

from __future__ import annotations

import json

import pytest

from case_apps.field.models import FieldForm
from case_apps.ovc.models import HivScreening, ServiceRecord
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.field.conftest import screening_form, service_form

pytestmark = pytest.mark.django_db
API = "/api/v1/field/"


def upload(client, device: str, forms: list[dict]):
    return client.post(
        f"{API}forms",
        data=json.dumps({"device": device, "forms": forms}),
        content_type="application/json",
    )


def test_the_bundle_holds_only_the_members_own_caseload(world, field):
    response = client_on(world.beta, world.beta_worker).get(f"{API}bundle?device={field.device}")
    assert response.status_code == 200
    body = response.json()
    assert [h["id"] for h in body["households"]] == [field.household.pk]
    assert body["households"][0]["children"][0]["id"] == field.enrolment.pk
    assert body["key"] and body["codes"]["domains"]
    other = client_on(world.acme, world.acme_worker).get(f"{API}bundle?device={field.device}")
    assert other.status_code == 200
    assert other.json()["households"] == []  # a CCI runs no OVC; nothing of beta's


def test_a_retried_upload_stores_each_form_once(world, field):
    client = client_on(world.beta, world.beta_worker)
    forms = [service_form(field.enrolment.pk), screening_form(field.enrolment.pk)]
    first = upload(client, field.device, forms)
    assert first.status_code == 200, first.content
    assert [a["result"] for a in first.json()["answers"]] == ["stored", "stored"]
    again = upload(client, field.device, forms)
    assert [a["result"] for a in again.json()["answers"]] == ["replayed", "replayed"]
    with workspace_context(world.beta):
        assert FieldForm.objects.filter(uuid__in=[f["uuid"] for f in forms]).count() == 2
        # nothing is written to the child's history before approval
        assert not ServiceRecord.objects.filter(enrolment=field.enrolment).exists()
        assert not HivScreening.objects.filter(enrolment=field.enrolment).exists()


def test_an_interrupted_sync_resumes_without_duplicates(world, field):
    """The device lost the answer to its first batch: it sends everything again with the
    forms it captured since; the first ones are answered replayed, the new ones stored."""
    client = client_on(world.beta, world.beta_worker)
    sent = [service_form(field.enrolment.pk) for _ in range(3)]
    upload(client, field.device, sent)  # the answer never reached the device
    later = [screening_form(field.enrolment.pk)]
    answers = upload(client, field.device, sent + later).json()["answers"]
    assert [a["result"] for a in answers] == ["replayed"] * 3 + ["stored"]
    with workspace_context(world.beta):
        assert FieldForm.objects.filter(author=world.beta_worker).count() == 4


def test_a_form_is_refused_by_the_web_apps_own_rules_naming_the_field(world, field):
    client = client_on(world.beta, world.beta_worker)
    future = service_form(field.enrolment.pk, visit_date="2999-01-01")
    bad_code = service_form(
        field.enrolment.pk, payload={"domain": "safe", "service": "NOPE", "provider": "CHV"}
    )
    answers = upload(client, field.device, [future, bad_code]).json()["answers"]
    assert answers[0]["result"] == "refused" and "date" in answers[0]["errors"]
    assert answers[1]["result"] == "refused" and "service" in answers[1]["errors"]
    with workspace_context(world.beta):
        assert not FieldForm.objects.filter(uuid__in=[future["uuid"], bad_code["uuid"]]).exists()


def test_the_same_uuid_with_other_content_is_refused(world, field):
    client = client_on(world.beta, world.beta_worker)
    form = service_form(field.enrolment.pk)
    upload(client, field.device, [form])
    changed = dict(form, payload=dict(form["payload"], provider="Someone else"))
    answer = upload(client, field.device, [changed]).json()["answers"][0]
    assert answer["result"] == "refused" and "uuid" in answer["errors"]


def test_a_record_changed_on_the_server_meanwhile_is_kept_and_flagged(world, field):
    client = client_on(world.beta, world.beta_worker)
    bundle = client.get(f"{API}bundle?device={field.device}").json()
    seen = bundle["households"][0]["children"][0]["stamp"]
    with workspace_context(world.beta):  # the child's record changes on the server
        type(field.enrolment).objects.filter(pk=field.enrolment.pk).update(ccc_number="12345")
    fresh = service_form(field.enrolment.pk, base_stamp=seen)
    answer = upload(client, field.device, [fresh]).json()["answers"][0]
    assert (answer["result"], answer["status"]) == ("stored", "conflict")
    unchanged = client.get(f"{API}bundle?device={field.device}").json()
    stamp = unchanged["households"][0]["children"][0]["stamp"]
    answer = upload(client, field.device, [service_form(field.enrolment.pk, base_stamp=stamp)])
    assert answer.json()["answers"][0]["status"] == "pending"


def test_another_organisation_cannot_write_or_read_the_forms(world, field):
    client = client_on(world.beta, world.beta_worker)
    form = service_form(field.enrolment.pk)
    upload(client, field.device, [form])
    acme = client_on(world.acme, world.acme_worker)
    device = "00000000-0000-4000-8000-000000000001"
    answer = upload(acme, device, [service_form(field.enrolment.pk)])
    assert answer.json()["answers"][0]["result"] == "refused"  # beta's child is not acme's
    assert acme.get(f"{API}forms").json() == []
    with workspace_context(world.acme):
        assert not FieldForm.objects.exists()
    assert client_on(world.beta, world.outsider).get(f"{API}forms").status_code in (401, 403)


def test_a_revoked_device_is_told_to_wipe(world, field):
    from case_apps.field.models import Device

    client = client_on(world.beta, world.beta_worker)
    assert client.get(f"{API}bundle?device={field.device}").status_code == 200
    with workspace_context(world.beta):
        Device.objects.filter(uuid=field.device).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get(f"{API}bundle?device={field.device}").status_code == 410
    assert upload(client, field.device, [service_form(field.enrolment.pk)]).status_code == 410


def test_bad_input_is_a_422_naming_the_field(world, field):
    client = client_on(world.beta, world.beta_worker)
    response = client.post(
        f"{API}forms",
        data=json.dumps({"device": "x", "forms": []}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "device" in response.json()["errors"]


def test_a_batch_reads_each_child_once_and_writes_nothing_before_approval(world, field):
    """The cost of a batch does not grow with its forms (no trial write, lock, look-up or
    insert per form); the same uuid twice in one batch is stored once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_on(world.beta, world.beta_worker)
    upload(client, field.device, [])  # the device registered

    def cost(count: int) -> int:
        forms = [service_form(field.enrolment.pk) for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            assert upload(client, field.device, forms).status_code == 200
        return len(queries)

    small, large = cost(2), cost(12)
    assert large == small
    twice = service_form(field.enrolment.pk)
    answers = upload(client, field.device, [twice, twice]).json()["answers"]
    assert [a["result"] for a in answers] == ["stored", "replayed"]
    with workspace_context(world.beta):
        assert not ServiceRecord.objects.exists()
        assert FieldForm.objects.filter(author=world.beta_worker).count() == 15

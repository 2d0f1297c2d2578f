"""The signed intake API: signatures, replays, idempotent source references, bad input named
by field (never a 500), the status answer, and an intake client's credentials refused
everywhere else."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intake.models import IntakeNonce, IntakeReport, IntakeStatus
from intake.services_clients import intake_client_rotate
from tenants.actor import Actor
from tests.intake.conftest import report_body, signed_get, signed_headers, signed_post

pytestmark = pytest.mark.django_db


def test_a_signed_report_is_stored_routed_and_answered_201(intake_world, helpline):
    answer = signed_post(helpline, report_body(source_reference="CL-1001"))
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert set(data) == {"id", "reference", "status"} and data["status"] == "received"
    report = IntakeReport.objects.get(pk=data["id"])
    assert report.reference == data["reference"]
    assert report.office == intake_world.office
    assert report.source_kind == "helpline_116" and report.source_reference == "CL-1001"
    assert report.child_sex == "SFEM" and report.reporter_phone == "+254700000001"


def test_a_bad_signature_is_refused_401_and_nothing_is_stored(helpline):
    raw = json.dumps(report_body()).encode()
    headers = signed_headers(helpline, raw, secret="not-the-secret")
    answer = Client(HTTP_HOST="localhost").post(
        "/api/v1/intake/reports", raw, content_type="application/json", **headers
    )
    assert answer.status_code == 401
    assert "signature" in answer.json()["detail"].lower()
    assert not IntakeReport.objects.exists()


def test_a_body_changed_after_signing_is_refused(helpline):
    raw = json.dumps(report_body()).encode()
    headers = signed_headers(helpline, raw)
    tampered = raw.replace(b"urgent", b"normal")
    answer = Client(HTTP_HOST="localhost").post(
        "/api/v1/intake/reports", tampered, content_type="application/json", **headers
    )
    assert answer.status_code == 401
    assert not IntakeReport.objects.exists()


@pytest.mark.parametrize("offset", [-330, 330])  # clear of the 300 s edge on a slow run
def test_a_timestamp_outside_five_minutes_is_refused(helpline, offset):
    answer = signed_post(helpline, report_body(), timestamp=int(time.time()) + offset)
    assert answer.status_code == 401
    assert "X-CPIMS-Timestamp" in answer.json()["detail"]
    assert not IntakeReport.objects.exists()


def test_missing_headers_are_refused_401(helpline):
    answer = Client(HTTP_HOST="localhost").post(
        "/api/v1/intake/reports", report_body(), content_type="application/json"
    )
    assert answer.status_code == 401


def test_a_replayed_nonce_is_refused_409(helpline):
    body = report_body()
    assert signed_post(helpline, body, nonce="n-1").status_code == 201
    again = signed_post(helpline, report_body(), nonce="n-1")
    assert again.status_code == 409
    assert "replay" in again.json()["detail"]
    assert IntakeReport.objects.count() == 1
    assert IntakeNonce.objects.filter(client=helpline.client, nonce="n-1").count() == 1


def test_the_same_source_reference_returns_the_report_already_kept(helpline):
    first = signed_post(helpline, report_body(source_reference="CL-7"))
    second = signed_post(helpline, report_body(source_reference="CL-7", urgency="normal"))
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    assert IntakeReport.objects.filter(source_reference="CL-7").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"child": {"first_name": "A" * 300}}, "child.first_name"),
        ({"child": {"surname": ""}}, "child.surname"),
        ({"child": {"sex": "x"}}, "child.sex"),
        ({"child": {"age": 10**30}}, "child.age"),
        ({"child": {"age": -1}}, "child.age"),
        ({"narrative": "bad \x00 byte"}, "narrative"),
        ({"narrative": "x" * 5001}, "narrative"),
        ({"reported_on": "2999-01-01"}, "reported_on"),
        ({"reported_on": "99999-01-01"}, "reported_on"),
        ({"urgency": "soon"}, "urgency"),
        ({"category": "NOPE"}, "category"),
        ({"place": {"county_code": "999", "sub_county_code": ""}}, "place.county_code"),
        ({"place": {"county_code": "047", "sub_county_code": "241"}}, "place.sub_county_code"),
        ({"reporter": {"phone": "9" * 400}}, "reporter.phone"),
        ({"source_reference": "r" * 300}, "source_reference"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_changes(helpline, overrides, field):
    answer = signed_post(helpline, report_body(**overrides))
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()
    assert not IntakeReport.objects.exists()


def test_a_future_date_of_birth_is_refused(helpline):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answer = signed_post(helpline, report_body(child={"date_of_birth": tomorrow, "age": None}))
    assert answer.status_code == 422
    assert "child.date_of_birth" in answer.json()["errors"]


def test_unparseable_json_is_422_not_500(helpline):
    answer = signed_post(helpline, b"{not json")
    assert answer.status_code in (400, 422)


def test_the_status_answers_status_and_decision_date_only(intake_world, helpline):
    created = signed_post(helpline, report_body(source_reference="CL-55")).json()
    answer = signed_get(helpline, f"/api/v1/intake/reports/{created['reference']}")
    assert answer.status_code == 200
    assert answer.json() == {
        "reference": created["reference"],
        "status": "received",
        "decided_on": None,
    }
    IntakeReport.objects.filter(pk=created["id"]).update(
        status=IntakeStatus.REJECTED, decided_on=timezone.localdate()
    )
    answer = signed_get(helpline, "/api/v1/intake/reports/CL-55")  # by its own reference too
    assert answer.json() == {
        "reference": created["reference"],
        "status": "rejected",
        "decided_on": timezone.localdate().isoformat(),
    }


def test_another_clients_report_is_not_found(intake_world, helpline):
    from intake.services_clients import intake_client_create
    from tests.intake.conftest import Source

    created = intake_client_create(
        actor=Actor(user=intake_world.hq), name="A school", source_kind="school"
    )
    other = Source(created.client, created.secret)
    created = signed_post(helpline, report_body()).json()
    assert signed_get(other, f"/api/v1/intake/reports/{created['reference']}").status_code == 404


def test_a_paused_client_is_refused(helpline):
    helpline.client.is_active = False
    helpline.client.save()
    assert signed_post(helpline, report_body()).status_code == 401


def test_the_secret_is_encrypted_at_rest_and_rotation_keeps_the_old_one_a_day(
    intake_world, helpline
):
    assert helpline.secret not in helpline.client.secret_encrypted
    old = helpline.secret
    new = intake_client_rotate(actor=Actor(user=intake_world.hq), client=helpline.client)
    helpline.client.refresh_from_db()
    assert signed_post(helpline, report_body(), secret=old).status_code == 201
    assert signed_post(helpline, report_body(), secret=new).status_code == 201
    helpline.client.previous_valid_until = timezone.now() - timedelta(seconds=1)
    helpline.client.save()
    assert signed_post(helpline, report_body(), secret=old).status_code == 401
    assert signed_post(helpline, report_body(), secret=new).status_code == 201


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("localhost", "/api/v1/sharing/approval-queue"),
        ("localhost", "/api/v1/registry/persons?q=akinyi"),
        ("seme-office.localhost", "/api/v1/me"),
        ("seme-office.localhost", "/api/v1/cases"),
    ],
)
def test_an_intake_clients_credentials_open_nothing_else(intake_world, helpline, host, path):
    headers = signed_headers(helpline, b"")
    answer = Client(HTTP_HOST=host).get(path, **headers)
    assert answer.status_code in (401, 403, 404), (path, answer.status_code)
    body = answer.json()
    assert set(body) <= {"detail", "errors"}

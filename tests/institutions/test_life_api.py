"""The API of life in the institution (issue 19): each kind listed and added under
/api/v1/institution/admissions/{id}/, bad input a 422 naming the field with nothing saved,
the escape and the return, the overdue lists, and nothing for members who do not see the
case or another organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.institutions.models import Admission
from case_apps.institutions.models_life import LeaveOfAbsence
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days_ago(n: int) -> str:
    return (TODAY() - timedelta(days=n)).isoformat()


@pytest.fixture
def admission(world):
    return make_admission(world.acme, world.acme_worker, admitted_on=TODAY() - timedelta(days=6))


def _post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def test_each_kind_is_added_and_listed(world, admission):
    client = client_on(world.acme, world.acme_worker)
    base = f"/api/v1/institution/admissions/{admission.pk}"
    bodies = {
        "leaves": {
            "left_on": days_ago(5),
            "due_back_on": days_ago(3),
            "destination": "Grandmother",
            "reason": "Visit",
        },
        "adverse-events": {"event_code": "AEMC", "occurred_on": days_ago(4), "notes": "Malaria"},
        "education": {"school_name": "Kisumu Union", "level": "SLPR", "started_on": days_ago(5)},
        "conferences": {"held_on": days_ago(2), "attendees": "Manager", "decisions": "Stay"},
        "care-plans": {
            "drawn_up_on": days_ago(5),
            "review_due_on": days_ago(1),
            "health_goals": "Deworming",
        },
    }
    created = {}
    for kind, body in bodies.items():
        response = _post(client, f"{base}/{kind}", body)
        assert response.status_code == 201, (kind, response.json())
        created[kind] = response.json()["id"]
        listed = client.get(f"{base}/{kind}").json()
        assert [row["id"] for row in listed] == [created[kind]], kind
    leave = client.get(f"{base}/leaves").json()[0]
    assert leave["is_overdue"] is True
    overdue = client.get("/api/v1/institution/leaves-overdue").json()["items"]
    assert [(row["id"], row["case_id"]) for row in overdue] == [(leave["id"], admission.case_id)]
    back = _post(client, f"{base}/leaves/{leave['id']}/return", {"returned_on": days_ago(2)})
    assert back.status_code == 200 and back.json()["returned_on"] == days_ago(2)
    plans = client.get("/api/v1/institution/care-plan-reviews-overdue").json()["items"]
    assert [row["id"] for row in plans] == [created["care-plans"]]
    review = _post(
        client,
        f"{base}/care-plans/{created['care-plans']}/reviews",
        {"reviewed_on": days_ago(0), "progress": "Done", "next_review_on": "2099-01-01"},
    )
    assert review.status_code == 201
    plan = client.get(f"{base}/care-plans").json()[0]
    assert plan["review_due_on"] == "2099-01-01" and len(plan["reviews"]) == 1


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("leaves", {"left_on": "2099-01-01", "due_back_on": "2099-01-02"}, "left_on"),
        ("leaves", {"left_on": "not a date"}, "left_on"),
        ("adverse-events", {"event_code": "XXXX", "occurred_on": "TODAY"}, "event_code"),
        ("adverse-events", {"event_code": "AEMC", "occurred_on": "2000-01-01"}, "occurred_on"),
        ("education", {"school_name": "S", "level": "SLPR"}, "started_on"),
        ("conferences", {"held_on": "TODAY", "attendees": "", "decisions": "x"}, "attendees"),
        ("care-plans", {"drawn_up_on": "TODAY", "review_due_on": "TODAY"}, "review_due_on"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_with_nothing_saved(
    world, admission, kind, body, field
):
    body = {k: (TODAY().isoformat() if v == "TODAY" else v) for k, v in body.items()}
    body.setdefault("destination", "Aunt")
    body.setdefault("reason", "Visit")
    client = client_on(world.acme, world.acme_worker)
    response = _post(client, f"/api/v1/institution/admissions/{admission.pk}/{kind}", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert client.get(f"/api/v1/institution/admissions/{admission.pk}/{kind}").json() == []


def test_the_escape_ends_the_residence_and_the_return_readmits(world, admission):
    client = client_on(world.acme, world.acme_worker)
    base = f"/api/v1/institution/admissions/{admission.pk}"
    escaped = _post(
        client, f"{base}/adverse-events", {"event_code": "AEES", "occurred_on": days_ago(3)}
    )
    assert escaped.status_code == 201
    refused = _post(
        client,
        f"{base}/leaves",
        {"left_on": days_ago(1), "due_back_on": days_ago(0), "destination": "A", "reason": "B"},
    )
    assert refused.status_code == 422
    early = _post(client, f"{base}/return", {"returned_on": days_ago(4)})
    assert early.status_code == 422 and "returned_on" in early.json()["errors"]
    returned = _post(client, f"{base}/return", {"returned_on": days_ago(1)})
    assert returned.status_code == 201
    body = returned.json()
    assert (body["admission_type"], body["previous_admission_id"]) == ("TARE", admission.pk)
    assert body["residential_status"] == "resident"
    assert _post(client, f"{base}/return", {"returned_on": days_ago(0)}).status_code == 422


def test_members_who_do_not_see_the_case_and_other_organisations_get_nothing(
    world, institutions_world, admission
):
    _post(
        client_on(world.acme, world.acme_worker),
        f"/api/v1/institution/admissions/{admission.pk}/leaves",
        {
            "left_on": days_ago(5),
            "due_back_on": days_ago(3),
            "destination": "ZQXSECRETPLACE",
            "reason": "Visit",
        },
    )
    other = UserFactory(email="other-api@acme.test")
    viewer = UserFactory(email="viewer-api@acme.test")
    membership_grant(user=other, organisation=world.acme, roles=[Role.CASE_WORKER])
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])
    base = f"/api/v1/institution/admissions/{admission.pk}"
    leave = {"left_on": days_ago(1), "due_back_on": days_ago(0), "destination": "A", "reason": "B"}
    outsiders = [
        client_on(world.acme, other),
        client_on(institutions_world.rescue, institutions_world.rescue_worker),
    ]
    for client in outsiders:
        assert client.get(f"{base}/leaves").status_code == 404
        assert _post(client, f"{base}/leaves", leave).status_code == 404
        overdue = client.get("/api/v1/institution/leaves-overdue")
        assert b"ZQXSECRETPLACE" not in overdue.content
    assert _post(client_on(world.acme, viewer), f"{base}/leaves", leave).status_code == 403
    assert b"ZQXSECRETPLACE" in client_on(world.acme, viewer).get(f"{base}/leaves").content
    with workspace_context(world.acme):
        assert LeaveOfAbsence.objects.count() == 1
        assert Admission.objects.count() == 1

"""The case API: same services and policy as the screens."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def payload(child, **overrides):
    data = {
        "child_id": child.pk,
        "date_reported": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "how_reported": "phone",
        "reporter_type": "CRHE",
        "risk_level": "RLMD",
        "categories": [{"category_code": "CTRF", "sub_category_codes": ["LBDW"]}],
    }
    data.update(overrides)
    return data


def test_open_case_and_walk_it_to_closure(world, team):
    worker = client_on(world.acme, team.worker)
    child = make_child()
    body = payload(child, child_ref=search_ref(world.acme, team.worker, child))
    response = worker.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    assert response.json()["categories"] == ["CTRF"]
    follow_up = worker.post(
        f"/api/v1/cases/{case_id}/follow-ups",
        {"follow_up_type": "HVIS", "date": timezone.localdate().isoformat(), "notes": "Visited"},
        content_type="application/json",
    )
    assert follow_up.status_code == 201
    closure = worker.post(
        f"/api/v1/cases/{case_id}/closure",
        {
            "closure_reason": "CORE",
            "notes": "Removed from domestic work",
            "closed_on": timezone.localdate().isoformat(),
            "final_interventions": [
                {"category_id": c["id"], "intervention_code": "RTPA"}
                for c in worker.get(f"/api/v1/cases/{case_id}/categories").json()
            ],
        },
        content_type="application/json",
    )
    assert closure.status_code == 201
    supervisor = client_on(world.acme, team.supervisor)
    decided = supervisor.post(
        f"/api/v1/approvals/{closure.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert worker.get(f"/api/v1/cases/{case_id}").json()["status"] == "closed"


def test_invalid_case_is_422_naming_the_field(world, team):
    worker = client_on(world.acme, team.worker)
    child = make_child()
    body = payload(child, risk_level="ZZZ", child_ref=search_ref(world.acme, team.worker, child))
    response = worker.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 422 and "risk_level" in response.json()["detail"]


def test_api_respects_the_case_scope_and_other_organisations(world, team):
    case = open_case(world.acme, team.worker)
    assert (
        client_on(world.acme, team.other_worker).get(f"/api/v1/cases/{case.pk}").status_code == 404
    )
    assert (
        client_on(world.acme, team.viewer)
        .post("/api/v1/cases", payload(make_child()), content_type="application/json")
        .status_code
        == 403
    )
    beta = client_on(world.beta, world.beta_worker)
    assert beta.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert beta.get("/api/v1/cases").json()["count"] == 0


def test_list_query_count_does_not_grow_with_page_size(world, team):
    client = client_on(world.acme, team.worker)
    for _ in range(3):
        open_case(world.acme, team.worker)
    client.get("/api/v1/cases?limit=1")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/cases?limit=1")
    for _ in range(10):
        open_case(world.acme, team.worker)
    client.get("/api/v1/cases?limit=1")  # back in acme's schema after the set-up
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/v1/cases?limit=13").json()["items"]) == 13
    assert len(large) == len(small)

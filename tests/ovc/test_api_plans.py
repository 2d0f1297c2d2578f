"""API of case plans, services delivered and the services-by-domain report: the same rules
as the screens, bad input a 422 naming the field, nothing outside the caseload (404) or
without permission (403), nothing of one partner for anyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.ovc.models import CasePlanItem, ServiceRecord
from tenants.api_input import MAX_ID
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
JSON = "application/json"


def _line(**overrides) -> dict:
    line = {
        "domain": "schooled",
        "goal": "GH9SC",
        "gap": "GN92SC",
        "priority": "P92SC",
        "services": ["CP92SC", "CP97SC"],
        "responsible": "caregiver",
        "due_date": (TODAY() + timedelta(days=30)).isoformat(),
    }
    line.update(overrides)
    return line


def _service(**overrides) -> dict:
    body = {"domain": "healthy", "service": "CP42HE", "provider": "CHV", "date": str(TODAY())}
    body.update(overrides)
    return body


def test_a_case_plan_through_the_api(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    api = client_on(world.beta, world.beta_worker)
    url = f"/api/v1/ovc/households/{household.pk}/case-plan"
    created = api.post(url, _line(enrolment_id=enrolment.pk), content_type=JSON)
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["services"] == ["CP92SC", "CP97SC"] and item["enrolment_id"] == enrolment.pk
    plan = api.get(url).json()
    assert [i["id"] for i in plan["items"]] == [item["id"]]
    assert plan["progress"] == [
        {"domain": "schooled", "items": 1, "achieved": 0, "not_achieved": 0, "overdue": 0}
    ]
    result_url = f"{url}/{item['id']}/result"
    refused = api.post(
        result_url, {"completed_on": str(TODAY()), "achieved": False}, content_type=JSON
    )
    assert refused.status_code == 422 and "result_notes" in refused.json()["errors"]
    done = api.post(
        result_url,
        {"completed_on": str(TODAY()), "achieved": False, "result_notes": "Moved away"},
        content_type=JSON,
    )
    assert done.status_code == 200 and done.json()["achieved"] is False
    assert api.get(url).json()["progress"][0]["not_achieved"] == 1


def test_case_plan_bad_input_is_a_422_naming_the_field(world, beta_household):
    household = beta_household.household
    api = client_on(world.beta, world.beta_worker)
    url = f"/api/v1/ovc/households/{household.pk}/case-plan"
    cases = {
        "goal": _line(goal="GH1HE"),  # another domain
        "services": _line(services=["CP13HE"]),
        "gap": _line(gap="X" * 17),  # longer than a code
        "domain": _line(domain="fun"),
        "responsible": _line(responsible="nobody"),
        "enrolment_id": _line(enrolment_id=MAX_ID + 1),
    }
    for field, body in cases.items():
        response = api.post(url, body, content_type=JSON)
        assert response.status_code == 422, (field, response.content)
        assert any(field in key for key in response.json()["errors"]), (field, response.json())
    too_many = api.post(url, _line(services=["CP92SC"] * 51), content_type=JSON)
    assert too_many.status_code == 422
    nul = api.post(url, _line(responsible="care\x00giver"), content_type=JSON)
    assert nul.status_code == 422
    for bad in (
        f"/api/v1/ovc/households/{MAX_ID + 1}/case-plan",
        "/api/v1/ovc/households/x/case-plan",
    ):
        assert api.get(bad).status_code == 422
    assert api.get(f"/api/v1/ovc/households/{MAX_ID}/case-plan").status_code == 404
    with workspace_context(world.beta):
        assert not CasePlanItem.objects.exists()


def test_services_of_a_child_through_the_api(world, beta_household):
    enrolment = beta_household.enrolment
    api = client_on(world.beta, world.beta_worker)
    url = f"/api/v1/ovc/children/{enrolment.pk}/services"
    created = api.post(url, _service(), content_type=JSON)
    assert created.status_code == 201 and created.json()["service"] == "CP42HE"
    mismatch = api.post(url, _service(domain="safe"), content_type=JSON)
    assert mismatch.status_code == 422 and "service" in mismatch.json()["errors"]
    long_text = api.post(url, _service(provider="x" * 201), content_type=JSON)
    assert long_text.status_code == 422 and "provider" in str(long_text.json()["errors"])
    listing = api.get(url).json()
    assert listing["count"] == 1 and listing["items"][0]["service"] == "CP42HE"
    assert api.get(url + "?limit=100000").status_code == 422
    assert api.get(url + "?offset=10000000000000000000").status_code == 422
    start, end = str(TODAY() - timedelta(days=7)), str(TODAY())
    report = api.get(f"/api/v1/ovc/reports/services-by-domain?start={start}&end={end}").json()
    assert report["rows"] == [
        {"domain": "healthy", "service": "CP42HE", "services": 1, "children": 1}
    ]
    assert report["children_by_domain"] == {"healthy": 1}
    reversed_period = api.get(f"/api/v1/ovc/reports/services-by-domain?start={end}&end={start}")
    assert reversed_period.status_code == 422 and "end" in reversed_period.json()["errors"]
    too_long = api.get(
        f"/api/v1/ovc/reports/services-by-domain?start={start}&end={end}&domain={'x' * 17}"
    )
    assert too_long.status_code == 422
    unknown = api.get(f"/api/v1/ovc/reports/services-by-domain?start={start}&end={end}&domain=fun")
    assert unknown.status_code == 422 and "domain" in unknown.json()["errors"]


def test_viewers_read_but_may_not_write(world, beta_programme):
    household, enrolment, _screening, item = beta_programme
    viewer = UserFactory(email="viewer-plans@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    api = client_on(world.beta, viewer)
    assert api.get(f"/api/v1/ovc/households/{household.pk}/case-plan").status_code == 200
    writes = {
        f"/api/v1/ovc/households/{household.pk}/case-plan": _line(),
        f"/api/v1/ovc/households/{household.pk}/case-plan/{item.pk}/result": {
            "completed_on": str(TODAY()),
            "achieved": True,
        },
        f"/api/v1/ovc/children/{enrolment.pk}/services": _service(),
    }
    for url, body in writes.items():
        assert api.post(url, body, content_type=JSON).status_code == 403, url


def test_a_workspace_without_the_programme_answers_404(world, beta_programme):
    household = beta_programme[0]
    children_home = client_on(world.acme, world.acme_admin)
    assert children_home.get(f"/api/v1/ovc/households/{household.pk}/case-plan").status_code == 404
    report = f"/api/v1/ovc/reports/services-by-domain?start={TODAY()}&end={TODAY()}"
    assert children_home.get(report).status_code == 404  # a children's home runs no OVC


def test_no_endpoint_gives_beta_data_to_anyone_else(world, beta_programme):
    household, enrolment, _screening, item = beta_programme
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    reads = [
        f"/api/v1/ovc/households/{household.pk}/case-plan",
        f"/api/v1/ovc/children/{enrolment.pk}/services",
    ]
    writes = {
        f"/api/v1/ovc/households/{household.pk}/case-plan": _line(),
        f"/api/v1/ovc/households/{household.pk}/case-plan/{item.pk}/result": {
            "completed_on": str(TODAY()),
            "achieved": True,
        },
        f"/api/v1/ovc/children/{enrolment.pk}/services": _service(),
    }
    report = f"/api/v1/ovc/reports/services-by-domain?start={TODAY()}&end={TODAY()}"
    acme_on_acme = client_on(world.acme, world.acme_admin)
    assert acme_on_acme.get(report).json()["rows"] == []  # a real probe: its own, empty
    clients = {
        "acme admin on acme's host": (acme_on_acme, {404}),
        "acme admin on beta's host": (client_on(world.beta, world.acme_admin), {401, 403, 404}),
        "anonymous on beta's host": (client_on(world.beta), {401, 403, 404}),
    }
    for who, (client, allowed) in clients.items():
        for url in reads:
            response = client.get(url)
            assert response.status_code in allowed, (who, url, response.status_code)
            assert b"CP62SA" not in response.content
        for url, body in writes.items():
            assert client.post(url, body, content_type=JSON).status_code in allowed, (who, url)
    for client in (client_on(world.beta, world.acme_admin), client_on(world.beta)):
        assert client.get(report).status_code in {401, 403, 404}
    with workspace_context(world.beta):
        item.refresh_from_db()
        assert item.completed_on is None and household.plan_items.count() == 1
        assert ServiceRecord.objects.filter(enrolment=enrolment).count() == 1

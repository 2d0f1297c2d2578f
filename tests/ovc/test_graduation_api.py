"""Graduation API: benchmark monitoring (record, list), the dashboard's figures, the
graduation and exits reports; bad input is a 422 naming the field, a household outside the
caseload or a workspace without the programme is 404, a viewer may not record (403)."""

from __future__ import annotations

import pytest

from case_apps.ovc.models_graduation import BenchmarkMonitoring
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.ovc.graduation_helpers import (
    TODAY,
    beta_member,
    cpara_on,
    days_back,
    exit_on,
    monitoring_on,
)

pytestmark = pytest.mark.django_db


def _body(**overrides) -> dict:
    body = {
        "monitored_on": TODAY().isoformat(),
        "met": {str(n): True for n in range(1, 10)},
        "ready_for_exit": True,
        "closure_checked": False,
        "notes": "Home visit",
    }
    body.update(overrides)
    return body


def _url(household) -> str:
    return f"/api/v1/ovc/households/{household.pk}/benchmark-monitoring"


def test_record_and_list_benchmark_monitoring(world, beta_household):
    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    created = client.post(_url(household), _body(), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["total"] == 9 and created.json()["ready_for_exit"] is True
    met = {str(n): n != 3 for n in range(1, 10)}
    client.post(
        _url(household), _body(met=met, ready_for_exit=False), content_type="application/json"
    )
    listed = client.get(_url(household)).json()
    assert listed["count"] == 2 and [v["total"] for v in listed["items"]] == [8, 9]
    assert client.get(_url(household) + "?limit=1").json()["items"][0]["household_id"] == (
        household.pk
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"notes": "x" * 5001}, "notes"),
        ({"notes": "bad\x00text"}, "notes"),
        ({"monitored_on": "2999-01-01"}, "monitored_on"),
        ({"monitored_on": "not a date"}, "monitored_on"),
        ({"met": {str(n): True for n in range(1, 9)}}, "met.9"),
        ({"met": {**{str(n): True for n in range(1, 10)}, "10": True}}, "__all__"),
        ({"met": {"1": "perhaps"}}, "met.1"),
        ({"met": {"x" * 40: True}}, "met"),
        ({"met": {str(n): n > 1 for n in range(1, 10)}}, "ready_for_exit"),
    ],
)
def test_bad_monitoring_input_is_a_422_naming_the_field(world, beta_household, overrides, field):
    client = client_on(world.beta, world.beta_worker)
    response = client.post(
        _url(beta_household.household), _body(**overrides), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert any(name.startswith(field) for name in response.json()["errors"]), response.json()
    with workspace_context(world.beta):
        assert not BenchmarkMonitoring.objects.exists()


def test_dashboard_and_reports(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        cpara = cpara_on(world, household, days_back(10), 9)
        monitoring_on(world, household, days_back(5), 9)
        exit_on(world, enrolment, "ERCP", days_back(2))
    client = client_on(world.beta, world.beta_worker)
    board = client.get("/api/v1/ovc/graduation/dashboard?quarters=2").json()
    assert {b["band"]: b["households"] for b in board["bands"]}["ready_to_graduate"] == 1
    assert len(board["movements"]) == 2 and board["households"] == 1
    period = f"start={days_back(30)}&end={TODAY()}"
    report = client.get(f"/api/v1/ovc/graduation/report?{period}").json()
    assert report["children_graduated"] == 1 and report["households_graduated"] == 1
    assert report["children"][0]["enrolment_id"] == enrolment.pk
    (graduated,) = report["households"]
    assert graduated["household_id"] == household.pk and graduated["still_active"] == 0
    assert graduated["children_graduated"] == 1 and graduated["cpara"]["id"] == cpara.pk
    assert report["children"][0]["cpara"] == {
        "id": cpara.pk,
        "assessed_on": cpara.assessed_on.isoformat(),
        "total": 9,
    }
    exits = client.get(f"/api/v1/ovc/graduation/exits?{period}").json()
    reasons = {r["reason"]: r for r in exits["reasons"]}
    assert reasons["ERCP"]["total"] == 1 and reasons["ERCP"]["by_sex"]["SMAL"] == 1
    assert exits["total"]["by_age_band"]["10-14"] + exits["total"]["by_age_band"]["5-9"] == 1
    children = client.get(f"/api/v1/ovc/graduation/exits/children?{period}&reason=ERCP").json()
    assert [c["enrolment_id"] for c in children["items"]] == [enrolment.pk]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/ovc/graduation/dashboard?as_of=2999-01-01", "as_of"),
        ("/api/v1/ovc/graduation/dashboard?quarters=500", "quarters"),
        ("/api/v1/ovc/graduation/report?start=2026-02-01&end=2026-01-01", "end"),
        ("/api/v1/ovc/graduation/report?start=1900-01-01", "start"),
        ("/api/v1/ovc/graduation/exits?start=garbage", "start"),
        ("/api/v1/ovc/graduation/exits/children?reason=NOPE", "reason"),
        ("/api/v1/ovc/graduation/exits/children?age_band=old", "age_band"),
        ("/api/v1/ovc/graduation/exits/children?sex=" + "S" * 40, "sex"),
        ("/api/v1/ovc/graduation/exits/children?limit=100000", "limit"),
        ("/api/v1/ovc/graduation/exits/children?offset=100000000000000000000", "offset"),
    ],
)
def test_bad_report_input_is_a_422_naming_the_field(world, url, field):
    response = client_on(world.beta, world.beta_worker).get(url)
    assert response.status_code == 422, (url, response.content)
    assert any(field in name for name in response.json()["errors"]), response.json()


def test_bad_household_ids_and_permissions(world, beta_household):
    household = beta_household.household
    worker = client_on(world.beta, world.beta_worker)
    assert worker.get("/api/v1/ovc/households/0/benchmark-monitoring").status_code == 422
    huge = "/api/v1/ovc/households/99999999999999999999/benchmark-monitoring"
    assert worker.get(huge).status_code == 422
    missing = "/api/v1/ovc/households/987654/benchmark-monitoring"
    assert worker.get(missing).status_code == 404
    viewer = client_on(world.beta, beta_member(world, "viewer@beta.test", Role.VIEWER))
    assert viewer.get(_url(household)).status_code == 200
    refused = viewer.post(_url(household), _body(), content_type="application/json")
    assert refused.status_code == 403
    assert viewer.get("/api/v1/ovc/graduation/dashboard").status_code == 200


def test_no_graduation_endpoint_gives_beta_data_to_anyone_else(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        cpara_on(world, household, days_back(10), 9)
        monitoring_on(world, household, days_back(5), 9, notes="ZQXGRADAPI")
        exit_on(world, enrolment, "ERCP", days_back(2))
    # a workspace that runs no OVC programme answers 404 (a children's home)
    for url in ("/api/v1/ovc/graduation/dashboard", _url(household)):
        assert client_on(world.acme, world.acme_admin).get(url).status_code == 404
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    period = f"start={days_back(30)}&end={TODAY()}"
    reads = [
        _url(household),
        "/api/v1/ovc/graduation/dashboard",
        f"/api/v1/ovc/graduation/report?{period}",
        f"/api/v1/ovc/graduation/exits?{period}",
        f"/api/v1/ovc/graduation/exits/children?{period}",
    ]
    clients = {
        "acme admin on acme's host": client_on(world.acme, world.acme_admin),
        "acme admin on beta's host": client_on(world.beta, world.acme_admin),
        "DCS administrator on beta's host": client_on(world.beta, world.hq_admin),
        "anonymous on beta's host": client_on(world.beta),
        "another beta worker": client_on(world.beta, beta_member(world, "x@beta.test")),
    }
    for who, client in clients.items():
        for url in reads:
            response = client.get(url)
            assert response.status_code < 500, (who, url)
            body = response.content.decode()
            assert "ZQXGRADAPI" not in body and f'"enrolment_id": {enrolment.pk}' not in body
            if response.status_code == 200 and "dashboard" in url:
                assert response.json()["households"] == 0, (who, url)
            if url == reads[0]:
                assert response.status_code in (401, 403, 404), (who, url, response.status_code)
            if response.status_code == 200 and "report" in url:
                assert response.json()["children_graduated"] == 0, (who, url)
        created = client.post(reads[0], _body(), content_type="application/json")
        assert created.status_code in (401, 403, 404), (who, created.status_code)
    with workspace_context(world.beta):
        assert BenchmarkMonitoring.objects.filter(household=household).count() == 1

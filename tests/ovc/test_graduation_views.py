"""Graduation screens: benchmark monitoring keeps what was typed and records, the household
panel, the dashboard, the graduation and exits reports (with CSV and the drill), and none
of beta's programme for anyone else."""

from __future__ import annotations

import json
import re

import pytest

from case_apps.ovc.models_graduation import BenchmarkMonitoring
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.ovc.conftest import enrol
from tests.ovc.graduation_helpers import (
    TODAY,
    beta_member,
    cpara_on,
    days_back,
    exit_on,
    monitoring_on,
)

pytestmark = pytest.mark.django_db
MARKER = "ZQXGRADMARKER"


def _post(total: int, **extra) -> dict:
    data = {"monitored_on": TODAY().isoformat(), "notes": "Visited"}
    for n in range(1, 10):
        data[f"benchmark_{n}"] = "met" if n > 9 - total else "not_met"
    data.update(extra)
    return data


def test_benchmark_monitoring_through_the_screen(world, beta_household):
    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    with workspace_context(world.beta):
        cpara_on(world, household, days_back(20), 7)
    page = client.get(f"/ovc/households/{household.pk}/")
    assert f"/ovc/households/{household.pk}/benchmarks/new/".encode() in page.content
    url = f"/ovc/households/{household.pk}/benchmarks/new/"
    form = client.get(url)
    assert form.status_code == 200 and b"7/9" in form.content
    # ready for exit with a benchmark not met: refused, and what was typed stays
    refused = client.post(url, _post(8, ready_for_exit="on", notes="Kept note"))
    assert refused.status_code == 200 and b"ready for exit only" in refused.content
    assert b"Kept note" in refused.content
    assert re.search(rb'value="not_met"[^>]*checked', refused.content)
    assert re.search(rb'name="ready_for_exit"[^>]*checked', refused.content)
    with workspace_context(world.beta):
        assert not BenchmarkMonitoring.objects.exists()
    saved = client.post(url, _post(8))
    assert saved.status_code == 302 and saved["Location"] == f"/ovc/households/{household.pk}/"
    with workspace_context(world.beta):
        assert BenchmarkMonitoring.objects.get().total == 8
    page = client.get(f"/ovc/households/{household.pk}/").content.decode()
    assert 'data-testid="graduation-panel"' in page
    assert 'data-trend="up"' in page  # benchmark 2: not met at the CPARA, met now
    assert "8/9" in page


def test_the_dashboard_shows_bands_movement_and_the_chart_data(world, beta_household):
    with workspace_context(world.beta):
        cpara_on(world, beta_household.household, days_back(5), 9)
    client = client_on(world.beta, world.beta_worker)
    page = client.get("/ovc/graduation/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-band="ready_to_graduate"><td>Ready to graduate</td><td>9</td><td>1</td>' in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any("national_statistics/vendor/chart-4.6.1.umd.min" in src for src in scripts)
    assert any("ovc/graduation" in src for src in scripts)
    assert all(src.startswith("/static/") for src in scripts), scripts  # no CDN
    data = json.loads(re.search(r'id="graduation-data"[^>]*>(.*?)</script>', html, re.S)[1])
    assert data["bands"]["values"] == [0, 0, 0, 1]
    assert len(data["movements"]["labels"]) == 4
    assert 'aria-current="page"' in html and "/ovc/graduation/report/" in html
    future = client.get("/ovc/graduation/?as_of=2999-01-01")
    assert future.status_code == 200 and b"future" in future.content
    eight = client.get("/ovc/graduation/?quarters=8").content.decode()
    data = json.loads(re.search(r'id="graduation-data"[^>]*>(.*?)</script>', eight, re.S)[1])
    assert len(data["movements"]["labels"]) == 8


def test_graduation_report_screen_and_csv(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        cpara_on(world, household, days_back(10), 9)
        exit_on(world, enrolment, "ERCP", days_back(2))
    client = client_on(world.beta, world.beta_worker)
    page = client.get(f"/ovc/graduation/report/?start={days_back(30)}&end={TODAY()}")
    html = page.content.decode()
    assert page.status_code == 200 and "Baraka" in html.title()
    assert f"/ovc/children/{enrolment.pk}/" in html and "9/9" in html
    csv = client.get(f"/ovc/graduation/report/?start={days_back(30)}&end={TODAY()}&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    body = b"".join(csv.streaming_content).decode()
    assert body.splitlines()[0].startswith("Section,Household,Child")
    assert f"graduated,{household.number}," in body
    assert days_back(10).isoformat() in body
    bad = client.get(f"/ovc/graduation/report/?start={TODAY()}&end={days_back(3)}")
    assert bad.status_code == 200 and b"before its start" in bad.content


def test_exits_report_screen_csv_and_drill(world, beta_household):
    household, boy = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        girl = enrol(world.beta, world.beta_worker, household, make_child("Wanjiru", "W"))
        exit_on(world, boy, "ERRL", days_back(3))
        exit_on(world, girl, "ERDE", days_back(2))
    client = client_on(world.beta, world.beta_worker)
    query = f"start={days_back(10)}&end={TODAY()}"
    html = client.get(f"/ovc/graduation/exits/?{query}").content.decode()
    assert re.search(r'data-reason="ERRL"><td>Relocation</td>\s*<td><a [^>]*>1</a>', html)
    assert 'data-testid="exit-children"' not in html
    drill = client.get(f"/ovc/graduation/exits/?{query}&drill=1&reason=ERDE").content.decode()
    assert 'data-testid="exit-children"' in drill
    assert f"/ovc/children/{girl.pk}/" in drill and f"/ovc/children/{boy.pk}/" not in drill
    wrong = client.get(f"/ovc/graduation/exits/?{query}&drill=1&reason=NOPE")
    assert wrong.status_code == 200 and b"Unknown exit reason" in wrong.content
    csv = client.get(f"/ovc/graduation/exits/?{query}&format=csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0].startswith("Reason code,Reason,Total,SMAL,SFEM,SINT,<1")
    assert any(line.startswith("ERRL,Relocation,1,1,0,0") for line in lines)
    assert lines[-1].startswith(",Total,2,")


def test_viewers_see_the_reports_but_do_not_record(world, beta_household):
    viewer = beta_member(world, "viewer@beta.test", Role.VIEWER)
    client = client_on(world.beta, viewer)
    for url in ("/ovc/graduation/", "/ovc/graduation/report/", "/ovc/graduation/exits/"):
        assert client.get(url).status_code == 200
    url = f"/ovc/households/{beta_household.household.pk}/benchmarks/new/"
    assert client.get(url).status_code == 403
    assert client.post(url, _post(9)).status_code == 403


@pytest.fixture
def beta_graduation(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        child = make_child(MARKER, "Graduate")
        graduate = enrol(world.beta, world.beta_worker, household, child)
        cpara_on(world, household, days_back(10), 9)
        monitoring_on(world, household, days_back(5), 9, notes=MARKER)
        exit_on(world, graduate, "ERCP", days_back(2))
        exit_on(world, enrolment, "ERRL", days_back(1))
    return household


def _urls(household) -> list[str]:
    period = f"start={days_back(30)}&end={TODAY()}"
    return [
        f"/ovc/households/{household.pk}/benchmarks/new/",
        f"/ovc/households/{household.pk}/",
        "/ovc/graduation/",
        f"/ovc/graduation/report/?{period}",
        f"/ovc/graduation/report/?{period}&format=csv",
        f"/ovc/graduation/exits/?{period}&drill=1",
        f"/ovc/graduation/exits/?{period}&format=csv",
    ]


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_no_graduation_screen_gives_beta_data_to_anyone_else(world, beta_graduation):
    household = beta_graduation
    owner = client_on(world.beta, world.beta_worker)
    assert MARKER.encode() in _content(owner.get(_urls(household)[3]))  # a real probe
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    acme_on_acme = client_on(world.acme, world.acme_admin)
    assert acme_on_acme.get("/ovc/graduation/").status_code == 200
    clients = {
        "acme admin on acme's host": acme_on_acme,
        "acme admin on beta's host": client_on(world.beta, world.acme_admin),
        "DCS administrator on beta's host": client_on(world.beta, world.hq_admin),
        "outsider on beta's host": client_on(world.beta, world.outsider),
        "anonymous on beta's host": client_on(world.beta),
        "another beta worker": client_on(world.beta, beta_member(world, "x@beta.test")),
    }
    for who, client in clients.items():
        for url in _urls(household):
            for method in ("get", "post"):
                response = getattr(client, method)(url, _post(9) if method == "post" else None)
                assert response.status_code < 500, (who, method, url)
                assert MARKER.encode() not in _content(response), (who, method, url)
                if url.endswith("/benchmarks/new/") or f"/households/{household.pk}/" in url:
                    assert response.status_code in (302, 403, 404), (who, method, url)
    with workspace_context(world.beta):
        assert BenchmarkMonitoring.objects.filter(household=household).count() == 1

"""The statistics API releases reports by the same audience rule as screens and exports."""

from datetime import date

import pytest

from national_statistics.suppression import SUPPRESSED
from tenants.models import PlatformRole
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.national_statistics.test_dashboard import opened

pytestmark = pytest.mark.django_db
MONTH = date.today().strftime("%Y-%m")


@pytest.fixture
def figures(world, national_lists):
    """acme: 3 neglect cases in its county (Kisumu, 042) and 9 defilement; beta: 2 in 047."""
    from national_statistics.drain import drain_organisation

    opened(world.acme, 3, category="CSIC")
    opened(world.acme, 9, category="CCDF", sex="SMAL", age_band="11-15")
    opened(world.beta, 2, county="047", sub_county="275")
    drain_organisation(world.acme)
    drain_organisation(world.beta)


def row(body: dict, code: str) -> dict:
    return next(r for r in body["rows"] if r["code"] == code)


def get(client, path: str, **params):
    return client.get(f"/api/v1/statistics/reports{path}", params)


def test_a_member_reads_its_own_figures_as_they_are(world, figures):
    member = client_on(world.acme, world.acme_worker)
    response = get(member, "/case_load_summary", period=MONTH)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["audience"] == "own" and body["suppressed"] is False
    assert row(body, "CSIC")["values"]["SFEM|6-10"] == 3
    assert row(body, "cases_opened")["total"] == 12 and not row(body, "cases_opened")["in_total"]
    assert body["total"]["total"] == 12 and body["period"] == MONTH
    assert {r["code"] for r in body["rows"]} == {
        "CSIC",
        "CCDF",
        "cases_opened",
        "children",
        # issue 17: interventions, reopenings, cases opened with an intervention and their share
        "interventions",
        "cases_reopened",
        "cases_with_intervention",
        "with_intervention_pct",
    }
    kinds = member.get("/api/v1/statistics/reports").json()
    assert "vac" in {k["key"] for k in kinds}


def test_a_member_reads_its_county_and_the_nation_suppressed(world, figures):
    member = client_on(world.beta, world.beta_worker)
    own = get(member, "/case_load_summary", period=MONTH).json()
    assert row(own, "CSIC")["total"] == 2  # its own 2 cases, not acme's
    national = get(member, "/case_load_summary", period=MONTH, area="national").json()
    assert national["audience"] == "published" and national["suppressed"] is True
    assert row(national, "CSIC")["values"]["SFEM|6-10"] == 5  # 3 + 2
    county = get(member, "/case_load_summary", period=MONTH, area="county").json()
    assert county["level"] == "county" and row(county, "CSIC")["total"] == SUPPRESSED
    for body in (national, county):
        for line in [*body["rows"], body["total"]]:
            assert all(not (isinstance(v, int) and 0 < v < 5) for v in line["values"].values())


def test_analysts_read_aggregates_and_other_roles_suppressed(world, figures):
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    body = get(analyst, "/case_load_summary", period=MONTH, county="047").json()
    assert body["audience"] == "analyst" and row(body, "CSIC")["total"] == 2
    admin = get(client_on(None, world.hq_admin), "/case_load_summary", period=MONTH, county="047")
    assert row(admin.json(), "CSIC")["total"] == SUPPRESSED
    approver = client_on(None, UserFactory(platform_roles=[PlatformRole.SHARING_APPROVER]))
    assert get(approver, "/case_load_summary").status_code == 403
    assert get(client_on(None), "/case_load_summary").status_code == 401


def test_bad_input_is_a_422_naming_the_field(world, figures):
    member = client_on(world.acme, world.acme_worker)
    for params, field in (
        ({"period": "GFY2025/99"}, "period"),
        ({"area": "planet"}, "area"),
    ):
        response = get(member, "/case_load_summary", **params)
        assert response.status_code == 422 and response.json()["detail"].startswith(field)
    response = get(member, "/no_such_report")
    assert response.status_code == 422 and response.json()["detail"].startswith("report")
    mer = get(member, "/ovc_serv", period="GFY2025/26")  # not a PEPFAR period
    assert mer.status_code == 422 and "period" in mer.json()["detail"]
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    response = get(analyst, "/vac", county="x" * 50)  # bounded input: ninja names the field
    assert response.status_code == 422 and "county" in str(response.json()["detail"])
    response = get(analyst, "/vac", sub_county="274")  # a sub-county needs its county
    assert response.status_code == 422 and response.json()["detail"].startswith("county")
    assert get(member, "/ovc_serv", period="FY26-SAPR").status_code == 200


def test_the_other_organisation_gets_nothing(world, figures):
    """beta's member on acme's host is turned away; acme's figures never reach beta."""
    intruder = client_on(world.acme, world.beta_worker)
    assert get(intruder, "/case_load_summary", period=MONTH).status_code in (403, 404)
    beta = get(client_on(world.beta, world.beta_worker), "/vac", period=MONTH).json()
    assert "CCDF" not in {r["code"] for r in beta["rows"]}  # acme's defilement cases

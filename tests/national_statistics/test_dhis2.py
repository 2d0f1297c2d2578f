"""DHIS2 on a fresh demo: dataValueSets and ADX from a workspace and from the platform site,
the mapping the demo loads, what a missing mapping says, and who edits the mapping."""

import json
import re
from datetime import date
from xml.etree import ElementTree

import pytest

from cpims.demo import load_demo_data
from national_statistics.demo import dhis2_mapping_load_demo
from national_statistics.exports import ADX_NAMESPACE
from national_statistics.models import Dhis2Mapping, ExportJob
from national_statistics.services import dhis2_mapping_replace
from national_statistics.suppression import SUPPRESSED
from tenants.actor import Actor, Forbidden, member_actor
from tenants.models import Organisation, PlatformRole, User
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
# DHIS2 period syntax: month, quarter, six-month (January or April based), year, financial
# years starting in July or October
PERIOD = re.compile(r"^\d{4}(\d{2}|Q[1-4]|S[12]|AprilS[12]|July|Oct)?$")
DATA_VALUE_KEYS = {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}


def assert_valid_data_value_set(document: dict) -> None:
    """The dataValueSets shape DHIS2's import takes: data set, period, org unit, and values
    each naming data element, category option combo, period, org unit and a count."""
    assert set(document) == {"dataSet", "period", "orgUnit", "dataValues"}
    assert UID.match(document["dataSet"]) and UID.match(document["orgUnit"])
    assert PERIOD.match(document["period"]), document["period"]
    for value in document["dataValues"]:
        assert set(value) == DATA_VALUE_KEYS, value
        assert UID.match(value["dataElement"]) and UID.match(value["categoryOptionCombo"])
        assert value["period"] == document["period"]
        assert value["orgUnit"] == document["orgUnit"]
        assert value["value"].isdigit() and int(value["value"]) >= 5  # suppressed: none small


def adx_values(content: bytes) -> tuple[dict, dict]:
    """The ADX group's attributes and its values by (data element, combo)."""
    root = ElementTree.fromstring(content)
    assert root.tag == f"{{{ADX_NAMESPACE}}}adx"
    (group,) = root.findall(f"{{{ADX_NAMESPACE}}}group")
    values = {
        (v.get("dataElement"), v.get("categoryOptionCombo")): v.get("value")
        for v in group.findall(f"{{{ADX_NAMESPACE}}}dataValue")
    }
    return dict(group.attrib), values


def quarter_now() -> tuple[str, str]:
    today = date.today()
    start = date(today.year, today.month - (today.month - 1) % 3, 1)
    return f"{start:%Y-%m}", f"{start.year}-{start.month + 2:02d}"


def export(client, **data) -> ExportJob:
    response = client.post("/statistics/exports/", data)
    assert response.status_code == 302, response
    return ExportJob.objects.latest("id")


def download(client, job: ExportJob) -> bytes:
    return b"".join(client.get(f"/statistics/exports/{job.pk}/download/").streaming_content)


@pytest.fixture
def demo(world):
    load_demo_data(password="demo-password-for-tests")
    return Organisation.objects.get(slug="imara")


def test_a_partner_exports_dhis2_and_adx_from_its_workspace_on_a_fresh_demo(demo):
    worker = client_on(demo, User.objects.get(email="worker@imara.demo"))
    start, end = quarter_now()
    period = {"report": "ovc_serv", "from": start, "to": end}
    job = export(worker, export_format="json", **period)
    assert job.status == "done", job.error
    document = json.loads(download(worker, job))
    assert_valid_data_value_set(document)
    mapped = dict(Dhis2Mapping.objects.values_list("key", "uid").filter(kind="org_unit"))
    assert document["orgUnit"] == mapped["organisation:imara"]
    active = Dhis2Mapping.objects.get(kind="data_element", key="active").uid
    assert any(v["dataElement"] == active for v in document["dataValues"])  # 23 active
    adx = export(worker, export_format="adx", **period)
    assert adx.status == "done", adx.error
    group, values = adx_values(download(worker, adx))
    assert group["orgUnit"] == document["orgUnit"] and group["dataSet"] == document["dataSet"]
    assert group["period"] == f"{start}-01/P3M"
    json_values = {
        (v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in document["dataValues"]
    }
    assert values == json_values and values  # the same figures in both formats
    # loading the demo again adds nothing and keeps a line an administrator changed
    Dhis2Mapping.objects.filter(kind="org_unit", key="national").update(uid="Nat00000001")
    assert dhis2_mapping_load_demo(organisations=[demo]) == 0
    assert Dhis2Mapping.objects.get(kind="org_unit", key="national").uid == "Nat00000001"


def test_the_console_exports_the_nation_and_a_county_on_a_fresh_demo(demo):
    for role in (PlatformRole.ANALYST, PlatformRole.NATIONAL_ADMINISTRATOR):
        client = client_on(None, UserFactory(platform_roles=[role]))
        start, end = quarter_now()
        for area in ({}, {"county": "047"}, {"county": "047", "sub_county": "274"}):
            period = {"from": start, "to": end}
            job = export(client, report="ovc_serv", export_format="json", **area, **period)
            assert job.status == "done", job.error
            assert_valid_data_value_set(json.loads(download(client, job)))
        month = date.today().strftime("%Y-%m")
        period = {"from": month, "to": month}
        job = export(client, report="case_load_summary", export_format="adx", **period)
        assert job.status == "done", job.error
        group, _ = adx_values(download(client, job))
        assert group["period"] == f"{month}-01/P1M"


def test_a_missing_mapping_names_the_organisation_and_who_can_fix_it(demo):
    Dhis2Mapping.objects.filter(kind="org_unit", key="organisation:imara").delete()
    worker = client_on(demo, User.objects.get(email="worker@imara.demo"))
    start, end = quarter_now()
    job = export(worker, report="ovc_serv", export_format="json", to=end, **{"from": start})
    assert job.status == "failed"
    assert "Imara OVC Partners" in job.error and "organisation:imara" in job.error
    page = worker.get(f"/statistics/exports/{job.pk}/").content.decode()
    assert 'data-testid="mapping-help"' in page and "/statistics/dhis2-mapping/" not in page
    Dhis2Mapping.objects.filter(kind="org_unit", key="national").delete()
    admin = client_on(None, UserFactory(platform_roles=[PlatformRole.NATIONAL_ADMINISTRATOR]))
    job = export(admin, report="ovc_serv", export_format="adx", to=end, **{"from": start})
    assert job.status == "failed" and "Kenya (org_unit,national)" in job.error
    page = admin.get(f"/statistics/exports/{job.pk}/").content.decode()
    assert 'href="/statistics/dhis2-mapping/"' in page  # the role that may edit gets the link
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    job = export(analyst, report="ovc_serv", export_format="json", to=end, **{"from": start})
    page = analyst.get(f"/statistics/exports/{job.pk}/").content.decode()
    assert 'data-testid="mapping-help"' in page and 'href="/statistics/dhis2-mapping/"' not in page


def test_analysts_read_the_mapping_and_national_administrators_edit_it(world):
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    page = analyst.get("/statistics/dhis2-mapping/")
    assert page.status_code == 200 and b"Save mapping" not in page.content
    assert b"data_set,ovc_serv" in page.content and b"hiv_not_required" in page.content
    assert analyst.post("/statistics/dhis2-mapping/", {"text": ""}).status_code == 403
    assert b"dhis2-mapping-link" in analyst.get("/statistics/").content
    admin = client_on(None, world.hq_admin)
    response = admin.post("/statistics/dhis2-mapping/", {"text": "org_unit,national,HfVjCurKxh2\n"})
    assert response.status_code == 302 and Dhis2Mapping.objects.count() == 1
    too_long = "org_unit,organisation:" + "x" * 80 + ",HfVjCurKxh2\n"
    page = admin.post("/statistics/dhis2-mapping/", {"text": too_long})
    assert page.status_code == 200 and b"line 1" in page.content
    assert Dhis2Mapping.objects.count() == 1
    member = client_on(world.acme, world.acme_admin)
    assert member.get("/statistics/dhis2-mapping/").status_code == 404


def test_the_mapping_service_refuses_an_analyst_and_changes_nothing(world):
    dhis2_mapping_replace(actor=Actor(user=world.hq_admin), text="org_unit,national,HfVjCurKxh2\n")
    analyst = UserFactory(platform_roles=[PlatformRole.ANALYST])
    for actor in (Actor(user=analyst), member_actor(world.acme_admin, world.acme)):
        with pytest.raises(Forbidden):
            dhis2_mapping_replace(actor=actor, text="org_unit,national,Zzzzzzzzzz1\n")
    assert list(Dhis2Mapping.objects.values_list("uid", flat=True)) == ["HfVjCurKxh2"]


def test_published_dhis2_values_are_never_small(demo):
    """The demo partner's own quarter has cells of 1 to 4: DHIS2 leaves them out."""
    worker = client_on(demo, User.objects.get(email="worker@imara.demo"))
    start, end = quarter_now()
    job = export(worker, report="ovc_serv", export_format="json", to=end, **{"from": start})
    document = json.loads(download(worker, job))
    assert all(int(v["value"]) >= 5 for v in document["dataValues"])
    assert "suppressed" in job.note and SUPPRESSED not in json.dumps(document)

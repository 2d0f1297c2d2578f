"""Data subject requests: DCS headquarters exports everything on one registry person from
every organisation that knows them, through the gateway, each read logged; nobody else may."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from audit.chain import audit_verify_all
from audit.models import PlatformAccessEntry
from audit.workspace.models import AccessEntry
from case_apps.ovc import services as ovc_services
from case_apps.ovc.services_visits import household_visit_record
from shared_registry.services import person_identifier_add
from sharing import gateway
from sharing.dsr import EXPORT_RECORD_KIND, data_subject_export
from sharing.gateway import SharingRefused
from tenants.actor import Actor
from tenants.models import PlatformRole
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db

URL = "/console/data-requests/"
ACME_NARRATIVE = "ZQXDSRACMENARRATIVE"
BETA_NARRATIVE = "ZQXDSRBETANARRATIVE"
VISIT_OBSERVED = "ZQXDSRVISITSEEN"


@pytest.fixture
def subject(world, national_lists):
    """A child with a case in acme, and a case and an OVC enrolment in beta."""
    child = make_child("Neema", "Subject")
    person_identifier_add(person=child, identifier_type="ISOV", value="77881299")
    open_case(world.acme, world.acme_worker, child, narrative=ACME_NARRATIVE)
    open_case(world.beta, world.beta_worker, child, narrative=BETA_NARRATIVE)
    with workspace_context(world.beta):
        household = ovc_services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver(),
            village="Kondele",
        )
        enrolment = enrol(world.beta, world.beta_worker, household, child=child)
        household_visit_record(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            visited_on=enrolment.registration_date,
            outcome="met",
            purposes=["routine"],
            children_seen=[enrolment.pk],
            observations=VISIT_OBSERVED,
        )
    return child


def _export(client, person, reference="DPA/REQ/2026/17", reason="The child's mother, s.26"):
    return client.post(URL, {"person": person.cpims_id, "reference": reference, "reason": reason})


def _unzip(response) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def _raw(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_export_holds_the_records_of_both_organisations(world, subject):
    response = _export(client_on(None, world.hq_admin), subject)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert subject.cpims_id in response["Content-Disposition"]
    files = _unzip(response)
    assert set(files) == {
        "manifest.json",
        "person.json",
        "platform.json",
        "organisations/acme.json",
        "organisations/beta.json",
    }

    person = files["person.json"]
    assert person["cpims_id"] == subject.cpims_id and person["first_name"] == "NEEMA"
    assert [i["value"] for i in person["identifiers"]] == ["77881299"]
    assert {k["workspace"] for k in person["known_to"]} == {"acme", "beta"}

    acme = files["organisations/acme.json"]["records"]
    [case] = acme["case_records"]["rows"]
    assert case["narrative"] == ACME_NARRATIVE and case["role"] == "child"
    assert [c["category_code"] for c in case["categories"]] == ["CSIC"]
    assert acme["case_summary"]["rows"][0]["narrative"] == ACME_NARRATIVE
    assert acme["ovc_records"]["rows"] == []

    beta = files["organisations/beta.json"]["records"]
    assert beta["case_records"]["rows"][0]["narrative"] == BETA_NARRATIVE
    [enrolment] = [r for r in beta["ovc_records"]["rows"] if r["role"] == "enrolled child"]
    assert enrolment["child_id"] == subject.pk and "services" in enrolment
    [visit] = enrolment["household_visits_seen"]  # the visits where the child was seen
    assert visit["observations"] == VISIT_OBSERVED
    assert ACME_NARRATIVE not in json.dumps(beta)

    manifest = files["manifest.json"]
    assert manifest["reference"] == "DPA/REQ/2026/17"
    assert manifest["generated_by"] == world.hq_admin.email
    by_workspace = {o["workspace"]: o["rows"] for o in manifest["organisations"]}
    assert by_workspace["acme"]["case_records"] == 1 and by_workspace["beta"]["ovc_records"] >= 1
    raw = _raw(response)
    for entry in manifest["files"]:
        assert hashlib.sha256(raw[entry["name"]]).hexdigest() == entry["sha256"]


def test_every_read_is_logged_in_the_organisation_and_the_platform(world, subject):
    _export(client_on(None, world.hq_admin), subject)
    for organisation in (world.acme, world.beta):
        with workspace_context(organisation):
            entries = AccessEntry.objects.filter(
                purpose__startswith="data_subject_request DPA/REQ/2026/17"
            )
            kinds = set(entries.values_list("record_kind", flat=True))
            assert {"case_records", "ovc_records", "case_summary"} <= kinds
            assert {e.record_id for e in entries} == {subject.cpims_id}
            assert {e.actor_email for e in entries} == {world.hq_admin.email}
    platform = PlatformAccessEntry.objects.filter(
        purpose__startswith="data_subject_request DPA/REQ/2026/17"
    )
    assert {e.purpose.split(" of ")[1].split(" ")[0] for e in platform} == {"acme", "beta"}
    export = PlatformAccessEntry.objects.get(record_kind=EXPORT_RECORD_KIND)
    assert export.record_id == subject.cpims_id
    assert export.purpose == "DPA/REQ/2026/17: The child's mother, s.26"
    assert all(verdict is None for verdict in audit_verify_all().values())
    page = client_on(None, world.hq_admin).get(URL, {"h": subject.cpims_id})
    assert b"DPA/REQ/2026/17" in page.content  # the past requests


def test_refused_for_anyone_but_headquarters_and_nothing_logged(world, subject):
    analyst = UserFactory(email="analyst@dcs.test", platform_roles=[PlatformRole.ANALYST])
    approver = UserFactory(
        email="approver@dcs.test", platform_roles=[PlatformRole.SHARING_APPROVER]
    )
    for user in (world.acme_admin, world.beta_worker, analyst, approver, world.outsider):
        client = client_on(None, user)
        assert client.get(URL).status_code == 403
        assert _export(client, subject).status_code == 403
        with pytest.raises(SharingRefused):
            gateway.read_for_data_subject_request(
                actor=Actor(user=user), person=subject, reference="X", organisations=[world.acme]
            )
    assert client_on(None).get(URL).status_code == 302  # sign in first
    assert client_on(world.acme, world.acme_admin).get(URL).status_code == 404  # not a host page
    with workspace_context(world.acme):
        assert not AccessEntry.objects.filter(purpose__startswith="data_subject_request").exists()
    assert not PlatformAccessEntry.objects.filter(
        record_kind__in=[EXPORT_RECORD_KIND, "case_records"]
    ).exists()


def test_missing_reference_or_unknown_person_is_refused_keeping_what_was_typed(world, subject):
    client = client_on(None, world.hq_admin)
    response = _export(client, subject, reference="", reason="typed reason")
    assert response.status_code == 400
    assert b"typed reason" in response.content and subject.cpims_id.encode() in response.content
    response = client.post(URL, {"person": "NOPE", "reference": "R1", "reason": "r"})
    assert response.status_code == 400 and b'value="R1"' in response.content
    with pytest.raises(SharingRefused):
        data_subject_export(
            actor=Actor(user=world.hq_admin), person=subject, reference=" ", reason="x"
        )
    assert not PlatformAccessEntry.objects.filter(record_kind=EXPORT_RECORD_KIND).exists()


def test_the_search_finds_the_person(world, subject):
    page = client_on(None, world.hq_admin).get(URL, {"q": "Neema Subject"})
    assert page.status_code == 200 and subject.cpims_id.encode() in page.content
    assert ACME_NARRATIVE.encode() not in page.content


def test_a_person_known_nowhere_gets_the_registry_record_only(world, national_lists):
    loner = make_child("Solo", "Person")
    export = data_subject_export(
        actor=Actor(user=world.hq_admin), person=loner, reference="R-2", reason="self"
    )
    assert export.manifest["organisations"] == []
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "person.json", "platform.json"]
        assert all(rows == [] for rows in json.loads(archive.read("platform.json")).values())


def test_records_under_a_merged_away_registry_id_are_exported(world, national_lists):
    from shared_registry.services import person_merge

    survivor = make_child("Amani", "Merged")
    duplicate = make_child("Amani", "Mergd")
    open_case(world.acme, world.acme_worker, survivor, narrative=ACME_NARRATIVE)
    open_case(world.beta, world.beta_worker, duplicate, narrative=BETA_NARRATIVE)
    person_merge(survivor=survivor, merged=duplicate, merged_by=world.hq_admin)
    export = data_subject_export(
        actor=Actor(user=world.hq_admin), person=survivor, reference="R-3", reason="merged"
    )
    rows = {o["workspace"]: o["rows"]["case_records"] for o in export.manifest["organisations"]}
    assert rows == {"acme": 1, "beta": 1}
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        beta = json.loads(archive.read("organisations/beta.json"))
        person = json.loads(archive.read("person.json"))
    assert beta["records"]["case_records"]["rows"][0]["narrative"] == BETA_NARRATIVE
    assert person["merged_away_ids"] == [duplicate.cpims_id]


def test_platform_records_naming_the_person_are_exported(world, subject):
    from datetime import timedelta

    from django.utils import timezone

    from sharing.services_consent import consent_record

    today = timezone.localdate()
    consent_record(
        organisation=world.acme,
        person=subject,
        actor=Actor(user=world.acme_worker),
        given_by="parent",
        giver_name="ZQXCONSENTGIVER",
        giver_relationship="mother",
        purpose="Care",
        scope={"case_summary": ["national_reference"]},
        given_on=today,
        valid_until=today + timedelta(days=90),
    )
    files = _unzip(_export(client_on(None, world.hq_admin), subject))
    [consent] = files["platform.json"]["sharing.Consent"]
    assert consent["giver_name"] == "ZQXCONSENTGIVER" and consent["person_id"] == subject.pk

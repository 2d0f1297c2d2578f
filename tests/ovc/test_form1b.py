"""Form 1B: services delivered to a household's caregivers, coded from the domain's Form 1B
list; the service rules, the screen, the API and the services-by-domain report's counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.lists.data_ovc_plans import FORM1B_SERVICES
from case_apps.lists.models import ListItem
from case_apps.outbox.models import OutboxEvent
from case_apps.ovc import date_rules, services
from case_apps.ovc.demo_form1b import form1b_load_demo
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.selectors_form1b import (
    caregiver_services_by_domain,
    caregivers_served_by_domain,
)
from case_apps.ovc.services_form1b import caregiver_service_record
from case_apps.ovc.services_households import MemberInput
from tenants.actor import Forbidden, NotFound
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import as_member, make_caregiver

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
JSON = "application/json"
MARKER = "ZQXFORM1BMARKER"


def _record(world, household, user=None, **overrides) -> HouseholdServiceRecord:
    fields = {"domain": "stable", "service": "F1BST01", "provider": "CHV", "date": TODAY()}
    fields.update(overrides)
    return caregiver_service_record(
        actor=as_member(user or world.beta_worker, world.beta), household=household, **fields
    )


def _errors(world, household, user=None, **overrides) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        _record(world, household, user, **overrides)
    return excinfo.value.message_dict


def _body(**overrides) -> dict:
    body = {"domain": "stable", "service": "F1BST02", "provider": "CHV", "date": str(TODAY())}
    body.update(overrides)
    return body


def _member(world, household, member_type: str, first_name: str):
    with workspace_context(world.beta):
        return services.household_member_add(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            member=MemberInput(
                person=make_caregiver(first_name, "Otieno"), member_type=member_type
            ),
        )


def test_the_provisional_form1b_lists_are_loaded_per_domain(world):
    loaded = set(
        ListItem.objects.filter(list_name__startswith="ovc_form1b_service_").values_list(
            "list_name", "code"
        )
    )
    expected = {
        (f"ovc_form1b_service_{domain}", code)
        for domain, items in FORM1B_SERVICES.items()
        for code, *_labels in items
    }
    assert loaded == expected and all(code.startswith("F1B") for _n, code in loaded)


def test_a_caregiver_service_defaults_to_the_head_and_writes_no_mer_fact(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        before = OutboxEvent.objects.filter(kind="ovc_service").count()
        record = _record(world, household, place=" Kondele ")
        head = household.members.get(is_head=True)
        assert (record.caregiver, record.service, record.place) == (head, "F1BST01", "Kondele")
        other = _member(world, household, "CGOR", "Grace")
        assert _record(world, household, caregiver_id=other.pk).caregiver == other
        assert OutboxEvent.objects.filter(kind="ovc_service").count() == before  # MER: children


def test_the_service_rules_refuse_bad_input_and_save_nothing(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        child = household.members.get(person_id=enrolment.child_id)
        assert _errors(world, household, service="F1BXX99") == {
            "service": ["Unknown code “F1BXX99”."]
        }
        assert "another domain" in _errors(world, household, service="F1BHE01")["service"][0]
        assert list(_errors(world, household, service="CP42HE")) == ["service"]  # Form 1A code
        assert list(_errors(world, household, domain="fun")) == ["domain"]
        assert list(_errors(world, household, caregiver_id=child.pk)) == ["caregiver_id"]
        assert list(_errors(world, household, caregiver_id=999999)) == ["caregiver_id"]
        assert list(_errors(world, household, provider="  ")) == ["provider"]
        assert list(_errors(world, household, date=TODAY() + timedelta(days=1))) == ["date"]
        too_old = TODAY() - timedelta(days=date_rules.EVENT_MAX_DAYS_BACK + 1)
        assert list(_errors(world, household, date=too_old)) == ["date"]
        with date_rules.entered_on(date(1984, 1, 10)):  # replayed: before the head's birth
            assert list(_errors(world, household, date=date(1984, 1, 5))) == ["date"]
        with date_rules.entered_on(TODAY() - timedelta(days=200)):  # replayed history
            assert _record(world, household, date=TODAY() - timedelta(days=210)).pk
        assert HouseholdServiceRecord.objects.count() == 1


def test_outside_the_caseload_is_not_found_and_a_viewer_is_forbidden(world, beta_household):
    household = beta_household.household
    other = UserFactory(email="other-f1b@beta.test")
    membership_grant(user=other, organisation=world.beta, roles=[Role.CASE_WORKER])
    viewer = UserFactory(email="viewer-f1b@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    with workspace_context(world.beta):
        with pytest.raises(NotFound):
            _record(world, household, user=other)
        with pytest.raises(NotFound):
            _record(world, household.pk + 1000)
        with pytest.raises(Forbidden):
            _record(world, household, user=viewer)
        assert not HouseholdServiceRecord.objects.exists()


def test_the_screen_narrows_keeps_input_and_records(world, beta_household):
    household = beta_household.household
    url = f"/ovc/households/{household.pk}/caregiver-services/new/"
    client = client_on(world.beta, world.beta_worker)
    page = client.get(url, {"domain": "safe", "provider": "Kindly CHV"}).content.decode()
    assert "F1BSA01" in page and "F1BST01" not in page and "Kindly CHV" in page
    with workspace_context(world.beta):
        head = household.members.get(is_head=True)
    form = {"caregiver_id": head.pk, "domain": "safe", "service": "F1BST01"}
    form |= {"provider": MARKER, "place": "Kisumu", "date": str(TODAY())}
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert MARKER.encode() in refused.content and b"Kisumu" in refused.content
    assert b'value="F1BST01"' not in refused.content  # narrowed to safe: no stable choice
    assert b"errorlist" in refused.content or b"error" in refused.content
    saved = client.post(url, form | {"service": "F1BSA01"})
    assert saved.status_code == 302 and saved["Location"].endswith("#caregiver-services")
    detail = client.get(f"/ovc/households/{household.pk}/").content.decode()
    assert MARKER in detail and "Parenting programme" in detail
    assert 'data-testid="caregiver-services"' in detail


def test_no_screen_shows_or_changes_beta_records_for_anyone_else(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        _record(world, household, provider=MARKER)
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    url = f"/ovc/households/{household.pk}/caregiver-services/new/"
    form = _body(provider="intruder", caregiver_id="")
    clients = {
        "acme admin on acme": client_on(world.acme, world.acme_admin),
        "acme admin on beta": client_on(world.beta, world.acme_admin),
        "anonymous on beta": client_on(world.beta),
    }
    for who, client in clients.items():
        for response in (client.get(url), client.post(url, form)):
            assert response.status_code in (302, 403, 404), who
            assert MARKER.encode() not in response.content, who
        report = client.get("/ovc/reports/services-by-domain/")
        assert MARKER.encode() not in report.content and b"F1BST01" not in report.content
    with workspace_context(world.beta):
        assert HouseholdServiceRecord.objects.count() == 1


def test_the_api_records_lists_and_refuses_bad_input(world, beta_household):
    household = beta_household.household
    api = client_on(world.beta, world.beta_worker)
    url = f"/api/v1/ovc/households/{household.pk}/caregiver-services"
    created = api.post(url, _body(place="Market"), content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["service"] == "F1BST02" and created.json()["uuid"]
    with workspace_context(world.beta):
        child = household.members.get(person_id=beta_household.enrolment.child_id)
    bad = {
        "service": _body(service="F1BHE01"),
        "caregiver_id": _body(caregiver_id=child.pk),
        "provider": _body(provider="x" * 201),
        "place": _body(place="bad\x00place"),
        "date": _body(date=str(TODAY() + timedelta(days=2))),
        "domain": _body(domain="y" * 17),
    }
    for field, body in bad.items():
        response = api.post(url, body, content_type=JSON)
        assert response.status_code == 422, (field, response.status_code)
        assert field in str(response.json()["errors"]), field
    assert api.post(url, _body(caregiver_id=-1), content_type=JSON).status_code == 422
    listing = api.get(url).json()
    assert listing["count"] == 1 and listing["items"][0]["place"] == "Market"
    assert api.get(url + "?limit=100000").status_code == 422
    assert api.get(url + "?offset=10000000000000000000").status_code == 422
    with workspace_context(world.beta):
        assert HouseholdServiceRecord.objects.count() == 1


def test_the_api_answers_404_outside_and_403_to_a_viewer(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        _record(world, household, provider=MARKER)
    url = f"/api/v1/ovc/households/{household.pk}/caregiver-services"
    assert client_on(world.acme, world.acme_admin).get(url).status_code == 404  # not an IP
    viewer = UserFactory(email="viewer-f1b-api@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    as_viewer = client_on(world.beta, viewer)
    assert as_viewer.get(url).status_code == 200
    assert as_viewer.post(url, _body(), content_type=JSON).status_code == 403
    other = UserFactory(email="other-f1b-api@beta.test")
    membership_grant(user=other, organisation=world.beta, roles=[Role.CASE_WORKER])
    outside = client_on(world.beta, other)
    assert outside.get(url).status_code == 404
    assert outside.post(url, _body(), content_type=JSON).status_code == 404
    missing = f"/api/v1/ovc/households/{household.pk + 1000}/caregiver-services"
    assert client_on(world.beta, world.beta_worker).get(missing).status_code == 404
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    for client in (
        client_on(world.acme, world.acme_admin),
        client_on(world.beta, world.acme_admin),
        client_on(world.beta),
    ):
        assert client.get(url).status_code in (401, 403, 404)
        assert client.post(url, _body(), content_type=JSON).status_code in (401, 403, 404)
    with workspace_context(world.beta):
        assert HouseholdServiceRecord.objects.count() == 1


def test_the_report_counts_services_and_caregivers_per_domain(world, beta_household):
    household = beta_household.household
    other = _member(world, household, "CGOR", "Grace")
    with workspace_context(world.beta):
        _record(world, household)
        _record(world, household, caregiver_id=other.pk)
        _record(world, household, caregiver_id=other.pk, date=TODAY() - timedelta(days=1))
        _record(world, household, domain="safe", service="F1BSA01")
        _record(world, household, date=TODAY() - timedelta(days=20))  # outside the period
        actor = as_member(world.beta_worker, world.beta)
        start = TODAY() - timedelta(days=5)
        rows = caregiver_services_by_domain(actor=actor, start=start, end=TODAY())
        assert [(r.domain, r.service, r.services, r.caregivers) for r in rows] == [
            ("stable", "F1BST01", 3, 2),
            ("safe", "F1BSA01", 1, 1),
        ]
        by_domain = caregivers_served_by_domain(actor=actor, start=start, end=TODAY())
        assert by_domain == {"stable": 2, "safe": 1}
    query = f"?start={start}&end={TODAY()}"
    client = client_on(world.beta, world.beta_worker)
    page = client.get("/ovc/reports/services-by-domain/" + query).content.decode()
    assert 'data-testid="caregiver-services-by-domain"' in page and "Cash transfer" in page
    csv = client.get("/ovc/reports/services-by-domain/" + query + "&format=csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "Domain,Service code,Service,Services delivered,Children served"
    assert "Domain,Form 1B service code,Service,Services delivered,Caregivers served" in lines
    assert lines[-1].startswith("Safe,F1BSA01,") and lines[-1].endswith(",1,1")
    report = client.get(f"/api/v1/ovc/reports/services-by-domain{query}&domain=safe").json()
    assert report["caregiver_rows"] == [
        {"domain": "safe", "service": "F1BSA01", "services": 1, "caregivers": 1}
    ]
    assert report["caregivers_by_domain"] == {"stable": 2, "safe": 1}


def test_the_demo_records_services_to_every_household_head_once(world, beta_household):
    with workspace_context(world.beta):
        written = form1b_load_demo(organisation=world.beta, worker=world.beta_worker)
        assert written == 3 and HouseholdServiceRecord.objects.count() == 3
        assert form1b_load_demo(organisation=world.beta, worker=world.beta_worker) == 0

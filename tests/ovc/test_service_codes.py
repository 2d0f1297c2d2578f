"""Services delivered from the national list of their domain (Form 1A), free text of old
rows kept readable, and the partner's services-by-domain report (screen and CSV)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.ovc import date_rules, services
from case_apps.ovc.models import ServiceRecord
from case_apps.ovc.selectors_plans import services_by_domain
from tenants.models import Organisation
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.ovc.conftest import as_member, enrol

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
REPORT = "/ovc/reports/services-by-domain/"


def _serve(world, enrolment, domain: str, service: str, days_back: int = 0) -> ServiceRecord:
    day = TODAY() - timedelta(days=days_back)
    with date_rules.entered_on(day):
        return services.service_record(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=enrolment,
            domain=domain,
            service=service,
            provider="CHV",
            date=day,
        )


def test_a_service_is_a_code_of_its_domain(world, beta_household):
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        record = _serve(world, enrolment, "schooled", "CP97SC")
        assert record.service == "CP97SC" and record.service_text == ""
        with pytest.raises(ValidationError) as excinfo:
            _serve(world, enrolment, "healthy", "CP97SC")
        assert list(excinfo.value.message_dict) == ["service"]
        assert "another domain" in excinfo.value.message_dict["service"][0]
        with pytest.raises(ValidationError) as excinfo:
            _serve(world, enrolment, "healthy", "Nutrition support")
        assert excinfo.value.message_dict == {"service": ["Unknown code “Nutrition support”."]}
        assert enrolment.services.count() == 1


def test_old_free_text_services_stay_readable(world, beta_household):
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        ServiceRecord.objects.create(
            enrolment=enrolment,
            domain="healthy",
            service_text="Food parcel from the church",
            provider="CHV",
            date=TODAY(),
            recorded_by_id=world.beta_worker.pk,
        )
    page = client_on(world.beta, world.beta_worker).get(f"/ovc/children/{enrolment.pk}/")
    assert b"Food parcel from the church" in page.content


def test_the_service_form_offers_codes_by_domain_and_keeps_input(world, beta_household):
    enrolment = beta_household.enrolment
    client = client_on(world.beta, world.beta_worker)
    url = f"/ovc/children/{enrolment.pk}/services/new/"
    assert '<optgroup label="Safe">' in client.get(url).content.decode()
    wrong = {"domain": "safe", "service": "CP42HE", "provider": "Kindly CHV", "date": TODAY()}
    response = client.post(url, wrong)
    assert response.status_code == 200
    assert b"CP42HE is not one of the available choices" in response.content
    assert b'value="Kindly CHV"' in response.content
    response = client.post(url, {**wrong, "domain": "healthy"})
    assert response.status_code == 302
    page = client.get(f"/ovc/children/{enrolment.pk}/").content
    assert b"CP 4.2: Supplementary or therapeutic food" in page


def test_services_by_domain_counts_services_and_children(world, beta_household):
    household, first = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        second = enrol(world.beta, world.beta_worker, household, child=make_child("Zuri", "W"))
        _serve(world, first, "healthy", "CP42HE", days_back=2)
        _serve(world, first, "healthy", "CP42HE", days_back=1)
        _serve(world, second, "healthy", "CP42HE", days_back=1)
        _serve(world, second, "schooled", "CP96SC", days_back=1)
        _serve(world, second, "schooled", "CP96SC", days_back=20)  # before the period
        rows = services_by_domain(
            actor=as_member(world.beta_worker, world.beta),
            start=TODAY() - timedelta(days=5),
            end=TODAY(),
        )
    assert [(r.domain, r.service, r.services, r.children) for r in rows] == [
        ("healthy", "CP42HE", 3, 2),
        ("schooled", "CP96SC", 1, 1),
    ]
    client = client_on(world.beta, world.beta_worker)
    start = (TODAY() - timedelta(days=5)).isoformat()
    query = f"?start={start}&end={TODAY().isoformat()}"
    page = client.get(REPORT + query)
    assert page.status_code == 200 and b"CP 4.2: Supplementary" in page.content
    csv = client.get(REPORT + query + "&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "Domain,Service code,Service,Services delivered,Children served"
    assert lines[1].startswith("Healthy,CP42HE,") and lines[1].endswith(",3,2")
    only = client.get(REPORT + query + "&domain=schooled&format=csv")
    assert len(b"".join(only.streaming_content).decode().splitlines()) == 2
    bad = client.get(f"{REPORT}?start={TODAY().isoformat()}&end={start}")
    assert bad.status_code == 200 and b"before its start" in bad.content


def test_the_report_shows_nothing_of_beta_to_anyone_else(world, beta_programme):
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    own = client_on(world.beta, world.beta_worker).get(REPORT)
    assert own.status_code == 200 and b"CP 6.2" in own.content
    acme = client_on(world.acme, world.acme_admin).get(REPORT)
    assert acme.status_code == 200 and b"CP 6.2" not in acme.content
    for client in (client_on(world.beta, world.acme_admin), client_on(world.beta)):
        for suffix in ("", "?format=csv"):
            response = client.get(REPORT + suffix)
            assert response.status_code in (302, 403, 404)
            assert b"CP62SA" not in response.content


def test_choosing_the_domain_narrows_the_services(world, beta_household):
    url = f"/ovc/children/{beta_household.enrolment.pk}/services/new/"
    client = client_on(world.beta, world.beta_worker)
    page = client.get(url, {"domain": "safe", "provider": "Kindly CHV"}).content.decode()
    assert 'value="CP62SA"' in page and 'value="CP42HE"' not in page
    assert 'value="Kindly CHV"' in page

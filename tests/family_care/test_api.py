"""Family care API: record, read, list, add a carer and a follow-up, end, and discharge to
care with two carers; bad input is a 422 naming the field with nothing saved; another
organisation gets 404 and no data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from case_apps.family_care.models import AlternativeCare
from case_apps.institutions.models import Admission, ResidentialStatus
from shared_registry.services import person_register
from tenants.schema import workspace_context
from tests.case_apps.conftest import open_case
from tests.conftest import client_on
from tests.family_care.conftest import TODAY, record_care
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _care_body(**overrides) -> dict:
    body = {
        "care_type": "AFFC",
        "started_on": TODAY().isoformat(),
        "certificate_number": "FC/API/1",
        "certificate_expires_on": (TODAY() + timedelta(days=45)).isoformat(),
        "court_name": "Kisumu Children's Court",
    }
    body.update(overrides)
    return body


def test_care_is_recorded_read_listed_followed_up_and_ended_through_the_api(world):
    case = open_case(world.acme, world.acme_worker)
    api = client_on(world.acme, world.acme_worker)
    created = api.post(f"/api/v1/cases/{case.pk}/family-care", _care_body(), content_type=JSON)
    assert created.status_code == 201, created.content
    care_id = created.json()["id"]
    carer = person_register(
        first_name="Peter", surname="Mlezi", sex="SMAL", birth_year=1970, organisation=world.acme
    )
    added = api.post(
        f"/api/v1/family-care/{care_id}/carers",
        {"person_id": carer.pk, "relationship_code": "CGFF"},
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    assert [c["relationship_code"] for c in added.json()["carers"]] == ["CGFF"]
    visit = api.post(
        f"/api/v1/family-care/{care_id}/follow-ups",
        {"kind": "FFOC", "visited_on": TODAY().isoformat(), "wellbeing": "FWGO"},
        content_type=JSON,
    )
    assert visit.status_code == 201, visit.content
    listed = api.get("/api/v1/family-care?expiring=true").json()["items"]
    row = next(r for r in listed if r["id"] == care_id)
    assert row["last_follow_up_kind"] == "FFOC" and row["child_name"]
    read = api.get(f"/api/v1/family-care/{care_id}").json()
    assert read["certificate_number"] == "FC/API/1" and len(read["follow_ups"]) == 1
    ended = api.post(
        f"/api/v1/family-care/{care_id}/end", {"ended_on": TODAY().isoformat()}, content_type=JSON
    )
    assert ended.status_code == 200 and ended.json()["ended_on"] == TODAY().isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"care_type": "AFIC"}, "care_type"),
        ({"certificate_number": ""}, "certificate_number"),
        ({"started_on": (TODAY() + timedelta(days=1)).isoformat()}, "started_on"),
        ({"started_on": "not a date"}, "started_on"),
        ({"certificate_number": "x" * 65}, "certificate_number"),
    ],
)
def test_a_wrong_care_is_a_422_naming_the_field_and_nothing_is_saved(world, overrides, field):
    case = open_case(world.acme, world.acme_worker)
    response = client_on(world.acme, world.acme_worker).post(
        f"/api/v1/cases/{case.pk}/family-care", _care_body(**overrides), content_type=JSON
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    with workspace_context(world.acme):
        assert not AlternativeCare.objects.filter(case=case).exists()


def _discharge_body(**overrides) -> dict:
    body = {
        "discharged_on": TODAY().isoformat(),
        "care_type": "AFFC",
        "certificate_number": "FC/API/DIS",
        "certificate_expires_on": (TODAY() + timedelta(days=365)).isoformat(),
        "carers": [
            {
                "relationship_code": "CGFF",
                "new_person": {"first_name": "Otieno", "surname": "Baba", "sex": "SMAL"},
            },
            {
                "relationship_code": "CGFM",
                "new_person": {
                    "first_name": "Atieno",
                    "surname": "Mama",
                    "sex": "SFEM",
                    "birth_year": 1984,
                },
            },
        ],
    }
    body.update(overrides)
    return body


def test_discharge_to_care_through_the_api_and_its_422s(world):
    admission = make_admission(world.acme, world.acme_worker)
    api = client_on(world.acme, world.acme_worker)
    url = f"/api/v1/institution/admissions/{admission.pk}/discharge-to-care"
    nobody = api.post(url, _discharge_body(carers=[{"relationship_code": "CGFF"}]), JSON)
    assert nobody.status_code == 422 and "carers.0.person_id" in nobody.json()["errors"]
    bad_code = _discharge_body()
    bad_code["carers"][1]["relationship_code"] = "NOPE"
    refused = api.post(url, bad_code, content_type=JSON)
    assert refused.status_code == 422 and "carers.1.relationship_code" in refused.json()["errors"]
    with workspace_context(world.acme):
        assert Admission.objects.get(pk=admission.pk).discharged_on is None
    done = api.post(url, _discharge_body(), content_type=JSON)
    assert done.status_code == 201, done.content
    assert sorted(c["relationship_code"] for c in done.json()["carers"]) == ["CGFF", "CGFM"]
    with workspace_context(world.acme):
        admission = Admission.objects.get(pk=admission.pk)
    assert admission.residential_status == ResidentialStatus.FAMILY_CARE


def test_another_organisation_gets_404_and_no_data_from_the_api(world, other_institution):
    care = record_care(world.acme, world.acme_worker, certificate_number="FC/API/SECRET")
    admission = make_admission(world.acme, world.acme_worker)
    clients = (
        client_on(other_institution.organisation, other_institution.worker),
        client_on(world.beta, world.beta_worker),
    )
    for client in clients:
        assert client.get(f"/api/v1/family-care/{care.pk}").status_code == 404
        listed = client.get("/api/v1/family-care")
        assert b"FC/API/SECRET" not in listed.content
        for url, body in (
            (f"/api/v1/cases/{care.case_id}/family-care", _care_body()),
            (
                f"/api/v1/family-care/{care.pk}/follow-ups",
                {"kind": "FFOC", "visited_on": TODAY().isoformat(), "wellbeing": "FWGO"},
            ),
            (f"/api/v1/family-care/{care.pk}/end", {"ended_on": TODAY().isoformat()}),
            (
                f"/api/v1/institution/admissions/{admission.pk}/discharge-to-care",
                _discharge_body(),
            ),
        ):
            response = client.post(url, body, content_type=JSON)
            assert response.status_code == 404, (url, response.content)
            assert b"FC/API/SECRET" not in response.content
    with workspace_context(world.acme):
        assert Admission.objects.get(pk=admission.pk).discharged_on is None
        assert AlternativeCare.objects.get(pk=care.pk).ended_on is None

"""The admissions API (issue 19): admit directly (the child by registry id), admit on a case,
read, discharge; bad input is a 422 naming the field with nothing saved; a child resident
elsewhere is refused naming the institution; another organisation gets 404, never data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.cases.models import CaseRecord
from case_apps.institutions.models import Admission
from shared_registry.services_residence import residence_current
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
JSON = "application/json"


def body(**overrides) -> dict:
    data = {
        "admitted_on": (TODAY() - timedelta(days=2)).isoformat(),
        "admission_type": "TANA",
        "admission_reason": "RACP",
    }
    data.update(overrides)
    return data


def direct(world, child, **overrides) -> dict:
    ref = search_ref(world.acme, world.acme_worker, child)
    return body(**{"child_id": child.pk, "ref": ref, "case_category": "CDIS", **overrides})


def test_admit_read_and_discharge(world):
    child = make_child("Chebet", "Api")
    api = client_on(world.acme, world.acme_worker)
    created = api.post(
        "/api/v1/institution/admissions",
        direct(
            world,
            child,
            source="court",
            committal_order_number="CCO 3/2026",
            committal_court="Kisumu Children's Court",
            committal_period=10,
            committal_period_unit="days",
            admitted_on=(TODAY() - timedelta(days=12)).isoformat(),
        ),
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    admission = created.json()
    assert admission["child_id"] == child.pk and admission["source"] == "court"
    assert admission["expected_exit_on"] == (TODAY() - timedelta(days=2)).isoformat()
    assert admission["overstay"] is True
    url = f"/api/v1/institution/admissions/{admission['id']}"
    assert api.get(url).json()["residential_status"] == "resident"
    bad = api.post(
        f"{url}/discharge",
        {"discharge_type": "XXXX", "discharged_on": str(TODAY())},
        content_type=JSON,
    )
    assert bad.status_code == 422 and "discharge_type" in bad.json()["errors"]
    done = api.post(
        f"{url}/discharge",
        {"discharge_type": "DTEO", "discharged_on": str(TODAY())},
        content_type=JSON,
    )
    assert done.status_code == 200
    assert (done.json()["residential_status"], done.json()["overstay"]) == ("discharged", False)
    assert residence_current(child.pk) is None


def test_admit_on_a_case(world):
    case = open_case(world.acme, world.acme_worker)
    api = client_on(world.acme, world.acme_worker)
    url = f"/api/v1/institution/cases/{case.pk}/admissions"
    answer = api.post(url, body(ob_number="OB 12/3/2026"), content_type=JSON)
    assert answer.status_code == 201 and answer.json()["source"] == "direct"
    again = api.post(url, body(), content_type=JSON)
    assert again.status_code == 422


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"admitted_on": (TODAY() + timedelta(days=1)).isoformat()}, "admitted_on"),
        ({"admission_type": "XXXX"}, "admission_type"),
        ({"case_category": "XXXX"}, "case_category"),
        ({"source": "vacancy"}, "source"),
        ({"committal_period_unit": "weeks", "committal_period": 2}, "committal_period_unit"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_saved(world, overrides, field):
    child = make_child("Halima", "Bad")
    api = client_on(world.acme, world.acme_worker)
    answer = api.post(
        "/api/v1/institution/admissions", direct(world, child, **overrides), content_type=JSON
    )
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"]
    with workspace_context(world.acme):
        assert not Admission.objects.exists()
        assert not CaseRecord.objects.filter(child_id=child.pk).exists()


def test_a_child_resident_elsewhere_is_refused_naming_the_institution(world, institutions_world):
    child = make_child("Kiprono", "Twice")
    make_admission(institutions_world.rescue, institutions_world.rescue_worker, child)
    api = client_on(world.acme, world.acme_worker)
    answer = api.post("/api/v1/institution/admissions", direct(world, child), content_type=JSON)
    assert answer.status_code == 422
    assert "Kisumu Rescue Centre" in answer.json()["errors"]["child"][0]


def test_another_organisation_gets_404_and_never_data(world, institutions_world):
    admission = make_admission(world.acme, world.acme_worker)
    rescue = client_on(institutions_world.rescue, institutions_world.rescue_worker)
    url = f"/api/v1/institution/admissions/{admission.pk}"
    for answer in (
        rescue.get(url),
        rescue.post(
            f"{url}/discharge",
            {"discharge_type": "DTEO", "discharged_on": str(TODAY())},
            content_type=JSON,
        ),
        rescue.post(
            f"/api/v1/institution/cases/{admission.case_id}/admissions", body(), content_type=JSON
        ),
    ):
        assert answer.status_code == 404
        assert admission.case.child.surname not in answer.content.decode()
    with workspace_context(world.acme):
        assert Admission.objects.get().is_resident

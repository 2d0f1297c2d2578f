"""The vacancy API: the office applies and withdraws, DCS headquarters' platform API
confirms or declines, the institution lists what it expects and admits; bad input is a 422
naming the field and saves nothing; another organisation gets 404 and never data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharing.models_vacancies import VacancyApplication, VacancyStatus
from tests.case_apps.conftest import open_case
from tests.conftest import client_on
from tests.institutions.vacancy_helpers import TODAY, apply, confirm

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, url: str, data: dict | None = None):
    return client.post(API + url, data or {}, content_type="application/json")


def payload(**overrides) -> dict:
    data = {
        "court_number": "CR 9/2026",
        "judge": "Hon. Wanjiru",
        "court": "Kisumu Law Courts",
        "next_mention_on": (TODAY() + timedelta(days=10)).isoformat(),
        "institution_type": "TNRH",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"court_number": ""}, "court_number"),
        ({"judge": "x" * 201}, "judge"),
        ({"next_mention_on": "not a date"}, "next_mention_on"),
        ({"institution_type": "XXXX"}, "institution_type"),
    ],
)
def test_bad_applications_are_422_naming_the_field(world, institutions_world, overrides, field):
    iw = institutions_world
    case = open_case(iw.office, iw.office_worker)
    office = client_on(iw.office, iw.office_worker)
    refused = post(office, f"/vacancies/cases/{case.pk}/apply", payload(**overrides))
    assert refused.status_code == 422
    assert field in refused.json()["errors"]
    assert not VacancyApplication.objects.filter(applicant_case_id=case.pk).exists()


def test_apply_confirm_admit_through_the_api(world, institutions_world):
    iw = institutions_world
    case = open_case(iw.office, iw.office_worker)
    office = client_on(iw.office, iw.office_worker)
    applied = post(office, f"/vacancies/cases/{case.pk}/apply", payload())
    assert applied.status_code == 201, applied.content
    application_id = applied.json()["id"]
    assert (
        applied.json()["status"] == "applied" and applied.json()["events"][0]["kind"] == "applied"
    )
    listed = office.get(f"{API}/vacancies").json()
    assert [a["id"] for a in listed["items"]] == [application_id]

    hq = client_on(None, world.hq_admin)
    queue = hq.get(f"{API}/vacancies").json()
    assert application_id in [a["id"] for a in queue["items"]]
    bad = post(
        hq,
        f"/vacancies/{application_id}/confirm",
        {"institution": world.acme.pk, "months_approved": 6},
    )
    assert bad.status_code == 422 and "institution" in bad.json()["errors"]
    too_long = post(
        hq,
        f"/vacancies/{application_id}/confirm",
        {"institution": iw.rescue.pk, "months_approved": 61},
    )
    assert too_long.status_code == 422 and "months_approved" in too_long.json()["errors"]
    confirmed = post(
        hq,
        f"/vacancies/{application_id}/confirm",
        {"institution": iw.rescue.pk, "months_approved": 6},
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["decided_by"]

    rescue = client_on(iw.rescue, iw.rescue_worker)
    expected = rescue.get(f"{API}/vacancies/expected").json()
    assert [a["id"] for a in expected["items"]] == [application_id]
    one = rescue.get(f"{API}/vacancies/expected/{application_id}").json()
    assert "notes" not in one and "events" not in one  # nothing more of the office's case
    bad_admit = post(
        rescue,
        f"/vacancies/{application_id}/admit",
        {"admitted_on": TODAY().isoformat(), "admission_reason": "RXXX", "category": "CDIS"},
    )
    assert bad_admit.status_code == 422 and "admission_reason" in bad_admit.json()["errors"]
    admitted = post(
        rescue,
        f"/vacancies/{application_id}/admit",
        {"admitted_on": TODAY().isoformat(), "admission_reason": "RAOF", "category": "CDIS"},
    )
    assert admitted.status_code == 201, admitted.content
    assert admitted.json()["vacancy"]["status"] == "admitted"
    assert admitted.json()["case_id"] and admitted.json()["admission_id"]


def test_hq_declines_and_only_hq_decides(world, institutions_world):
    iw = institutions_world
    application = apply(iw)
    url = f"/vacancies/{application.pk}/decline"
    for outsider in (client_on(None, world.outsider), client_on(None, world.acme_admin)):
        assert post(outsider, url, {"reason": "No"}).status_code == 403
        assert outsider.get(f"{API}/vacancies").status_code == 403
    office = client_on(iw.office, iw.office_worker)
    assert post(office, url, {"reason": "No"}).status_code == 404  # no such workspace path
    hq = client_on(None, world.hq_admin)
    assert post(hq, url, {"reason": ""}).status_code == 422
    declined = post(hq, url, {"reason": "No place in a remand home"})
    assert declined.status_code == 200 and declined.json()["decline_reason"]
    assert post(hq, url, {"reason": "again"}).status_code == 422
    assert post(hq, "/vacancies/999999999/decline", {"reason": "x"}).status_code == 404


def test_other_organisations_get_nothing(world, institutions_world):
    iw = institutions_world
    application = confirm(world, iw, apply(iw))
    acme = client_on(world.acme, world.acme_worker)  # a CCI: not an office, not confirmed to
    assert acme.get(f"{API}/vacancies").status_code == 404
    assert acme.get(f"{API}/vacancies/expected").status_code == 404
    withdraw = f"/vacancies/{application.pk}/withdraw"
    assert post(acme, withdraw, {"reason": "x"}).status_code == 404
    assert post(acme, f"/vacancies/{application.pk}/admit", {}).status_code in (404, 422)
    rescue = client_on(iw.rescue, iw.rescue_worker)
    assert post(rescue, withdraw, {"reason": "x"}).status_code == 404
    beta = client_on(world.beta, world.beta_worker)
    assert beta.get(f"{API}/vacancies/expected/{application.pk}").status_code == 404
    office = client_on(iw.office, iw.office_worker)
    withdrawn = post(office, withdraw, {"reason": "The court released the child"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert rescue.get(f"{API}/vacancies/expected/{application.pk}").status_code == 404
    assert VacancyApplication.objects.get(pk=application.pk).status == VacancyStatus.WITHDRAWN

"""The residents API (issue 19): the register's filters, 422 on a filter not understood
(naming it), paging, and isolation between organisations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
URL = "/api/v1/institution/residents"


def test_the_api_lists_residents_with_the_registers_filters(world):
    today = timezone.localdate()
    due = make_admission(
        world.acme,
        world.acme_admin,
        make_child("Amani", "Api", sex="SMAL"),
        admission_number="API/1",
        expected_exit_on=today + timedelta(days=5),
    )
    make_admission(world.acme, world.acme_admin, make_child("Neema", "Api", sex="SFEM"))
    client = client_on(world.acme, world.acme_admin)
    everyone = client.get(URL).json()
    assert everyone["count"] == 2
    boys = client.get(URL, {"sex": "SMAL"}).json()["items"]
    assert [b["admission_id"] for b in boys] == [due.pk]
    assert boys[0]["days_to_exit"] == 5 and boys[0]["admission_number"] == "API/1"
    assert client.get(URL, {"when": "due"}).json()["count"] == 1
    assert client.get(URL, {"q": "API/1"}).json()["count"] == 1
    assert client.get(URL, {"limit": 1}).json()["items"][0]["child"]


@pytest.mark.parametrize(
    "query, field",
    [({"sex": "XX"}, "sex"), ({"age_band": "5-9"}, "age_band"), ({"when": "soon"}, "when")],
)
def test_a_filter_not_understood_is_a_422_naming_it(world, query, field):
    answer = client_on(world.acme, world.acme_admin).get(URL, query)
    assert answer.status_code == 422 and field in answer.content.decode()


def test_the_population_api_checks_its_months(world):
    client = client_on(world.acme, world.acme_admin)
    url = "/api/v1/institution/population"
    assert client.get(url, {"month_from": "2026-13", "month_to": "2026-01"}).status_code == 422
    backwards = client.get(url, {"month_from": "2026-05", "month_to": "2026-01"})
    assert backwards.status_code == 422 and "month_to" in backwards.content.decode()
    months = client.get(url, {"month_from": "2026-01", "month_to": "2026-03"}).json()
    assert [m["month"] for m in months] == ["2026-01", "2026-02", "2026-03"]
    assert client.get(url, {"month_from": "2023-01", "month_to": "2026-01"}).status_code == 422
    # months no date can hold (the fuzzer's year 0; the month after 9999-12) are refused by name
    for month_from, month_to, field in [
        ("0000-01", "0000-01", "month_from"),
        ("2026-01", "9999-12", "month_to"),
    ]:
        answer = client.get(url, {"month_from": month_from, "month_to": month_to})
        assert answer.status_code == 422 and field in answer.content.decode(), month_from


def test_the_population_api_counts_residents_at_each_months_end(world):
    from datetime import date

    from case_apps.institutions.models import Admission, ResidentialStatus
    from tenants.schema import workspace_context

    make_admission(world.acme, world.acme_admin, make_child(), admitted_on=date(2026, 1, 15))
    left = make_admission(world.acme, world.acme_admin, make_child(), admitted_on=date(2026, 1, 20))
    with workspace_context(world.acme):
        Admission.objects.filter(pk=left.pk).update(
            discharged_on=date(2026, 2, 28), residential_status=ResidentialStatus.DISCHARGED
        )
    client = client_on(world.acme, world.acme_admin)
    months = client.get(
        "/api/v1/institution/population", {"month_from": "2025-12", "month_to": "2026-03"}
    ).json()
    assert [(m["residents"], m["admissions"], m["discharges"]) for m in months] == [
        (0, 0, 0),
        (2, 2, 0),
        (1, 0, 1),
        (1, 0, 0),
    ]
    assert months[1]["residents_by_group"] == [{"sex": "SFEM", "age_band": "11-15", "n": 2}]


def test_another_organisation_never_gets_the_residents(world, institutions_world):
    make_admission(world.acme, world.acme_admin, make_child("Siri", "Api"))
    rescue = client_on(institutions_world.rescue, institutions_world.rescue_worker)
    assert rescue.get(URL).json()["count"] == 0
    assert client_on(world.beta, world.beta_worker).get(URL).status_code in (403, 404)
    assert client_on(world.acme, world.outsider).get(URL).status_code in (401, 403, 404)

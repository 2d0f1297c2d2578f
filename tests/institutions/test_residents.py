"""The residents register (issue 19): running admissions with their filters (search, sex, age
band, admission type, due for discharge, overstays), the days left or over, a constant number
of queries, the export (formulas neutralised, logged), and isolation between organisations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.workspace.models import AccessEntry
from case_apps.institutions.models import Admission, ResidentialStatus
from case_apps.institutions.selectors_residents import (
    DUE,
    OVERSTAY,
    ResidentFilters,
    age_band_q,
    residents,
)
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child
from tests.conftest import client_on
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _years_ago(years: int, days: int = 0) -> date:
    today = TODAY()
    return today.replace(year=today.year - years) - timedelta(days=days)


@pytest.fixture
def residents_of_acme(world):
    """Four residents of acme and one discharged child."""
    made = {
        "due": make_admission(
            world.acme,
            world.acme_worker,
            make_child("Achieng", "Due", sex="SFEM", date_of_birth=_years_ago(12)),
            admission_number="ADM/001",
            expected_exit_on=TODAY() + timedelta(days=10),
        ),
        "over": make_admission(
            world.acme,
            world.acme_worker,
            make_child("Baraka", "Over", sex="SMAL", date_of_birth=_years_ago(4)),
            admission_number="ADM/002",
            admission_type="TARE",
            expected_exit_on=TODAY() - timedelta(days=3),
        ),
        "later": make_admission(
            world.acme,
            world.acme_worker,
            make_child("Chebet", "Later", sex="SFEM", date_of_birth=_years_ago(16)),
            admission_number="=HYPERLINK(1)",
            expected_exit_on=TODAY() + timedelta(days=31),
        ),
        "open": make_admission(
            world.acme,
            world.acme_worker,
            make_child("Daudi", "Open", sex="SMAL", date_of_birth=_years_ago(6)),
            admission_number="ADM/004",
        ),
    }
    gone = make_admission(world.acme, world.acme_worker, make_child("Esther", "Gone"))
    with workspace_context(world.acme):
        Admission.objects.filter(pk=gone.pk).update(
            discharged_on=TODAY(), residential_status=ResidentialStatus.DISCHARGED
        )
    return made


def _names(world, **filters) -> set[str]:
    with workspace_context(world.acme):
        rows = residents(
            actor=actor_of(world.acme, world.acme_admin), filters=ResidentFilters(**filters)
        )
        return {a.case.child.first_name.title() for a in rows}


def test_the_register_lists_running_admissions_and_filters_them(world, residents_of_acme):
    assert _names(world) == {"Achieng", "Baraka", "Chebet", "Daudi"}  # the discharged child is gone
    assert _names(world, sex="SMAL") == {"Baraka", "Daudi"}
    assert _names(world, age_band="0-5") == {"Baraka"}
    assert _names(world, age_band="6-10") == {"Daudi"}
    assert _names(world, age_band="11-15") == {"Achieng"}
    assert _names(world, age_band="16-17") == {"Chebet"}
    assert _names(world, admission_type="TARE") == {"Baraka"}
    assert _names(world, when=DUE) == {"Achieng"}  # 31 days ahead is not due yet
    assert _names(world, when=OVERSTAY) == {"Baraka"}
    assert _names(world, search="ADM/002") == {"Baraka"}
    assert _names(world, search="chebet") == {"Chebet"}
    cpims_id = residents_of_acme["open"].case.child.cpims_id
    assert _names(world, search=cpims_id) == {"Daudi"}


def test_age_bands_are_by_todays_age_with_the_birthday_boundaries(world):
    born_18_today = make_child("Eighteen", "Today", date_of_birth=_years_ago(18))
    born_almost_18 = make_child("Almost", "Eighteen", date_of_birth=_years_ago(18, days=-1))
    year_only = make_child("Year", "Only", date_of_birth=None)
    year_only.birth_year = TODAY().year - 9
    year_only.save(update_fields=["birth_year"])
    from shared_registry.models import Person

    def band(person):
        for name in ("0-5", "6-10", "11-15", "16-17", "18+"):
            if Person.objects.filter(age_band_q(name, TODAY(), prefix=""), pk=person.pk).exists():
                return name
        return None

    assert band(born_18_today) == "18+"
    assert band(born_almost_18) == "16-17"
    assert band(year_only) == "6-10"


def test_a_case_worker_sees_only_the_residents_of_their_cases(world, residents_of_acme):
    other = make_admission(world.acme, world.acme_admin, make_child("Faith", "Admins"))
    with workspace_context(world.acme):
        seen = residents(actor=actor_of(world.acme, world.acme_worker), filters=ResidentFilters())
        assert other.pk not in {a.pk for a in seen}
        assert len(seen) == 4


def test_the_register_screen_shows_days_left_and_over_and_links_each_resident(
    world, residents_of_acme
):
    client = client_on(world.acme, world.acme_admin)
    page = client.get("/institution/")
    assert page.status_code == 200
    text = page.content.decode().title()
    assert "Achieng" in text and "Esther" not in text
    assert "10 Days Left" in text and "3 Days Over" in text
    due = residents_of_acme["due"]
    raw = page.content.decode()
    assert f"/cases/{due.case_id}/" in raw or f"/admissions/{due.pk}/" in raw
    assert 'data-testid="capacity"' in raw and 'data-testid="capacity-link"' not in raw
    filtered = client.get("/institution/", {"when": "overstay"})
    assert "BARAKA" in filtered.content.decode()
    assert "ACHIENG" not in filtered.content.decode()
    # the places of the whole institution stand above the whole register; a filtered address
    # links back to it instead of counting every resident again
    assert 'data-testid="capacity"' not in filtered.content.decode()
    assert 'data-testid="capacity-link"' in filtered.content.decode()
    bad = client.get("/institution/", {"sex": "XXXX", "age_band": "99"})
    assert bad.status_code == 200 and "not understood" in bad.content.decode()


def test_the_register_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_on(world.acme, world.acme_admin)
    for i in range(2):
        make_admission(world.acme, world.acme_admin, make_child(f"Small{i}", "Set"))
    client.get("/institution/")  # warm caches (lists, navigation)
    with django_assert_max_num_queries(40) as small:
        assert client.get("/institution/").status_code == 200
    small_count = len(small.captured_queries)  # now: the connection's log is a bounded deque
    for i in range(20):
        make_admission(world.acme, world.acme_admin, make_child(f"Large{i}", "Set"))
    client.get("/institution/")  # the same warm connection as the first measure
    with django_assert_max_num_queries(small_count):
        page = client.get("/institution/")
    assert "22 residents" in page.content.decode()


def test_the_csv_export_neutralises_formulas_and_is_logged(world, residents_of_acme):
    client = client_on(world.acme, world.acme_admin)
    response = client.get("/institution/", {"export": "csv", "sex": "SFEM"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body and "ACHIENG" in body and "BARAKA" not in body
    with workspace_context(world.acme):
        assert AccessEntry.objects.filter(record_kind="residents_export", record_id="csv").exists()
    xlsx = client.get("/institution/", {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_another_organisation_never_sees_the_residents(
    world, institutions_world, residents_of_acme
):
    client = client_on(institutions_world.rescue, institutions_world.rescue_worker)
    page = client.get("/institution/")
    assert page.status_code == 200
    assert "ACHIENG" not in page.content.decode().upper()
    export = client.get("/institution/", {"export": "csv"})
    assert "ACHIENG" not in b"".join(export.streaming_content).decode().upper()
    outsider = client_on(world.acme, world.outsider)
    assert client_on(world.acme, world.beta_worker).get("/institution/").status_code in (
        302,
        403,
        404,
    )
    assert outsider.get("/institution/").status_code in (302, 403, 404)

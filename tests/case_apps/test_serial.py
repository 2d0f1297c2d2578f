"""The national reference: DCS offices number their cases CCO/<county>/<sub-county>/5/29/<n>/
<year>, n counted per sub-county and year without gaps, also under concurrent saves; other
organisations keep CPIMS/<county>/<WORKSPACE>/<serial>/<year>; older references stay
searchable."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from case_apps.cases.services.serials import case_reference, sub_county_serial_next
from case_apps.lists.models import SubCountySerialCounter
from tenants.models import Organisation, OrganisationKind
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def fresh_national_counters(db):
    """The national counters start empty in each test (browser journeys commit DCS offices'
    cases, whose counter rows stay: the counters are national); rolled back after it."""
    SubCountySerialCounter.objects.all().delete()


@pytest.fixture
def acme_as_dcs(world, monkeypatch):
    """acme, for one test, a DCS sub-county office in Kisumu Central (240)."""
    monkeypatch.setattr(world.acme, "kind", OrganisationKind.DCS_SUB_COUNTY_OFFICE)
    monkeypatch.setattr(world.acme, "sub_county_code", "240")
    return world.acme


def test_a_dcs_office_numbers_per_sub_county_and_year(world, team, acme_as_dcs):
    year = TODAY().year
    first = open_case(world.acme, team.worker, make_child("Akinyi", "Achieng"))
    second = open_case(world.acme, team.worker, make_child("Baraka", "Odhiambo"))
    reported = TODAY() - timedelta(days=3)
    assert first.national_reference == f"CCO/42/240/5/29/1/{reported.year}"
    assert second.national_reference == f"CCO/42/240/5/29/2/{reported.year}"
    last_year = open_case(
        world.acme, team.worker, date_reported=TODAY().replace(year=year - 1, month=6, day=1)
    )
    assert last_year.national_reference == f"CCO/42/240/5/29/1/{year - 1}"  # a new series
    # the organisation's own serial goes on as before
    assert (first.serial_number, second.serial_number) == (1, 2)


def test_a_refused_sheet_takes_no_number(world, team, acme_as_dcs, kenya_geography):
    with pytest.raises(Exception):  # noqa: B017, PT011 (the sheet's own ValidationError)
        open_case(world.acme, team.worker, occurrence_county_code="999")
    case = open_case(world.acme, team.worker)
    assert case.national_reference.startswith("CCO/42/240/5/29/1/")


def test_an_office_without_a_sub_county_counts_where_it_happened(world, kenya_geography):
    county_office = Organisation(
        name="Kisumu County Children Office",
        slug="ksm-cco",
        kind=OrganisationKind.DCS_COUNTY_OFFICE,
        county_code="042",
    )
    with transaction.atomic():
        found = case_reference(
            county_office, 2026, 7, occurrence_county_code="", occurrence_sub_county_code="238"
        )
        unknown = case_reference(county_office, 2026, 8)
    assert found == "CCO/42/238/5/29/1/2026"  # Kisumu East's series, its county looked up
    assert unknown == "CCO/42/000/5/29/1/2026"


def test_other_organisations_keep_their_workspace_reference(world, team):
    case = open_case(world.acme, team.worker)  # a charitable children's institution
    assert case.national_reference == f"CPIMS/042/ACME/{case.serial_number:05d}/{case.year}"
    assert not SubCountySerialCounter.objects.exists()


def test_old_and_new_references_are_both_searchable(world, team, monkeypatch):
    old = open_case(world.acme, team.worker, make_child("Zawadi", "Njeri"))
    monkeypatch.setattr(world.acme, "kind", OrganisationKind.DCS_SUB_COUNTY_OFFICE)
    monkeypatch.setattr(world.acme, "sub_county_code", "240")
    new = open_case(world.acme, team.worker, make_child("Imani", "Mutiso"))
    assert old.national_reference.startswith("CPIMS/") and new.national_reference.startswith("CCO/")
    client = client_on(world.acme, team.worker)
    for wanted, other in ((old, new), (new, old)):
        page = client.get("/cases/", {"q": wanted.national_reference}).content.decode()
        assert wanted.national_reference in page and other.national_reference not in page
    page = client.get("/cases/", {"q": "CCO/42/240"}).content.decode()
    assert new.national_reference in page and old.national_reference not in page


SERIES = ("942", "9401", 1999)  # a county, sub-county and year no other test uses


def _take_number(results: list, fail: bool, start: threading.Barrier) -> None:
    """One save of its own connection: takes the next number, holds the lock a moment, then
    commits (or rolls back, giving the number back)."""
    try:
        start.wait(10)
        with transaction.atomic():
            n = sub_county_serial_next(*SERIES)
            if fail:
                raise RuntimeError("the sheet failed after taking its number")
            results.append(n)
    except RuntimeError:
        pass
    finally:
        connection.close()


def test_concurrent_saves_get_distinct_numbers_without_gaps(world):
    """Nine saves at once, one of which fails: the eight others get 1 to 8, each once."""
    results: list[int] = []
    start = threading.Barrier(9)
    threads = [
        threading.Thread(target=_take_number, args=(results, i == 4, start)) for i in range(9)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(results) == list(range(1, 9))
    finally:
        own = connections.create_connection("default")
        try:
            with own.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM public.lists_subcountyserialcounter WHERE year = %s", [SERIES[2]]
                )
        finally:
            own.close()

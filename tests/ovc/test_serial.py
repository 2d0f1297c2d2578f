"""Issue 18 point 1: each enrolled child gets the partner's OVC serial, ``<LIP code>/00001``,
counted per partner without gaps under a locked counter, kept on re-enrolment, shown on the
screens, found by the children search and carried by the children export."""

from __future__ import annotations

import csv
import importlib
import io
from datetime import timedelta

import psycopg
import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from audit.workspace.models import AccessEntry
from case_apps.ovc import services
from case_apps.ovc.models import Enrolment
from case_apps.ovc.models_serials import ChildSerial, SerialCounter, serial_text
from case_apps.ovc.selectors_lists import ChildFilters, children_list
from case_apps.ovc.services_enrolment import lip_code
from tenants.models import Organisation
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.ovc.conftest import as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def household_of(organisation, user, head_name: str = "Mary"):
    with workspace_context(organisation):
        return services.household_register(
            actor=as_member(user, organisation), head=make_caregiver(head_name, "Wanjiku")
        )


def test_children_are_numbered_per_partner_from_00001_without_gaps(world):
    household = household_of(world.beta, world.beta_worker)
    with workspace_context(world.beta):
        first = enrol(world.beta, world.beta_worker, household, make_child("Baraka", "Wanjiku"))
        second = enrol(world.beta, world.beta_worker, household, make_child("Zawadi", "Wanjiku"))
        third = enrol(world.beta, world.beta_worker, household, make_child("Imani", "Wanjiku"))
        assert [first.serial, second.serial, third.serial] == [
            "BETA/00001",
            "BETA/00002",
            "BETA/00003",
        ]
        assert SerialCounter.objects.get().last == 3
        assert list(ChildSerial.objects.values_list("number", flat=True)) == [1, 2, 3]
    # another partner counts its own children from 00001
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    acme = Organisation.objects.get(pk=world.acme.pk)
    other = household_of(acme, world.acme_worker, "Rose")
    with workspace_context(acme):
        assert enrol(acme, world.acme_worker, other).serial == "ACME/00001"


def test_the_lip_code_is_the_workspace_slug_in_capitals(world):
    assert lip_code(world.beta) == "BETA"
    assert serial_text("BETA", 42) == "BETA/00042"


def test_a_refused_enrolment_draws_no_number(world):
    household = household_of(world.beta, world.beta_worker)
    with workspace_context(world.beta):
        with pytest.raises(Exception):  # noqa: B017 (the 422 of the service)
            enrol(world.beta, world.beta_worker, household, eligibility=[])
        assert enrol(world.beta, world.beta_worker, household).serial == "BETA/00001"


def test_a_child_enrolled_again_keeps_the_serial(world):
    household = household_of(world.beta, world.beta_worker)
    child = make_child("Baraka", "Wanjiku")
    with workspace_context(world.beta):
        first = enrol(world.beta, world.beta_worker, household, child)
        enrol(world.beta, world.beta_worker, household, make_child("Zawadi", "Wanjiku"))
        services.enrolment_exit(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=first,
            exit_reason="ERRL",
            exit_date=TODAY(),
        )
        again = enrol(world.beta, world.beta_worker, household, child, registration_date=TODAY())
        assert again.pk != first.pk
        assert again.serial == first.serial == "BETA/00001"
        assert SerialCounter.objects.get().last == 2


def test_the_counter_row_stays_locked_until_the_enrolment_commits(world):
    """A second connection (another enrolment at the same moment) cannot take the counter
    while this enrolment's transaction holds it: numbers are drawn one at a time."""
    household = household_of(world.beta, world.beta_worker)
    with workspace_context(world.beta):
        enrol(world.beta, world.beta_worker, household)
        schema = connection.schema_name
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=False,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute(f'SET search_path TO "{schema}"')
            with pytest.raises(psycopg.errors.LockNotAvailable):
                cursor.execute(
                    "SELECT last FROM ovc_serialcounter WHERE name = 'ovc_child' FOR UPDATE NOWAIT"
                )
    finally:
        other.rollback()
        other.close()


def test_the_migration_numbers_existing_enrolments_by_registration_date(world):
    migration = importlib.import_module(
        "case_apps.ovc.migrations.0010_ovc_serials_for_existing_enrolments"
    )
    household = household_of(world.beta, world.beta_worker)
    late, early, again = make_child("Late", "Child"), make_child("Early", "Child"), None
    with workspace_context(world.beta):
        later = enrol(
            world.beta,
            world.beta_worker,
            household,
            late,
            registration_date=TODAY() - timedelta(days=5),
        )
        earlier = enrol(
            world.beta,
            world.beta_worker,
            household,
            early,
            registration_date=TODAY() - timedelta(days=20),
        )
        services.enrolment_exit(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=earlier,
            exit_reason="ERRL",
            exit_date=TODAY() - timedelta(days=1),
        )
        again = enrol(world.beta, world.beta_worker, household, early, registration_date=TODAY())
        # as before the migration: no serial, no counter
        Enrolment.objects.update(serial="")
        ChildSerial.objects.all().delete()
        SerialCounter.objects.all().delete()

        class Editor:
            pass

        editor = Editor()
        editor.connection = connection
        migration.number_existing(apps, editor)
        serials = dict(Enrolment.objects.values_list("pk", "serial"))
        assert serials[earlier.pk] == serials[again.pk] == "BETA/00001"
        assert serials[later.pk] == "BETA/00002"
        assert SerialCounter.objects.get().last == 2
        assert enrol(world.beta, world.beta_worker, household).serial == "BETA/00003"


@pytest.fixture
def numbered(world):
    household = household_of(world.beta, world.beta_worker)
    with workspace_context(world.beta):
        baraka = enrol(world.beta, world.beta_worker, household, make_child("Baraka", "Otieno"))
        zawadi = enrol(world.beta, world.beta_worker, household, make_child("Zawadi", "Otieno"))
    return household, baraka, zawadi


@pytest.mark.parametrize("term", ["BETA/00002", "beta/00002"])
def test_a_whole_serial_finds_that_child_only(world, numbered, term):
    _household, _baraka, zawadi = numbered
    with workspace_context(world.beta):
        found = children_list(
            actor=as_member(world.beta_worker, world.beta), filters=ChildFilters(search=term)
        )
        assert [e.pk for e in found] == [zawadi.pk]


@pytest.mark.parametrize("term", ["00002", "2"])
def test_the_number_of_a_serial_finds_the_child(world, numbered, term):
    """A number alone also searches CPIMS IDs and household numbers (their rows may show
    too, which is why only the child with that serial is asserted)."""
    _household, _baraka, zawadi = numbered
    with workspace_context(world.beta):
        found = children_list(
            actor=as_member(world.beta_worker, world.beta), filters=ChildFilters(search=term)
        )
        assert zawadi.pk in [e.pk for e in found]


def test_the_serial_shows_on_the_child_household_and_list_screens(world, numbered):
    household, baraka, zawadi = numbered
    client = client_on(world.beta, world.beta_worker)
    child_page = client.get(f"/ovc/children/{zawadi.pk}/").content.decode()
    assert "BETA/00002" in child_page
    household_page = client.get(f"/ovc/households/{household.pk}/").content.decode()
    assert "BETA/00001" in household_page and "BETA/00002" in household_page
    listing = client.get("/ovc/children/?q=BETA%2F00001").content.decode()
    assert (
        "BETA/00001" in listing and "BARAKA" in listing.upper() and "ZAWADI" not in listing.upper()
    )


def test_the_children_export_carries_the_serial_and_is_logged(world, numbered):
    client = client_on(world.beta, world.beta_worker)
    response = client.get("/ovc/children/?q=Zawadi&export=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ovc-children-beta')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["OVC serial", "CPIMS person ID", "Child"]
    assert [r[0] for r in rows[1:]] == ["BETA/00002"]
    xlsx = client.get("/ovc/children/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    with workspace_context(world.beta):
        logged = AccessEntry.objects.filter(record_kind="ovc_children_export")
        assert sorted(logged.values_list("record_id", flat=True)) == ["csv", "xlsx"]


def test_the_export_neutralises_formulas(world):
    household = household_of(world.beta, world.beta_worker)
    with workspace_context(world.beta):
        enrol(world.beta, world.beta_worker, household, make_child("=HYPERLINK(1)", "Otieno"))
    response = client_on(world.beta, world.beta_worker).get("/ovc/children/?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_no_one_else_gets_the_export(world, numbered):
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    for client in (
        client_on(world.beta, world.acme_admin),
        client_on(world.beta, world.outsider),
        client_on(world.beta),
        client_on(world.acme, world.acme_admin),
    ):
        response = client.get("/ovc/children/?export=csv")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"BETA/0000" not in content
        assert response.status_code in (200, 302, 403, 404)

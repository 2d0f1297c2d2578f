"""Reference data kept current against the KMHFL and NEMIS stand-ins: the first sync takes
everything, the next only what changed (with a report of what changed), bad records are
refused and reported, a directory away changes nothing; a NEMIS UPI is verified or not found
when NEMIS answers and stays unverified (and registration goes on) when it does not."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest

from integrations import services_reference
from integrations.models import ReferenceKind, ReferenceSyncRun
from shared_registry.identifiers import IdentifierType as T
from shared_registry.models import Facility, IdentifierVerification, PersonIdentifier, School, Sex
from shared_registry.services import person_register
from tenants.actor import Actor, Forbidden
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _facility(code: int, name: str, updated: str, **extra) -> dict:
    return {
        "id": f"uuid-{code}",
        "code": code,
        "name": name,
        "official_name": name,
        "facility_type_name": "Dispensary",
        "keph_level_name": "Level 2",
        "owner_name": "Ministry of Health",
        "county_name": "KISUMU",
        "constituency_name": "KISUMU CENTRAL",
        "ward_name": None,
        "lat_long": [-0.09, 34.76],
        "operation_status_name": "Operational",
        "updated": updated,
        **extra,
    }


def _school(code: str, name: str, updated: str, **extra) -> dict:
    return {
        "institution_code": code,
        "institution_name": name,
        "level": "Primary",
        "category": "Public",
        "county": "Kisumu",
        "sub_county": "Kisumu Central",
        "ward": "",
        "latitude": "-0.099",
        "longitude": "34.756",
        "updated": updated,
        **extra,
    }


def _configure(world, kind: str, url: str, **fields):
    values = {
        "kmhfl": {"username": "cpims", "secret": "pw", "client_id": "cpims-client"},
        "nemis": {"secret": "nemis-key"},
    }[kind]
    return services_reference.reference_source_save(
        actor=Actor(user=world.hq_admin),
        kind=kind,
        base_url=url,
        enabled=True,
        timeout_seconds=2,
        **{**values, **fields},
    )


def test_facilities_first_everything_then_changes_only_with_a_report(world, geo, kmhfl):
    kmhfl.app.facilities = [
        _facility(10001, "Nyalenda Dispensary", "2026-11-01T08:00:00+00:00"),
        _facility(10002, "Manyatta Dispensary", "2026-11-02T08:00:00+00:00"),
        _facility(10003, "Kondele Health Centre", "2026-11-03T08:00:00+00:00"),
        _facility(10004, "Bad Place", "2026-11-03T09:00:00+00:00", county_name="ATLANTIS"),
    ]
    _configure(world, "kmhfl", kmhfl.url)
    first = services_reference.reference_sync(
        ReferenceKind.KMHFL, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    )
    assert first.succeeded and (first.records, first.created, first.updated) == (4, 3, 0)
    assert first.refused == [{"line": 4, "reason": "unknown county “ATLANTIS”"}]
    facility = Facility.objects.get(code="10001")
    assert (facility.keph_level, facility.sub_county.name) == ("Level 2", "Kisumu Central")
    assert facility.latitude == -0.09
    pages = [r for r in kmhfl.received if r.path == "/api/facilities/facilities/"]
    assert len(pages) == 2  # two facilities a page: followed through ``next``
    assert "updated_after" not in parse_qs(pages[0].query)  # the first sync takes everything

    kmhfl.app.facilities[1] = _facility(
        10002,
        "Manyatta Sub-County Hospital",
        "2026-12-02T08:00:00+00:00",
        keph_level_name="Level 4",
    )
    kmhfl.received.clear()
    second = services_reference.reference_sync(ReferenceKind.KMHFL)
    asked = parse_qs(kmhfl.received[-1].query)
    assert asked["updated_after"] == ["2026-11-30T23:55:00+00:00"]  # the last sync, less 5 min
    assert (second.records, second.created, second.updated, second.unchanged) == (1, 0, 1, 0)
    assert second.changes == [
        {"code": "10002", "change": "updated", "fields": ["name", "keph_level"]}
    ]
    assert Facility.objects.get(code="10002").name == "Manyatta Sub-County Hospital"


def test_a_directory_away_or_refusing_changes_nothing_and_keeps_the_mark(world, geo, kmhfl):
    kmhfl.app.facilities = [_facility(10001, "Nyalenda Dispensary", "2026-11-01T08:00:00+00:00")]
    source = _configure(world, "kmhfl", kmhfl.url)
    kmhfl.app.down = True
    failed = services_reference.reference_sync(ReferenceKind.KMHFL)
    assert not failed.succeeded and "answered 503" in failed.error
    source.refresh_from_db()
    assert source.synced_until is None and not Facility.objects.exists()
    kmhfl.app.down = False
    _configure(world, "kmhfl", kmhfl.url, client_id="someone-else")
    refused = services_reference.reference_sync(ReferenceKind.KMHFL)
    assert not refused.succeeded and "refused the sign-in (401)" in refused.error
    assert services_reference.reference_sync(ReferenceKind.NEMIS) is None  # off: nothing


def test_schools_from_nemis_and_the_console_report(
    world, geo, nemis, django_capture_on_commit_callbacks
):
    nemis.app.schools = [
        _school("KSM0101", "Nyalenda Primary", "2026-11-01T08:00:00+00:00"),
        _school("KSM0102", "Manyatta Primary", "2026-11-01T09:00:00+00:00", level="Orbital"),
    ]
    _configure(world, "nemis", nemis.url)
    client = client_on(None, world.hq_admin)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/console/integrations/reference/nemis/sync/")
    assert started.status_code == 302
    run = ReferenceSyncRun.objects.get()
    assert started["Location"] == f"/console/integrations/reference/runs/{run.pk}/"
    assert School.objects.get(code="KSM0101").name == "Nyalenda Primary"
    page = client.get(started["Location"]).content.decode()
    assert "KSM0101" in page and "Orbital" in page  # the change and the refusal, reported
    listing = client.get("/console/integrations/reference/").content.decode()
    assert "Nemis-key" not in listing and "nemis-key" not in listing


def test_only_national_administrators_configure_and_synchronise(world, geo, nemis):
    with pytest.raises(Forbidden):
        services_reference.reference_source_save(
            actor=Actor(user=world.outsider), kind="nemis", base_url=nemis.url, secret="k"
        )
    for user in (world.outsider, world.acme_admin):
        client = client_on(None, user)
        assert client.get("/console/integrations/reference/").status_code == 403
        assert client.post("/console/integrations/reference/nemis/sync/").status_code == 403
    client = client_on(None, world.hq_admin)
    bad = client.post(
        "/console/integrations/reference/nemis/save/",
        {"nemis-base_url": "not a url", "nemis-secret": "k", "nemis-timeout_seconds": 30},
    )
    assert bad.status_code == 200 and 'value="not a url"' in bad.content.decode()


def _child_with_upi(upi: str):
    return person_register(
        first_name="Akinyi",
        surname="Otieno",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2015, 2, 3),
        county_code="042",
        sub_county_code="240",
        identifiers=[(T.NEMIS_UPI, upi)],
        queue_duplicates=False,
    )


def test_a_upi_is_verified_or_not_found_when_nemis_answers(
    world, geo, nemis, django_capture_on_commit_callbacks
):
    nemis.app.learners = {"ABC1234"}
    _configure(world, "nemis", nemis.url)
    with django_capture_on_commit_callbacks(execute=True):
        known = _child_with_upi("ABC1234")
        unknown = _child_with_upi("ZZZ9999")
    assert known.identifiers.get().verification == IdentifierVerification.VERIFIED
    assert unknown.identifiers.get().verification == IdentifierVerification.NOT_FOUND
    assert known.identifiers.get().verified_at is not None


def test_a_upi_stays_unverified_while_nemis_is_away_and_is_tried_again(
    world, geo, nemis, django_capture_on_commit_callbacks
):
    nemis.app.learners = {"ABC1234"}
    _configure(world, "nemis", nemis.url)
    nemis.app.down = True
    with django_capture_on_commit_callbacks(execute=True):
        child = _child_with_upi("ABC1234")  # registration goes on
    identifier = PersonIdentifier.objects.get(person=child)
    assert identifier.verification == IdentifierVerification.UNVERIFIED
    nemis.app.down = False
    assert services_reference.nemis_upis_unverified() == 1
    identifier.refresh_from_db()
    assert identifier.verification == IdentifierVerification.VERIFIED


def test_without_nemis_a_upi_is_unverified_and_other_numbers_are_not_checked(world, geo):
    child = _child_with_upi("ABC1234")
    assert child.identifiers.get().verification == IdentifierVerification.UNVERIFIED
    other = person_register(
        first_name="Baraka",
        surname="Odera",
        sex=Sex.MALE,
        date_of_birth=dt.date(2014, 2, 3),
        county_code="042",
        identifiers=[(T.BIRTH_CERTIFICATE, "1234567")],
        queue_duplicates=False,
    )
    assert other.identifiers.get().verification == ""

"""Issue 14, findings 3 and 8: registry links come only from records; person IDs are not
guessable; a person page is reachable only from a search result or a record; every registry
read is logged; look-ups are rate-limited per member in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from audit.workspace.models import AccessEntry
from case_apps.cases.retention import dispose_cases
from shared_registry import checkdigit
from shared_registry.identifiers import IdentifierType as T
from shared_registry.models import Person, PersonLink, RegistryLookupCount, Sex
from shared_registry.selectors import person_get_by_cpims_id
from shared_registry.services import person_register
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/persons"


@pytest.fixture
def colleague(world):
    """A second case worker of acme."""
    user = UserFactory(email="colleague@acme.test")
    membership_grant(user=user, organisation=world.acme, roles=[Role.CASE_WORKER])
    return user


@pytest.fixture
def mary(geo, world):
    """A child beta registered (beta holds a record on her); acme holds nothing."""
    return person_register(
        first_name="Mary",
        surname="Kamau",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2014, 3, 7),
        county_code="042",
        organisation=world.beta,
        identifiers=[(T.BIRTH_CERTIFICATE, "9988776")],
    )


def access_entries(organisation, kind: str) -> list[AccessEntry]:
    with workspace_context(organisation):
        return list(AccessEntry.objects.filter(record_kind=kind).order_by("pk"))


# --- finding 8: a link only from a record ---------------------------------------------------
def test_no_bare_call_links_a_person_or_discloses_details(world, mary):
    client = client_on(world.acme, world.acme_worker)
    [found] = client.get(API, {"q": mary.cpims_id}).json()
    assert found["known_to_others"] == 1
    response = client.post(f"{API}/{mary.cpims_id}/link", content_type="application/json")
    assert response.status_code in (404, 405)
    screen = client.post("/registry/register/", {"action": "link", "cpims_id": mary.cpims_id})
    assert screen.status_code != 302
    assert not PersonLink.objects.filter(person=mary, organisation=world.acme).exists()
    read = client.get(f"{API}/{mary.cpims_id}", {"ref": found["ref"]}).json()
    assert read["details_disclosed"] is False
    assert read["date_of_birth"] is None and read["identifiers"] == []
    beta = client_on(world.beta, world.beta_worker)
    assert beta.get(API, {"q": mary.cpims_id}).json()[0]["known_to_others"] == 0


def test_a_link_lasts_as_long_as_a_record(world, national_lists):
    child = make_child("Neema", "Wafula")  # registered on the platform: no organisation's
    first = open_case(world.acme, world.acme_worker, child)
    second = open_case(world.acme, world.acme_worker, child)
    assert PersonLink.objects.filter(person=child, organisation=world.acme).exists()
    with workspace_context(world.acme):
        dispose_cases([first.pk], "delete")
    assert PersonLink.objects.filter(person=child, organisation=world.acme).exists()
    with workspace_context(world.acme):
        dispose_cases([second.pk], "delete")
    assert not PersonLink.objects.filter(person=child, organisation=world.acme).exists()


def test_a_registration_the_organisation_made_keeps_its_link(world, national_lists):
    child = person_register(
        first_name="Baraka", surname="Ouma", sex=Sex.MALE, organisation=world.acme
    )
    case = open_case(world.acme, world.acme_worker, child)
    with workspace_context(world.acme):
        dispose_cases([case.pk], "delete")
    assert PersonLink.objects.filter(person=child, organisation=world.acme).exists()


# --- finding 3: IDs, reachability, logging, rate limit ----------------------------------------
def test_new_ids_are_drawn_at_random_and_keep_the_check_digit(world):
    ids = [
        person_register(first_name=f"Child{n}", surname="Random", sex=Sex.MALE).cpims_id
        for n in range(12)
    ]
    assert all(checkdigit.is_valid(i) for i in ids)
    bodies = sorted(int(i[:9]) for i in ids)
    gaps = {b - a for a, b in zip(bodies, bodies[1:], strict=False)}
    assert max(gaps) > 1000  # a sequence would step by one
    # an ID the old sequence issued stays valid and still finds its person
    old = checkdigit.cpims_id_from_number(100_000_001)
    Person.objects.filter(cpims_id=ids[0]).update(cpims_id=old)
    assert person_get_by_cpims_id(checkdigit.display(old)).first_name == "CHILD0"


def test_a_person_page_opens_only_from_a_search_result_or_a_record(world, mary, colleague):
    worker = client_on(world.acme, world.acme_worker)
    page = f"/registry/persons/{mary.cpims_id}/"
    assert worker.get(page).status_code == 404  # a typed or counted ID
    assert worker.get(f"{API}/{mary.cpims_id}").status_code == 404
    assert b"MARY" not in worker.get(page).content
    ref = worker.get(API, {"q": "Mary Kamau"}).json()[0]["ref"]
    opened = worker.get(page, {"ref": ref})
    assert opened.status_code == 200 and "9988776" not in opened.content.decode()
    colleague = client_on(world.acme, colleague)  # someone else's ref is no key
    assert colleague.get(page, {"ref": ref}).status_code == 404
    assert worker.get(f"/registry/persons/{make_child().cpims_id}/", {"ref": ref}).status_code == (
        404
    )
    beta = client_on(world.beta, world.beta_worker)  # beta holds a record: reachable
    assert "9988776" in beta.get(page).content.decode()
    search = worker.get("/registry/", {"q": "Mary Kamau"}).content.decode()
    assert f"{page}?ref=" in search


def test_every_registry_read_is_in_the_access_log(world, mary):
    worker = client_on(world.acme, world.acme_worker)
    worker.get("/registry/", {"q": "Mary Kamau"})
    ref = worker.get(API, {"q": "Mary Kamau"}).json()[0]["ref"]
    worker.get(f"/registry/persons/{mary.cpims_id}/", {"ref": ref})
    worker.get(f"{API}/{mary.cpims_id}", {"ref": ref})
    searches = access_entries(world.acme, "registry_search")
    assert len(searches) == 2
    assert all(mary.cpims_id in e.purpose and e.actor_id == world.acme_worker.pk for e in searches)
    reads = access_entries(world.acme, "registry_person")
    assert [e.record_id for e in reads] == [mary.cpims_id, mary.cpims_id]
    assert access_entries(world.beta, "registry_person") == []


@override_settings(REGISTRY_LOOKUPS_PER_MINUTE=3)
def test_look_ups_are_limited_per_member_in_the_database(world, mary, colleague):
    worker = client_on(world.acme, world.acme_worker)
    for _ in range(3):
        assert worker.get("/registry/", {"q": "Mary Kamau"}).status_code == 200
    assert worker.get("/registry/", {"q": "Mary Kamau"}).status_code == 429
    assert worker.get(API, {"q": "Mary Kamau"}).status_code == 429
    assert worker.get(f"/registry/persons/{mary.cpims_id}/").status_code == 429
    other = client_on(world.acme, colleague)  # per member
    assert other.get("/registry/", {"q": "Mary Kamau"}).status_code == 200
    counted = RegistryLookupCount.objects.get(
        key=f"m:{world.acme.schema_name}:{world.acme_worker.pk}"
    )
    assert counted.count == 6  # in the database, shared by every process


def test_registry_managers_reads_are_logged_on_the_platform(world, mary):
    from audit.models import PlatformAccessEntry

    hq = client_on(None, world.hq_admin)
    assert hq.get(f"/registry/persons/{mary.cpims_id}/").status_code == 200
    assert PlatformAccessEntry.objects.filter(
        record_kind="registry_person", record_id=mary.cpims_id
    ).exists()

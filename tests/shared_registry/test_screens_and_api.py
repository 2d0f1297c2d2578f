"""Registry screens and API: members who record cases register and search in their
workspace; registry managers (national administrators) on the platform site. Every
endpoint: the other organisation's member and an outsider get nothing."""

import datetime as dt

import pytest

from shared_registry.identifiers import IdentifierType as T
from shared_registry.models import Person, PersonLink, PersonMerge, PotentialDuplicate, Sex
from shared_registry.services import person_register
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def mary(geo, world):
    return person_register(
        first_name="Mary",
        other_names="Wanjiru",
        surname="Kamau",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2014, 3, 7),
        county_code="042",
        organisation=world.beta,
        identifiers=[(T.BIRTH_CERTIFICATE, "9988776")],
    )


WORKSPACE_GETS = [
    "/registry/",
    "/registry/?q=Mary",
    "/registry/register/",
    "/api/v1/registry/persons?q=Mary",
]
PLATFORM_GETS = [
    "/registry/?q=Mary",
    "/registry/register/",
    "/registry/duplicates/",
    "/registry/merges/",
    "/api/v1/registry/persons?q=Mary",
]
DESK = {"/registry/duplicates/", "/registry/merges/"}  # the registry manager's desk only


def _no_data(response, mary):
    assert response.status_code not in range(200, 300) or mary.cpims_id not in response.text
    assert response.status_code != 500


@pytest.mark.parametrize("path", WORKSPACE_GETS)
def test_workspace_endpoints_refuse_other_members_and_outsiders(world, mary, path):
    for user in (world.beta_worker, world.outsider, world.hq_admin, None):
        _no_data(client_on(world.acme, user).get(path), mary)
    person_path = f"/registry/persons/{mary.cpims_id}/"
    for user in (world.beta_worker, world.outsider, None):
        _no_data(client_on(world.acme, user).get(person_path), mary)
        _no_data(client_on(world.acme, user).get(f"/api/v1{person_path.rstrip('/')}"), mary)
        response = client_on(world.acme, user).post(
            f"/api/v1/registry/persons/{mary.cpims_id}/link", content_type="application/json"
        )
        assert response.status_code in (401, 403, 404, 405)
    assert not PersonLink.objects.filter(person=mary, organisation=world.acme).exists()


@pytest.mark.parametrize("path", PLATFORM_GETS)
def test_platform_endpoints_are_for_registry_managers_only(world, mary, path, registry_manager):
    for user in (world.acme_worker, world.beta_worker, world.outsider):
        response = client_on(None, user).get(path)
        assert response.status_code == 403, (path, user)
    assert client_on(None, registry_manager).get(path).status_code == 200
    national_administrator = client_on(None, world.hq_admin).get(path).status_code
    assert national_administrator == (403 if path in DESK else 200)
    anonymous = client_on(None).get(path)
    assert anonymous.status_code in (302, 401)


def test_platform_person_and_merge_endpoints_refuse_non_managers(world, mary):
    other = person_register(first_name="Grace", surname="Otieno", sex=Sex.FEMALE)
    for user in (world.acme_worker, world.outsider):
        client = client_on(None, user)
        assert client.get(f"/registry/persons/{mary.cpims_id}/").status_code == 403
        assert client.get(f"/api/v1/registry/persons/{mary.cpims_id}").status_code == 403
        response = client.post(
            "/api/v1/registry/merges",
            {"survivor": mary.cpims_id, "merged": other.cpims_id},
            content_type="application/json",
        )
        assert response.status_code == 403
    assert not PersonMerge.objects.exists()


def test_workspace_search_shows_minimal_disclosure_and_request_access(world, mary):
    response = client_on(world.acme, world.acme_worker).get("/registry/?q=Mary+Kamau")
    assert response.status_code == 200
    text = response.content.decode()
    assert mary.cpims_id in text and "1 other organisation" in text
    assert "9988776" not in text and "Beta" not in text
    assert f"/sharing/access-requests/new/?person={mary.cpims_id}" in text


def test_one_name_alone_is_not_searched_and_the_screen_says_why(world, mary):
    client = client_on(world.acme, world.acme_worker)
    one = client.get("/registry/?q=Mary").content.decode()
    assert mary.cpims_id not in one and 'data-testid="one-name-hint"' in one
    two = client.get("/registry/?q=Mary+Kamau").content.decode()
    assert mary.cpims_id in two and 'data-testid="one-name-hint"' not in two


def test_person_page_discloses_details_only_to_linked_organisations(world, mary):
    client = client_on(world.acme, world.acme_worker)
    [found] = client.get("/api/v1/registry/persons", {"q": mary.cpims_id}).json()
    acme = client.get(f"/registry/persons/{mary.cpims_id}/", {"ref": found["ref"]})
    assert acme.status_code == 200 and "9988776" not in acme.content.decode()
    beta = client_on(world.beta, world.beta_worker).get(f"/registry/persons/{mary.cpims_id}/")
    assert "9988776" in beta.content.decode()


def test_register_screen_checks_first_then_links_or_registers(world, mary):
    client = client_on(world.acme, world.acme_worker)
    typed = {
        "first_name": "Mery",
        "surname": "Kamau",
        "other_names": "Wanjiro",
        "sex": "SFEM",
        "date_of_birth": "2014-07-03",
        "county_code": "042",
    }
    check = client.post("/registry/register/", {**typed, "action": "check"})
    text = check.content.decode()
    assert check.status_code == 200 and mary.cpims_id in text
    assert "day and month swapped" in text and 'value="Wanjiro"' in text
    partial = client.post(
        "/registry/register/", {**typed, "action": "check"}, HTTP_HX_REQUEST="true"
    )
    assert 'id="candidates"' in partial.content.decode() and "<html" not in partial.content.decode()
    link = client.post("/registry/register/", {"action": "link", "cpims_id": mary.cpims_id})
    assert link.status_code == 200  # no such action: the form is shown again
    assert not PersonLink.objects.filter(person=mary, organisation=world.acme).exists()
    new = client.post("/registry/register/", {**typed, "first_name": "Faith", "action": "register"})
    assert new.status_code == 302
    faith = Person.objects.get(first_name="FAITH", surname="KAMAU")
    assert PersonLink.objects.filter(person=faith, organisation=world.acme).exists()


def test_register_screen_shows_errors_per_field_and_keeps_input(world, geo):
    client = client_on(world.acme, world.acme_worker)
    response = client.post(
        "/registry/register/",
        {
            "first_name": "Brian",
            "surname": "Kiprotich",
            "sex": "SMAL",
            "action": "register",
            "date_of_birth": "2099-01-01",
            "identifier_type_1": "INTL",
            "identifier_value_1": "12",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "in the future" in text and "6 to 8 digits" in text and 'value="Kiprotich"' in text
    assert not Person.objects.filter(surname="KIPROTICH").exists()


def test_workspace_api_search_match_create_read(world, mary):
    client = client_on(world.acme, world.acme_worker)
    found = client.get("/api/v1/registry/persons", {"q": "Kamau Mary"}).json()
    assert found[0]["cpims_id"] == mary.cpims_id and found[0]["known_to_others"] == 1
    assert "identifiers" not in found[0]
    body = {"first_name": "Mary", "surname": "Kamau", "sex": "SFEM", "date_of_birth": "2014-03-07"}
    matches = client.post("/api/v1/registry/matches", body, content_type="application/json")
    assert matches.json()[0]["cpims_id"] == mary.cpims_id and matches.json()[0]["reasons"]
    read = client.get(f"/api/v1/registry/persons/{mary.cpims_id}", {"ref": found[0]["ref"]})
    assert read.json()["details_disclosed"] is False and read.json()["identifiers"] == []
    bad = client.post(
        "/api/v1/registry/persons",
        {**body, "county_code": "999", "identifiers": [{"type": "ISOV", "value": "x"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"county", "identifier_ISOV"}
    created = client.post(
        "/api/v1/registry/persons", {**body, "first_name": "Ann"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["details_disclosed"] is True
    assert "/api/v1/registry/persons" in client.get("/api/v1/openapi.json").json()["paths"]


def test_platform_api_merge_and_undo(world, mary, registry_manager):
    twin = person_register(
        first_name="Mary", surname="Kamau", sex=Sex.FEMALE, birth_year=2014, organisation=world.acme
    )
    client = client_on(None, registry_manager)
    merged = client.post(
        "/api/v1/registry/merges",
        {"survivor": mary.cpims_id, "merged": twin.cpims_id},
        content_type="application/json",
    )
    assert merged.status_code == 201
    read = client.get(f"/api/v1/registry/persons/{twin.cpims_id}").json()
    assert read["cpims_id"] == mary.cpims_id
    undo = client.post(f"/api/v1/registry/merges/{merged.json()['id']}/undo")
    assert undo.json()["undone"] is True
    again = client.post(f"/api/v1/registry/merges/{merged.json()['id']}/undo")
    assert again.status_code == 422


def test_duplicates_queue_merge_and_undo_screens(world, mary, registry_manager):
    twin = person_register(
        first_name="Mary",
        surname="Kamau",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2014, 3, 7),
        county_code="042",
    )
    duplicate = PotentialDuplicate.objects.get()
    client = client_on(None, registry_manager)
    assert twin.cpims_id in client.get("/registry/duplicates/").content.decode()
    response = client.post(
        f"/registry/duplicates/{duplicate.pk}/",
        {"action": "merge", "survivor": "a", "reason": "Same birth certificate on file"},
    )
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    assert client.get("/registry/merges/").status_code == 200
    assert client.post(f"/registry/merges/{merge.pk}/undo/").status_code == 302
    merge.refresh_from_db()
    assert merge.undone_at is not None
    for user in (world.acme_admin, world.outsider, world.hq_admin):
        assert client_on(None, user).post(f"/registry/merges/{merge.pk}/undo/").status_code == 403


def test_api_create_stops_on_likely_matches_until_confirmed(world, mary):
    client = client_on(world.acme, world.acme_worker)
    body = {
        "first_name": "Mary",
        "surname": "Kamau",
        "sex": "SFEM",
        "date_of_birth": "2014-03-07",
        "county_code": "042",
    }
    conflict = client.post("/api/v1/registry/persons", body, content_type="application/json")
    assert conflict.status_code == 409
    assert conflict.json()["candidates"][0]["cpims_id"] == mary.cpims_id
    assert conflict.json()["candidates"][0]["level"] == "likely"
    before = Person.objects.count()
    no_reason = client.post(
        "/api/v1/registry/persons", {**body, "confirm_new": True}, content_type="application/json"
    )
    assert no_reason.status_code == 422
    assert set(no_reason.json()["errors"]) == {"registered_anyway_reason"}
    assert Person.objects.count() == before
    confirmed = client.post(
        "/api/v1/registry/persons",
        {**body, "confirm_new": True, "registered_anyway_reason": "Her twin, born minutes later"},
        content_type="application/json",
    )
    assert confirmed.status_code == 201 and Person.objects.count() == before + 1
    queued = PotentialDuplicate.objects.get()
    assert queued.registered_anyway_reason == "Her twin, born minutes later"


def test_htmx_check_with_missing_fields_answers_the_errors_in_the_partial(world, geo):
    client = client_on(world.acme, world.acme_worker)
    response = client.post(
        "/registry/register/", {"first_name": "Otieno", "action": "check"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert "Correct the fields" in text and "Surname" in text

"""Issue 14, finding 3 (the gap left): the case and OVC "find or register the child" screens
read registry candidates as the registry's own screens do: each search is in the access
log, counts against the member's look-up limit (429 over it) and stays in the searching
organisation's log only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from shared_registry.models import Sex
from shared_registry.services import person_register
from tenants.models import Role
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.shared_registry.test_hardening import access_entries, last_entry

pytestmark = pytest.mark.django_db

SCREENS = {
    # organisation attribute of the world -> the screen that finds the child there
    "acme": "/cases/find-child/",
    "beta": "/ovc/find-person/?for=household",
}
OTHER = {"acme": "beta", "beta": "acme"}
SEARCH = {"first_name": "Mary", "surname": "Kamau", "sex": "SFEM", "action": "search"}


@pytest.fixture
def mary(world):
    """A child beta registered; the search finds her from either organisation."""
    return person_register(
        first_name="Mary",
        surname="Kamau",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2014, 3, 7),
        organisation=world.beta,
    )


def _member(world, slug: str, email: str):
    user = UserFactory(email=email)
    membership_grant(user=user, organisation=getattr(world, slug), roles=[Role.CASE_WORKER])
    return user


@pytest.mark.parametrize("slug", ["acme", "beta"])
def test_a_search_from_the_screen_is_in_the_access_log_of_that_organisation_only(world, mary, slug):
    organisation, other = getattr(world, slug), getattr(world, OTHER[slug])
    before, other_before = last_entry(organisation), last_entry(other)
    user = _member(world, slug, f"finder@{slug}.test")
    page = client_on(organisation, user).post(SCREENS[slug], SEARCH)
    assert page.status_code == 200 and mary.cpims_id_display.encode() in page.content
    [entry] = access_entries(organisation, "registry_search", after=before)
    assert entry.actor_id == user.pk and "Mary Kamau" in entry.record_id
    assert mary.cpims_id in entry.purpose
    assert access_entries(other, "registry_search", after=other_before) == []


@pytest.mark.parametrize("slug", ["acme", "beta"])
@override_settings(REGISTRY_LOOKUPS_PER_MINUTE=1000, REGISTRY_LOOKUPS_PER_DAY=2)
def test_searches_from_the_screen_count_against_the_members_limit(world, mary, slug):
    organisation, other = getattr(world, slug), getattr(world, OTHER[slug])
    client = client_on(organisation, _member(world, slug, f"counted@{slug}.test"))
    assert [client.post(SCREENS[slug], SEARCH).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/registry/", {"q": "Mary Kamau"}).status_code == 429  # one limit
    # the other organisation's member is not held back by it
    neighbour = client_on(other, _member(world, OTHER[slug], f"neighbour@{OTHER[slug]}.test"))
    assert neighbour.post(SCREENS[OTHER[slug]], SEARCH).status_code == 200

"""Issue 16: the registry's selectors and services take the actor, ask the policy and write
the access log themselves; called directly (no view, no endpoint) they refuse as the screens
and the API do. The API keeps its operations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Max

from audit.models import PlatformAccessEntry
from audit.workspace.models import AccessEntry
from shared_registry import selectors_desk, selectors_lookups, services_desk
from shared_registry.access import TooManyLookups
from shared_registry.models import Person, PersonMerge, PotentialDuplicate, RegistryLookupCount, Sex
from shared_registry.services import person_register
from tenants.actor import Actor, Forbidden, NotFound
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_CHILD = {"first_name": "Zawadi", "surname": "Achieng", "sex": Sex.FEMALE}


@pytest.fixture
def mary(geo, world):
    """A child beta holds a record on; acme holds nothing."""
    return person_register(
        first_name="Mary",
        surname="Kamau",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2014, 3, 7),
        county_code="042",
        organisation=world.beta,
    )


@pytest.fixture
def acme_viewer(world):
    user = UserFactory(email="viewer@acme.test")
    membership_grant(user=user, organisation=world.acme, roles=[Role.VIEWER])
    return Actor(user=user, organisation=world.acme)


@pytest.fixture
def worker(world):
    return Actor(user=world.acme_worker, organisation=world.acme)


@pytest.fixture
def manager(registry_manager):
    return Actor(user=registry_manager)


_SEEN: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _count_from_here(world):
    """Access entries and look-up counts are written to survive a rolled-back request, so
    earlier tests' may still be there: each test counts only its own."""
    with workspace_context(world.acme):
        _SEEN["acme"] = AccessEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    RegistryLookupCount.objects.all().delete()


def entries(organisation, kind: str) -> list[AccessEntry]:
    with workspace_context(organisation):
        since = _SEEN.get(organisation.slug, 0)
        return list(AccessEntry.objects.filter(record_kind=kind, pk__gt=since).order_by("pk"))


def test_a_viewer_cannot_register_and_nothing_is_saved(acme_viewer):
    with pytest.raises(Forbidden):
        services_desk.registration_submit(actor=acme_viewer, values=NEW_CHILD)
    with pytest.raises(Forbidden):
        selectors_lookups.candidates_read(actor=acme_viewer, values=NEW_CHILD)
    assert not Person.objects.filter(first_name="ZAWADI").exists()


def test_the_adapters_translate_the_refusal(world, acme_viewer):
    """The viewer's refusal as the screen (the forbidden page) and the API (403 naming the
    role) give it; the search the role allows answers."""
    client = client_on(world.acme, acme_viewer.user)
    screen = client.post("/registry/register/", {"action": "register", **NEW_CHILD})
    assert screen.status_code == 403
    assert "errors/forbidden.html" in [t.name for t in screen.templates]
    api = client.post("/api/v1/registry/persons", NEW_CHILD, content_type="application/json")
    assert api.status_code == 403 and api.json() == {"detail": "Your role does not allow this."}
    assert client.get("/api/v1/registry/persons", {"q": "Zawadi Achieng"}).status_code == 200
    assert not Person.objects.filter(first_name="ZAWADI").exists()


def test_a_member_registers_for_their_organisation(world, worker):
    with workspace_context(world.acme):
        person = services_desk.registration_submit(actor=worker, values=NEW_CHILD)
        read = selectors_lookups.person_registered_read(actor=worker, person=person)
    assert person.created_in == world.acme and person.created_by == world.acme_worker
    assert read.show_details and read.linked


def test_a_member_outside_the_organisation_is_refused(world, mary):
    stranger = Actor(user=world.beta_worker, organisation=world.acme)  # no acme membership
    with pytest.raises(Forbidden):
        selectors_lookups.registry_search(actor=stranger, query="Mary Kamau")
    with pytest.raises(Forbidden):
        selectors_lookups.person_read(actor=stranger, cpims_id=mary.cpims_id)


def test_a_person_read_without_record_or_ref_is_not_found_and_logs_nothing(world, mary, worker):
    with workspace_context(world.acme):
        with pytest.raises(NotFound):
            selectors_lookups.person_read(actor=worker, cpims_id=mary.cpims_id)
        with pytest.raises(NotFound):  # an unknown ID answers alike
            selectors_lookups.person_read(actor=worker, cpims_id="0000000000")
    assert entries(world.acme, "registry_person") == []


def test_a_read_with_the_ref_of_a_search_logs_one_entry(world, mary, worker, acme_viewer):
    with workspace_context(world.acme):
        [card] = selectors_lookups.registry_search(actor=worker, query="Mary Kamau")
        read = selectors_lookups.person_read(actor=worker, cpims_id=mary.cpims_id, ref=card["ref"])
        with pytest.raises(NotFound):  # the ref is this member's only
            selectors_lookups.person_read(
                actor=acme_viewer, cpims_id=mary.cpims_id, ref=card["ref"]
            )
    assert read.person == mary and not read.show_details and read.identifiers == []
    assert "date_of_birth" not in card and card["year_of_birth"] == "2014"
    [search] = entries(world.acme, "registry_search")
    assert search.actor_id == world.acme_worker.pk and mary.cpims_id in search.purpose
    [entry] = entries(world.acme, "registry_person")
    assert entry.record_id == mary.cpims_id and entry.actor_id == world.acme_worker.pk
    assert entry.purpose == "registry summary"


def test_a_search_counts_against_the_members_limit(world, mary, worker, settings):
    settings.REGISTRY_LOOKUPS_PER_DAY = 1
    with workspace_context(world.acme):
        assert selectors_lookups.registry_search(actor=worker, query="") == []  # not a look-up
        selectors_lookups.registry_search(actor=worker, query="Mary Kamau")
        with pytest.raises(TooManyLookups):
            selectors_lookups.registry_search(actor=worker, query="Mary Kamau")
    assert len(entries(world.acme, "registry_search")) == 1


def test_a_mistyped_cpims_id_is_refused_on_q_when_asked(world, mary, worker):
    typo = mary.cpims_id[:-1] + str((int(mary.cpims_id[-1]) + 1) % 10)
    with workspace_context(world.acme), pytest.raises(ValidationError) as refused:
        selectors_lookups.registry_search(actor=worker, query=typo, refuse_mistyped_id=True)
    assert "q" in refused.value.message_dict
    assert entries(world.acme, "registry_search") == []


@pytest.fixture
def pair(mary):
    twin = person_register(
        first_name="Mary", surname="Kamau", sex=Sex.FEMALE, date_of_birth=dt.date(2014, 3, 7)
    )
    a, b = sorted((mary.pk, twin.pk))
    return PotentialDuplicate.objects.get_or_create(
        person_a_id=a, person_b_id=b, defaults={"score": 90, "reasons": []}
    )[0]


def test_a_workspace_member_cannot_merge_or_read_the_desk(world, worker, mary, pair):
    admin = Actor(user=world.acme_admin, organisation=world.acme)
    for actor in (worker, admin):
        with pytest.raises(Forbidden):
            services_desk.duplicate_decide(
                actor=actor, pair_id=pair.pk, action="merge", keep="a", reason="same child"
            )
        with pytest.raises(Forbidden):
            services_desk.merge_record(
                actor=actor, survivor_id=pair.person_a.cpims_id, merged_id=mary.cpims_id
            )
        with pytest.raises(Forbidden):
            selectors_desk.duplicates_queue(actor=actor)
    assert not PersonMerge.objects.exists()


def test_the_national_administrator_manages_the_registry_but_not_the_desk(world, pair):
    hq = Actor(user=world.hq_admin)
    with pytest.raises(Forbidden):
        services_desk.duplicate_decide(actor=hq, pair_id=pair.pk, action="dismiss")
    with pytest.raises(Forbidden):
        services_desk.merge_undo(actor=hq, merge_id=1)
    assert selectors_desk.duplicates_open_count(actor=hq) is None
    read = selectors_lookups.person_read(actor=hq, cpims_id=pair.person_a.cpims_id)
    assert read.show_details
    assert PlatformAccessEntry.objects.filter(
        record_kind="registry_person", record_id=pair.person_a.cpims_id, actor=world.hq_admin
    ).exists()


def test_the_registry_manager_decides_merges_and_undoes(manager, pair):
    with pytest.raises(NotFound):
        services_desk.duplicate_decide(actor=manager, pair_id=pair.pk + 1000, action="dismiss")
    with pytest.raises(ValidationError):
        services_desk.duplicate_decide(actor=manager, pair_id=pair.pk, action="guess")
    assert selectors_desk.duplicates_open_count(actor=manager) == 1
    merge = services_desk.duplicate_decide(
        actor=manager, pair_id=pair.pk, action="merge", keep="a", reason="same child"
    )
    assert merge.survivor == pair.person_a and merge.merged_by == manager.user
    assert selectors_desk.merges_list(actor=manager) == [merge]
    undone = services_desk.merge_undo(actor=manager, merge_id=merge.pk)
    assert undone.undone_at is not None and undone.undone_by == manager.user
    with pytest.raises(NotFound):
        services_desk.merge_undo(actor=manager, merge_id=merge.pk + 1000)


# The registry's operations as main served them before the split (issue 16): method, path and
# operation id of each, on both APIs. Splitting api.py by subject must keep every one.
OPERATIONS_BEFORE = {
    "workspace": {
        ("GET", "/api/v1/registry/persons", "shared_registry_api_workspace_search"),
        ("POST", "/api/v1/registry/persons", "shared_registry_api_workspace_create"),
        ("POST", "/api/v1/registry/matches", "shared_registry_api_workspace_match"),
        ("GET", "/api/v1/registry/persons/{cpims_id}", "shared_registry_api_workspace_read"),
        ("GET", "/api/v1/registry/directory", "shared_registry_api_workspace_directory"),
        ("GET", "/api/v1/places/counties", "shared_registry_api_places_counties"),
        ("GET", "/api/v1/places/sub-counties", "shared_registry_api_places_sub_counties"),
        ("GET", "/api/v1/places/wards", "shared_registry_api_places_wards"),
    },
    "platform": {
        ("GET", "/api/v1/registry/persons", "shared_registry_api_platform_search"),
        ("POST", "/api/v1/registry/persons", "shared_registry_api_platform_create"),
        ("GET", "/api/v1/registry/persons/{cpims_id}", "shared_registry_api_platform_read"),
        ("POST", "/api/v1/registry/merges", "shared_registry_api_platform_merge"),
        ("POST", "/api/v1/registry/merges/{merge_id}/undo", "shared_registry_api_platform_unmerge"),
        ("GET", "/api/v1/registry/duplicates", "shared_registry_api_platform_queue"),
        (
            "POST",
            "/api/v1/registry/duplicates/{pair_id}/decision",
            "shared_registry_api_platform_decide",
        ),
        ("GET", "/api/v1/registry/directory", "shared_registry_api_platform_directory"),
        ("GET", "/api/v1/places/counties", "shared_registry_api_places_counties"),
        ("GET", "/api/v1/places/sub-counties", "shared_registry_api_places_sub_counties"),
        ("GET", "/api/v1/places/wards", "shared_registry_api_places_wards"),
    },
}


def test_the_registry_keeps_its_api_operations():
    from cpims.api import platform_api, workspace_api

    for name, api in (("workspace", workspace_api), ("platform", platform_api)):
        document = api.get_openapi_schema(path_prefix="/api/v1")
        operations = {
            (method.upper(), path, operation["operationId"])
            for path, methods in document["paths"].items()
            for method, operation in methods.items()
            if operation["operationId"].startswith("shared_registry_")
        }
        assert operations == OPERATIONS_BEFORE[name]


def test_the_routers_stay_where_the_capability_names_them():
    from shared_registry import api, api_common

    assert api.workspace_router is api_common.workspace_router
    assert api.platform_router is api_common.platform_router

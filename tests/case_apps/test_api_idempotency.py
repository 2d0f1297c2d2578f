"""``Idempotency-Key`` on API creates: a repeat replays the first answer and writes nothing,
the same key with another body is a 422 naming the header, and two requests with one key at
the same moment make one write."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from audit.services import token_create
from case_apps.cases.models import CaseRecord
from case_apps.cases.services import replays
from case_apps.outbox.models import IdempotentRequest
from cpims.idempotency import lock_name
from cpims.models import IdempotentRequest as PublicIdempotentRequest
from provisioning import blueprint
from provisioning.services import organisation_provision
from shared_registry.models import Person, PersonLink, PotentialDuplicate
from tenants.actor import member_actor
from tenants.models import Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.case_apps.conftest import make_child, search_ref
from tests.conftest import client_on, host_of
from tests.factories import UserFactory
from tests.races import own_connection, wait_until_waiting, waiting_locks

pytestmark = pytest.mark.django_db


def case_body(child, **overrides) -> dict:
    return {
        "child_id": child.pk,
        "date_reported": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "how_reported": "phone",
        "reporter_type": "CRHE",
        "risk_level": "RLMD",
        "categories": [{"category_code": "CTRF", "sub_category_codes": ["LBDW"]}],
        **overrides,
    }


def post(client: Client, body: dict, key: str | None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post("/api/v1/cases", body, content_type="application/json", headers=headers)


def cases_of(organisation, child) -> int:
    with workspace_context(organisation):
        return CaseRecord.objects.filter(child_id=child.pk).count()


def test_a_repeated_create_replays_the_first_answer_and_writes_once(world, team):
    client = client_on(world.acme, team.worker)
    child = make_child()
    body = case_body(child, child_ref=search_ref(world.acme, team.worker, child))
    first = post(client, body, "7d7c1c5e-0b6e-4a8e-9a57-3f0c2b1f0a01")
    again = post(client, body, "7d7c1c5e-0b6e-4a8e-9a57-3f0c2b1f0a01")
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert cases_of(world.acme, child) == 1
    # without a key (or with a new one) the API creates as it always did
    assert post(client, body, "another-key").status_code == 201
    assert cases_of(world.acme, child) == 2


def test_a_token_caller_gets_the_same_replay(world, team):
    _token, raw = token_create(actor=member_actor(team.worker, world.acme), name="sync")
    client = Client(HTTP_HOST=host_of(world.acme), HTTP_AUTHORIZATION=f"Bearer {raw}")
    child = make_child()
    body = case_body(child, child_ref=search_ref(world.acme, team.worker, child))
    first = post(client, body, "offline-capture-1")
    again = post(client, body, "offline-capture-1")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert cases_of(world.acme, child) == 1


def test_the_same_key_with_another_body_is_a_422_naming_the_header(world, team):
    client = client_on(world.acme, team.worker)
    child = make_child()
    ref = search_ref(world.acme, team.worker, child)
    assert post(client, case_body(child, child_ref=ref), "k-1").status_code == 201
    other = post(client, case_body(child, child_ref=ref, risk_level="RLHG"), "k-1")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["errors"]
    assert cases_of(world.acme, child) == 1


def test_keys_belong_to_their_user_and_organisation(world, team):
    child = make_child()
    mine = case_body(child, child_ref=search_ref(world.acme, team.worker, child))
    theirs = case_body(child, child_ref=search_ref(world.acme, team.other_worker, child))
    first = post(client_on(world.acme, team.worker), mine, "shared-key")
    second = post(client_on(world.acme, team.other_worker), theirs, "shared-key")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    with workspace_context(world.acme):  # kept in the organisation's own schema
        assert IdempotentRequest.objects.filter(key="shared-key").count() == 2
    assert not PublicIdempotentRequest.objects.filter(key="shared-key").exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "tab\there"])
def test_a_malformed_key_is_a_422_and_nothing_is_written(world, team, key):
    child = make_child()
    response = post(client_on(world.acme, team.worker), case_body(child), key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert cases_of(world.acme, child) == 0


def test_a_refused_create_is_replayed_as_refused(world, team):
    client = client_on(world.acme, team.worker)
    child = make_child()
    bad = case_body(child, risk_level="ZZZ", child_ref=search_ref(world.acme, team.worker, child))
    assert post(client, bad, "bad-1").status_code == 422
    assert post(client, bad, "bad-1").status_code == 422
    assert cases_of(world.acme, child) == 0


@pytest.fixture(scope="module")
def own_workspace(world, national_lists, django_db_blocker):
    """An organisation of its own, a case worker and a child, committed (the two requests
    run on their own connections), dropped afterwards."""
    with django_db_blocker.unblock():
        organisation = organisation_provision(
            organisation=organisation_create(name="Idempotent Home", slug="idem", kind="cci")
        )
        worker = UserFactory(email="worker@idem.test")
        membership_grant(user=worker, organisation=organisation, roles=[Role.CASE_WORKER])
        child = make_child("Imani", "Retry")
    yield organisation, worker, child
    with django_db_blocker.unblock():
        PersonLink.objects.filter(person=child).delete()
        PotentialDuplicate.objects.filter(person_a=child).delete()
        PotentialDuplicate.objects.filter(person_b=child).delete()
        blueprint.schema_drop(organisation.schema_name)
        organisation.delete()
        Person.objects.filter(pk=child.pk).delete()
        User.objects.filter(pk=worker.pk).delete()


def test_two_requests_with_one_key_at_once_make_one_write(own_workspace):
    organisation, worker, child = own_workspace
    key = "concurrent-1"
    answers: list = []
    # one body for both: the search ref is signed with a timestamp, so two refs made in
    # different seconds (a loaded machine) would be two different requests under one key
    body = case_body(child, child_ref=search_ref(organisation, worker, child))

    def send() -> None:
        try:
            client = client_on(organisation, worker)
            answers.append(post(client, body, key))
        finally:
            connection.close()

    with own_connection() as own:
        name = lock_name(organisation.schema_name, worker.pk, key)
        with own.cursor() as cursor:  # hold the key so that both requests wait on it
            cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [name])
        before = waiting_locks(own)
        threads = [threading.Thread(target=send) for _ in range(2)]
        try:
            for thread in threads:
                thread.start()
            wait_until_waiting(own, before + 2)
        finally:
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [name])
            for thread in threads:
                thread.join(60)
    assert [a.status_code for a in answers] == [201, 201], [a.content for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert sorted(a.has_header("Idempotent-Replayed") for a in answers) == [False, True]
    with workspace_context(organisation):
        assert CaseRecord.objects.filter(child_id=child.pk).count() == 1


def test_the_platform_api_replays_too_and_keeps_its_answers_in_public(world):
    from shared_registry.models import Person

    client = client_on(None, world.hq_admin)
    body = {"first_name": "Juma", "surname": "Idempotent", "sex": "SMAL", "birth_year": 2016}

    def register():
        return client.post(
            "/api/v1/registry/persons",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": "registry-1"},
        )

    before = Person.objects.count()
    first, again = register(), register()
    assert first.status_code == 201, first.content
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Person.objects.count() == before + 1
    assert PublicIdempotentRequest.objects.filter(user_id=world.hq_admin.pk).count() == 1


def test_two_creates_with_one_client_uuid_at_once_make_one_case(own_workspace):
    """Without an Idempotency-Key, the client's uuid alone keeps two simultaneous creates
    from making two cases (or a 500 on the unique index): the second replays the first."""
    organisation, worker, child = own_workspace
    chosen = str(uuid.uuid4())
    answers: list = []

    def send() -> None:
        try:
            client = client_on(organisation, worker)
            ref = search_ref(organisation, worker, child)
            answers.append(post(client, case_body(child, child_ref=ref, uuid=chosen), None))
        finally:
            connection.close()

    with own_connection() as own:
        name = replays.lock_name(organisation.schema_name, chosen)
        with own.cursor() as cursor:  # hold the uuid so that both creates wait on it
            cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [name])
        before = waiting_locks(own)
        threads = [threading.Thread(target=send) for _ in range(2)]
        try:
            for thread in threads:
                thread.start()
            wait_until_waiting(own, before + 2)
        finally:
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [name])
            for thread in threads:
                thread.join(60)
    assert sorted(a.status_code for a in answers) == [200, 201], [a.content for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    with workspace_context(organisation):
        assert CaseRecord.objects.filter(uuid=chosen).count() == 1

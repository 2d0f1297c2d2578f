"""A person registered through the API may carry the client's own uuid (issue 16 item 4): a
repeat with the same uuid and names answers 200 with the person and writes nothing (it is
not stopped as "probably the same child" by its own record); other names are a 422 naming
``uuid``; another organisation's uuid never hands over its person. The CPIMS ID stays the
registry's."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from shared_registry.models import Person, PersonLink, PotentialDuplicate
from tenants.client_ids import lock_name
from tests.conftest import client_on
from tests.races import own_connection, wait_until_waiting, waiting_locks

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/persons"
BODY = {"first_name": "Zawadi", "surname": "Nyambura", "sex": "SFEM", "date_of_birth": "2015-06-01"}

# the raced registration commits: names no other test looks for
RACED = {"first_name": "Tumaini", "surname": "Kishindo", "sex": "SMAL", "birth_year": 2012}


def _post(client, body: dict):
    return client.post(URL, body, content_type="application/json")


def _written() -> tuple[int, int, int]:
    return Person.objects.count(), PersonLink.objects.count(), PotentialDuplicate.objects.count()


def test_the_person_uuid_is_unique_and_drawn_when_the_client_gives_none(world):
    field = Person._meta.get_field("uuid")
    assert field.unique and not field.editable
    client = client_on(world.acme, world.acme_worker)
    created = _post(client, BODY)
    assert created.status_code == 201, created.content
    person = Person.objects.get(cpims_id=created.json()["cpims_id"])
    assert created.json()["uuid"] == str(person.uuid)


def test_a_registration_with_the_clients_uuid_is_replayed_not_doubled(world):
    client = client_on(world.acme, world.acme_worker)
    chosen = str(uuid.uuid4())
    first = _post(client, {**BODY, "uuid": chosen})
    assert first.status_code == 201, first.content
    assert first.json()["uuid"] == chosen
    person = Person.objects.get(uuid=chosen)
    assert first.json()["cpims_id"] == person.cpims_id
    written = _written()

    # typed again the same (spacing and case aside): the same person, nothing written, and
    # no 409 for matching its own record
    again = _post(client, {**BODY, "first_name": " zawadi ", "uuid": chosen})
    assert again.status_code == 200, again.content
    assert again.json()["cpims_id"] == person.cpims_id
    assert _written() == written

    other = _post(client, {**BODY, "first_name": "Wanjiku", "uuid": chosen})
    assert other.status_code == 422, other.content
    assert "uuid" in other.json()["errors"]
    assert _written() == written


def test_another_organisations_person_uuid_is_refused_and_reveals_nothing(world):
    chosen = str(uuid.uuid4())
    beta = client_on(world.beta, world.beta_worker)
    theirs = _post(beta, {**BODY, "uuid": chosen})
    assert theirs.status_code == 201, theirs.content
    written = _written()

    acme = client_on(world.acme, world.acme_worker)
    response = _post(acme, {**BODY, "uuid": chosen})
    assert response.status_code == 422, response.content
    assert set(response.json()["errors"]) == {"uuid"}
    assert theirs.json()["cpims_id"] not in response.content.decode()
    assert _written() == written
    assert not PersonLink.objects.filter(organisation=world.acme).exists()


@pytest.fixture(scope="module")
def raced_uuid(django_db_blocker):
    """The uuid two requests register with on their own connections (they commit), and the
    rows they leave, deleted afterwards (outside any test transaction)."""
    chosen = str(uuid.uuid4())
    yield chosen
    with django_db_blocker.unblock():
        PersonLink.objects.filter(person__uuid=chosen).delete()
        PotentialDuplicate.objects.filter(person_a__uuid=chosen).delete()
        PotentialDuplicate.objects.filter(person_b__uuid=chosen).delete()
        Person.objects.filter(uuid=chosen).delete()


def test_two_organisations_registering_one_uuid_at_once_take_turns(world, raced_uuid):
    """The uuid's lock is taken in public, where the unique index is: the second of two
    organisations registering with one uuid at once waits, then is refused naming ``uuid``
    (not a 500 on the index)."""
    chosen = raced_uuid
    answers: list = []

    def send(organisation, worker) -> None:
        try:
            answers.append(_post(client_on(organisation, worker), {**RACED, "uuid": chosen}))
        finally:
            connection.close()

    senders = [(world.acme, world.acme_worker), (world.beta, world.beta_worker)]
    with own_connection() as own:
        name = lock_name("public", chosen)
        with own.cursor() as cursor:  # hold the uuid so that both registrations wait on it
            cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [name])
        before = waiting_locks(own)
        threads = [threading.Thread(target=send, args=sender) for sender in senders]
        try:
            for thread in threads:
                thread.start()
            wait_until_waiting(own, before + 2)
        finally:
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [name])
            for thread in threads:
                thread.join(60)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 422], [a.content for a in answers]
    [refused] = [a for a in answers if a.status_code == 422]
    assert set(refused.json()["errors"]) == {"uuid"}
    assert Person.objects.filter(uuid=chosen).count() == 1

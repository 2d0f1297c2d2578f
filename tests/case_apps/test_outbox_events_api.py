"""The event stream: events in commit order from an opaque cursor, for the organisation's own
admins (tokens work), never another organisation's events; a bad cursor is a 422."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client

from audit.services import token_create
from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.selectors import cursor_encode, events_since
from case_apps.outbox.services import outbox_event_record, outbox_seal
from tenants.actor import member_actor
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on, host_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def write(organisation, *sources: str, kind: str = "follow_up") -> None:
    with workspace_context(organisation), transaction.atomic():
        for source in sources:
            outbox_event_record(
                kind=kind, payload={"category": "HVIS", "county": "042"}, source=source
            )


def token_client(organisation, user, host_organisation=None) -> Client:
    _token, raw = token_create(actor=member_actor(user, organisation), name="events")
    return Client(
        HTTP_HOST=host_of(host_organisation or organisation), HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def read_all(client: Client, cursor: str | None = None, limit: int = 100) -> tuple[list, str]:
    params = {"limit": limit} | ({"updated_since": cursor} if cursor else {})
    response = client.get("/api/v1/events", params)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["events"], body["next_cursor"]


def test_an_admin_reads_the_stream_in_pages_and_resumes_from_the_cursor(world):
    client = token_client(world.acme, world.acme_admin)
    _, start = read_all(client)  # whatever was there before: resume after it
    write(world.acme, "case:1:followup:1", "case:1:followup:2", "case:1:followup:3")
    first, cursor = read_all(client, start, limit=2)
    second, cursor = read_all(client, cursor, limit=2)
    assert [e["source"] for e in first + second] == [
        "case:1:followup:1",
        "case:1:followup:2",
        "case:1:followup:3",
    ]
    event = first[0]
    assert (event["type"], event["version"]) == ("follow_up", 1)
    assert event["payload"] == {"category": "HVIS", "county": "042"}
    assert read_all(client, cursor) == ([], cursor)  # nothing new: the same cursor back
    write(world.acme, "case:1:closed", kind="case_closed")
    later, _ = read_all(client, cursor)
    assert [(e["type"], e["source"]) for e in later] == [("case_closed", "case:1:closed")]


def test_an_event_committed_late_with_a_lower_id_is_not_skipped(world):
    write(world.acme, "case:2:followup:1", "case:2:followup:2")
    with workspace_context(world.acme):
        _, cursor = events_since(world.acme, None, 1000)
        lowest = OutboxEvent.objects.order_by("id").first().pk
        # a transaction that took its id before the others and committed after them
        OutboxEvent.objects.create(
            id=lowest - 1 if lowest > 1 else 90_000_000,
            kind="follow_up",
            payload={"category": "HVST"},
            source="case:2:followup:0",
        )
        later, _ = events_since(world.acme, cursor, 1000)
    assert [e.source for e in later] == ["case:2:followup:0"]


def test_unsealed_events_are_sealed_in_id_order_above_every_position(world):
    write(world.acme, "case:3:followup:1")
    with workspace_context(world.acme):
        outbox_seal()
        top = max(OutboxEvent.objects.values_list("position", flat=True))
        write(world.acme, "case:3:followup:2", "case:3:followup:3")
        assert outbox_seal() == 2
        rows = OutboxEvent.objects.filter(source__startswith="case:3:").order_by("id")
        positions = [row.position for row in rows]
        assert positions == sorted(positions) and positions[1] > top
        assert outbox_seal() == 0


def test_organisation_a_never_sees_organisation_b(world):
    write(world.beta, "case:77:followup:1")
    write(world.acme, "case:78:followup:1")
    events, acme_cursor = read_all(token_client(world.acme, world.acme_admin), limit=1000)
    sources = {e["source"] for e in events}
    assert "case:78:followup:1" in sources and "case:77:followup:1" not in sources
    # acme's token on beta's host is refused; beta's stream is read by beta's admin only
    assert (
        token_client(world.acme, world.acme_admin, world.beta).get("/api/v1/events").status_code
        == 401
    )
    beta_admin = UserFactory(email="admin@beta.test")
    membership_grant(user=beta_admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    beta_events, _ = read_all(token_client(world.beta, beta_admin), limit=1000)
    assert "case:78:followup:1" not in {e["source"] for e in beta_events}
    assert "case:77:followup:1" in {e["source"] for e in beta_events}
    # acme's cursor does not open beta's stream
    response = token_client(world.beta, beta_admin).get(
        "/api/v1/events", {"updated_since": acme_cursor}
    )
    assert response.status_code == 422 and "updated_since" in response.json()["errors"]


@pytest.mark.parametrize("cursor", ["yesterday", "ev1.", "ev1.AAAA", "ev1.bm90OmFudW1iZXI"])
def test_a_malformed_cursor_is_a_422_naming_it(world, cursor):
    response = token_client(world.acme, world.acme_admin).get(
        "/api/v1/events", {"updated_since": cursor}
    )
    assert response.status_code == 422
    assert "updated_since" in response.json()["errors"]


def test_limit_out_of_range_is_a_422(world):
    response = token_client(world.acme, world.acme_admin).get("/api/v1/events", {"limit": 0})
    assert response.status_code == 422 and "limit" in response.json()["errors"]


def test_only_organisation_admins_read_the_stream(world):
    assert client_on(world.acme, world.acme_worker).get("/api/v1/events").status_code == 403
    assert client_on(world.acme, world.acme_admin).get("/api/v1/events").status_code == 200
    assert Client(HTTP_HOST=host_of(world.acme)).get("/api/v1/events").status_code == 401


def test_the_stream_is_read_in_its_own_schema_only(world):
    assert connection.schema_name == "public"
    with pytest.raises(RuntimeError):
        events_since(world.acme, cursor_encode(world.acme, 0))


def test_a_transaction_committing_after_a_later_one_is_read_after_the_cursor(world):
    """Two real transactions: the one that took the lower id commits last. A reader that
    read (and so sealed) the other in between still gets it on its next read."""
    import threading

    from tests.races import own_connection

    answers: dict = {}

    def read(name: str, cursor: str | None) -> None:
        def run() -> None:
            try:
                with workspace_context(world.acme):
                    answers[name] = events_since(world.acme, cursor, 1000)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(60)

    insert = (
        "INSERT INTO outbox_outboxevent (kind, version, occurred_at, payload, source, created_at)"
        " VALUES ('follow_up', 1, now(), '{\"category\": \"HVIS\"}', %s, now()) RETURNING id"
    )
    with own_connection() as late, own_connection() as early:
        try:
            for own in (late, early):
                with own.cursor() as cursor:
                    cursor.execute(f"SET search_path TO {world.acme.schema_name}, public")
            with late.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(insert, ["race:late"])
                late_id = cursor.fetchone()[0]
            with early.cursor() as cursor:  # autocommit: committed at once, with a higher id
                cursor.execute(insert, ["race:early"])
                early_id = cursor.fetchone()[0]
            assert late_id < early_id
            read("first", None)
            first, cursor_after = answers["first"]
            assert "race:early" in [e.source for e in first]
            assert "race:late" not in [e.source for e in first]
            with late.cursor() as cursor:
                cursor.execute("COMMIT")
            read("second", cursor_after)
            second, _ = answers["second"]
            assert [e.source for e in second] == ["race:late"]
        finally:
            with early.cursor() as cursor:
                cursor.execute("DELETE FROM outbox_outboxevent WHERE source LIKE 'race:%%'")

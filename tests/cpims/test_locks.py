"""Advisory locks through a transaction-pooling PgBouncer (cpims.locks, issue 22): the one-run
locks of provisioning, the schema pool's refill and the idempotency keys hold for the whole
block and go after it, however the pooler hands out server sessions; without a pooler they
are session locks, as before. Without PgBouncer installed the pooled connections go to
PostgreSQL directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from cpims.locks import held_lock
from tests.cpims.test_pooled_backend import pgbouncer_started, wrapper

KEY = 0x0C93 << 40  # a namespace the platform's own locks do not use


@pytest.fixture
def pooler(tmp_path: Path) -> Iterator[tuple[str, str] | None]:
    """PgBouncer in transaction mode with two server sessions (None where not installed)."""
    yield from pgbouncer_started(tmp_path, server_sessions=2)


def free(conn, key: int | str) -> bool:
    """Whether another client could take ``key`` now (a transaction lock, gone at once)."""
    argument = "hashtextextended(%s, 0)" if isinstance(key, str) else "%s::bigint"
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_xact_lock({argument})", [key])
        return cursor.fetchone()[0]


def two_clients(pooled: bool, pooler, django_db_blocker) -> Iterator[tuple]:
    """Two Django connections, registered as ``lock_holder`` and ``lock_other``: pooled ones
    through the pooler (the lock on a connection of its own), or plain ones to PostgreSQL (a
    session lock on Django's connection, as without a pooler)."""
    host, port = pooler if pooled and pooler else ("", "")
    with django_db_blocker.unblock():
        holder = wrapper("lock_holder", pooled=pooled, host=host, port=port)
        other = wrapper("lock_other", pooled=pooled, host=host, port=port)
        connections["lock_holder"], connections["lock_other"] = holder, other
        try:
            yield holder, other
        finally:
            del connections["lock_holder"], connections["lock_other"]
            holder.close()
            other.close()


@pytest.fixture(params=["pooled", "plain"])
def clients(request, django_db_setup, django_db_blocker, pooler) -> Iterator[tuple]:
    yield from two_clients(request.param == "pooled", pooler, django_db_blocker)


@pytest.fixture
def pooled_clients(django_db_setup, django_db_blocker, pooler) -> Iterator[tuple]:
    """Two clients through PgBouncer where it is installed; elsewhere two plain sessions
    stand for the two server sessions the pooler hands a lock and its unlock to."""
    yield from two_clients(pooler is not None, pooler, django_db_blocker)


def test_the_lock_holds_for_the_whole_block_and_goes_after_it(clients):
    holder, other = clients
    with held_lock(KEY, using="lock_holder") as acquired:
        assert acquired
        for _ in range(10):  # the holder's own work: transactions on any server session
            with holder.cursor() as cursor:
                cursor.execute("SELECT 1")
            assert not free(other, KEY)
        with held_lock(KEY, using="lock_other") as again:
            assert not again  # a second run (another process) is refused while the first runs
    assert free(other, KEY)
    with held_lock("an idempotency key", wait=True, using="lock_holder") as acquired:
        assert acquired
        assert not free(other, "an idempotency key")
    assert free(other, "an idempotency key")


def test_a_session_lock_released_on_another_server_session_is_left_behind(pooled_clients, pooler):
    """The hazard ``held_lock`` removes: a session lock stays on the server session that
    took it, and an unlock that runs on another one finds nothing. Through PgBouncer the
    holder's own unlock is routed to another server session; without it, the unlock runs on
    another session directly."""
    holder, other = pooled_clients
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [KEY])
        assert cursor.fetchone()[0]
    unlocker = holder if pooler else other
    if pooler:
        other.set_autocommit(False)  # a transaction of another client takes that session
    try:
        if pooler:
            with other.cursor() as cursor:
                cursor.execute("SELECT 1")
        with unlocker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [KEY])
            assert cursor.fetchone()[0] is False  # not this session's lock
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND ((classid::bigint << 32) | objid::bigint) = %s",
                [KEY],
            )
            assert cursor.fetchone()[0] == 1  # still held, by nobody's block
    finally:
        if pooler:
            other.rollback()
            other.set_autocommit(True)

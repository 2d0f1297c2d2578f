"""Advisory locks that hold through a connection pooler in transaction mode (docs/cluster.md).

A session advisory lock (``pg_advisory_lock``) belongs to the server session that took it.
Behind PgBouncer in transaction mode the next statement of the same Django connection may run
on another server session: the unlock then finds no lock (PostgreSQL warns and returns
false), the lock stays on the first session for as long as PgBouncer keeps it open, and every
later try of that key from any other session fails or waits. ``held_lock`` takes the lock in
an open transaction on a connection of its own (``pg_advisory_xact_lock``): a transaction
keeps its one server session through the pooler, the lock ends with the transaction, and if
the process dies PgBouncer closes that session and PostgreSQL ends the transaction, so the
lock goes with it. Without a pooler (``POOLER`` unset) Django's connection is one server
session, and the lock is a session lock on it, as before: no second connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


def _argument(key: int | str) -> str:
    return "hashtextextended(%s, 0)" if isinstance(key, str) else "%s::bigint"


@contextmanager
def held_lock(
    key: int | str, *, wait: bool = False, using: str = DEFAULT_DB_ALIAS
) -> Iterator[bool]:
    """Hold advisory lock ``key`` (a bigint, or a text hashed by ``hashtextextended``) for the
    block; yields whether it was acquired (``wait``: wait for it, always True)."""
    wrapper = connections[using]
    if wrapper.settings_dict.get("POOLER") != "transaction":
        yield from _session_lock(wrapper, key, wait)  # one session: no second connection
        return
    raw = wrapper.Database.connect(**wrapper.get_connection_params())  # Django's, not shared
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    try:
        with raw.cursor() as cursor:
            cursor.execute(f"SELECT {function}({_argument(key)})", [key])  # opens a transaction
            acquired = wait or bool(cursor.fetchone()[0])
        yield acquired
    finally:
        try:
            raw.rollback()  # ends the transaction and its lock; the server session stays clean
        finally:
            raw.close()


def _session_lock(wrapper, key: int | str, wait: bool) -> Iterator[bool]:
    """Without a transaction pooler Django's connection is one server session: the lock is
    taken on it and released after (or with the session, if the process dies)."""
    function = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
    with wrapper.cursor() as cursor:
        cursor.execute(f"SELECT {function}({_argument(key)})", [key])
        acquired = wait or bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with wrapper.cursor() as cursor:
                cursor.execute(f"SELECT pg_advisory_unlock({_argument(key)})", [key])

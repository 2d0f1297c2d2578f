"""Firing conflicting requests from two threads, each on its own database connection.

Rows the threads use must be committed (a module fixture writes them outside the tests'
transactions and removes them afterwards). To make the two requests overlap every time, the
test holds one organisation's audit chain lock (what every logged write takes last) on a third
connection: each request runs up to its first log write, or up to a lock the other holds, and
waits there; once both wait, the chain lock is released and the database decides.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, connections
from django.test import Client

from audit.chain import PENDING_TABLE
from tenants.services import SESSION_HOST_KEY

WAITING_SQL = (
    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE NOT l.granted AND a.datname = current_database()"
)


@contextmanager
def own_connection():
    """A connection of its own (outside any test transaction), closed afterwards."""
    own = connections.create_connection("default")
    try:
        yield own
    finally:
        own.close()


def waiting_locks(own) -> int:
    with own.cursor() as cursor:
        cursor.execute(WAITING_SQL)
        return cursor.fetchone()[0]


def wait_until_waiting(own, n: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while waiting_locks(own) < n:
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {n} requests waited for a lock")
        time.sleep(0.02)


@dataclass
class Request:
    """One POST from its own thread, signed in on the organisation's host."""

    organisation: object
    user: object
    path: str
    data: dict = field(default_factory=dict)
    status: int | None = None
    error: BaseException | None = None
    ready: threading.Event = field(default_factory=threading.Event)
    go: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        try:
            client = Client(HTTP_HOST=f"{self.organisation.slug}.localhost")
            client.raise_request_exception = False
            client.force_login(self.user)
            session = client.session
            session[SESSION_HOST_KEY] = self.organisation.schema_name
            session.save()
            self.ready.set()
            self.go.wait(30)
            self.status = client.post(self.path, self.data).status_code
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            self.error = error
        finally:
            self.ready.set()
            connection.close()


def race(first: Request, second: Request, *, chain_schema: str) -> None:
    """Start ``first``, let it reach its wait, then ``second``; then release them."""
    threads = [threading.Thread(target=r.run) for r in (first, second)]
    with own_connection() as own:
        queue = f"{own.ops.quote_name(chain_schema)}.{PENDING_TABLE}"
        with own.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {queue} IN EXCLUSIVE MODE")
        try:
            for thread, request in zip(threads, (first, second), strict=True):
                thread.start()
                assert request.ready.wait(30), "a request did not start"
            before = waiting_locks(own)
            first.go.set()
            wait_until_waiting(own, before + 1)
            second.go.set()
            wait_until_waiting(own, before + 2)
        finally:
            with own.cursor() as cursor:
                cursor.execute("ROLLBACK")
            for thread in threads:
                thread.join(60)
    for request in (first, second):
        assert request.error is None, request.error

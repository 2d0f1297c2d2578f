"""One transaction for each read request behind a transaction pooler (cpims.request_transaction,
issue 22): a GET sets its schema once and keeps one server session; an access entry written
in it is committed when the read returns and survives a failure after it; a failed request is
rolled back before its error page. Through a real PgBouncer where it is installed (one or two
server sessions), otherwise against PostgreSQL directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from audit.services import access_record
from cpims.request_transaction import ReadRequestTransactionMiddleware, in_request_transaction
from tests.cpims.test_pooled_backend import (
    marked_schemas,  # noqa: F401 (a fixture)
    owner,
    pgbouncer_started,
    traced_statements,
    wrapper,
)

ENTRIES = "pool_a.audit_workspace_accessentry"
# The test database and its organisations; each test's own connections commit for real (the
# default one is replaced by a pooled one while the test runs).
pytestmark = pytest.mark.django_db


@pytest.fixture
def access_log(marked_schemas, world, django_db_blocker) -> Iterator[None]:  # noqa: F811
    """An access log in schema pool_a shaped as a workspace's (no chain triggers: the rows
    can go with the schema)."""
    with django_db_blocker.unblock():
        admin = wrapper("pool_log_admin", pooled=False)
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'audit_workspace_accessentry' LIMIT 1"
            )
            template = cursor.fetchone()[0]
            cursor.execute(
                f'CREATE TABLE {ENTRIES} (LIKE "{template}".audit_workspace_accessentry '
                "INCLUDING ALL)"
            )
        admin.close()
        yield


def rows(sql: str) -> list[tuple]:
    """What another client sees (committed rows only)."""
    reader = wrapper("pool_reader", pooled=False)
    try:
        with reader.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        reader.close()


def pooled_default_through(sessions: int, tmp_path: Path, django_db_blocker) -> Iterator:
    """The default connection replaced by a pooled one on schema pool_a, through a PgBouncer
    with ``sessions`` server sessions."""
    bouncer = pgbouncer_started(tmp_path, server_sessions=sessions)
    host, port = next(bouncer) or ("", "")
    original = connections["default"]
    with django_db_blocker.unblock():
        pooled = wrapper("default", host=host, port=port)
        connections["default"] = pooled
        try:
            pooled.set_schema("pool_a")
            yield pooled
        finally:
            connections["default"] = original
            pooled.close()
            next(bouncer, None)


@pytest.fixture
def pooled_default(django_db_setup, django_db_blocker, tmp_path: Path) -> Iterator:
    """Through ONE server session: nothing may wait for a second."""
    yield from pooled_default_through(1, tmp_path, django_db_blocker)


@pytest.fixture
def pooled_default_two(django_db_setup, django_db_blocker, tmp_path: Path) -> Iterator:
    yield from pooled_default_through(2, tmp_path, django_db_blocker)


def serve(view, method: str = "get") -> HttpResponse:
    """``view`` behind the middleware, as Django's handler runs it (an exception becomes an
    error page, announced by got_request_exception)."""
    inner = convert_exception_to_response(view)
    handler = convert_exception_to_response(ReadRequestTransactionMiddleware(inner))
    request = getattr(RequestFactory(), method)("/probe/")
    return handler(request)


def test_a_read_request_is_one_transaction_that_sets_its_schema_once(access_log, pooled_default):
    seen = []

    def view(request) -> HttpResponse:
        seen.append(in_request_transaction(pooled_default))
        for _ in range(3):
            assert owner(pooled_default) == "pool_a"
        return HttpResponse("ok")

    sent = traced_statements(pooled_default, lambda: serve(view))
    assert seen == [True]
    assert [s.split(" ")[0] for s in sent] == ["BEGIN;", "SELECT", "SELECT", "SELECT", "COMMIT"]
    assert sent[0] == 'BEGIN; SET LOCAL search_path = "pool_a","public"'
    assert not pooled_default.in_atomic_block

    # a write request keeps autocommit: each statement its own transaction
    sent = traced_statements(pooled_default, lambda: serve(view, "post"))
    assert [s.split(" ")[0] for s in sent] == ["BEGIN;", "SELECT", "COMMIT"] * 3
    assert seen == [True, False]


def test_an_access_entry_survives_a_read_that_fails_after_it(access_log, pooled_default):
    """One server session: the entry commits in the request's own transaction (a commit
    point), not on a second connection that would wait for a second session."""

    def view(request) -> HttpResponse:
        assert owner(pooled_default) == "pool_a"
        access_record(actor=None, record_kind="probe", record_id="7", request=request)
        assert rows(f"SELECT record_id FROM {ENTRIES}") == [("7",)]  # committed already
        with pooled_default.cursor() as cursor:
            cursor.execute("INSERT INTO pool_marker VALUES ('written after the entry')")
        raise RuntimeError("the read fails after its entry")

    response = serve(view)
    assert response.status_code == 500
    assert rows(f"SELECT record_kind, record_id, method FROM {ENTRIES}") == [("probe", "7", "GET")]
    # what the request wrote after the entry was rolled back, before the error page
    assert rows("SELECT owner FROM pool_a.pool_marker") == [("pool_a",)]
    assert not pooled_default.in_atomic_block
    assert not in_request_transaction(pooled_default)


def test_inside_a_callers_block_the_entry_commits_on_its_own(access_log, pooled_default_two):
    """A block the view opened is a savepoint of the request's transaction and cannot
    commit: the entry is written in a transaction of its own, and stays when the block and
    the request roll back."""

    def view(request) -> HttpResponse:
        with transaction.atomic():
            assert owner(pooled_default_two) == "pool_a"
            access_record(actor=None, record_kind="probe", record_id="8", request=request)
            assert rows(f"SELECT record_id FROM {ENTRIES}") == [("8",)]
            with pooled_default_two.cursor() as cursor:
                cursor.execute("INSERT INTO pool_marker VALUES ('written in the block')")
            raise LookupError("the block fails")

    assert serve(view).status_code == 500
    assert rows(f"SELECT record_id FROM {ENTRIES}") == [("8",)]
    assert rows("SELECT owner FROM pool_a.pool_marker") == [("pool_a",)]


def test_a_successful_read_request_commits_what_it_wrote(access_log, pooled_default):
    def view(request) -> HttpResponse:
        with pooled_default.cursor() as cursor:
            cursor.execute("INSERT INTO pool_marker VALUES ('a session stamp')")
        return HttpResponse("ok")

    assert serve(view).status_code == 200
    assert sorted(rows("SELECT owner FROM pool_a.pool_marker")) == [
        ("a session stamp",),
        ("pool_a",),
    ]


def test_without_the_pooler_a_read_request_stays_in_autocommit(access_log, django_db_blocker):
    plain = wrapper("default", pooled=False)
    original = connections["default"]
    seen = []

    def view(request) -> HttpResponse:
        seen.append((plain.in_atomic_block, in_request_transaction(plain)))
        return HttpResponse("ok")

    with django_db_blocker.unblock():
        connections["default"] = plain
        try:
            assert serve(view).status_code == 200
        finally:
            connections["default"] = original
            plain.close()
    assert seen == [(False, False)]


def test_an_api_count_commits_at_once_so_its_row_lock_does_not_last_the_request(
    access_log, pooled_default
):
    """The per-minute API count is an upsert on one row per caller: held to the end of the
    request, it would make one caller's concurrent API reads wait for each other."""
    from audit.api import over_rate_limit

    def view(request) -> HttpResponse:
        assert over_rate_limit("probe:request-transaction", limit=5) is False
        seen = rows(
            "SELECT count FROM public.audit_apirequestcount WHERE key = 'probe:request-transaction'"
        )
        assert seen == [(1,)]  # committed: another client sees it, and may update it
        assert in_request_transaction(pooled_default)
        return HttpResponse("ok")

    assert serve(view).status_code == 200

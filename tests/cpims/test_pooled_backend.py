"""Tenancy through a transaction-pooling PgBouncer (issue 22): the search path is set in every
transaction (cpims.pooled_backend), so a server session handed from one organisation's
connection to another's never answers in the wrong schema."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.db.utils import load_backend

SCHEMAS = ("pool_a", "pool_b")
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def wrapper(alias: str, *, pooled: bool = True, host: str = "", port: str = ""):
    """A Django connection to the test database (through ``host:port`` when given)."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["OPTIONS"].pop("options", None)  # PgBouncer refuses the options parameter
    engine = "cpims.pooled_backend" if pooled else "django_tenants.postgresql_backend"
    settings_dict["ENGINE"] = engine
    settings_dict.pop("POOLER", None)
    if pooled:
        settings_dict["POOLER"] = "transaction"
    if host:
        settings_dict["HOST"], settings_dict["PORT"] = host, port
    return load_backend(engine).DatabaseWrapper(settings_dict, alias)


def owner(conn) -> str:
    with conn.cursor() as cursor:
        cursor.execute("SELECT owner FROM pool_marker")
        return cursor.fetchone()[0]


@pytest.fixture
def marked_schemas(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Two schemas, each with a table saying whose it is."""
    with django_db_blocker.unblock():
        admin = wrapper("pool_admin", pooled=False)
        with admin.cursor() as cursor:
            for name in SCHEMAS:
                cursor.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
                cursor.execute(f"CREATE SCHEMA {name}")
                cursor.execute(f"CREATE TABLE {name}.pool_marker (owner text)")
                cursor.execute(f"INSERT INTO {name}.pool_marker VALUES (%s)", [name])
        try:
            yield
        finally:
            with admin.cursor() as cursor:
                for name in SCHEMAS:
                    cursor.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
            admin.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def pgbouncer(tmp_path: Path) -> Iterator[tuple[str, str] | None]:
    """A PgBouncer in transaction mode with ONE server session, in front of the test
    database; None where the pgbouncer binary is not installed (nothing is installed here)
    or the test database listens on a socket of the project's own folder (the embedded
    PostgreSQL), which the unprivileged user PgBouncer runs as cannot open."""
    yield from pgbouncer_started(tmp_path, server_sessions=1)


def pgbouncer_started(tmp_path: Path, server_sessions: int) -> Iterator[tuple[str, str] | None]:
    """The ``pgbouncer`` fixture's work, with ``server_sessions`` server sessions."""
    settings_dict = connections["default"].settings_dict
    if not Path(PGBOUNCER).exists() or (settings_dict["HOST"] or "").startswith("/"):
        yield None
        return
    port = free_port()
    server_host = settings_dict["HOST"] or "127.0.0.1"
    server_port = settings_dict["PORT"] or "5432"
    tmp_path.chmod(0o755)
    ini = tmp_path / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"* = host={server_host} port={server_port}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {tmp_path / 'users.txt'}\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {server_sessions}\nmax_client_conn = 20\n"
        "ignore_startup_parameters = extra_float_digits\n"
    )
    user = settings_dict["USER"] or "postgres"
    (tmp_path / "users.txt").write_text(f'"{user}" ""\n')
    as_user = ["-u", "postgres"] if os.geteuid() == 0 else []
    process = subprocess.Popen(
        [PGBOUNCER, *as_user, str(ini)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError(f"pgbouncer did not start: {process.stderr.read()!r}")
        yield "127.0.0.1", str(port)
    finally:
        process.terminate()
        process.wait(timeout=10)


def traced_statements(conn, action) -> list[str]:
    """The statements ``conn`` sends to the server while ``action`` runs (libpq's trace)."""
    conn.ensure_connection()
    trace = Path(f"/tmp/cpims-pool-trace-{os.getpid()}")
    with trace.open("w") as out:
        conn.connection.pgconn.trace(out.fileno())
        try:
            action()
        finally:
            conn.connection.pgconn.untrace()
    lines = trace.read_text().splitlines()
    trace.unlink()
    statements = []
    for line in lines:  # time, F (front end: sent) or B, length, message, text
        parts = line.split("\t")
        if len(parts) > 4 and parts[1] == "F" and parts[3] in {"Query", "Parse"}:
            text = parts[4].strip()
            if parts[3] == "Parse":  # the statement's name, then its text, then its types
                text = text.split(" ", 1)[1].rsplit(" ", 1)[0]
            statements.append(text[1:-1])
    return statements


def test_every_transaction_begins_by_setting_the_search_path(marked_schemas):
    conn = wrapper("pool_trace")
    try:
        conn.set_schema("pool_a")

        def autocommit_reads() -> None:
            assert owner(conn) == "pool_a"
            assert owner(conn) == "pool_a"

        sent = traced_statements(conn, autocommit_reads)
        # each autocommit statement is a transaction of its own that begins with the path,
        # BEGIN and the path in one round trip
        assert [s.split(" ")[0] for s in sent] == ["BEGIN;", "SELECT", "COMMIT"] * 2
        assert sent[0] == 'BEGIN; SET LOCAL search_path = "pool_a","public"'

        def atomic_block() -> None:
            with transaction.atomic(using=conn.alias):
                assert owner(conn) == "pool_a"
                conn.set_schema("pool_b")  # a switch inside a transaction sets it again
                assert owner(conn) == "pool_b"

        connections[conn.alias] = conn  # transaction.atomic finds it by its alias
        try:
            sent = traced_statements(conn, atomic_block)
        finally:
            del connections[conn.alias]
        verbs = [s.split(" ")[0] for s in sent]
        assert verbs == ["BEGIN;", "SELECT", "SET", "SELECT", "COMMIT"]
        assert sent[0] == 'BEGIN; SET LOCAL search_path = "pool_a","public"'
        assert sent[2] == 'SET LOCAL search_path = "pool_b","public"'
        # nothing was set for the session: outside a transaction the server's default holds
        assert conn.connection.execute("SHOW search_path").fetchone()[0] == '"$user", public'
    finally:
        conn.close()


def test_a_switch_undone_by_a_savepoint_rollback_sets_the_path_again(marked_schemas):
    """A schema switched inside a savepoint that is rolled back: PostgreSQL undoes the SET
    LOCAL with it, so the next statement of the switched connection sets the path again."""
    conn = wrapper("pool_savepoint")
    connections[conn.alias] = conn
    try:
        conn.set_schema("pool_a")
        with transaction.atomic(using=conn.alias):
            assert owner(conn) == "pool_a"
            try:
                with transaction.atomic(using=conn.alias):  # a savepoint
                    conn.set_schema("pool_b")
                    assert owner(conn) == "pool_b"
                    raise LookupError  # not a database error: the savepoint rolls back
            except LookupError:
                pass
            assert owner(conn) == "pool_b"  # still pool_b's connection: its path again
    finally:
        del connections[conn.alias]
        conn.close()


def test_one_server_session_shared_by_two_organisations_answers_each_in_its_own_schema(
    marked_schemas, pgbouncer
):
    host, port = pgbouncer or ("", "")
    first, second = wrapper("pool_1", host=host, port=port), wrapper("pool_2", host=host, port=port)
    connections["pool_1"], connections["pool_2"] = first, second
    try:
        first.set_schema("pool_a")
        second.set_schema("pool_b")
        for _ in range(20):
            assert owner(first) == "pool_a"
            assert owner(second) == "pool_b"
            with transaction.atomic(using="pool_1"):
                assert owner(first) == "pool_a"
            with transaction.atomic(using="pool_2"):
                assert owner(second) == "pool_b"
                with transaction.atomic(using="pool_2"):  # a savepoint keeps the path
                    assert owner(second) == "pool_b"
        if pgbouncer is None:
            return
        with first.cursor() as a, second.cursor() as b:
            a.execute("SELECT pg_backend_pid()")
            b.execute("SELECT pg_backend_pid()")
            assert a.fetchone() == b.fetchone()  # the two share one server session
    finally:
        del connections["pool_1"], connections["pool_2"]
        first.close()
        second.close()


def test_without_the_setting_the_pooled_session_answers_in_the_wrong_schema(
    marked_schemas, pgbouncer
):
    """The hazard the backend removes, shown through the same PgBouncer (the proof that the
    test above would catch a leak); against plain PostgreSQL each connection is its own."""
    host, port = pgbouncer or ("", "")
    first = wrapper("plain_1", pooled=False, host=host, port=port)
    second = wrapper("plain_2", pooled=False, host=host, port=port)
    try:
        first.set_schema("pool_a")
        second.set_schema("pool_b")
        assert owner(first) == "pool_a"
        assert owner(second) == "pool_b"  # its session SET lands on the shared server session
        expected = "pool_b" if pgbouncer else "pool_a"
        assert owner(first) == expected  # django-tenants remembered its path: not sent again
    finally:
        first.close()
        second.close()


def test_after_an_error_in_a_transaction_the_rollback_runs_and_the_path_is_set_again(
    marked_schemas,
):
    from django.db.utils import DataError

    conn = wrapper("pool_error")
    connections[conn.alias] = conn
    try:
        conn.set_schema("pool_a")
        with transaction.atomic(using=conn.alias):
            assert owner(conn) == "pool_a"
            try:
                with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
                    cursor.execute("SELECT 1/0")  # the error itself, not "transaction aborted"
            except DataError as exc:
                assert "division by zero" in str(exc)
            else:
                raise AssertionError("no error")
            conn.set_schema("pool_b")
            assert owner(conn) == "pool_b"
        assert owner(conn) == "pool_b"
    finally:
        del connections[conn.alias]
        conn.close()

"""The audit trail that scales (issue 14): appends are plain inserts that never wait for one
another, the sealer links what is committed into the chain and misses nothing, a row never
sealed is reported, and chains linked before the sealer still verify.

The races run on real, separate connections, in scratch schemas made like a workspace's
audit tables and dropped after the module (their committed rows cannot leak into other
tests)."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator

import psycopg
import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction

from audit.chain import CHAIN_TABLE, PENDING_TABLE, WORKSPACE_CHAINED, chain_verify
from audit.sealer import chain_seal, schemas_to_seal
from audit.services import QUIET_COMMIT_CALL, access_entries_statement
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db

SCRATCH = "cpims_test_audit_sealer"
ACCESS = "audit_workspace_accessentry"


def _migration_sql(name: str) -> list[str]:
    """The frozen SQL of one audit_workspace migration, as it ran in every workspace."""
    return importlib.import_module(f"audit.workspace.migrations.{name}").SCHEMA_SQL


CHAIN_SQL = _migration_sql("0002_chain")  # links appended inline by an insert trigger
# the move to the sealer, then digest rules and the chain's insert guard
SEALER_SQL = _migration_sql("0003_sealer") + _migration_sql("0004_chain_digest_rules_and_guard")


def _connect(*, autocommit: bool) -> psycopg.Connection:
    """A connection of its own to the test database (not the test's transaction)."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=autocommit,
    )


@pytest.fixture(scope="module")
def scratch_schemas(django_db_setup, django_db_blocker) -> Iterator[list[str]]:
    """Names of the scratch schemas the module's tests made, dropped after the module (once
    the tests' own transactions, which touch them, are over)."""
    made: list[str] = []
    yield made
    with django_db_blocker.unblock(), _connect(autocommit=True) as admin:
        for schema in made:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _scratch(world, made: list[str], *, sealer: bool) -> str:
    """A new schema with a workspace's chained tables and chain, as the migrations leave them
    (``sealer``: after audit_workspace 0004; otherwise as linked inline before 0003)."""
    acme = world.acme.schema_name
    schema = f"{SCRATCH}_{len(made)}"
    made.append(schema)
    with _connect(autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.execute(f'CREATE SCHEMA "{schema}"')
        admin.execute(f'SET search_path = "{schema}", public')
        for table in WORKSPACE_CHAINED:
            admin.execute(f'CREATE TABLE {table} (LIKE "{acme}".{table} INCLUDING ALL)')
        for sql in CHAIN_SQL + (SEALER_SQL if sealer else []):
            admin.execute(sql)
    return schema


@pytest.fixture
def scratch(world, scratch_schemas) -> str:
    return _scratch(world, scratch_schemas, sealer=True)


@pytest.fixture
def scratch_before_the_sealer(world, scratch_schemas) -> str:
    return _scratch(world, scratch_schemas, sealer=False)


def _append(conn: psycopg.Connection, schema: str, record_id: str) -> int:
    """One access entry by plain SQL, as any writer's transaction makes it; its id."""
    return conn.execute(
        f'INSERT INTO "{schema}".{ACCESS} (occurred_at, actor_email, organisation_slug, '  # noqa: S608
        "record_kind, record_id, purpose, path, method, cid) "
        "VALUES (now(), 'w@example.test', 'scratch', 'case', %s, '', '', '', '') RETURNING id",
        [record_id],
    ).fetchone()[0]


def _links(schema: str) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT table_name, row_id FROM "{schema}".{CHAIN_TABLE} ORDER BY id')  # noqa: S608
        return cursor.fetchall()


def _queued(schema: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT row_id FROM "{schema}".{PENDING_TABLE} ORDER BY id')  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_an_append_never_waits_for_another_open_one(scratch):
    """Finding: appends were serialised per schema (an advisory lock held to commit)."""
    with _connect(autocommit=False) as first, _connect(autocommit=False) as second:
        _append(first, scratch, "held-open")  # its transaction stays open
        second.execute("SET lock_timeout = '2s'")
        _append(second, scratch, "plain")
        # the gateway's multi-log write too: no lock, no wait
        statement, params = access_entries_statement(
            logs=[scratch],
            organisation_slug="scratch",
            actor=None,
            record_kind="case",
            record_id="gateway",
        )
        second.execute(statement, params)
        second.commit()
        first.commit()
    assert chain_verify(scratch) is None  # queued, within the grace
    assert chain_seal(scratch) == 3
    assert chain_verify(scratch) is None


def test_the_sealer_links_committed_rows_only_and_misses_none(scratch):
    """A row committed after a later-numbered one is linked by the next run, not lost."""
    with _connect(autocommit=False) as slow, _connect(autocommit=False) as quick:
        held = _append(slow, scratch, "nine")  # the lower id, still open
        committed = _append(quick, scratch, "ten")
        quick.commit()
        assert held < committed
        assert chain_seal(scratch) == 1
        assert _links(scratch) == [(ACCESS, committed)]
        assert _queued(scratch) == []  # the open transaction's entry is not visible yet
        slow.commit()
    assert _queued(scratch) == [held]
    assert chain_seal(scratch) == 1
    assert _links(scratch) == [(ACCESS, committed), (ACCESS, held)]  # in commit order
    assert _queued(scratch) == [] and chain_verify(scratch) is None


def test_a_rolled_back_append_leaves_nothing_to_seal(scratch):
    with _connect(autocommit=False) as writer:
        _append(writer, scratch, "undone")
        writer.rollback()
    assert _queued(scratch) == [] and chain_seal(scratch) == 0
    assert chain_verify(scratch) is None


def test_two_sealers_of_one_schema_never_fork_the_chain(scratch):
    with _connect(autocommit=True) as writer:
        for n in range(3):
            _append(writer, scratch, f"r{n}")
    with _connect(autocommit=False) as other:
        other.execute("SELECT pg_advisory_xact_lock(7007, hashtext(%s))", [scratch])
        assert chain_seal(scratch) == 0  # the schema is being sealed: skip, do not wait
        other.rollback()
    assert chain_seal(scratch) == 3 and chain_verify(scratch) is None


def _tamper(sql: str, params) -> None:
    """Write around the triggers, as a database superuser could."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _entry(obj) -> LogEntry:
    return LogEntry.objects.log_create(obj, action=LogEntry.Action.UPDATE, changes={"a": [1, 2]})


def test_an_entry_never_sealed_is_reported(world):
    with workspace_context(world.acme):
        entry = _entry(world.acme_worker)
    acme = world.acme.schema_name
    assert chain_verify(acme) is None  # awaiting the sealer
    with connection.cursor() as cursor:  # no sealer has run for longer than the grace
        cursor.execute(
            f"UPDATE \"{acme}\".{PENDING_TABLE} SET queued_at = now() - interval '2 days' "  # noqa: S608
            "WHERE table_name = 'auditlog_logentry' AND row_id = %s",
            [entry.pk],
        )
    broken = chain_verify(acme)
    assert broken is not None
    assert (broken.table, broken.row_id, broken.reason) == (
        "auditlog_logentry",
        entry.pk,
        "never sealed",
    )
    assert chain_seal(acme) >= 1
    assert chain_verify(acme) is None


def test_an_entry_whose_queue_entry_was_removed_is_outside_the_chain(world):
    entry = _entry(world.outsider)
    _tamper(
        f"DELETE FROM public.{PENDING_TABLE} WHERE table_name = 'auditlog_logentry' "  # noqa: S608
        "AND row_id = %s",
        [entry.pk],
    )
    chain_seal("public")
    broken = chain_verify("public")
    assert broken is not None and broken.row_id == entry.pk
    assert broken.reason == "row outside the chain"


def test_a_row_deleted_before_it_was_sealed_is_reported(world):
    entry = _entry(world.outsider)
    _tamper("DELETE FROM public.auditlog_logentry WHERE id = %s", [entry.pk])
    chain_seal("public")  # cannot link what is gone: the queue entry stays
    broken = chain_verify("public")
    assert broken is not None and broken.row_id == entry.pk
    assert broken.reason == "row deleted before it was sealed"


def test_a_chain_linked_before_the_sealer_verifies_and_carries_on(scratch_before_the_sealer):
    schema = scratch_before_the_sealer
    with _connect(autocommit=True) as writer:
        old = [_append(writer, schema, f"old{n}") for n in range(2)]  # linked inline
        # a chain from before the digest rules verifies too (read under a savepoint rolled
        # back, which lets go of the table locks the migration below needs)
        before_rules = transaction.savepoint()
        assert chain_verify(schema) is None
        transaction.savepoint_rollback(before_rules)
        with writer.cursor() as cursor:  # then the migration to the sealer
            cursor.execute(f'SET search_path = "{schema}", public')
            for sql in SEALER_SQL:
                cursor.execute(sql)
        new = [_append(writer, schema, f"new{n}") for n in range(2)]
    assert _links(schema) == [(ACCESS, row) for row in old]
    assert chain_verify(schema) is None
    assert chain_seal(schema) == 2
    assert _links(schema) == [(ACCESS, row) for row in old + new]
    assert chain_verify(schema) is None
    _tamper(f'UPDATE "{schema}".{ACCESS} SET purpose = %s WHERE id = %s', ["forged", old[0]])  # noqa: S608
    broken = chain_verify(schema)
    assert broken is not None and (broken.row_id, broken.reason) == (old[0], "row altered")


def test_the_beat_job_seals_every_schema_with_rows_waiting(world):
    from audit.tasks import seal_chains_task

    _entry(world.outsider)
    with workspace_context(world.beta):
        _entry(world.beta_worker)
    due = schemas_to_seal()
    assert "public" in due and world.beta.schema_name in due
    assert seal_chains_task() == len(due)  # one sealer task per schema (in-process here)
    assert schemas_to_seal() == []
    assert chain_verify("public") is None and chain_verify(world.beta.schema_name) is None


def test_the_sealer_runs_in_the_embedded_beat_too():
    from cpims.launcher import beat_tasks_load

    intervals = beat_tasks_load()
    assert "audit.seal_chains" in intervals
    assert intervals["audit.seal_chains"] <= 5  # the sealing lag target is 5 s


def _access_record_alone(schema: str) -> tuple[object, list[str], str]:
    """access_record as a plain page calls it (autocommit, nothing else in its transaction),
    on a fresh connection of its own thread; the entry, the SQL sent, and the connection's
    synchronous_commit afterwards."""
    from audit.services import access_record

    outcome: dict = {}

    def page() -> None:
        sent: list[str] = []

        def spy(execute, sql, params, many, context):
            sent.append(sql)
            return execute(sql, params, many, context)

        try:
            connection.set_schema(schema)
            with connection.execute_wrapper(spy):
                outcome["entry"] = access_record(
                    actor=None, record_kind="case", record_id="alone", purpose="page"
                )
            # (the first cursor after a schema switch also sets the search path)
            outcome["sent"] = [sql for sql in sent if not sql.startswith("SET search_path")]
            with connection.cursor() as cursor:  # the connection's next transaction
                cursor.execute("SHOW synchronous_commit")
                outcome["then"] = cursor.fetchone()[0]
        except Exception as exc:  # noqa: BLE001 (re-raised in the test's thread)
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=page)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["entry"], outcome["sent"], outcome["then"]


def test_an_entry_written_alone_is_one_quiet_round_trip_and_gets_sealed(scratch, settings):
    settings.CPIMS_AUDIT_ACCESS_ASYNC_COMMIT = True  # the operator's choice; off by default
    """Finding: a page's read cost 5x with its entry (a lock, then a commit waiting for the
    disk). Alone in its transaction, the entry is one round trip that does not wait."""
    entry, sent, then = _access_record_alone(scratch)
    assert len(sent) == 1 and QUIET_COMMIT_CALL in sent[0]  # one statement, one round trip
    assert then == "on"  # quiet for the entry's own transaction only, never the connection's
    with connection.cursor() as cursor:  # committed: another connection sees it
        cursor.execute(
            f'SELECT record_id, purpose FROM "{scratch}".{ACCESS} WHERE id = %s',  # noqa: S608
            [entry.pk],
        )
        assert cursor.fetchone() == ("alone", "page")
    assert entry.record_id == "alone" and entry.occurred_at is not None
    assert _queued(scratch) == [entry.pk]
    assert chain_seal(scratch) == 1 and chain_verify(scratch) is None


def test_an_entry_can_be_made_to_wait_for_the_disk(scratch, settings):
    settings.CPIMS_AUDIT_ACCESS_ASYNC_COMMIT = False
    entry, sent, then = _access_record_alone(scratch)
    assert len(sent) == 1 and "synchronous_commit" not in sent[0] and then == "on"
    assert _queued(scratch) == [entry.pk]


def test_an_entry_inside_a_callers_transaction_keeps_its_durability(world):
    """Inside a transaction that may write other things, the entry changes nothing of it."""
    from audit.services import access_record

    sent: list[str] = []

    def spy(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with workspace_context(world.acme), connection.execute_wrapper(spy):
        access_record(actor=world.acme_worker, record_kind="case", record_id="in-a-transaction")
    assert sent and not any("synchronous_commit" in sql for sql in sent)

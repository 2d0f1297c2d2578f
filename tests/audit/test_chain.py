"""Tamper evidence: append-only rows, a hash chain per schema, verify_audit."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import chain_verify
from audit.sealer import seal_all
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db


def _entry(obj) -> LogEntry:
    return LogEntry.objects.log_create(obj, action=LogEntry.Action.UPDATE, changes={"a": [1, 2]})


def _sealed_entry(obj) -> LogEntry:
    """An entry already linked into its chain (the sealer run in the test's transaction)."""
    entry = _entry(obj)
    seal_all()
    return entry


def test_audit_rows_refuse_update_and_delete(world):
    entry = _sealed_entry(world.outsider)
    for statement in (
        "UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
        "DELETE FROM audit_chain WHERE row_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()


def test_the_chain_holds_and_verify_audit_passes(world, capsys):
    _entry(world.outsider)
    with workspace_context(world.acme):
        _entry(world.acme_worker)
    # awaiting the sealer (within its grace), then linked: intact both times
    assert chain_verify("public") is None
    assert chain_verify(world.acme.schema_name) is None
    sealed = seal_all()
    assert sealed["public"] >= 1 and sealed[world.acme.schema_name] >= 1
    assert chain_verify("public") is None
    assert chain_verify(world.acme.schema_name) is None
    call_command("verify_audit")
    assert "public: intact" in capsys.readouterr().out


def _tamper(schema: str, sql: str, params) -> None:
    """Write around the triggers, as a database superuser could (replica mode skips them)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_an_altered_row_is_named_as_the_first_broken_link(world):
    with workspace_context(world.acme):
        first = _entry(world.acme_worker)
        _sealed_entry(world.acme_worker)
    acme = world.acme.schema_name
    _tamper(
        acme,
        f'UPDATE "{acme}".auditlog_logentry SET object_repr = %s WHERE id = %s',
        ["forged", first.pk],
    )
    broken = chain_verify(acme)
    assert broken is not None
    assert (broken.table, broken.row_id, broken.reason) == (
        "auditlog_logentry",
        first.pk,
        "row altered",
    )
    assert chain_verify(world.beta.schema_name) is None
    with pytest.raises(SystemExit) as exited:
        call_command("verify_audit")
    assert exited.value.code == 1


def test_a_deleted_row_breaks_the_chain(world):
    entry = _sealed_entry(world.outsider)
    _tamper("public", "DELETE FROM public.auditlog_logentry WHERE id = %s", [entry.pk])
    broken = chain_verify("public")
    assert broken is not None and broken.reason == "row deleted" and broken.row_id == entry.pk


def test_a_row_inserted_without_its_link_is_found(world):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    entry = _entry(world.outsider)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
    broken = chain_verify("public")
    assert broken is not None and broken.reason == "row outside the chain"
    assert broken.row_id == entry.pk


def test_the_daily_task_reports_every_schema(world, caplog):
    from audit.tasks import verify_chains

    entry = _sealed_entry(world.outsider)
    assert verify_chains()["public"] == "intact"
    _tamper(
        "public", "UPDATE public.auditlog_logentry SET object_repr = 'x' WHERE id = %s", [entry.pk]
    )
    verdicts = verify_chains()
    assert "row altered" in verdicts["public"]
    assert verdicts[world.acme.schema_name] == "intact"
    assert "audit chain broken" in caplog.text

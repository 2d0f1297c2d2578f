"""How an access entry is written (issue 14, audit throughput): one prepared INSERT into the
log of the schema being read, the entry handed back exactly as stored, queued for the
sealer, and a bad value refused by the database as any query's error would be."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction
from django.forms.models import model_to_dict

from audit.services import RecordKind, access_record
from audit.workspace.models import AccessEntry
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db


def test_the_entry_returned_is_the_row_stored_and_it_is_queued(world):
    with workspace_context(world.acme):
        entry = access_record(
            actor=world.acme_worker,
            record_kind=RecordKind.CASE,
            record_id="C-7",
            purpose="follow-up visit",
            membership=41,
            agreement=None,
        )
        stored = AccessEntry.objects.get(pk=entry.pk)
        assert model_to_dict(entry) == model_to_dict(stored)
        assert entry.occurred_at == stored.occurred_at and not entry._state.adding
        assert (stored.actor_id, stored.actor_email) == (
            world.acme_worker.pk,
            world.acme_worker.email,
        )
        assert (stored.organisation_slug, stored.membership_id) == (world.acme.slug, 41)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM audit_pending WHERE table_name = %s AND row_id = %s",
                [AccessEntry._meta.db_table, entry.pk],
            )
            assert cursor.fetchone()[0] == 1


def test_the_insert_is_prepared_once_per_connection_and_schema(world):
    with workspace_context(world.acme):
        for n in range(3):
            access_record(actor=world.acme_worker, record_kind=RecordKind.CASE, record_id=n)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                [f'INSERT INTO "{world.acme.schema_name}"."audit_workspace_accessentry"%'],
            )
            assert cursor.fetchone()[0] == 1


def test_a_value_the_log_cannot_hold_is_a_database_error_and_writes_nothing(world):
    with workspace_context(world.acme):
        before = AccessEntry.objects.count()
        with pytest.raises(DataError), transaction.atomic():
            access_record(
                actor=world.acme_worker, record_kind=RecordKind.CASE, record_id=1, membership=2**70
            )
        assert AccessEntry.objects.count() == before


def test_behind_a_transaction_pooler_the_insert_is_not_prepared(world, monkeypatch):
    """A statement prepared on one server session is unknown on the next one PgBouncer hands
    out, and its name may be another client's there ("prepared statement _pg3_0 already
    exists": every child's page failed through the cluster)."""
    insert = f'INSERT INTO "{world.acme.schema_name}"."audit_workspace_accessentry"%'

    def prepared_runs() -> int:  # this connection's runs of a prepared access-entry INSERT
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(generic_plans + custom_plans), 0)"
                " FROM pg_prepared_statements WHERE statement LIKE %s",
                [insert],
            )
            return cursor.fetchone()[0]

    with workspace_context(world.acme):
        access_record(actor=world.acme_worker, record_kind=RecordKind.CASE, record_id="x")
        before = prepared_runs()
        assert before >= 1  # without a pooler: prepared
        monkeypatch.setattr(connection, "per_transaction_path", True, raising=False)
        entries = [
            access_record(actor=world.acme_worker, record_kind=RecordKind.CASE, record_id=n)
            for n in range(2)
        ]
        stored = AccessEntry.objects.filter(pk__in=[e.pk for e in entries])
        assert sorted(stored.values_list("record_id", flat=True)) == ["0", "1"]
        assert prepared_runs() == before


@pytest.mark.parametrize("log", ["workspace", "platform"])
def test_the_access_logs_keep_only_the_indexes_a_query_uses(world, log):
    """Every read pays for each index of its log's entry: the id, when, who and the record
    kind (the log's filters), no record_id index (its search is case-blind) and no
    varchar_pattern_ops copies."""
    schema, table = (
        (world.acme.schema_name, AccessEntry._meta.db_table)
        if log == "workspace"
        else ("public", "audit_platformaccessentry")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
            [schema, table],
        )
        definitions = [row[0] for row in cursor.fetchall()]
    columns = sorted(definition.rsplit("(", 1)[1].rstrip(")") for definition in definitions)
    assert columns == ["actor_id", "id", "occurred_at", "record_kind"]
    assert not any("pattern_ops" in definition for definition in definitions)

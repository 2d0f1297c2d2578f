"""The chain's digest rules and its insert guard (issues 14 and 16): a link digests the
columns its rule declares, so a column a library adds later does not read as an alteration;
links made before the rules (over ``to_jsonb(row)``) still verify; and only the sealer's
function may insert into the chain."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from audit import chain, sealer
from audit.chain import DIGEST_RULES, LOCK_CLASS, chain_verify, row_digest_sql
from audit.sealer import seal_all
from audit.services import RecordKind, access_record
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db


def _entry(obj) -> LogEntry:
    return LogEntry.objects.log_create(obj, action=LogEntry.Action.UPDATE, changes={"a": [1, 2]})


def _tamper(sql: str, params) -> None:
    """Write around the triggers, as a database superuser could (replica mode skips them)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _link_insert(schema: str) -> str:
    return (
        f'INSERT INTO "{schema}".audit_chain (table_name, row_id, row_digest, prev_link, link) '  # noqa: S608
        "VALUES ('auditlog_logentry', 1, 'x', '', 'y')"
    )


@pytest.mark.parametrize("where", ["public", "acme"])
def test_nothing_but_the_sealer_inserts_into_the_chain(world, where):
    schema = "public" if where == "public" else world.acme.schema_name
    refusals = [
        [],  # plain SQL, as the application or a script could send it
        [f"SELECT set_config('{chain.SEALER_SETTING}', 'sealer', true)"],  # the mark, no lock
        [f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, hashtext('{schema}'))"],  # lock, no mark
    ]
    for before in refusals:
        with (
            pytest.raises(DatabaseError, match="written by the sealer only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            for sql in before:
                cursor.execute(sql)
            cursor.execute(_link_insert(schema))
    # the sealer itself still links (through public.cpims_audit_chain_append)
    with workspace_context(world.acme):
        _entry(world.acme_worker)
    assert seal_all()[world.acme.schema_name] >= 1
    assert chain_verify(world.acme.schema_name) is None


def test_links_made_over_to_jsonb_verify_under_rule_1(world):
    """The first links digested the whole row (``to_jsonb``); rule 1 names those columns, and
    gives the very same digest for every chained table, public and workspace."""
    _entry(world.outsider)
    access_record(actor=world.outsider, record_kind=RecordKind.PERSON, record_id="1")
    with workspace_context(world.acme):
        _entry(world.acme_worker)
        access_record(actor=world.acme_worker, record_kind=RecordKind.CASE, record_id="2")
    for schema in ("public", world.acme.schema_name):
        for table in chain.chained_tables(schema):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL timezone TO 'UTC'")
                cursor.execute(
                    f"SELECT {row_digest_sql(schema, 'p', 1)}, "  # noqa: S608
                    "(SELECT sha256(convert_to(to_jsonb(t)::text, 'UTF8')) "
                    f'FROM "{schema}".{table} t WHERE t.id = p.row_id) '
                    f'FROM "{schema}".audit_pending p WHERE p.table_name = %s',
                    [table],
                )
                pairs = cursor.fetchall()
            assert pairs, (schema, table)
            for declared, whole_row in pairs:
                assert bytes(declared) == bytes(whole_row), (schema, table)


def test_a_column_added_later_is_no_alteration_but_a_declared_one_still_is(world):
    acme = world.acme.schema_name
    with workspace_context(world.acme):
        entry = _entry(world.acme_worker)
        access = access_record(actor=world.acme_worker, record_kind=RecordKind.CASE, record_id="7")
    seal_all()
    assert chain_verify(acme) is None
    with connection.cursor() as cursor:  # a library's new version adds columns
        cursor.execute(
            f"ALTER TABLE \"{acme}\".auditlog_logentry ADD COLUMN library_extra text DEFAULT 'x'"
        )
        cursor.execute(
            f'ALTER TABLE "{acme}".audit_workspace_accessentry ADD COLUMN extra integer DEFAULT 1'
        )
    assert chain_verify(acme) is None
    with workspace_context(world.acme):
        _entry(world.acme_worker)  # rows written with the new column are sealed and verify
    seal_all()
    assert chain_verify(acme) is None
    _tamper(
        f'UPDATE "{acme}".auditlog_logentry SET library_extra = %s WHERE id = %s', ["y", entry.pk]
    )
    assert chain_verify(acme) is None  # outside every rule
    _tamper(
        f'UPDATE "{acme}".audit_workspace_accessentry SET purpose = %s WHERE id = %s',
        ["forged", access.pk],
    )
    broken = chain_verify(acme)
    assert broken is not None
    assert (broken.table, broken.row_id, broken.reason) == (
        "audit_workspace_accessentry",
        access.pk,
        "row altered",
    )


def test_a_new_rule_seals_new_links_and_old_links_keep_theirs(world, monkeypatch):
    """Covering a new column means a new rule: links made before keep verifying under theirs,
    new links are made and verified under the new one, and a link's rule cannot be changed."""
    old = _entry(world.outsider)
    seal_all()
    rule_2 = {
        **DIGEST_RULES[1],
        "auditlog_logentry": (*DIGEST_RULES[1]["auditlog_logentry"], "extra"),
    }
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on it
        cursor.execute("ALTER TABLE public.auditlog_logentry ADD COLUMN extra text DEFAULT 'e'")
    monkeypatch.setitem(DIGEST_RULES, 2, rule_2)
    monkeypatch.setattr(chain, "LATEST_RULE", 2)
    monkeypatch.setattr(sealer, "LATEST_RULE", 2)
    new = _entry(world.outsider)
    seal_all()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_id, digest_rule FROM public.audit_chain WHERE table_name = "
            "'auditlog_logentry' AND row_id IN (%s, %s)",
            [old.pk, new.pk],
        )
        assert dict(cursor.fetchall()) == {old.pk: 1, new.pk: 2}
    assert chain_verify("public") is None
    _tamper("UPDATE public.auditlog_logentry SET extra = 'changed' WHERE id = %s", [old.pk])
    assert chain_verify("public") is None  # rule 1 does not cover it
    _tamper("UPDATE public.auditlog_logentry SET extra = 'changed' WHERE id = %s", [new.pk])
    broken = chain_verify("public")
    assert broken is not None and (broken.row_id, broken.reason) == (new.pk, "row altered")
    _tamper("UPDATE public.auditlog_logentry SET extra = 'e' WHERE id = %s", [new.pk])
    assert chain_verify("public") is None
    _tamper(
        "UPDATE public.audit_chain SET digest_rule = 1 WHERE table_name = 'auditlog_logentry' "
        "AND row_id = %s",
        [new.pk],
    )
    broken = chain_verify("public")
    assert broken is not None and (broken.row_id, broken.reason) == (new.pk, "link altered")


def test_audit_migrations_carry_their_own_sql():
    """History does not change with the live code: no audit migration imports our modules."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in sorted(
        [*root.glob("audit/migrations/0*.py"), *root.glob("audit/workspace/migrations/0*.py")]
    ):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            offenders += [
                f"{path.relative_to(root)}: {n}" for n in names if not n.startswith("django")
            ]
    assert offenders == []

"""Tamper evidence: append-only audit tables, chained by hash per schema.

An insert into a chained table (auditlog's write log and the access logs) is a plain insert:
an ``AFTER INSERT`` trigger queues ``(table, row id)`` in that schema's ``audit_pending``,
taking no lock, so concurrent writers never wait for each other. The sealer
(``audit.sealer``, a beat job per schema) then links the committed rows into the schema's
``audit_chain`` in the order it finds them committed: a link stores the digest of the row's
canonical content (``to_jsonb(row)`` in UTC) and
``link = sha256(previous link || table:row_id: || row digest)``. Triggers refuse UPDATE and
DELETE on chained tables and on the chain itself (and TRUNCATE on the chain).

Until migration ``audit 0005`` / ``audit_workspace 0003`` an insert trigger appended the link
itself, under an advisory lock per schema; those links have the same form, so chains made
before the sealer verify unchanged and the sealer carries them on.

``chain_verify`` recomputes everything and names the first broken link, and reports a row
that was never linked: one the sealer left pending longer than ``seal_grace()``, or one
that is neither linked nor queued (written behind the triggers' back).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

CHAIN_TABLE = "audit_chain"
PUBLIC_CHAINED = ("auditlog_logentry", "audit_platformaccessentry")
WORKSPACE_CHAINED = ("auditlog_logentry", "audit_workspace_accessentry")
PENDING_TABLE = "audit_pending"
LOCK_CLASS = 7007  # advisory lock namespace of the chain's writer (was appends, now the sealer)

# As first installed (migrations audit 0002 and audit_workspace 0002: the link appended by an
# insert trigger under a lock). Kept so those migrations replay the same; SEALER_* below
# replace the link trigger.
FUNCTIONS_SQL = [
    """
CREATE OR REPLACE FUNCTION public.cpims_audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SET timezone TO 'UTC' AS $body$
DECLARE
    previous bytea;
    digest bytea;
    chain text := format('%I.audit_chain', TG_TABLE_SCHEMA);
BEGIN
    PERFORM pg_advisory_xact_lock(7007, hashtext(TG_TABLE_SCHEMA));
    EXECUTE format('SELECT link FROM %s ORDER BY id DESC LIMIT 1', chain) INTO previous;
    previous := coalesce(previous, ''::bytea);
    digest := sha256(convert_to(to_jsonb(NEW)::text, 'UTF8'));
    EXECUTE format(
        'INSERT INTO %s (table_name, row_id, row_digest, prev_link, link) '
        'VALUES ($1, $2, $3, $4, $5)', chain)
    USING TG_TABLE_NAME, NEW.id, digest, previous,
        sha256(previous || convert_to(TG_TABLE_NAME || ':' || NEW.id::text || ':', 'UTF8')
               || digest);
    RETURN NULL;
END
$body$;
""",
    """
CREATE OR REPLACE FUNCTION public.cpims_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on %.% refused',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$body$;
""",
]


def schema_sql(chained: tuple[str, ...]) -> list[str]:
    """Statements creating the chain and its (first) triggers in the current schema (plain
    DDL, so the provisioning blueprint records and replays them)."""
    statements = [
        f"CREATE TABLE {CHAIN_TABLE} (id bigserial PRIMARY KEY, table_name text NOT NULL, "
        "row_id bigint NOT NULL, row_digest bytea NOT NULL, prev_link bytea NOT NULL, "
        "link bytea NOT NULL, linked_at timestamptz NOT NULL DEFAULT now())",
        f"CREATE INDEX {CHAIN_TABLE}_row ON {CHAIN_TABLE} (table_name, row_id)",
        f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {CHAIN_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_append_only()",
        f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {CHAIN_TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION public.cpims_audit_append_only()",
    ]
    for table in chained:
        statements += [
            f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_append_only()",
            f"CREATE TRIGGER audit_chain_link AFTER INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_chain_link()",
        ]
    return statements


SEALER_FUNCTIONS_SQL = [
    """
CREATE OR REPLACE FUNCTION public.cpims_audit_queue() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    EXECUTE format('INSERT INTO %I.audit_pending (table_name, row_id) VALUES ($1, $2)',
                   TG_TABLE_SCHEMA)
    USING TG_TABLE_NAME, NEW.id;
    RETURN NULL;
END
$body$;
""",
]


def sealer_schema_sql(chained: tuple[str, ...]) -> list[str]:
    """Statements moving the current schema's chain to the sealer: the queue of rows awaiting
    their link, and a queueing trigger instead of the linking one (plain DDL, replayed by the
    provisioning blueprint)."""
    statements = [
        f"CREATE TABLE {PENDING_TABLE} (id bigserial PRIMARY KEY, table_name text NOT NULL, "
        "row_id bigint NOT NULL, queued_at timestamptz NOT NULL DEFAULT now())",
    ]
    for table in chained:
        statements += [
            f"DROP TRIGGER audit_chain_link ON {table}",
            f"CREATE TRIGGER audit_chain_queue AFTER INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION public.cpims_audit_queue()",
        ]
    return statements


def chained_tables(schema: str) -> tuple[str, ...]:
    """The tables whose rows the chain of ``schema`` links."""
    return PUBLIC_CHAINED if schema == "public" else WORKSPACE_CHAINED


def seal_grace() -> datetime.timedelta:
    """How long a row may await its link before verification reports it as never sealed."""
    return datetime.timedelta(seconds=getattr(settings, "CPIMS_AUDIT_SEAL_GRACE_SECONDS", 600))


@dataclass(frozen=True)
class BrokenLink:
    schema: str
    link_id: int | None
    table: str
    row_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"link {self.link_id}" if self.link_id is not None else "no link"
        return f"{self.schema}: {where} ({self.table} row {self.row_id}): {self.reason}"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def chained_schemas() -> list[str]:
    """Every schema holding an audit chain (public first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = %s "
            "ORDER BY table_schema <> 'public', table_schema",
            [CHAIN_TABLE],
        )
        return [row[0] for row in cursor.fetchall()]


def link_hash(previous: bytes, table: str, row_id: int, digest: bytes) -> bytes:
    """The link after ``previous`` for one row of ``table`` with this content digest."""
    return hashlib.sha256(previous + f"{table}:{row_id}:".encode() + digest).digest()


def row_digest_sql(schema: str, alias: str) -> str:
    """SQL for the digest of the chained row named by ``alias``.table_name and .row_id
    (NULL when the row is gone); run it with the timezone set to UTC."""
    q = _quote(schema)
    cases = " ".join(
        f"WHEN '{table}' THEN (SELECT sha256(convert_to(to_jsonb(t)::text, 'UTF8')) "  # noqa: S608
        f"FROM {q}.{table} t WHERE t.id = {alias}.row_id)"
        for table in chained_tables(schema)
    )
    return f"CASE {alias}.table_name {cases} END"


def has_pending_table(schema: str) -> bool:
    """Whether ``schema``'s chain is sealed (migrated to the queue) rather than linked inline."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{_quote(schema)}.{PENDING_TABLE}"])
        return cursor.fetchone()[0] is not None


def chain_verify(schema: str, *, batch: int = 5000) -> BrokenLink | None:
    """Recompute one schema's chain; the first broken link, or None when it holds. Rows still
    queued for the sealer pass while younger than ``seal_grace()``."""
    q = _quote(schema)
    previous = b""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL timezone TO 'UTC'")
        cursor.execute(
            "SELECT c.id, c.table_name, c.row_id, c.row_digest, c.prev_link, c.link, "  # noqa: S608
            f"{row_digest_sql(schema, 'c')} FROM {q}.{CHAIN_TABLE} c ORDER BY c.id"
        )
        while rows := cursor.fetchmany(batch):
            for link_id, table, row_id, stored, prev_link, link, actual in rows:
                stored, prev_link, link = bytes(stored), bytes(prev_link), bytes(link)
                if prev_link != previous:
                    return BrokenLink(schema, link_id, table, row_id, "link does not follow")
                if link != link_hash(previous, table, row_id, stored):
                    return BrokenLink(schema, link_id, table, row_id, "link altered")
                if actual is None:
                    return BrokenLink(schema, link_id, table, row_id, "row deleted")
                if bytes(actual) != stored:
                    return BrokenLink(schema, link_id, table, row_id, "row altered")
                previous = link
        return _unlinked(cursor, schema)


def _unlinked(cursor, schema: str) -> BrokenLink | None:
    """The first row with no link that is not just awaiting the sealer, if any."""
    q = _quote(schema)
    pending = has_pending_table(schema)
    since = None
    if pending:
        cursor.execute("SELECT now() - %s", [seal_grace()])
        since = cursor.fetchone()[0]
    for table in chained_tables(schema):
        awaiting = (
            f"AND NOT EXISTS (SELECT 1 FROM {q}.{PENDING_TABLE} p WHERE p.table_name = %s "  # noqa: S608
            "AND p.row_id = t.id AND p.queued_at > %s)"
            if pending
            else ""
        )
        cursor.execute(
            f"SELECT min(t.id) FROM {q}.{table} t WHERE NOT EXISTS (SELECT 1 FROM "  # noqa: S608
            f"{q}.{CHAIN_TABLE} c WHERE c.table_name = %s AND c.row_id = t.id) {awaiting}",
            [table, table, since] if pending else [table],
        )
        unlinked = cursor.fetchone()[0]
        if unlinked is None:
            continue
        queued = False
        if pending:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {q}.{PENDING_TABLE} "  # noqa: S608
                "WHERE table_name = %s AND row_id = %s)",
                [table, unlinked],
            )
            queued = cursor.fetchone()[0]
        reason = "never sealed" if queued else "row outside the chain"
        return BrokenLink(schema, None, table, unlinked, reason)
    if pending:
        cursor.execute(
            f"SELECT p.table_name, min(p.row_id) FROM {q}.{PENDING_TABLE} p "  # noqa: S608
            f"WHERE {row_digest_sql(schema, 'p')} IS NULL GROUP BY p.table_name "
            "ORDER BY p.table_name LIMIT 1"
        )
        gone = cursor.fetchone()
        if gone is not None:
            return BrokenLink(schema, None, gone[0], gone[1], "row deleted before it was sealed")
    return None


def audit_verify_all() -> dict[str, BrokenLink | None]:
    """Every schema's verdict (None: the chain holds)."""
    return {schema: chain_verify(schema) for schema in chained_schemas()}

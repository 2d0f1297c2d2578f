"""Tamper evidence: append-only audit tables, chained by hash per schema.

Every insert into a chained table (auditlog's write log and the access logs) appends a link
to that schema's ``audit_chain`` table, inside the same transaction, under an advisory lock
per schema (appends are serialized, so the chain never forks). A link stores the digest of
the row's canonical content (``to_jsonb(row)`` in UTC) and
``link = sha256(previous link || table:row_id: || row digest)``. Triggers refuse UPDATE and
DELETE on chained tables and on the chain itself (and TRUNCATE on the chain).

``chain_verify`` recomputes everything and names the first broken link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import connection, transaction

CHAIN_TABLE = "audit_chain"
PUBLIC_CHAINED = ("auditlog_logentry", "audit_platformaccessentry")
WORKSPACE_CHAINED = ("auditlog_logentry", "audit_workspace_accessentry")
LOCK_CLASS = 7007  # advisory lock namespace of audit chain appends (in the SQL below)

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
    """Statements creating the chain and its triggers in the current schema (plain DDL,
    so the provisioning blueprint records and replays them)."""
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


def _link(previous: bytes, table: str, row_id: int, digest: bytes) -> bytes:
    return hashlib.sha256(previous + f"{table}:{row_id}:".encode() + digest).digest()


def chain_verify(schema: str, *, batch: int = 5000) -> BrokenLink | None:
    """Recompute one schema's chain; the first broken link, or None when it holds."""
    chained = PUBLIC_CHAINED if schema == "public" else WORKSPACE_CHAINED
    q = _quote(schema)
    digests = " ".join(
        f"WHEN '{table}' THEN (SELECT sha256(convert_to(to_jsonb(t)::text, 'UTF8')) "  # noqa: S608
        f"FROM {q}.{table} t WHERE t.id = c.row_id)"
        for table in chained
    )
    previous = b""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL timezone TO 'UTC'")
        cursor.execute(
            "SELECT c.id, c.table_name, c.row_id, c.row_digest, c.prev_link, c.link, "  # noqa: S608
            f"CASE c.table_name {digests} END FROM {q}.{CHAIN_TABLE} c ORDER BY c.id"
        )
        while rows := cursor.fetchmany(batch):
            for link_id, table, row_id, stored, prev_link, link, actual in rows:
                stored, prev_link, link = bytes(stored), bytes(prev_link), bytes(link)
                if prev_link != previous:
                    return BrokenLink(schema, link_id, table, row_id, "link does not follow")
                if link != _link(previous, table, row_id, stored):
                    return BrokenLink(schema, link_id, table, row_id, "link altered")
                if actual is None:
                    return BrokenLink(schema, link_id, table, row_id, "row deleted")
                if bytes(actual) != stored:
                    return BrokenLink(schema, link_id, table, row_id, "row altered")
                previous = link
        for table in chained:
            cursor.execute(
                f"SELECT min(t.id) FROM {q}.{table} t WHERE NOT EXISTS (SELECT 1 FROM "  # noqa: S608
                f"{q}.{CHAIN_TABLE} c WHERE c.table_name = %s AND c.row_id = t.id)",
                [table],
            )
            unlinked = cursor.fetchone()[0]
            if unlinked is not None:
                return BrokenLink(schema, None, table, unlinked, "row outside the chain")
    return None


def audit_verify_all() -> dict[str, BrokenLink | None]:
    """Every schema's verdict (None: the chain holds)."""
    return {schema: chain_verify(schema) for schema in chained_schemas()}

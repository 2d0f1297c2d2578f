"""Tamper evidence: append-only audit tables, chained by hash per schema.

An insert into a chained table (auditlog's write log and the access logs) is a plain insert:
an ``AFTER INSERT`` trigger queues ``(table, row id)`` in that schema's ``audit_pending``,
taking no lock, so concurrent writers never wait for each other. The sealer
(``audit.sealer``, a beat job per schema) then links the committed rows into the schema's
``audit_chain`` in the order it finds them committed: a link stores the digest of the row's
declared columns (``DIGEST_RULES``, as canonical jsonb in UTC) and
``link = sha256(previous link || table:row_id: || row digest)``. Triggers refuse UPDATE and
DELETE on chained tables and on the chain itself (and TRUNCATE on the chain), and refuse an
INSERT into the chain by anything but the sealer's function ``cpims_audit_chain_append``.
The triggers are installed by the audit migrations, which carry their own SQL.

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

# What a link's row digest covers: one numbered rule per change, each naming the columns of
# every chained table. A link keeps the rule it was made under (``audit_chain.digest_rule``) and
# is verified by it; the sealer links new rows under ``LATEST_RULE``. Never edit a rule: add
# one. A column a library adds to a table later is outside every existing rule, so the rows
# sealed before it still verify.
#
# Rule 1 is the columns each table had when its chain began. The first links were made over
# ``to_jsonb(row)``; jsonb is canonical (its keys sorted however it was built), so the digest
# over exactly those columns is the same bytes and the links made then verify under rule 1.
DIGEST_RULES: dict[int, dict[str, tuple[str, ...]]] = {
    1: {
        "auditlog_logentry": (
            "id",
            "content_type_id",
            "object_pk",
            "object_id",
            "object_repr",
            "serialized_data",
            "action",
            "changes_text",
            "changes",
            "actor_id",
            "cid",
            "remote_addr",
            "remote_port",
            "timestamp",
            "additional_data",
            "actor_email",
        ),
        "audit_platformaccessentry": (
            "id",
            "occurred_at",
            "actor_id",
            "actor_email",
            "organisation_slug",
            "record_kind",
            "record_id",
            "purpose",
            "membership_id",
            "agreement_id",
            "remote_addr",
            "path",
            "method",
            "cid",
        ),
        "audit_workspace_accessentry": (
            "id",
            "occurred_at",
            "actor_id",
            "actor_email",
            "organisation_slug",
            "record_kind",
            "record_id",
            "purpose",
            "membership_id",
            "agreement_id",
            "remote_addr",
            "path",
            "method",
            "cid",
        ),
    },
}
LATEST_RULE = 1
SEALER_SETTING = "cpims.audit_chain_writer"  # set by public.cpims_audit_chain_append only


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


def link_hash(previous: bytes, table: str, row_id: int, digest: bytes, rule: int = 1) -> bytes:
    """The link after ``previous`` for one row of ``table`` with this content digest. Links of
    rule 1 have the form the first chains were made with; later rules name themselves in the
    link, so a link's rule cannot be changed without breaking it."""
    label = f"{table}:{row_id}:" if rule == 1 else f"{table}:{row_id}:{rule}:"
    return hashlib.sha256(previous + label.encode() + digest).digest()


def _digest_of(schema: str, table: str, rule: int, alias: str) -> str:
    columns = ", ".join(f"'{c}', t.{_quote(c)}" for c in DIGEST_RULES[rule][table])
    return (
        f"(SELECT sha256(convert_to(jsonb_build_object({columns})::text, 'UTF8')) "  # noqa: S608
        f"FROM {_quote(schema)}.{table} t WHERE t.id = {alias}.row_id)"
    )


def row_digest_sql(schema: str, alias: str, rule: int | None = None) -> str:
    """SQL for the digest of the chained row named by ``alias``.table_name and .row_id (NULL
    when the row is gone) under ``rule``, or under each link's own ``alias``.digest_rule when
    ``rule`` is None; run it with the timezone set to UTC."""
    cases = []
    for table in chained_tables(schema):
        if rule is not None:
            cases.append(
                f"WHEN {alias}.table_name = '{table}' THEN {_digest_of(schema, table, rule, alias)}"
            )
            continue
        for each in sorted(DIGEST_RULES):
            cases.append(
                f"WHEN {alias}.table_name = '{table}' AND {alias}.digest_rule = {each} "
                f"THEN {_digest_of(schema, table, each, alias)}"
            )
    return f"CASE {' '.join(cases)} END"


def has_pending_table(schema: str) -> bool:
    """Whether ``schema``'s chain is sealed (migrated to the queue) rather than linked inline."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{_quote(schema)}.{PENDING_TABLE}"])
        return cursor.fetchone()[0] is not None


def _chain_source(schema: str) -> str:
    """The schema's chain as verification reads it: a chain not yet migrated to digest rules
    (a pooled schema built before ``audit_workspace 0004``, dropped at the next refill) holds
    rule-1 links only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(%s) "
            "AND attname = 'digest_rule' AND NOT attisdropped)",
            [f"{_quote(schema)}.{CHAIN_TABLE}"],
        )
        if cursor.fetchone()[0]:
            return f"{_quote(schema)}.{CHAIN_TABLE}"
    return f"(SELECT *, 1::smallint AS digest_rule FROM {_quote(schema)}.{CHAIN_TABLE})"  # noqa: S608


def chain_verify(schema: str, *, batch: int = 5000) -> BrokenLink | None:
    """Recompute one schema's chain; the first broken link, or None when it holds. Rows still
    queued for the sealer pass while younger than ``seal_grace()``."""
    previous = b""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL timezone TO 'UTC'")
        cursor.execute(
            "SELECT c.id, c.table_name, c.row_id, c.row_digest, c.prev_link, c.link, "  # noqa: S608
            f"c.digest_rule, {row_digest_sql(schema, 'c')} FROM {_chain_source(schema)} c "
            "ORDER BY c.id"
        )
        while rows := cursor.fetchmany(batch):
            for link_id, table, row_id, stored, prev_link, link, rule, actual in rows:
                stored, prev_link, link = bytes(stored), bytes(prev_link), bytes(link)
                if prev_link != previous:
                    return BrokenLink(schema, link_id, table, row_id, "link does not follow")
                if rule not in DIGEST_RULES or link != link_hash(
                    previous, table, row_id, stored, rule
                ):
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
            f"WHERE {row_digest_sql(schema, 'p', LATEST_RULE)} IS NULL GROUP BY p.table_name "
            "ORDER BY p.table_name LIMIT 1"
        )
        gone = cursor.fetchone()
        if gone is not None:
            return BrokenLink(schema, None, gone[0], gone[1], "row deleted before it was sealed")
    return None


def audit_verify_all() -> dict[str, BrokenLink | None]:
    """Every schema's verdict (None: the chain holds)."""
    return {schema: chain_verify(schema) for schema in chained_schemas()}

"""The sealer: links the audit rows queued in a schema's ``audit_pending`` into its chain.

Appends are plain inserts (``audit.chain``); the sealer is the chain's only writer (a trigger
refuses any other insert into the chain). One run
in one schema, in one transaction under that schema's advisory lock (a second sealer of the
same schema skips instead of waiting): read the last link, read the queued rows visible to
it with their digests, append one link per row in queue order, delete those queue entries.

Why this seals in commit order and misses nothing: a row is queued by the transaction that
inserts it, so its queue entry becomes visible exactly when that transaction commits. A run
sees only committed entries and removes only the ones it linked; an entry of a transaction
still open (even one holding a lower id than rows already linked) stays invisible and is
linked by the first run after its commit. A row committed before a run starts is therefore
never linked after a row committed once that run has begun.

A queued row that no longer exists (deleted behind the triggers' back) is not linked: its
entry stays, and ``chain_verify`` reports it.
"""

from __future__ import annotations

from django.db import connection, transaction

from audit.chain import (
    LATEST_RULE,
    LOCK_CLASS,
    PENDING_TABLE,
    link_hash,
    row_digest_sql,
)

BATCH = 5000  # links per transaction: a long backlog is sealed in several short ones


def chain_seal(schema: str, *, batch: int = BATCH, max_batches: int = 100) -> int:
    """Link ``schema``'s committed queued rows into its chain; how many were linked (0 when
    another sealer holds the schema)."""
    sealed = 0
    for _ in range(max_batches):
        linked, more = _seal_batch(schema, batch)
        sealed += linked
        if not more:
            break
    return sealed


def _seal_batch(schema: str, batch: int) -> tuple[int, bool]:
    """One transaction of the sealer: (rows linked, whether a full batch was found)."""
    q = connection.ops.quote_name(schema)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [LOCK_CLASS, schema])
        if not cursor.fetchone()[0]:
            return 0, False
        cursor.execute("SET LOCAL timezone TO 'UTC'")
        cursor.execute(
            f"SELECT p.id, p.table_name, p.row_id, {row_digest_sql(schema, 'p', LATEST_RULE)} "  # noqa: S608
            f"FROM {q}.{PENDING_TABLE} p ORDER BY p.id LIMIT %s",
            [batch],
        )
        queued = cursor.fetchall()
        if not queued:
            return 0, False
        cursor.execute(f"SELECT link FROM {q}.audit_chain ORDER BY id DESC LIMIT 1")  # noqa: S608
        last = cursor.fetchone()
        previous = bytes(last[0]) if last else b""
        done, tables, row_ids, digests, prevs, links = [], [], [], [], [], []
        for pending_id, table, row_id, digest in queued:
            if digest is None:
                continue  # the row is gone: left queued, verification names it
            digest = bytes(digest)
            link = link_hash(previous, table, row_id, digest, LATEST_RULE)
            done.append(pending_id)
            tables.append(table)
            row_ids.append(row_id)
            digests.append(digest)
            prevs.append(previous)
            links.append(link)
            previous = link
        if done:
            # the chain's insert guard admits only this function, under this schema's lock
            cursor.execute(
                "SELECT public.cpims_audit_chain_append(%s::text, %s::integer, %s::text[], "
                "%s::bigint[], %s::bytea[], %s::bytea[], %s::bytea[])",
                [schema, LATEST_RULE, tables, row_ids, digests, prevs, links],
            )
            cursor.execute(
                f"DELETE FROM {q}.{PENDING_TABLE} WHERE id = ANY(%s)",  # noqa: S608
                [done],
            )
        return len(done), len(queued) == batch


def schemas_to_seal(*, chunk: int = 200) -> list[str]:
    """The schemas whose queue holds committed rows awaiting their link (public first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = %s AND c.relkind = 'r' ORDER BY n.nspname <> 'public', n.nspname",
            [PENDING_TABLE],
        )
        schemas = [row[0] for row in cursor.fetchall()]
        due: list[str] = []
        for start in range(0, len(schemas), chunk):
            part = schemas[start : start + chunk]
            queues = [f"{connection.ops.quote_name(s)}.{PENDING_TABLE}" for s in part]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s WHERE EXISTS (SELECT 1 FROM {queue})"  # noqa: S608
                    for queue in queues
                ),
                part,
            )
            due += [row[0] for row in cursor.fetchall()]
    return due


def seal_all() -> dict[str, int]:
    """Seal every schema that has rows waiting, one after another (tests, the embedded run
    and ``manage.py seal_audit``; beat fans out one task per schema instead)."""
    return {schema: chain_seal(schema) for schema in schemas_to_seal()}

"""Writes of the audit app: access entries (reads of sensitive records) and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from audit.models import PersonalAccessToken, PlatformAccessEntry
from audit.models_base import AccessEntryBase
from audit.workspace.models import AccessEntry
from cpims.request_transaction import durable_write, in_request_transaction
from tenants.actor import Actor, NotFound
from tenants.policy import Permission
from tenants.schema import current_schema_name

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.http import HttpRequest

    from tenants.models import Membership, Organisation, User


class RecordKind:
    """Record kinds the platform logs reads of (free text is allowed; these are the usual)."""

    PERSON = "person"
    CASE = "case"
    EXPORT = "export"
    SHARED_SUMMARY = "shared_summary"
    AUDIT_LOG = "audit_log"


def _pk(value: Any) -> int | None:
    if value is None:
        return None
    return int(getattr(value, "pk", value))


def _remote_addr(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    forwarded = request.headers.get("X-Forwarded-For", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def _entry_values(
    *,
    actor: User | None,
    record_kind: str,
    record_id: Any,
    purpose: str,
    membership: Membership | int | None,
    agreement: Any,
    request: HttpRequest | None,
) -> dict[str, Any]:
    """The columns of one access entry, except the organisation (which depends on the log)."""
    if membership is None and request is not None:
        membership = getattr(request, "membership", None)
    actor = actor if actor is not None and actor.is_authenticated else None
    return {
        "actor_id": actor.pk if actor else None,
        "actor_email": actor.email if actor else "",
        "record_kind": str(record_kind)[:64],
        "record_id": str(record_id)[:64],
        "purpose": purpose[:255],
        "membership_id": _pk(membership),
        "agreement_id": _pk(agreement),
        "remote_addr": _remote_addr(request),
        "path": request.path[:500] if request is not None else "",
        "method": (request.method or "") if request is not None else "",
        "cid": (request.headers.get("X-Correlation-ID", "") if request is not None else "")[:255],
    }


def actor_access_record(
    actor: Actor,
    record_kind: str,
    record_id: Any,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> AccessEntryBase:
    """``access_record`` for an actor: their user and their membership (the selectors' form)."""
    return access_record(
        actor=actor.user,
        record_kind=record_kind,
        record_id=record_id,
        purpose=purpose,
        membership=actor.membership,
        request=request,
    )


def access_record(
    *,
    actor: User | None,
    record_kind: str,
    record_id: Any,
    purpose: str = "",
    membership: Membership | int | None = None,
    agreement: Any = None,
    request: HttpRequest | None = None,
) -> AccessEntryBase:
    """Log that ``actor`` opened a record, in the log of the schema being read: a workspace's
    own access log inside a workspace, the platform access log on the platform site.

    Call it from the view or service that opens a child's record, a case, an export or a
    shared summary; pass the membership (workspace reads) or the sharing agreement (reads
    through the gateway) that allowed it. The row is append-only and hash-chained.
    """
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: the proxy costs on every attribute
    organisation = getattr(request, "organisation", None) if request is not None else None
    if organisation is None:
        organisation = getattr(db, "tenant", None)
    slug = getattr(organisation, "slug", "") or ""
    schema = current_schema_name()
    model = PlatformAccessEntry if schema == "public" else AccessEntry
    values = _entry_values(
        actor=actor,
        record_kind=record_kind,
        record_id=record_id,
        purpose=purpose,
        membership=membership,
        agreement=agreement,
        request=request,
    )
    values["organisation_slug"] = slug if model is AccessEntry or slug != "public" else ""
    # One prepared INSERT: in autocommit it is the whole transaction (one round trip, its
    # commit durable as any other, or quiet where the operator chose it); inside the caller's
    # transaction, one more insert of it (and durable, whatever the choice).
    quiet = access_commit_is_quiet() and not db.in_atomic_block and db.get_autocommit()
    return _access_entry_insert(db, schema, model, values, quiet=quiet)


# The columns of an access entry, in the order of the prepared INSERT's parameters.
ENTRY_COLUMNS = (
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
)
EXPLICIT_PREPARES_ONLY = 2**31 - 1
_INSERT_SQL: dict[tuple[str, str, bool], str] = {}


def _insert_sql(schema: str, table: str, quiet: bool = False) -> str:
    """The INSERT of one entry into ``schema``'s log (schema-qualified, so it needs no
    search path and one prepared statement serves every request in that schema); ``quiet``:
    its transaction commits without waiting for the disk (``access_commit_is_quiet``)."""
    sql = _INSERT_SQL.get((schema, table, quiet))
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in ENTRY_COLUMNS)
        placeholders = ", ".join(["%s"] * len(ENTRY_COLUMNS))
        returning = f"id, {QUIET_COMMIT_CALL}" if quiet else "id"
        sql = _INSERT_SQL[(schema, table, quiet)] = (
            f"INSERT INTO {quote(schema)}.{quote(table)} ({columns}) "  # noqa: S608 (quoted names)
            f"VALUES ({placeholders}) RETURNING {returning}"
        )
    return sql


class _PreparedCursor(psycopg.Cursor):
    """A server-side binding cursor whose statements the server keeps prepared (parsed and
    planned once per connection): the access entry's INSERT is the same text on every read."""

    def execute(self, query, params=None, *, prepare=None, binary=None):  # noqa: ANN001, ANN201
        return super().execute(query, params, prepare=True, binary=binary)


def _access_entry_insert(
    db: BaseDatabaseWrapper,
    schema: str,
    model: type[AccessEntryBase],
    values: dict[str, Any],
    *,
    quiet: bool = False,
) -> AccessEntryBase:
    """Write one access entry with the prepared INSERT (unprepared behind a transaction
    pooler), through Django's cursor wrapper (so error wrapping, query logging and execute
    wrappers see it as any other statement)."""
    values["occurred_at"] = timezone.now()
    sql = _insert_sql(schema, model._meta.db_table, quiet)
    params = [values[column] for column in ENTRY_COLUMNS]
    if in_request_transaction(db):
        # A read request's one transaction behind the pooler (cpims.request_transaction): the
        # entry is committed when this returns, as in autocommit, and is not rolled back with
        # a read that fails after it.
        values["id"] = durable_write(db, sql, params)[0]
        return model.from_db(db.alias, None, [values[name] for name in _field_order(model)])
    if getattr(db, "per_transaction_path", False):
        # Behind a transaction pooler (CPIMS_DB_POOLER) the next transaction may run on
        # another server session, where this connection's prepared statement is unknown and
        # its name may be another client's: the INSERT is sent unprepared.
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            values["id"] = cursor.fetchone()[0]
        return model.from_db(db.alias, None, [values[name] for name in _field_order(model)])
    db.ensure_connection()
    raw_connection = db.connection
    if raw_connection.prepare_threshold is None:
        # Django leaves psycopg's automatic preparing off (poolers); explicit prepares
        # need a threshold, set so high that no other statement gets prepared by it.
        raw_connection.prepare_threshold = EXPLICIT_PREPARES_ONLY
    raw = _PreparedCursor(raw_connection)
    with db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw) as cursor:
        cursor.execute(sql, params)
        values["id"] = cursor.fetchone()[0]
    # as a query would load it: positional, in the model's field order (no keyword parsing)
    return model.from_db(db.alias, None, [values[name] for name in _field_order(model)])


_FIELD_ORDER: dict[type, tuple[str, ...]] = {}


def _field_order(model: type[AccessEntryBase]) -> tuple[str, ...]:
    order = _FIELD_ORDER.get(model)
    if order is None:
        order = _FIELD_ORDER[model] = tuple(f.attname for f in model._meta.concrete_fields)
    return order


# Where an operator chooses it (CPIMS_AUDIT_ACCESS_ASYNC_COMMIT=1), a transaction that writes
# nothing but access entries does not wait for its commit to reach the disk (docs/security.md,
# "Tamper evidence and verification": a database crash can then lose the last fraction of a
# second of such entries). The default waits: an access entry is never lost.
QUIET_COMMIT_SQL = "SET LOCAL synchronous_commit TO off"
# The same for an entry that is its own transaction (one statement, ``_insert_sql``): called
# in the INSERT's RETURNING, so before the commit, and local to that transaction (the
# connection's later transactions wait for the disk as before).
QUIET_COMMIT_CALL = "set_config('synchronous_commit', 'off', true)"


def access_commit_is_quiet() -> bool:
    """Whether transactions of access entries alone commit without waiting for the disk."""
    return bool(getattr(settings, "CPIMS_AUDIT_ACCESS_ASYNC_COMMIT", False))


def access_entries_statement(
    *,
    logs: Sequence[str],
    organisation_slug: str,
    actor: User | None,
    record_kind: str,
    record_id: Any,
    purpose: str = "",
    membership: Membership | int | None = None,
    agreement: Any = None,
    request: HttpRequest | None = None,
    alone: bool = False,
) -> tuple[str, list[Any]]:
    """SQL (and its parameters) writing the same access entry into several logs at once:
    ``logs`` names schemas, "public" meaning the platform access log. For a caller that
    must log one read in several organisations' logs in a single round trip (the sharing
    gateway); run it inside a transaction. Each entry is a plain insert (the sealer links it
    into its schema's chain after the commit), so the writes take no lock and never wait for
    one another. ``alone``: the caller's transaction writes nothing else, so it may commit
    without waiting for the disk (``access_commit_is_quiet``)."""
    values = _entry_values(
        actor=actor,
        record_kind=record_kind,
        record_id=record_id,
        purpose=purpose,
        membership=membership,
        agreement=agreement,
        request=request,
    )
    values = {"occurred_at": timezone.now(), "organisation_slug": organisation_slug, **values}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in values)
    placeholders = ", ".join(["%s"] * len(values))
    schemas = sorted(set(logs))
    statements = [QUIET_COMMIT_SQL] if alone and access_commit_is_quiet() else []
    params: list[Any] = []
    for schema in schemas:
        table = (
            PlatformAccessEntry._meta.db_table if schema == "public" else AccessEntry._meta.db_table
        )
        statements.append(
            f"INSERT INTO {quote(schema)}.{quote(table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 (quoted names)
        )
        params += list(values.values())
    return "; ".join(statements), params


# --- Personal access tokens ------------------------------------------------------------------
TOKEN_PREFIX = "cpims_"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: Actor, name: str, days: int = 30) -> tuple[PersonalAccessToken, str]:
    """A new token for the actor in their organisation (any member, for themselves); the raw
    value is returned once, only its digest is kept."""
    actor.require(Permission.ENTER_WORKSPACE)
    days = max(1, min(int(days), 365))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        name=name.strip()[:100] or "API token",
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Actor, token_id: int) -> PersonalAccessToken:
    """Revoke one of the actor's own tokens in their organisation; anyone else's is not found."""
    from audit.selectors import tokens_of

    actor.require(Permission.ENTER_WORKSPACE)
    token = (
        tokens_of(user=actor.user, organisation=actor.organisation)
        .select_for_update()
        .filter(pk=token_id)
        .first()
    )
    if token is None:
        raise NotFound("No such token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw: str, organisation: Organisation) -> PersonalAccessToken | None:
    """The usable token with this value for this organisation (its user active), or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(digest=token_digest(raw), organisation_id=organisation.pk)
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

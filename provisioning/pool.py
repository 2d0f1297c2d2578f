"""A small pool of workspace schemas built ahead of time, handed out on approval.

Replaying the blueprint costs ~150 ms at 100 workspaces and ~230 ms at 1,000: every CREATE
TABLE and CREATE INDEX inserts into catalogues (pg_class, pg_attribute, pg_depend...) whose
indexes grow with the number of workspaces. Renaming a schema touches one pg_namespace row
(~0.1 ms at any size). So a background job (``provisioning.refill_pool``, on the beat
schedule and after every provisioning) keeps ``PROVISIONING_POOL_SIZE`` (a live setting)
schemas built from the current blueprint under names of their own (``pool_<hex>``), and
provisioning renames one to the organisation's schema name inside the transaction of its
``schema`` step; with none ready it replays the blueprint as before.

Guarantees:
- A pooled schema is built and recorded in one transaction (no schema without its row, no row
  without its schema) and taken in the provisioning step's transaction (rename and row
  deletion commit together with the step, or neither does).
- ``SELECT ... FOR UPDATE SKIP LOCKED``: two approvals never take the same schema, and one
  never waits for the other (the loser takes the next, or replays).
- Only a schema built under the current migrations (the blueprint key, a digest of every
  migration Django knows) is handed out; the refill drops the others. ``migrate_schemas``
  never sees pooled schemas (they have no organisation), so they can never be left behind.
- A pooled schema belongs to no organisation and has no domain: it is never a workspace.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.db import connection, transaction

from audit.security import live
from cpims.locks import held_lock
from provisioning import blueprint
from provisioning.models import PooledSchema

POOL_PREFIX = "pool_"
POOL_SCHEMA = re.compile(r"^pool_[0-9a-f]{16}$")
_REFILL_LOCK = 0x0C92 << 40  # one refill at a time (organisation locks use 0x0C91 << 40)


def pool_size() -> int:
    """How many ready schemas the refill keeps (live setting ``PROVISIONING_POOL_SIZE``)."""
    return max(0, int(live("PROVISIONING_POOL_SIZE")))


def pool_take(schema_name: str) -> bool:
    """Give ``schema_name`` a ready schema by renaming a pooled one, in the caller's
    transaction. False when none built under the current migrations is ready."""
    if not blueprint.SCHEMA_NAME.match(schema_name) or schema_name == "public":
        raise ValueError(f"not a workspace schema: {schema_name!r}")
    if schema_name.startswith(POOL_PREFIX):
        raise ValueError(f"a workspace cannot be named like a pooled schema: {schema_name!r}")
    with transaction.atomic(savepoint=False):
        ready = PooledSchema.objects.select_for_update(skip_locked=True).filter(
            key=blueprint.blueprint_key()
        )
        while (pooled := ready.order_by("id").first()) is not None:
            if not POOL_SCHEMA.match(pooled.schema_name):
                raise ValueError(f"not a pooled schema: {pooled.schema_name!r}")
            if not blueprint.schema_exists(pooled.schema_name):
                pooled.delete()  # dropped by hand: forget it and take the next
                continue
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER SCHEMA "{pooled.schema_name}" RENAME TO "{schema_name}"')
            pooled.delete()
            return True
    return False


def _refill_lock() -> AbstractContextManager[bool]:
    """One refill at a time (cpims.locks: holds through a transaction pooler)."""
    return held_lock(_REFILL_LOCK)


def _drop(pk: int) -> int:
    with transaction.atomic():
        pooled = PooledSchema.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if pooled is None:  # being handed out right now, or gone
            return 0
        blueprint.schema_drop(pooled.schema_name)
        pooled.delete()
        return 1


@dataclass(frozen=True)
class Refill:
    built: int
    dropped: int


def pool_refill(*, size: int | None = None, hook: Callable[[str], None] | None = None) -> Refill:
    """Drop pooled schemas of other migration states (and any beyond ``size``), then build
    schemas until ``size`` (default: the live setting) are ready, one transaction each.
    ``hook(schema_name)`` runs inside each build after its work (tests inject failures).
    One refill at a time: a concurrent call returns at once having done nothing."""
    size = pool_size() if size is None else max(0, size)
    with _refill_lock() as acquired:
        if not acquired:
            return Refill(0, 0)
        key = blueprint.blueprint_key()
        stale = list(PooledSchema.objects.exclude(key=key).values_list("pk", flat=True))
        current = list(
            PooledSchema.objects.filter(key=key).order_by("-id").values_list("pk", flat=True)
        )
        dropped = sum(_drop(pk) for pk in stale + current[: max(0, len(current) - size)])
        built = 0
        script = None
        while built < size and PooledSchema.objects.filter(key=key).count() < size:
            if script is None:
                script = blueprint.blueprint_get()
                if script is None:  # first use of these migrations: record the script now
                    blueprint.blueprint_refresh()
                    script = blueprint.blueprint_get()
            name = f"{POOL_PREFIX}{secrets.token_hex(8)}"
            with transaction.atomic():
                blueprint.schema_build_from_blueprint(name, script)
                PooledSchema.objects.create(schema_name=name, key=key)
                if hook is not None:
                    hook(name)
            built += 1
        return Refill(built, dropped)


def pool_ready() -> int:
    """Pooled schemas that would be handed out now."""
    return PooledSchema.objects.filter(key=blueprint.blueprint_key()).count()

"""Fast workspace schemas: record the SQL the tenant migrations run once, replay it after.

Creating a schema by running migrations costs ~0.5 s and the stock clone function slows as
tenants grow (STACK-NOTES). Instead, the first workspace provisioned under a given migration
state is built by the migrations while its SQL is recorded (DDL, and data written to the
workspace's own tables by data migrations, including ``django_migrations``); every later
workspace replays that script in one transaction. The script is keyed by the set of
migrations Django knows, so a new migration makes a new script: there is no template schema
that ``migrate_schemas`` could leave behind.

The replay sets ``search_path`` for its own transaction only (``set_config(..., true)``) and
restores it, so this module is listed in the house rules' schema switchers.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from psycopg.types.json import Jsonb

from provisioning.models import SchemaBlueprint

_DDL = re.compile(r"^\s*(CREATE|ALTER|DROP|COMMENT|SET\s+CONSTRAINTS)\b", re.IGNORECASE)
_SKIP = re.compile(r"^\s*(CREATE\s+SCHEMA|SET\s+search_path)\b", re.IGNORECASE)
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE
)
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@lru_cache(maxsize=1)
def blueprint_key() -> str:
    """A digest of every migration Django knows (cached for the life of the process)."""
    nodes = sorted(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    return hashlib.sha256(repr(nodes).encode()).hexdigest()


@lru_cache(maxsize=1)
def workspace_tables() -> frozenset[str]:
    """Tables that live in a workspace schema: those of the tenant apps, and the recorder's."""
    tables = {"django_migrations"}
    for app_name in settings.TENANT_APPS:  # apps in both lists have tables in both schemas
        for config in apps.get_app_configs():
            if config.name == app_name:
                for model in config.get_models(include_auto_created=True):
                    tables.add(model._meta.db_table)
    return frozenset(tables)


def _keeps(sql: str) -> bool:
    if _SKIP.match(sql):
        return False
    if _DDL.match(sql):
        return True
    match = _WRITE.match(sql)
    return bool(match and match.group(1) in workspace_tables())


def _encode(value: Any) -> Any:
    if isinstance(value, Jsonb):
        return {"$json": value.obj}
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return {"$td": value.total_seconds()}
    if isinstance(value, datetime.time):
        return {"$t": value.isoformat()}
    if isinstance(value, datetime.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"$map": {k: _encode(v) for k, v in value.items()}}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "$dt" in value:
            return datetime.datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return datetime.date.fromisoformat(value["$d"])
        if "$dec" in value:
            return Decimal(value["$dec"])
        if "$json" in value:
            return Jsonb(value["$json"])
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
        if "$td" in value:
            return datetime.timedelta(seconds=value["$td"])
        if "$t" in value:
            return datetime.time.fromisoformat(value["$t"])
        return {k: _decode(v) for k, v in value["$map"].items()}
    return value


@contextmanager
def recording() -> Iterator[list]:
    """Collect the workspace-building statements run on this connection inside the block."""
    statements: list = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if isinstance(sql, str) and _keeps(sql):
            statements.append([sql, _encode(list(params) if many else params), bool(many)])
        return result

    with connection.execute_wrapper(wrapper):
        yield statements


def blueprint_get() -> SchemaBlueprint | None:
    return SchemaBlueprint.objects.filter(key=blueprint_key()).first()


def blueprint_store(statements: list) -> None:
    """Keep a recorded script (a concurrent recorder may have stored the same one first)."""
    try:
        with transaction.atomic():
            SchemaBlueprint.objects.create(key=blueprint_key(), statements=statements)
    except IntegrityError:
        pass


def schema_exists(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None


def schema_drop(schema_name: str) -> None:
    if not SCHEMA_NAME.match(schema_name) or schema_name == "public":
        raise ValueError(f"not a workspace schema: {schema_name!r}")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


_ADD_CONSTRAINT = re.compile(
    r'^\s*ALTER\s+TABLE\s+"?(\w+)"?\s+ADD\s+CONSTRAINT\s+"?(\w+)"?\s+(?:FOREIGN\s+KEY|CHECK)\b',
    re.IGNORECASE,
)
_DROP_CONSTRAINT = re.compile(
    r'^\s*ALTER\s+TABLE\s+"?(\w+)"?\s+DROP\s+CONSTRAINT\s+"?(\w+)"?\s*;?\s*$', re.IGNORECASE
)


def without_undone_constraints(statements: list) -> list:
    """The script without foreign keys and checks that a later statement drops again.

    A fresh schema never needs them, and adding then dropping a foreign key to a public table
    (the workspace audit log's, in audit/workspace/migrations/0002_chain.py) locks that table
    (``tenants_user``, ``django_content_type``) until the replay commits: ACCESS EXCLUSIVE for
    the drop, which blocked every reader and deadlocked against a concurrent provisioning
    step's foreign-key check. Without the pair the replay locks no public table at all.
    Only foreign keys and checks are paired: nothing in a script can depend on them."""
    added: dict[tuple[str, str], int] = {}
    undone: set[int] = set()
    for index, (sql, params, many) in enumerate(statements):
        if params is not None or many or ";" in sql.strip().rstrip(";"):
            continue
        if match := _ADD_CONSTRAINT.match(sql):
            added[match.group(1), match.group(2)] = index
        elif (match := _DROP_CONSTRAINT.match(sql)) and (
            index_added := added.pop((match.group(1), match.group(2)), None)
        ) is not None:
            undone |= {index_added, index}
    return [statement for index, statement in enumerate(statements) if index not in undone]


def _batched(statements: list) -> Iterator[tuple[str, Any, bool]]:
    """Fewer round trips: runs of statements without parameters are joined into one, and runs
    of the same statement with parameters (the migration records) become one executemany."""
    text: list[str] = []
    same_sql, rows = None, []
    for sql, params, many in statements:
        if params is None and not many:
            if rows:
                yield same_sql, rows, True
                same_sql, rows = None, []
            text.append(sql)
            continue
        if text:
            yield ";\n".join(text), None, False
            text = []
        if many:
            if rows:
                yield same_sql, rows, True
                same_sql, rows = None, []
            yield sql, _decode(params), True
        elif sql == same_sql:
            rows.append(_decode(params))
        else:
            if rows:
                yield same_sql, rows, True
            same_sql, rows = sql, [_decode(params)]
    if text:
        yield ";\n".join(text), None, False
    if rows:
        yield same_sql, rows, True


def schema_build_from_blueprint(schema_name: str, blueprint: SchemaBlueprint) -> None:
    """Create ``schema_name`` and replay the script inside it, in the caller's transaction."""
    if not SCHEMA_NAME.match(schema_name) or schema_name == "public":
        raise ValueError(f"not a workspace schema: {schema_name!r}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        previous = cursor.fetchone()[0]
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
        cursor.execute("SELECT set_config('search_path', %s, true)", [f'"{schema_name}", public'])
        try:
            for sql, params, many in _batched(without_undone_constraints(blueprint.statements)):
                if many:
                    cursor.executemany(sql, params)
                else:
                    cursor.execute(sql, params)
        finally:
            # When the replay failed the transaction is aborted and its rollback restores
            # the search path; otherwise restore it here.
            if not connection.needs_rollback:
                with suppress(DatabaseError):
                    cursor.execute("SELECT set_config('search_path', %s, true)", [previous])


class _Discard(Exception):
    pass


SCRATCH_SCHEMA = "cpims_blueprint_scratch"


def blueprint_refresh() -> bool:
    """Record the script for the current migrations now (in a scratch schema that is rolled
    back), so that even the first workspace after a deployment is fast. False when current."""
    from tenants.models import Organisation

    if blueprint_get() is not None:
        return False
    scratch = Organisation(schema_name=SCRATCH_SCHEMA)
    try:
        with transaction.atomic(), recording() as statements:
            scratch.create_schema(check_if_exists=False, verbosity=0)
            raise _Discard
    except _Discard:
        pass
    blueprint_store(statements)
    return True

"""A ``migrate_schemas`` executor for many workspaces: ``--executor=workspaces``.

The stock executors run Django's ``migrate`` for every tenant row. Two problems at scale
(STACK-NOTES): organisations that have no schema yet (pending, verified, rejected sign-ups)
make it fail, and a no-op run costs ~100 ms per tenant in catalogue introspection. This one
migrates only organisations whose schema exists, and skips a schema at once when its
``django_migrations`` already lists every migration Django knows (one small query each).
"""

from __future__ import annotations

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations


def _existing_schemas(names: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [names])
        return {row[0] for row in cursor.fetchall()}


def _applied(schema_name: str) -> set[tuple[str, str]] | None:
    """Migrations recorded in a schema, or None when it has no migration table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{schema_name}".django_migrations'])
        if cursor.fetchone()[0] is None:
            return None
        # The name comes from pg_namespace (checked to exist above), quoted as an identifier.
        cursor.execute(f'SELECT app, name FROM "{schema_name}".django_migrations')  # noqa: S608
        return set(cursor.fetchall())


def schemas_needing_migration(schema_names: list[str]) -> list[str]:
    """The workspace schemas (of those given) that exist and miss at least one migration."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    existing = _existing_schemas(list(schema_names))
    behind = []
    for name in schema_names:
        if name not in existing:
            continue
        applied = _applied(name)
        if applied is None or not known <= applied:
            behind.append(name)
    return behind


class WorkspacesExecutor(MigrationExecutor):
    codename = "workspaces"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in tenants:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
        behind = schemas_needing_migration(tenants)
        for idx, schema_name in enumerate(behind):
            run_migrations(
                self.args, self.options, self.codename, schema_name, idx=idx, count=len(behind)
            )

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("CPIMS has one tenant type")

"""The one place (with the sharing gateway) that switches the database schema.

Routing calls ``activate_for_request``; operator tools (demo data, provisioning
checks) use ``workspace_context``. Anything else that switches schema fails the
house-rules test (tests/test_house_rules.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from tenants.models import Organisation


def activate_public() -> None:
    if connection.schema_name != "public" or not connection.include_public_schema:
        connection.set_schema_to_public()


def activate_workspace(organisation: Organisation) -> None:
    # Re-setting the same schema would make django-tenants issue another
    # SET search_path on the next query; its cached flag is reset on close and
    # rollback, so skipping the call is safe.
    if connection.schema_name == organisation.schema_name and connection.include_public_schema:
        connection.tenant = organisation
        return
    connection.set_tenant(organisation)


def current_schema_name() -> str:
    return connection.schema_name


@contextmanager
def workspace_context(organisation: Organisation) -> Iterator[None]:
    """Run a block inside an organisation's schema, then restore the previous one."""
    previous = connection.tenant
    connection.set_tenant(organisation)
    try:
        yield
    finally:
        if previous is None or previous.schema_name == "public":
            connection.set_schema_to_public()
        else:
            connection.set_tenant(previous)


def schema_follow(alias: str) -> None:
    """Point another database alias (the read replica) at the default connection's schema, so
    a read routed there sees the same workspace (django-tenants keeps a schema per alias)."""
    from django.db import connections

    other = connections[alias]
    if (other.schema_name, other.include_public_schema) == (
        connection.schema_name,
        connection.include_public_schema,
    ):
        other.tenant = connection.tenant  # the same path: no further SET search_path
        return
    other.set_tenant(connection.tenant, include_public=connection.include_public_schema)

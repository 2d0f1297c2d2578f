"""Our one wrapper over django-tenants' connection, for the gateway's batched schema switches.

django-tenants points the connection at a schema through its public API
(``connection.set_tenant``, ``connection.set_schema_to_public``); the first cursor after
that sends ``SET search_path`` and, with ``TENANT_LIMIT_SET_CALLS`` (our settings), no later
cursor sends it again while the backend remembers the path it last set. The gateway sends
that ``SET`` itself, inside the batches that also carry ``BEGIN``, the savepoint and the
access-log entries (docs/sharing.md: a round trip saved each way), so django-tenants must be
told the path is set already, or it would send its own ``SET`` first, in a round trip of its
own, and on the way back before ``ROLLBACK TO SAVEPOINT`` (which would then undo it).

This module is the only code that tells it: ``switch_statement`` points django-tenants at
an organisation through the public API and returns the ``SET`` for the caller's next batch;
``forget`` says the path is unknown (after an error), so the next cursor sets it again.
The backend's memory of the path is read and written here only (``_remember``), and
tests/sharing/test_search_path.py pins this contract against the installed django-tenants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from tenants.models import Organisation

_REMEMBERED = "search_path_set_schemas"  # django_tenants.postgresql_backend.base


def paths_of(organisation: Organisation | None) -> list[str]:
    """The search path of ``organisation``'s workspace (None or public: the platform's)."""
    if organisation is None or organisation.schema_name == "public":
        return ["public"]
    return [organisation.schema_name, "public"]


def set_statement(paths: list[str]) -> str:
    return "SET search_path = " + ",".join(connection.ops.quote_name(p) for p in paths)


def switch_statement(organisation: Organisation | None) -> str:
    """Point django-tenants at ``organisation`` (None: public) and return the ``SET`` that
    the caller sends in its next batch, on the next cursor; django-tenants sends none."""
    if organisation is None or organisation.schema_name == "public":
        connection.set_schema_to_public()
    else:
        connection.set_tenant(organisation)
    paths = paths_of(organisation)
    _remember(paths)
    return set_statement(paths)


def forget(organisation: Organisation | None) -> None:
    """After an error: point django-tenants at ``organisation`` with the path unknown (the
    public API forgets it), so the next cursor sends the ``SET`` itself."""
    if organisation is None or organisation.schema_name == "public":
        connection.set_schema_to_public()
    else:
        connection.set_tenant(organisation)


def _remember(paths: list[str]) -> None:
    if not hasattr(connection, _REMEMBERED):
        raise RuntimeError("django-tenants no longer remembers the search path it set.")
    setattr(connection, _REMEMBERED, paths)

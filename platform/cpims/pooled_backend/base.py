"""django-tenants' PostgreSQL backend for a connection pooler in transaction mode.

django-tenants sends ``SET search_path`` once per Django connection and remembers it. Behind
PgBouncer in transaction pooling mode each transaction may run on another server session,
one that last served another organisation: the remembered path is then wrong, and a session
``SET`` leaks into whichever client gets that session next. With ``POOLER = "transaction"``
in the database settings (``CPIMS_DB_POOLER=transaction``) this backend sends no session
``SET``; instead every transaction begins with ``SET LOCAL search_path`` (which ends with
the transaction, so nothing leaks), and a statement Django runs in autocommit mode runs in a
transaction of its own that begins the same way. Without the setting it is django-tenants'
backend unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import quote_schema_name
from psycopg.pq import TransactionStatus

# Statements that open or close a transaction themselves (the sharing gateway's batches).
OWN_TRANSACTION = re.compile(r"^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK|END)\b", re.I)
# Statements PostgreSQL refuses inside a transaction block; they name no tenant table.
NO_TRANSACTION = re.compile(
    r"^\s*(VACUUM|CREATE\s+DATABASE|DROP\s+DATABASE|ALTER\s+SYSTEM|"
    r"(CREATE|DROP)\s+INDEX\s+CONCURRENTLY|REINDEX\b.*\bCONCURRENTLY)",
    re.I | re.S,
)


def set_local_statement(paths: list[str]) -> str:
    """The ``SET LOCAL search_path`` for ``paths`` (schema names, each quoted)."""
    return "SET LOCAL search_path = " + ",".join(quote_schema_name(p) for p in paths)


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    """django-tenants' wrapper; with ``POOLER = "transaction"``, the path set per transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.per_transaction_path = self.settings_dict.get("POOLER") == "transaction"
        if self.per_transaction_path:
            # First in the list: outermost, so its transaction wraps every other wrapper.
            self.execute_wrappers.insert(0, self._path_in_every_transaction)

    def _handle_search_path(self, cursor: Any = None) -> None:
        if not self.per_transaction_path:
            super()._handle_search_path(cursor)

    def commit(self) -> None:
        super().commit()
        if self.per_transaction_path:
            self.search_path_set_schemas = None

    def _path_in_every_transaction(
        self, execute: Any, sql: str, params: Any, many: bool, context: dict
    ) -> Any:
        """Run one statement with this connection's search path set in its transaction."""
        raw = self.connection
        status = raw.info.transaction_status
        if status == TransactionStatus.INTRANS:
            self._path_set_in_transaction(raw)
            return execute(sql, params, many, context)
        if status == TransactionStatus.INERROR:
            # Only a rollback (to a savepoint) runs now, and it may undo the path: set it again
            # after, rather than fail here with "current transaction is aborted".
            self.search_path_set_schemas = None
            return execute(sql, params, many, context)
        self.search_path_set_schemas = None  # no transaction open: nothing is set
        if isinstance(sql, str) and OWN_TRANSACTION.match(sql):
            return execute(sql, params, many, context)
        if raw.autocommit:
            if isinstance(sql, str) and NO_TRANSACTION.match(sql):
                return execute(sql, params, many, context)
            try:
                with raw.transaction():
                    self._path_set_in_transaction(raw)
                    return execute(sql, params, many, context)
            finally:
                self.search_path_set_schemas = None
        # Django opened a transaction (atomic): the SET LOCAL is its first statement.
        self._path_set_in_transaction(raw)
        return execute(sql, params, many, context)

    def _path_set_in_transaction(self, raw: Any) -> None:
        paths = self._get_cursor_search_paths()
        if self.search_path_set_schemas == paths:
            return
        raw.execute(set_local_statement(paths))
        self.search_path_set_schemas = paths

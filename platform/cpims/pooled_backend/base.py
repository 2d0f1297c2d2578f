"""django-tenants' PostgreSQL backend for a connection pooler in transaction mode.

django-tenants sends ``SET search_path`` once per Django connection and remembers it. Behind
PgBouncer in transaction pooling mode each transaction may run on another server session,
one that last served another organisation: the remembered path is then wrong, and a session
``SET`` leaks into whichever client gets that session next. With ``POOLER = "transaction"``
in the database settings (``CPIMS_DB_POOLER=transaction``) this backend sends no session
``SET``; instead every transaction begins with ``SET LOCAL search_path`` (which ends with
the transaction, so nothing leaks), and a statement Django runs in autocommit mode runs in a
transaction of its own that begins the same way. ``BEGIN`` and the ``SET LOCAL`` go to the
server in one round trip. Without the setting it is django-tenants' backend unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import quote_schema_name
from psycopg import errors as psycopg_errors
from psycopg.pq import ExecStatus, TransactionStatus

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
        self._alone: Any = None  # execute_alone's connection, made on first use
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

    def execute_alone(self, sql: str, params: Any = None) -> tuple | None:
        """Run one statement in a transaction of its own that commits at once, on a connection
        of this wrapper's own (kept open beside it, autocommit), whatever transaction this
        connection is in; its first row, if any (of a batch of statements: the first that
        returns rows). For what must not wait for, or be rolled
        back with, the caller's transaction (an access entry inside a read request's
        transaction, ``cpims.request_transaction``). The statement must name its tables with
        their schema: no search path is set on that connection."""
        alone = self._alone
        if alone is None or alone.closed or alone.broken:
            alone = self._alone = self.Database.connect(**self.get_connection_params())
            alone.autocommit = True
        try:
            with self.wrap_database_errors, alone.cursor() as cursor:  # Django's error classes
                cursor.execute(sql, params)
                while cursor.description is None:  # a batch: the first result with rows
                    if not cursor.nextset():
                        return None
                return cursor.fetchone()
        finally:
            if alone.broken:
                self._alone = None  # the next call connects again

    def close(self) -> None:
        try:
            super().close()
        finally:
            alone, self._alone = self._alone, None
            if alone is not None:
                alone.close()

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
                self._begin_with_path(raw)
                try:
                    result = execute(sql, params, many, context)
                except BaseException:
                    raw.rollback()
                    raise
                raw.commit()
                return result
            finally:
                self.search_path_set_schemas = None
        # Django opened a transaction (atomic): the SET LOCAL is its first statement.
        self._begin_with_path(raw)
        return execute(sql, params, many, context)

    def _begin_with_path(self, raw: Any) -> None:
        """Open the transaction and set the path in one round trip (``BEGIN; SET LOCAL``, a
        simple query): psycopg would send its BEGIN alone first. With an isolation level or
        access mode of its own, psycopg's BEGIN (which names them) goes first instead."""
        if raw.isolation_level is not None or raw.read_only is not None or raw.deferrable:
            if raw.autocommit:
                raw.execute("BEGIN")
            self._path_set_in_transaction(raw)
            return
        paths = self._get_cursor_search_paths()
        result = raw.pgconn.exec_(f"BEGIN; {set_local_statement(paths)}".encode())
        if result.status != ExecStatus.COMMAND_OK:
            error = psycopg_errors.error_from_result(result, encoding=raw.info.encoding)
            raw.rollback()
            with self.wrap_database_errors:  # Django's error classes, as for any statement
                raise error
        self.search_path_set_schemas = paths

    def _path_set_in_transaction(self, raw: Any) -> None:
        paths = self._get_cursor_search_paths()
        if self.search_path_set_schemas == paths:
            return
        raw.execute(set_local_statement(paths))
        self.search_path_set_schemas = paths

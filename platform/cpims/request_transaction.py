"""One transaction for each read request behind a transaction pooler (issue 22; docs/cluster.md).

Behind PgBouncer in transaction mode (``CPIMS_DB_POOLER=transaction``) every statement Django
runs in autocommit mode is a transaction of its own, which begins by setting the schema
(``cpims.pooled_backend``): a page of 16 statements was 16 transactions and 64 round trips
through the pooler, each also waiting to be scheduled on a busy machine. A GET or HEAD now
runs in one transaction (``ReadRequestTransactionMiddleware``): the schema is set once, and
PgBouncer hands the request one server session for its whole length.

What stays as it was:

- An access-log entry is durable when the read it logs returns, and a read that fails after
  it does not roll it back (``durable_write``): written in the request's transaction, which
  then commits and goes on as a new one (a commit point: no second connection, so no wait for
  a second server session). Inside a block a caller opened within the request (a savepoint,
  which cannot commit), it is written on a connection of the wrapper's own in a transaction
  of its own (``execute_alone``), as in autocommit mode. The sharing gateway does the same
  with its entries.
- A request that fails (an exception, answered 500) rolls back what it wrote since its last
  commit point, before the error page is drawn (``got_request_exception``), so the page is
  drawn outside the transaction.
- A POST, PUT, PATCH or DELETE keeps autocommit: their services open their own transactions.
- Without the pooler setting nothing changes: a plain PostgreSQL connection sets its schema
  once per connection, and an autocommit statement there is one round trip, so wrapping it
  would add the BEGIN and COMMIT and save nothing.

A streamed body is read after the middleware returned: its statements run in autocommit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

READ_METHODS = frozenset({"GET", "HEAD"})
REQUEST_BLOCK = "cpims_request_block"  # the wrapper's attribute holding the request's atomic


def in_request_transaction(db: BaseDatabaseWrapper) -> bool:
    """Whether ``db`` is inside its request's transaction (at any depth of atomic blocks)."""
    return getattr(db, REQUEST_BLOCK, None) is not None


def request_block_only(db: BaseDatabaseWrapper) -> bool:
    """Whether ``db`` is in its request's transaction with no block of a caller inside it."""
    block = getattr(db, REQUEST_BLOCK, None)
    return block is not None and db.atomic_blocks == [block]


def commit_point(db: BaseDatabaseWrapper) -> bool:
    """Commit what the request's transaction holds and go on in a new one (only when no
    caller's block is open inside it); whether it committed."""
    if not request_block_only(db):
        return False
    _leave(db, failed=False)
    _enter(db)
    return True


def write_alone(
    db: BaseDatabaseWrapper, sql: str, params: Sequence[Any] | None = None
) -> tuple | None:
    """Run ``sql`` in a transaction of its own that commits at once, whatever ``db``'s
    transaction does later (the pooled backend's own connection); its first row, if any."""
    return db.execute_alone(sql, params)


def durable_write(
    db: BaseDatabaseWrapper, sql: str, params: Sequence[Any] | None = None
) -> tuple | None:
    """Inside a request's transaction: run ``sql`` so that it is committed when this returns
    and not rolled back with the request (a commit point, or alone inside a caller's block);
    its first row, if any."""
    if not request_block_only(db):
        return write_alone(db, sql, params)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone() if cursor.description else None
    commit_point(db)
    return row


def _enter(db: BaseDatabaseWrapper) -> None:
    block = transaction.atomic(using=db.alias)
    block.__enter__()
    setattr(db, REQUEST_BLOCK, block)


def _leave(db: BaseDatabaseWrapper, *, failed: bool) -> None:
    """End the request's transaction: commit, or roll back when the request failed."""
    block = getattr(db, REQUEST_BLOCK, None)
    if block is None:
        return
    setattr(db, REQUEST_BLOCK, None)
    if failed or db.atomic_blocks[-1:] != [block]:
        # a failed request, or a block opened inside it and never closed: undo it all
        db.needs_rollback = True
        while db.atomic_blocks[-1:] and db.atomic_blocks[-1] is not block:
            db.atomic_blocks[-1].__exit__(None, None, None)
    block.__exit__(None, None, None)


def _request_failed(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """An exception is being answered with an error page: roll the request back first."""
    db = connections[DEFAULT_DB_ALIAS]
    if in_request_transaction(db):
        _leave(db, failed=True)


class ReadRequestTransactionMiddleware:
    """A GET or HEAD runs in one transaction on the default database, behind a pooler in
    transaction mode only (the backend's ``per_transaction_path``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(
            _request_failed, weak=False, dispatch_uid="cpims.request_transaction"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        db = connections[DEFAULT_DB_ALIAS]
        if (
            request.method not in READ_METHODS
            or not getattr(db, "per_transaction_path", False)
            or db.in_atomic_block
            or in_request_transaction(db)
        ):
            return self.get_response(request)
        _enter(db)
        try:
            response = self.get_response(request)
        except BaseException:
            _leave(db, failed=True)
            raise
        _leave(db, failed=False)
        return response

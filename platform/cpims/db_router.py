"""Reads that may lag go to the read replica (issue 22; docs/scale-out.md, *Read replica*).

National and county statistics, MER reports and exports read through ``lagging_reads()`` (or
the ``reads_may_lag`` view decorator): inside it, ``ReplicaRouter`` sends reads to the
``replica`` alias (``DATABASE_REPLICA_URL``), with the replica's connection on the same
workspace schema as the default one. Everything else, and every write, stays on the primary.

The replica is used only when it is reachable and less than ``CPIMS_REPLICA_MAX_LAG_SECONDS``
behind (checked at most every ``CPIMS_REPLICA_CHECK_SECONDS``); otherwise reads fall back to
the primary. Read-your-writes: a request that writes (any method but GET, HEAD, OPTIONS) and
the same browser for the next ``CPIMS_REPLICA_MAX_LAG_SECONDS`` (a signed, host-only cookie)
read from the primary, so a member never misses their own change: once the window is over, a
replica less than that far behind has replayed it.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and nothing here changes a read.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from threading import Lock

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

from tenants.schema import schema_follow

REPLICA = "replica"
PIN_COOKIE = "cpims_primary"
PIN_SALT = "cpims.db_router.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How far behind the primary the replica is: nothing when it has replayed all it received,
# otherwise the age of the last transaction it replayed (NULL: none yet, so unknown).
LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)

logger = logging.getLogger(__name__)
_lagging: ContextVar[bool] = ContextVar("cpims_lagging_reads", default=False)
_pinned: ContextVar[bool] = ContextVar("cpims_pinned_to_primary", default=False)


@dataclass(frozen=True)
class ReplicaState:
    """What the last check of the replica found."""

    usable: bool
    lag_seconds: float | None  # None: unreachable, or behind by an unknown time
    reason: str  # "ok", "none", "unreachable", "behind"
    checked_at: float


_state: ReplicaState | None = None
_state_lock = Lock()


def replica_configured() -> bool:
    """A ``replica`` alias is configured (``DATABASE_REPLICA_URL``)."""
    return REPLICA in connections.settings


def max_lag_seconds() -> float:
    """Beyond this lag the replica is not read, and the pin after a write lasts this long."""
    return float(getattr(settings, "CPIMS_REPLICA_MAX_LAG_SECONDS", 30))


def replica_lag_seconds(alias: str = REPLICA) -> float | None:
    """How far the database behind ``alias`` is behind its primary (0 for a primary)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        _in_recovery, lag = cursor.fetchone()
    return None if lag is None else float(lag)


def replica_state(*, refresh: bool = False) -> ReplicaState:
    """The replica's state, checked again when the last check is older than
    ``CPIMS_REPLICA_CHECK_SECONDS`` (or ``refresh``)."""
    global _state
    now = time.monotonic()
    interval = float(getattr(settings, "CPIMS_REPLICA_CHECK_SECONDS", 5))
    state = _state
    if state is not None and not refresh and now - state.checked_at < interval:
        return state
    with _state_lock:
        if not replica_configured():
            _state = ReplicaState(False, None, "none", now)
            return _state
        try:
            lag = replica_lag_seconds()
        except DatabaseError as error:
            logger.warning("read replica unreachable, reading from the primary: %s", error)
            connections[REPLICA].close()
            _state = ReplicaState(False, None, "unreachable", now)
            return _state
        # the lag may grow until the next check: keep that much margin under the maximum
        usable = lag is not None and lag + interval < max_lag_seconds()
        if not usable:
            logger.warning("read replica behind (%s s), reading from the primary", lag)
        _state = ReplicaState(usable, lag, "ok" if usable else "behind", now)
        return _state


def replica_state_forget() -> None:
    """Check the replica again on the next read (tests; after its settings change)."""
    global _state
    _state = None


@contextmanager
def lagging_reads() -> Iterator[None]:
    """Reads in this block may come from the replica (they tolerate a little lag)."""
    token = _lagging.set(True)
    try:
        yield
    finally:
        _lagging.reset(token)


@contextmanager
def pinned_to_primary() -> Iterator[None]:
    """Every read in this block comes from the primary (after a write: read your writes)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def reads_from_replica() -> bool:
    """Reads made here and now go to the replica."""
    return _lagging.get() and not _pinned.get() and replica_configured() and replica_state().usable


def _stream(chunks: Iterable, *, replica: bool) -> Iterator:
    iterator = iter(chunks)
    while True:
        with lagging_reads() if replica else pinned_to_primary():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def lagging_response(response: HttpResponse) -> HttpResponse:
    """A streamed body is read after the view returned, outside its request's pin: its reads
    keep the choice of database made now (the replica, or the primary when pinned)."""
    if getattr(response, "streaming", False):
        response.streaming_content = _stream(
            response.streaming_content, replica=reads_from_replica()
        )
    return response


def reads_may_lag(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose reads may come from the replica; if the replica fails mid-request, the
    view runs again on the primary (and the replica is not read until it answers again)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with lagging_reads():
            if not reads_from_replica():
                return lagging_response(view(request, *args, **kwargs))
            try:
                return lagging_response(view(request, *args, **kwargs))
            except DatabaseError:
                if replica_state(refresh=True).usable:
                    raise
        return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Sends the reads of ``lagging_reads`` blocks to the replica; nothing else."""

    def db_for_read(self, model, **hints) -> str:
        if not reads_from_replica():
            return DEFAULT_DB_ALIAS  # also for a row read from the replica, outside the block
        schema_follow(REPLICA)
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS  # also when saving a row read from the replica

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # the replica holds the primary's rows: an object read there relates to one here
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return False if db == REPLICA else None


class ReadYourWritesMiddleware:
    """A write request, and its browser for the next ``max_lag_seconds()``, read from the
    primary (a signed cookie with the time of the write, on this host only)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        window = max_lag_seconds()
        pinned = writes or request.get_signed_cookie(
            PIN_COOKIE, default=None, salt=PIN_SALT, max_age=window
        )
        token = _pinned.set(bool(pinned))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=int(window) + 1,
                httponly=True,
                samesite="Lax",
                secure=getattr(settings, "SECURE", False),
            )
        return response

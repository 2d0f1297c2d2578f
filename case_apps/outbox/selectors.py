"""Reading the organisation's event stream: events in commit order from an opaque cursor.

Why a sealed position and not the event id: ids are handed out when a row is inserted, so a
transaction that inserts event 10 and commits after the one that inserted event 11 makes 10
appear behind a reader that already read 11. The stream orders events by ``position``,
which the sealing step (``outbox_seal``) assigns only to committed events, one sealer at a
time per organisation: an event becomes visible to readers with a position above every
position already visible, so a cursor never skips one. (The alternative, reading only events
whose transaction id is below the snapshot's ``xmin``, holds the whole feed back behind any
long transaction in the database and sees nothing of the reader's own transaction.)
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.db import connection

from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.schemas import payload_read
from case_apps.outbox.services import outbox_seal
from tenants.models import Organisation

CURSOR_PREFIX = "ev1."
MAX_LIMIT = 1000


class InvalidCursor(ValueError):
    """A cursor this organisation's stream did not give out."""


@dataclass(frozen=True)
class StreamEvent:
    """One event of the stream, read through its type's schema."""

    id: int
    position: int
    type: str
    version: int
    occurred_at: object
    recorded_at: object
    source: str
    payload: dict


def cursor_encode(organisation: Organisation, position: int) -> str:
    raw = f"{organisation.pk}:{position}".encode()
    return CURSOR_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(organisation: Organisation, cursor: str | None) -> int:
    """The position after which ``cursor`` resumes (0: from the start of the stream)."""
    if not cursor:
        return 0
    if not cursor.startswith(CURSOR_PREFIX):
        raise InvalidCursor("Not a cursor of this event stream.")
    body = cursor[len(CURSOR_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("ascii")
        organisation_id, position = (int(part) for part in raw.split(":"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor("Not a cursor of this event stream.") from None
    if organisation_id != organisation.pk or position < 0:
        raise InvalidCursor("This cursor belongs to another event stream.")
    return position


def events_since(
    organisation: Organisation, cursor: str | None, limit: int = 100, *, seal: bool = True
) -> tuple[list[StreamEvent], str]:
    """The organisation's events after ``cursor`` in commit order (at most ``limit``), and
    the cursor to resume from (the same one when nothing new was committed). Seals first
    (``outbox_seal``) unless the caller just did; ``InvalidCursor`` for a foreign cursor.
    Runs in the organisation's schema, where its workspace or the drain put the connection."""
    if connection.schema_name != organisation.schema_name:
        raise RuntimeError(f"events_since({organisation.slug}) outside its organisation's schema")
    after = cursor_decode(organisation, cursor)
    limit = max(1, limit)  # the API bounds its pages (MAX_LIMIT); the drain reads batches
    if seal:
        outbox_seal()
    rows = list(OutboxEvent.objects.filter(position__gt=after).order_by("position")[:limit])
    events = [
        StreamEvent(
            id=row.pk,
            position=row.position,
            type=row.kind,
            version=row.version,
            occurred_at=row.occurred_at,
            recorded_at=row.created_at,
            source=row.source,
            payload=payload_read(row.kind, row.version, row.payload).model_dump(
                exclude_defaults=True
            ),
        )
        for row in rows
    ]
    last = events[-1].position if events else after
    return events, cursor_encode(organisation, last)

"""The organisation's event stream over the workspace API: its own events, typed and
versioned, in commit order from an opaque cursor (``events_since``).

Who: organisation admins (the policy's ``manage_members``, an admin-only permission, until
the policy names one for integrations), signed in or with a personal access token.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from case_apps.outbox.selectors import MAX_LIMIT, InvalidCursor, events_since
from tenants.api_errors import ErrorOut, InvalidInput, InvalidOut, api_require
from tenants.policy import Permission

router = Router(tags=["events"])
CURSOR_PATTERN = r"^ev1\.[A-Za-z0-9_-]{1,80}$"


class EventOut(Schema):
    id: int
    type: str
    version: int
    occurred_on: datetime.date
    recorded_at: datetime.datetime
    source: str
    payload: dict[str, str]


class EventPageOut(Schema):
    events: list[EventOut]
    next_cursor: str
    has_more: bool


@router.get(
    "/events",
    response={200: EventPageOut, 403: ErrorOut, 422: InvalidOut},
    summary="The organisation's events after a cursor, in commit order",
)
def events(
    request: HttpRequest,
    updated_since: str | None = Query(None, max_length=84, pattern=CURSOR_PATTERN),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
):
    """Start without ``updated_since``; pass each answer's ``next_cursor`` to the next call."""
    api_require(request, Permission.READ_EVENT_STREAM)
    try:
        page, cursor = events_since(request.organisation, updated_since, limit)
    except InvalidCursor as error:
        raise InvalidInput({"updated_since": [str(error)]}) from None
    return {
        "events": [
            {
                "id": event.id,
                "type": event.type,
                "version": event.version,
                "occurred_on": timezone.localtime(event.occurred_at).date(),
                "recorded_at": event.recorded_at,
                "source": event.source,
                "payload": event.payload,
            }
            for event in page
        ],
        "next_cursor": cursor,
        "has_more": len(page) == limit,
    }

"""Writing to the organisation's outbox."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent

# Keys allowed in a payload: de-identified dimensions only.
FACT_DIMENSIONS = frozenset(
    {"category", "sex", "age_band", "county", "sub_county", "ward", "programme", "case_ref"}
)


def outbox_event_record(
    *, kind: str, payload: dict, occurred_at: datetime | None = None
) -> OutboxEvent:
    """Record an event; call inside the transaction of the change it describes."""
    unknown = set(payload) - FACT_DIMENSIONS
    if unknown:
        raise ValueError(
            f"Outbox payloads carry de-identified dimensions only, not {sorted(unknown)}"
        )
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Outbox events must be written inside the change's transaction")
    return OutboxEvent.objects.create(
        kind=kind, payload=payload, occurred_at=occurred_at or timezone.now()
    )

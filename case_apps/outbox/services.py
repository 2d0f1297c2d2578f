"""Writing to the organisation's outbox."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent

# Keys allowed in a payload: de-identified dimensions only, with the width of the fact
# column each one becomes (national_statistics.models.Fact; a test keeps the two equal).
FACT_DIMENSION_WIDTHS = {
    "programme": 32,
    "category": 16,
    "sex": 8,
    "age_band": 16,
    "county": 8,
    "sub_county": 8,
    "ward": 8,
    "case_ref": 40,
}
FACT_DIMENSIONS = frozenset(FACT_DIMENSION_WIDTHS)


def outbox_event_record(
    *, kind: str, payload: dict, occurred_at: datetime | None = None
) -> OutboxEvent:
    """Record an event; call inside the transaction of the change it describes."""
    unknown = set(payload) - FACT_DIMENSIONS
    if unknown:
        raise ValueError(
            f"Outbox payloads carry de-identified dimensions only, not {sorted(unknown)}"
        )
    too_long = sorted(
        name for name, value in payload.items() if len(str(value)) > FACT_DIMENSION_WIDTHS[name]
    )
    if too_long:  # refused here, in the change's own transaction, rather than blocking the
        raise ValueError(  # organisation's drain later on a value its fact column cannot hold
            f"Outbox payload values too long for their fact columns: {too_long}"
        )
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Outbox events must be written inside the change's transaction")
    return OutboxEvent.objects.create(
        kind=kind, payload=payload, occurred_at=occurred_at or timezone.now()
    )

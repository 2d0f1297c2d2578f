"""The webhook events and what their data may carry.

An event's ``data`` carries references and statuses only: ``data_check`` refuses any key
outside ``DATA_KEYS`` and any value that is not a plain scalar, so no name, date of birth or
case detail can leave the platform by mistake.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

REFERRAL_RECEIVED = "referral.received"
REFERRAL_ACCEPTED = "referral.accepted"
REFERRAL_DECLINED = "referral.declined"
TRANSFER_ACCEPTED = "transfer.accepted"
AGREEMENT_APPROVED = "agreement.approved"
AGREEMENT_REVOKED = "agreement.revoked"
INTAKE_OUTCOME = "intake.outcome"

# event -> what an administrator ticks (in this order on the subscription form)
EVENTS: dict[str, Any] = {
    REFERRAL_RECEIVED: _("A referral or transfer was sent to the organisation"),
    REFERRAL_ACCEPTED: _("A referral the organisation sent was accepted"),
    REFERRAL_DECLINED: _("A referral the organisation sent was declined"),
    TRANSFER_ACCEPTED: _("A transfer the organisation sent was accepted"),
    AGREEMENT_APPROVED: _("A data sharing agreement of the organisation was approved"),
    AGREEMENT_REVOKED: _("A data sharing agreement of the organisation was revoked"),
    INTAKE_OUTCOME: _("A report the organisation sent was accepted, forwarded or rejected"),
}

# the keys an event's data may carry: references, statuses, codes and dates, never a name
DATA_KEYS = frozenset(
    {
        "id",
        "reference",
        "status",
        "kind",
        "organisation",
        "occurred_on",
        "reason_code",
        "referral_id",
        "agreement_id",
        "report_id",
        "forwarded_to",
        "source",
    }
)
_EVENT_NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
_MAX_TEXT = 200


def event_choices() -> list[tuple[str, Any]]:
    return list(EVENTS.items())


def events_check(events: list[str]) -> list[str]:
    """The events, each a known one, without repeats; ValueError naming an unknown one."""
    unknown = [event for event in events if event not in EVENTS]
    if unknown:
        raise ValueError(f"unknown webhook event(s): {', '.join(unknown)}")
    return list(dict.fromkeys(events))


def data_check(event: str, data: dict) -> dict:
    """``data`` if it may leave the platform; ValueError naming the first refused key."""
    if not _EVENT_NAME.match(event or ""):
        raise ValueError(f"not a webhook event name: {event!r}")
    if not isinstance(data, dict):
        raise ValueError("webhook data must be a dict")
    for key, value in data.items():
        if key not in DATA_KEYS:
            raise ValueError(
                f"webhook data may not carry {key!r}: only references and statuses "
                f"({', '.join(sorted(DATA_KEYS))})"
            )
        if value is not None and not isinstance(value, str | int | bool):
            raise ValueError(f"webhook data {key!r} must be a plain value, not {type(value)}")
        if isinstance(value, str) and len(value) > _MAX_TEXT:
            raise ValueError(f"webhook data {key!r} is longer than {_MAX_TEXT} characters")
    return dict(data)

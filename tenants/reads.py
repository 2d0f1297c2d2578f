"""A record was read: the signal lower parts send so that the access log (audit) records it.

``shared_registry`` may not import ``audit`` (they are independent layers), yet every
registry read must be in the access log: it sends ``record_read`` and the audit app, which
connects the receiver in its AppConfig.ready, writes the entry with ``access_record``.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal
from django.http import HttpRequest

# kwargs: actor, record_kind, record_id, purpose, request
record_read = Signal()


def record_read_send(
    *,
    actor: Any,
    record_kind: str,
    record_id: Any,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Announce a read; the audit app's receiver writes it into the access log."""
    receivers = record_read.send(
        sender=None,
        actor=actor,
        record_kind=record_kind,
        record_id=record_id,
        purpose=purpose,
        request=request,
    )
    if not receivers:
        raise RuntimeError("No access log listens for reads (is the audit app installed?)")

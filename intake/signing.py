"""How an intake request is signed: ``X-CPIMS-Signature: v1=<hex>``, the HMAC-SHA256 under
the client's secret of ``f"{timestamp}.{nonce}."`` followed by the body's bytes."""

from __future__ import annotations

import hashlib
import hmac

SCHEME = "v1"
WINDOW_SECONDS = 300  # a timestamp this far from now, either way, is refused


def signature_of(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The header value for this request."""
    message = f"{timestamp}.{nonce}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signature_matches(secret: str, timestamp: str, nonce: str, body: bytes, header: str) -> bool:
    """Whether ``header`` signs this request under ``secret`` (compared in constant time)."""
    expected = signature_of(secret, timestamp, nonce, body)
    return hmac.compare_digest(expected.encode(), (header or "").strip().encode())


def timestamp_fresh(timestamp: str, now: float) -> bool:
    """Unix seconds within the window of ``now``."""
    if not timestamp.isdigit() or len(timestamp) > 12:
        return False
    return abs(int(timestamp) - now) <= WINDOW_SECONDS

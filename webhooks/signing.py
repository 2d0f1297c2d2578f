"""Signing webhook deliveries, and verifying them (for receivers and tests).

A delivery carries ``X-CPIMS-Timestamp`` (Unix seconds) and ``X-CPIMS-Signature``:
``v1=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>``; while a rotated secret is still in
its window, two ``v1=`` values, comma-separated (the new secret's first). A receiver checks
any of them against its secret, and refuses a timestamp older than its tolerance (a replayed
capture). Secrets are kept encrypted at rest (cpims.ciphers).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from cryptography.fernet import MultiFernet

from cpims.ciphers import purpose_cipher

SECRET_PREFIX = "whsec_"


def secret_new() -> str:
    """A fresh signing secret (shown once to whoever subscribes)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _cipher() -> MultiFernet:
    return purpose_cipher("cpims.webhook-secrets", "CPIMS_WEBHOOK_KEYS")


def secret_seal(secret: str) -> str:
    """Encrypt a signing secret for storage."""
    return _cipher().encrypt(secret.encode()).decode()


def secret_open(stored: str) -> str:
    """Decrypt a stored signing secret."""
    return _cipher().decrypt(stored.encode()).decode()


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def signature(secret: str, timestamp: str | int, body: str | bytes) -> str:
    """The hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` under ``secret``."""
    message = f"{timestamp}.".encode() + _as_bytes(body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_in_order: list[str], timestamp: str | int, body: bytes) -> str:
    """The ``X-CPIMS-Signature`` value: one ``v1=`` per secret, comma-separated."""
    return ",".join(f"v1={signature(secret, timestamp, body)}" for secret in secrets_in_order)


def signature_verify(
    secret: str,
    timestamp: str | int,
    body: str | bytes,
    header: str,
    tolerance: int = 300,
) -> bool:
    """Whether ``header`` (``X-CPIMS-Signature``) signs ``body`` at ``timestamp`` (the
    ``X-CPIMS-Timestamp`` header) under ``secret``, and the timestamp is no more than
    ``tolerance`` seconds from now. Pass the body exactly as received (bytes)."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(time.time() - sent_at) > tolerance:
        return False
    expected = signature(secret, sent_at, body)
    for part in (header or "").split(","):
        scheme, _, value = part.strip().partition("=")
        if scheme == "v1" and hmac.compare_digest(value, expected):
            return True
    return False

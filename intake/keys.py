"""Intake clients' secrets, encrypted at rest: HMAC verification needs the secret itself, so
it cannot be hashed. Fernet tokens under a key derived from CPIMS_INTAKE_KEYS (or, without
them, from SECRET_KEY), the fallback keys still accepted, as platform/cpims/mfa.py does for
authenticator secrets."""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet_key(secret: str) -> bytes:
    digest = hashlib.sha256(f"cpims.intake-secrets:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def intake_cipher() -> MultiFernet:
    """The current key first, then the fallbacks (a key rotation keeps every client)."""
    explicit = getattr(settings, "CPIMS_INTAKE_KEYS", None) or []
    in_order = [*explicit, settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in in_order])


def secret_encrypt(text: str) -> str:
    return intake_cipher().encrypt(text.encode()).decode()


def secret_decrypt(stored: str) -> str:
    return intake_cipher().decrypt(stored.encode()).decode()


def secret_new() -> str:
    """A fresh client secret (shown once)."""
    return secrets.token_urlsafe(32)


def key_id_new() -> str:
    return "ik_" + secrets.token_hex(12)

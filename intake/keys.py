"""Intake clients' secrets, encrypted at rest: HMAC verification needs the secret itself, so
it cannot be hashed. Fernet tokens under the platform's per-purpose cipher (cpims.ciphers:
keys listed in CPIMS_INTAKE_KEYS, then SECRET_KEY and its fallbacks), so a key rotation
keeps every client working."""

from __future__ import annotations

import secrets

from cryptography.fernet import MultiFernet

from cpims.ciphers import purpose_cipher


def intake_cipher() -> MultiFernet:
    return purpose_cipher("cpims.intake-secrets", "CPIMS_INTAKE_KEYS")


def secret_encrypt(text: str) -> str:
    return intake_cipher().encrypt(text.encode()).decode()


def secret_decrypt(stored: str) -> str:
    return intake_cipher().decrypt(stored.encode()).decode()


def secret_new() -> str:
    """A fresh client secret (shown once)."""
    return secrets.token_urlsafe(32)


def key_id_new() -> str:
    return "ik_" + secrets.token_hex(12)

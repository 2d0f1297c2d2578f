"""Secrets encrypted at rest: Fernet tokens under keys derived from the site's secrets.

One cipher per purpose (two-factor secrets, webhook secrets, ...): the key is derived from
each of the purpose's explicit keys (a setting listing them, newest first), then from
SECRET_KEY and SECRET_KEY_FALLBACKS, so rotating any of them keeps every stored secret
readable (MultiFernet encrypts with the first key and decrypts with any).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80 + timestamp)


def derived_key(purpose: str, secret: str) -> bytes:
    """The Fernet key of ``purpose`` derived from ``secret``."""
    digest = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def purpose_cipher(purpose: str, keys_setting: str) -> MultiFernet:
    """The cipher of ``purpose``: the keys listed in the setting ``keys_setting`` first, then
    SECRET_KEY and its fallbacks."""
    explicit = getattr(settings, keys_setting, None) or []
    secrets_in_order = [*explicit, settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(derived_key(purpose, secret)) for secret in secrets_in_order])

"""The outside systems' credentials (DHIS2 password, KMHFL and NEMIS secrets) encrypted at rest
under their own derived key (cpims.ciphers; ``CPIMS_INTEGRATION_KEYS`` lists newer keys)."""

from __future__ import annotations

from cpims.ciphers import purpose_cipher

PURPOSE, KEYS_SETTING = "cpims.integration-secrets", "CPIMS_INTEGRATION_KEYS"


def secret_encrypt(text: str) -> str:
    return purpose_cipher(PURPOSE, KEYS_SETTING).encrypt(text.encode()).decode()


def secret_decrypt(stored: str) -> str:
    """The clear secret ("" when none is stored)."""
    if not stored:
        return ""
    return purpose_cipher(PURPOSE, KEYS_SETTING).decrypt(stored.encode()).decode()

"""Two-factor set-up: TOTP secrets encrypted at rest, and a set-up secret that stays put.

allauth stores each authenticator's secret (TOTP key, recovery-code seed) through its MFA
adapter's encrypt()/decrypt() hooks; here they are Fernet tokens under a key derived from
CPIMS_MFA_KEY (or, without it, from SECRET_KEY), with the fallback keys still accepted so
that a key rotation keeps every enrolment working.
"""

from __future__ import annotations

import copy
import logging

from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from cryptography.fernet import InvalidToken, MultiFernet
from django.core.validators import MaxLengthValidator

from cpims.ciphers import TOKEN_PREFIX, purpose_cipher

logger = logging.getLogger(__name__)


def mfa_cipher() -> MultiFernet:
    """The cipher for authenticator secrets: the current key first, then the fallbacks."""
    return purpose_cipher("cpims.mfa-secrets", "CPIMS_MFA_KEYS")


def secret_encrypt(text: str) -> str:
    """Encrypt an authenticator secret for storage."""
    return mfa_cipher().encrypt(text.encode()).decode()


def secret_decrypt(stored: str) -> str:
    """Decrypt a stored authenticator secret; a legacy clear-text one is returned as it is."""
    if not stored.startswith(TOKEN_PREFIX):
        return stored  # stored before encryption; the 0001 migration of cpims encrypts these
    try:
        return mfa_cipher().decrypt(stored.encode()).decode()
    except InvalidToken:
        logger.error("An authenticator secret could not be decrypted with any known key")
        raise


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter with secrets encrypted at rest."""

    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)


TOTP_CODE_MAX_LENGTH = 16  # a six-digit code, with room for spaces typed between groups


def _bounded_code_field():
    """allauth's code field with a length limit (every form text field is bounded)."""
    field = copy.deepcopy(ActivateTOTPForm.base_fields["code"])
    field.max_length = TOTP_CODE_MAX_LENGTH
    field.validators.append(MaxLengthValidator(TOTP_CODE_MAX_LENGTH))
    field.widget.attrs["maxlength"] = str(TOTP_CODE_MAX_LENGTH)
    return field


class StableSecretActivateTOTPForm(ActivateTOTPForm):
    """allauth's activation form, but showing the page again keeps the secret it offered.

    allauth draws a new secret on every GET of the set-up page. Any second GET (a reload,
    the browser's favicon request redirected there, an htmx poll redirected there) then
    silently replaced the secret the user had scanned, and every code was "incorrect".
    The secret now lives in the session until activation succeeds (allauth clears it then).
    """

    code = _bounded_code_field()

    def __init__(self, *args, **kwargs) -> None:
        offered = context.request.session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if offered:
            self.secret = context.request.session[SECRET_SESSION_KEY] = offered

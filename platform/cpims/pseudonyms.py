"""Pseudonyms of persons and records in national facts, made in one place.

``pseudonym(kind, value)`` is HMAC-SHA256 keyed with ``CPIMS_PSEUDONYM_KEY`` (environment
variable of the same name), or, when that is unset, with a key derived from ``SECRET_KEY``.
Without the key nobody can recompute a pseudonym from a guessable input (a case's national
reference, a registry person's id), so facts cannot be linked back to records.

Changing the key (or ``SECRET_KEY`` while no pseudonym key is set) changes every pseudonym:
restate the facts afterwards with ``manage.py all_tenants_command restate_pseudonyms``
(docs/statistics.md). Production should set ``CPIMS_PSEUDONYM_KEY`` so that rotating the
secret key does not touch the figures.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

# The kinds of things pseudonymised; each kind has its own namespace of pseudonyms.
PERSON = "person"  # a registry person (after following merges)
CASE = "case"  # a case record, by its national reference
OVC_BENEFICIARY = "ovc"  # an OVC enrolment, by its organisation schema and id
KINDS = frozenset({PERSON, CASE, OVC_BENEFICIARY})


def pseudonym_key() -> bytes:
    """The key of every pseudonym: the configured one, or one derived from SECRET_KEY."""
    configured = getattr(settings, "CPIMS_PSEUDONYM_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"cpims.pseudonyms", hashlib.sha256).digest()


def pseudonym(kind: str, value: str, *, length: int = 32) -> str:
    """The keyed pseudonym of ``value`` of ``kind`` (hex, ``length`` characters, at most 64)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown pseudonym kind {kind!r}")
    message = f"{kind}:{value}".encode()
    return hmac.new(pseudonym_key(), message, hashlib.sha256).hexdigest()[:length]

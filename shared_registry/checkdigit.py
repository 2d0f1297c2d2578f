"""The check character of the CPIMS person ID: the Damm algorithm.

Damm's totally anti-symmetric quasigroup of order 10 detects every single-digit
substitution and every transposition of two adjacent digits (proved exhaustively in
tests/shared_registry/test_checkdigit.py). IDs are digits only, so they read out
over a phone and type on any keypad.
"""

from __future__ import annotations

import secrets

_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

BODY_LENGTH = 9
ID_LENGTH = BODY_LENGTH + 1


def _interim(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = _TABLE[interim][ord(ch) - 48]
    return interim


def check_digit(body: str) -> str:
    """The check digit for a string of digits."""
    if not body.isdigit():
        raise ValueError("the body of a CPIMS ID is digits only")
    return str(_interim(body))


def is_valid(value: str) -> bool:
    """Whether a full ID (body + check digit) is well formed and its check digit right."""
    return len(value) == ID_LENGTH and value.isascii() and value.isdigit() and _interim(value) == 0


def cpims_id_from_number(number: int) -> str:
    body = str(number).zfill(BODY_LENGTH)
    if len(body) != BODY_LENGTH:
        raise ValueError("CPIMS ID sequence exhausted")
    return body + check_digit(body)


FIRST_BODY = 100_000_000  # bodies have nine significant digits (the sequence began here)


def cpims_id_random() -> str:
    """A well-formed ID with a body drawn uniformly (from the OS's random source) between
    FIRST_BODY and the largest nine-digit number."""
    return cpims_id_from_number(FIRST_BODY + secrets.randbelow(10**BODY_LENGTH - FIRST_BODY))


def normalise(value: str) -> str:
    """Strip the separators people type (spaces, hyphens); the ID itself is unchanged."""
    return "".join(ch for ch in (value or "") if ch not in " -\t")


def display(cpims_id: str) -> str:
    """Grouped for reading aloud: 123-456-789-0."""
    return f"{cpims_id[0:3]}-{cpims_id[3:6]}-{cpims_id[6:9]}-{cpims_id[9:]}"

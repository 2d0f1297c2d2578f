"""Typed person identifiers and their validation, one rule per type."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentifierType(models.TextChoices):
    # codes as in CPIMS (GLOSSARY.md); ISHA is new: NHIF numbers and their SHA successors
    BIRTH_CERTIFICATE = "ISOV", _("Birth certificate number")
    BIRTH_NOTIFICATION = "IBCN", _("Birth notification number")
    NATIONAL_ID = "INTL", _("National ID number")
    PASSPORT = "IPPN", _("Passport number")
    NEMIS_UPI = "INEM", _("NEMIS UPI")
    NUPI = "IUPI", _("NUPI (Maisha Namba)")
    HEALTH_INSURANCE = "ISHA", _("NHIF / SHA number")
    NCPWD = "IPWD", _("NCPWD number")
    OTHER = "IOTH", _("Other")


# Patterns on the normalised value (upper case, no spaces, hyphens, slashes or dots).
_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    IdentifierType.BIRTH_CERTIFICATE: (
        re.compile(r"^\d{6,10}$"),
        _("A birth certificate number is 6 to 10 digits."),
    ),
    IdentifierType.BIRTH_NOTIFICATION: (
        re.compile(r"^[A-Z0-9]{4,20}$"),
        _("A birth notification number is 4 to 20 letters or digits."),
    ),
    IdentifierType.NATIONAL_ID: (
        re.compile(r"^\d{6,8}$"),
        _("A national ID number is 6 to 8 digits."),
    ),
    IdentifierType.PASSPORT: (
        re.compile(r"^[A-Z]{1,2}\d{6,8}$|^[A-Z0-9]{6,9}$"),
        _("A passport number is 6 to 9 letters or digits (Kenyan: A1234567)."),
    ),
    IdentifierType.NEMIS_UPI: (
        re.compile(r"^(?=.*[A-Z])[A-Z0-9]{6,8}$"),
        _("A NEMIS UPI is 6 to 8 letters and digits, with at least one letter."),
    ),
    IdentifierType.NUPI: (
        re.compile(r"^[A-Z0-9]{6,20}$"),
        _("A NUPI is 6 to 20 letters or digits."),
    ),
    IdentifierType.HEALTH_INSURANCE: (
        re.compile(r"^\d{6,10}$|^CR\d{10,15}$"),
        _("An NHIF number is 6 to 10 digits; a SHA number is CR followed by 10 to 15 digits."),
    ),
    IdentifierType.NCPWD: (
        re.compile(r"^[A-Z0-9]{3,20}$"),
        _("An NCPWD number is 3 to 20 letters or digits."),
    ),
    IdentifierType.OTHER: (
        re.compile(r"^[A-Z0-9]{2,40}$"),
        _("An identifier is 2 to 40 letters or digits."),
    ),
}

_SEPARATORS = re.compile(r"[\s\-/.]+")


def identifier_normalise(value: str) -> str:
    return _SEPARATORS.sub("", (value or "").upper())


def identifier_validate(identifier_type: str, value: str) -> str:
    """The normalised value, or ValidationError naming what is wrong."""
    if identifier_type not in _RULES:
        raise ValidationError(_("Unknown identifier type."), code="unknown_type")
    normalised = identifier_normalise(value)
    pattern, message = _RULES[identifier_type]
    if not pattern.match(normalised):
        raise ValidationError(message, code="invalid_identifier")
    return normalised

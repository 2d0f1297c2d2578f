"""Length limits for free text, shared by models, forms and the API (docs/security.md)."""

from __future__ import annotations

from django.db import models

NARRATIVE_MAX_LENGTH = 20_000  # a case narrative: about eight typed pages
NOTES_MAX_LENGTH = 5_000  # notes, reasons, purposes, outcomes: about two pages
PASSWORD_MAX_LENGTH = 1_000  # hashing a megabyte-long password is work an attacker chooses


def max_length_of(model: type[models.Model], field_name: str) -> int:
    """The model field's max_length: the one limit its form, the API and the database share."""
    limit = model._meta.get_field(field_name).max_length
    if not limit:
        raise ValueError(f"{model.__name__}.{field_name} has no max_length to bound input with")
    return limit

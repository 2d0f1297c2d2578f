"""What every connection to an outside system checks before it is saved: an http(s)
address, secrets of a plausible length without NUL bytes (a blank one keeps the stored one,
required when none is stored), a timeout from 1 to 300 seconds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

SECRET_MAX = 500


def connection_checked(
    *,
    base_url: str,
    timeout_seconds,
    secrets: dict[str, tuple[str, bool]],
    errors: dict[str, list[str]] | None = None,
) -> str:
    """The address, cleaned; ``secrets``: field -> (typed value, one is stored already).
    Raises one ValidationError naming every bad field (with ``errors`` found before)."""
    errors = dict(errors or {})
    base_url = (base_url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(base_url)
    except ValidationError:
        errors["base_url"] = [_("Enter the address, starting with https://.")]
    for name, (value, stored) in secrets.items():
        value = value or ""
        if len(value) > SECRET_MAX or "\x00" in value:
            errors[name] = [_("This cannot be right: check it.")]
        elif not value and stored is False:
            errors[name] = [_("Enter the password or API key.")]
    try:
        timeout = int(timeout_seconds or 0)
    except (TypeError, ValueError):
        timeout = 0
    if not 1 <= timeout <= 300:
        errors["timeout_seconds"] = [_("Give a timeout from 1 to 300 seconds.")]
    if errors:
        raise ValidationError(errors)
    return base_url.rstrip("/")

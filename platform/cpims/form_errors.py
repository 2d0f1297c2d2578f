"""A service's ValidationError shown on the form that sent the input."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put each message on the field it names (messages for unknown fields on the form)."""
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            target = field_name if field_name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)

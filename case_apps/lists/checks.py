"""Checking coded fields against the national lists, shared by every case app's services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from case_apps.lists.selectors import list_labels_bulk


class CodeChecks:
    """Checks coded fields against the national lists, collecting errors per field; a
    service adds its own rules with ``add`` and raises them all at once."""

    def __init__(self, *list_names: str):
        self.labels = list_labels_bulk(list_names)
        self.errors: dict[str, list[str]] = {}

    def check(self, field_name: str, list_name: str, code: str, *, required: bool = True) -> None:
        if not code:
            if required:
                self.errors.setdefault(field_name, []).append(gettext("This field is required."))
            return
        if code not in self.labels.get(list_name, {}):
            self.errors.setdefault(field_name, []).append(
                gettext("Unknown code “%(code)s”.") % {"code": code}
            )

    def check_many(self, field_name: str, list_name: str, codes: list[str]) -> None:
        for code in codes:
            self.check(field_name, list_name, code)

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

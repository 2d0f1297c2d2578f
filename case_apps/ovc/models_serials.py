"""The partner's OVC serial of each enrolled child (issue 18), imported by models.py.

A serial reads ``<LIP code>/<number>``: the LIP code is the workspace slug upper-cased (the
code the household numbers carry, ``HH/<LIP code>/…``) and the number counts the partner's
children from 00001 without gaps. The partner's schema holds one counter row, locked while a
number is drawn, so two enrolments at the same moment never draw the same number.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

SERIAL_DIGITS = 5
COUNTER_NAME = "ovc_child"


class SerialCounter(models.Model):
    """The last number drawn, one row per counter (locked with select_for_update)."""

    name = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"


class ChildSerial(models.Model):
    """A child's serial in this partner: drawn at the first enrolment, kept on re-enrolment."""

    child = models.OneToOneField(
        "shared_registry.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    number = models.PositiveIntegerField(_("serial number"), unique=True)
    serial = models.CharField(_("OVC serial"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.serial


def serial_text(lip_code: str, number: int) -> str:
    """``BETA/00042``: the LIP code and the number, zero-padded to five digits."""
    return f"{lip_code}/{number:0{SERIAL_DIGITS}d}"

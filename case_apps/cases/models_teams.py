"""Teams: the history of who supervises whom (the links themselves are
``case_apps.cases.models.Supervision``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref


class SupervisionChangeKind(models.TextChoices):
    ADDED = "added", _("Supervision added")
    REMOVED = "removed", _("Supervision removed")


class SupervisionChange(models.Model):
    """One change of a team: a supervision link added or removed, by whom and when (kept
    when the link itself is removed)."""

    kind = models.CharField(max_length=16, choices=SupervisionChangeKind.choices)
    supervisor = public_ref(settings.AUTH_USER_MODEL)
    officer = public_ref(settings.AUTH_USER_MODEL)
    changed_by = public_ref(settings.AUTH_USER_MODEL)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.supervisor_id} -> {self.officer_id}"

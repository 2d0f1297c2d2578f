"""Forms captured offline on a volunteer's device, waiting for a supervisor's decision, and
the devices that send them (issue 21)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from case_apps.client_ids import client_uuid


class Device(models.Model):
    """A member's phone or tablet running the field app; an administrator may revoke it (the
    app wipes its store at its next sync)."""

    uuid = client_uuid()  # chosen by the app when it first signs in
    user = public_ref(settings.AUTH_USER_MODEL)
    label = models.CharField(max_length=100, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = public_ref(settings.AUTH_USER_MODEL, null=True)

    class Meta:
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return self.label or str(self.uuid)


class FormKind(models.TextChoices):
    SERVICE = "service", _("Form 1A service")
    HIV_SCREENING = "hiv_screening", _("HIV risk screening")
    FOLLOW_UP = "follow_up", _("Case follow-up")
    FORM1B = "form1b", _("Form 1B caregiver service")
    WELLBEING = "wellbeing", _("Wellbeing assessment")
    CPARA = "cpara", _("CPARA")
    HOUSEHOLD_VISIT = "household_visit", _("Household visit")


class FormStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    CONFLICT = "conflict", _("Changed on the server: check before approving")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


WAITING = (FormStatus.PENDING, FormStatus.CONFLICT)


class FieldForm(models.Model):
    """One captured form: kept as sent until a supervisor approves it (then the real record
    is written, dated by the visit date) or rejects it with a reason."""

    uuid = client_uuid()  # the device's id for the form: a retried upload names it again
    kind = models.CharField(max_length=32, choices=FormKind.choices)
    author = public_ref(settings.AUTH_USER_MODEL)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, null=True, related_name="forms")
    household = models.ForeignKey(
        "ovc.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrolment = models.ForeignKey(
        "ovc.Enrolment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit_date = models.DateField()
    payload = models.JSONField(default=dict)
    base_stamp = models.CharField(max_length=64, blank=True)  # the record as the device saw it
    status = models.CharField(max_length=16, choices=FormStatus.choices)
    captured_at = models.DateTimeField(null=True, blank=True)  # the device's clock
    received_at = models.DateTimeField(default=timezone.now)
    decided_by = public_ref(settings.AUTH_USER_MODEL, null=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    record_id = models.BigIntegerField(null=True, blank=True)  # the record approval wrote

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            # the queue: waiting forms, oldest first (read in order, stopping at a page)
            models.Index(
                fields=["received_at", "id"],
                condition=models.Q(status__in=["pending", "conflict"]),
                name="field_form_waiting_idx",
            ),
            models.Index(fields=["author", "status"], name="field_form_author_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"

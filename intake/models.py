"""Intake clients (one per outside source), the reports they send or an officer types, their
routing and the office's decisions (issue 20, part 1).

Public, since three parties see a report: the source (its status only), the receiving DCS
office (the whole report) and DCS headquarters (the unrouted list). The case an accepted
report becomes lives in the office's schema: the report keeps its reference, not a key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.limits import NOTES_MAX_LENGTH

NARRATIVE_MAX_LENGTH = 5_000
NAME_MAX_LENGTH = 100
SOURCE_REFERENCE_MAX_LENGTH = 64
NONCE_MAX_LENGTH = 64
PREVIOUS_SECRET_HOURS = 24  # a rotated secret is still accepted this long


class SourceKind(models.TextChoices):
    HELPLINE_116 = "helpline_116", _("116 helpline (Childline Kenya)")
    COMMUNITY = "community", _("Community")
    SCHOOL = "school", _("School")
    HEALTH_FACILITY = "health_facility", _("Health facility")


class IntakeClient(models.Model):
    """A system allowed to send intake reports: its key id and its secret, encrypted at rest
    (HMAC verification needs the secret itself). It may only create reports and read their
    status; nothing else of the API accepts its credentials."""

    name = models.CharField(_("name"), max_length=200)
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    key_id = models.CharField(_("key id"), max_length=40, unique=True)
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    callback_url = models.URLField(_("callback URL"), max_length=500, blank=True)
    # the platform-owned webhook subscription for intake.outcome (webhooks app), by id
    subscription_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IntakeNonce(models.Model):
    """A nonce a client used: the same nonce twice is a replay. Pruned after the window."""

    client = models.ForeignKey(IntakeClient, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=NONCE_MAX_LENGTH)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "nonce"], name="intake_nonce_once")
        ]

    def __str__(self) -> str:
        return self.nonce


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class IntakeStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    FORWARDED = "forwarded", _("Forwarded")
    REJECTED = "rejected", _("Rejected")


class ChildSex(models.TextChoices):
    MALE = "SMAL", _("Male")
    FEMALE = "SFEM", _("Female")


class IntakeReport(models.Model):
    """A report of a child in need of protection, waiting in an office's queue (``office``
    null: the national unrouted list) until the office accepts, forwards or rejects it. A
    forwarded report stays "received" in the new office's queue; ``status`` forwarded is
    what the source sees meanwhile only in the history."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    client = models.ForeignKey(
        IntakeClient, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    source_reference = models.CharField(max_length=SOURCE_REFERENCE_MAX_LENGTH, blank=True)
    reported_on = models.DateField(_("reported on"))
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    category_code = models.CharField(_("case category"), max_length=16)
    narrative = models.TextField(_("narrative"), max_length=NARRATIVE_MAX_LENGTH)
    child_first_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    child_other_names = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    child_surname = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    child_sex = models.CharField(max_length=4, choices=ChildSex.choices, blank=True)
    child_age = models.PositiveSmallIntegerField(null=True, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    reporter_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    reporter_phone = models.CharField(max_length=32, blank=True)
    reporter_relationship = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    county_code = models.CharField(max_length=3, blank=True)
    sub_county_code = models.CharField(max_length=4, blank=True)
    ward_code = models.CharField(max_length=5, blank=True)
    office = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_reports",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED
    )
    received_at = models.DateTimeField(default=timezone.now)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    # the accepted case, in the office's schema: its reference, and the registry person
    case_reference = models.CharField(max_length=64, blank=True)
    person = models.ForeignKey(
        "shared_registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    typed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_uuid = models.UUIDField(null=True, blank=True)
    supervisors_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "source_reference"],
                condition=~models.Q(source_reference=""),
                name="intake_source_reference_once",
            )
        ]
        indexes = [models.Index(fields=["office", "status", "received_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def child_name(self) -> str:
        parts = (self.child_first_name, self.child_other_names, self.child_surname)
        return " ".join(p for p in parts if p)


EVENT_LABELS = {
    "received": _("Received in the office's queue"),
    "unrouted": _("Received: no office for this place"),
    "routed": _("Routed by DCS headquarters"),
    "forwarded": _("Forwarded"),
    "accepted": _("Accepted into a case"),
    "rejected": _("Rejected"),
}


class IntakeReportEvent(models.Model):
    """A report's history: received, routed, forwarded, accepted, rejected; who and why."""

    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    office = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

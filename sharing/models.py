"""Data sharing agreements and their history (public schema: they join two organisations)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the provider")
    ACCEPTED = "accepted", _("Waiting for DCS approval")
    APPROVED = "approved", _("Approved, not yet started")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined by the provider")
    REJECTED = "rejected", _("Rejected by DCS")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


OPEN_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.SUBMITTED, AgreementStatus.ACCEPTED)
IN_FORCE_STATUSES = (AgreementStatus.APPROVED, AgreementStatus.ACTIVE)


class PersonsMode(models.TextChoices):
    NAMED = "named", _("Named persons")
    REFERRED = "referred", _("Persons known to both organisations")
    ALL = "all", _("All the provider's clients")


class DataSharingAgreement(models.Model):
    """One organisation (the requester) may read scoped records of another (the provider)."""

    requester = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, related_name="agreements_requested",
        verbose_name=_("requesting organisation"),
    )  # fmt: skip
    provider = models.ForeignKey(
        "tenants.Organisation", on_delete=models.PROTECT, related_name="agreements_providing",
        verbose_name=_("providing organisation"),
    )  # fmt: skip
    # {record kind: [field, ...]} (kinds and fields registered in sharing.registry)
    scope = models.JSONField(_("scope"), default=dict)
    persons_mode = models.CharField(
        _("which persons"), max_length=16, choices=PersonsMode.choices, default=PersonsMode.NAMED
    )
    person_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.TextField(_("legal basis"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT,
        db_index=True,
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "status"], name="agreement_requester_idx"),
            models.Index(fields=["provider", "status"], name="agreement_provider_idx"),
            models.Index(fields=["end_date"], name="agreement_end_idx"),
        ]

    def __str__(self) -> str:
        return f"Agreement #{self.pk}: {self.provider_id} -> {self.requester_id}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.status in IN_FORCE_STATUSES and self.start_date <= day <= self.end_date

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def fields_of(self, kind: str) -> list[str]:
        return list(self.scope.get(kind, []))


class AgreementEventKind(models.TextChoices):
    CREATED = "created", _("Drafted")
    SUBMITTED = "submitted", _("Submitted to the provider")
    ACCEPTED = "accepted", _("Accepted by the provider")
    DECLINED = "declined", _("Declined by the provider")
    APPROVED = "approved", _("Approved by DCS")
    REJECTED = "rejected", _("Rejected by DCS")
    ACTIVATED = "activated", _("Came into force")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class AgreementEvent(models.Model):
    """One step in an agreement's life: who, when, why."""

    agreement = models.ForeignKey(
        DataSharingAgreement, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=AgreementEventKind.choices)
    status_after = models.CharField(max_length=16, choices=AgreementStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    actor_email = models.CharField(max_length=254, blank=True)
    # which side acted: "requester", "provider", "dcs" or "system"
    acting_as = models.CharField(max_length=16, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.agreement_id}"

"""Webhook subscriptions, their deliveries and each delivery's attempts (public schema)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


class WebhookSubscription(models.Model):
    """A URL told of ``events``: an organisation's (its administrators manage it) or, with no
    organisation, the platform's own (an intake source's callback, shown in no workspace)."""

    organisation = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(_("URL"), max_length=500)
    events = ArrayField(models.CharField(max_length=64), default=list)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Fernet tokens (webhooks.signing.secret_seal); the clear secret is shown once
    secret_encrypted = models.TextField()
    # after a rotation the previous secret still signs (beside the new one) until then
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    paused_reason = models.CharField(max_length=200, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="webhook_sub_org_idx")]

    def __str__(self) -> str:
        return f"webhook #{self.pk} {self.url}"

    @property
    def is_active(self) -> bool:
        return self.status == SubscriptionStatus.ACTIVE


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed, will be retried")
    GIVEN_UP = "given_up", _("Given up")


class WebhookDelivery(models.Model):
    """One event for one subscription. ``uuid`` is the delivery id the receiver sees (its
    idempotency key): retries and replays are attempts of the same delivery."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=64)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField(default=dict)  # the event's data (references and statuses)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)  # in this round (a replay starts one)
    replays = models.PositiveIntegerField(default=0)
    # when the next attempt is due (None: none is); a running attempt holds it ahead
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_dlv_sub_idx"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "failed"]),
                name="webhook_dlv_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.uuid}"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: when, the answer's status code, how long, what failed."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    replay = models.BooleanField(default=False)  # the first attempt after a replay

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"attempt of {self.delivery_id} at {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

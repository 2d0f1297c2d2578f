"""The systems around the platform (issue 20): the DHIS2 instance national figures are pushed
to, and each push with DHIS2's import summary. Public schema: these are national."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dhis2Connection(models.Model):
    """The DHIS2 instance (one): off until configured and enabled."""

    base_url = models.URLField(_("DHIS2 address"), max_length=300)
    username = models.CharField(_("user name"), max_length=150)
    password_encrypted = models.TextField(blank=True)  # integrations.secrets; never shown again
    enabled = models.BooleanField(_("push enabled"), default=False)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=30)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check = models.CharField(max_length=300, blank=True)  # "DHIS2 2.40.3" or the error

    def __str__(self) -> str:
        return self.base_url


class PushStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    RETRYING = "retrying", _("Waiting to retry")
    SUCCEEDED = "succeeded", _("Imported")
    PARTIAL = "partial", _("Partly imported: DHIS2 ignored some values")
    CHECKED = "checked", _("Dry run passed")
    REFUSED = "refused", _("Refused by DHIS2: nothing imported")
    FAILED = "failed", _("Failed: nothing imported")


class Dhis2Push(models.Model):
    """One push of a report's figures for a period and area to DHIS2's dataValueSets API, as
    an all-or-nothing import (``atomicMode=ALL``); DHIS2's import summary is kept."""

    report = models.CharField(max_length=32)
    month_from = models.DateField()
    month_to = models.DateField()
    county = models.CharField(max_length=8, blank=True)
    sub_county = models.CharField(max_length=8, blank=True)
    dry_run = models.BooleanField(default=True)
    export_job = models.ForeignKey(
        "national_statistics.ExportJob", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=PushStatus.choices, default="queued")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    import_status = models.CharField(max_length=16, blank=True)  # SUCCESS, WARNING, ERROR
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    ignored = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    conflicts = models.JSONField(default=list, blank=True)  # [{"object", "value"}], first 50
    values_sent = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="dhis2_push_due")]

    def __str__(self) -> str:
        return f"DHIS2 push {self.pk} {self.report} {self.month_from:%Y-%m}"

    @property
    def is_final(self) -> bool:
        return self.status in (
            PushStatus.SUCCEEDED,
            PushStatus.PARTIAL,
            PushStatus.CHECKED,
            PushStatus.REFUSED,
            PushStatus.FAILED,
        )


class ReferenceKind(models.TextChoices):
    KMHFL = "kmhfl", _("Kenya Master Health Facility List (facilities)")
    NEMIS = "nemis", _("NEMIS (schools and learners' UPIs)")


class ReferenceSource(models.Model):
    """A national directory the registry keeps current from: off until configured."""

    kind = models.CharField(max_length=8, choices=ReferenceKind.choices, unique=True)
    base_url = models.URLField(_("address"), max_length=300)
    username = models.CharField(_("user name or client id"), max_length=150, blank=True)
    secret_encrypted = models.TextField(blank=True)  # password or API key, encrypted
    client_id = models.CharField(_("OAuth client id"), max_length=150, blank=True)
    client_secret_encrypted = models.TextField(blank=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=30)
    # the last sync's high-water mark: the next one asks for changes after it
    synced_until = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.base_url}"


class ReferenceSyncRun(models.Model):
    """One synchronisation: what came, what changed (changes only), what was refused."""

    kind = models.CharField(max_length=8, choices=ReferenceKind.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    changes_after = models.DateTimeField(null=True, blank=True)  # asked for changes after
    records = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.JSONField(default=list, blank=True)  # [{"line", "reason"}], first 200
    changes = models.JSONField(default=list, blank=True)  # [{"code", "change", "fields"}]
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} sync {self.started_at:%Y-%m-%d %H:%M}"

"""Public audit tables: the platform's access log and personal access tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models_base import AccessEntryBase


class PlatformAccessEntry(AccessEntryBase):
    """A read on the platform site (DCS headquarters, registry, sharing)."""

    class Meta(AccessEntryBase.Meta):
        verbose_name = _("platform access entry")
        verbose_name_plural = _("platform access log")
        indexes = [models.Index(fields=["record_kind"], name="audit_platform_access_kind")]


class PersonalAccessToken(models.Model):
    """An API token of one user for one organisation; only its digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SignInThrottle(models.Model):
    """Failed sign-ins of one account (by email), for the lockout (audit.security)."""

    email = models.CharField(max_length=254, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email}: {self.failures} failures"


class ApiRequestCount(models.Model):
    """API requests of one caller (token, user or address) in one minute, for the API rate
    limit: counted in the database, so every process counts against the same limit."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="api_request_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


# --- Retention (docs/security.md, "Retention and disposal") -----------------------------------
class DisposalAction(models.TextChoices):
    DELETE = "delete", _("Delete")
    DEIDENTIFY = "deidentify", _("De-identify")


class RetentionRule(models.Model):
    """How long one kind of record is kept after it ends (closure, exit), set by DCS
    headquarters; a kind with no row keeps the default its app registered
    (``audit.retention``)."""

    record_kind = models.CharField(_("record kind"), max_length=64, unique=True)
    months = models.PositiveIntegerField(_("months after the record ends"))
    min_age_years = models.PositiveSmallIntegerField(
        _("and not before the person is aged"), null=True, blank=True
    )
    action = models.CharField(
        _("then"), max_length=16, choices=DisposalAction.choices, default=DisposalAction.DELETE
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    enabled = models.BooleanField(_("disposal enabled"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["record_kind"]

    def __str__(self) -> str:
        return f"{self.record_kind}: {self.months} months, then {self.action}"


class DisposalRun(models.Model):
    """What one disposal run did (or, dry, would do) in one organisation: per record kind,
    the rule applied and the records. The report page of the console reads these."""

    organisation = models.ForeignKey(
        "tenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    ran_at = models.DateTimeField(default=timezone.now, db_index=True)
    dry_run = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    total = models.PositiveIntegerField(default=0)
    # [{"kind", "label", "months", "min_age_years", "action", "cutoff", "records": [{id, ref,
    #   ended_on}]}]
    results = models.JSONField(default=list)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{'dry run' if self.dry_run else 'disposal'} of {self.total} records"

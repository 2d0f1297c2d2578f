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

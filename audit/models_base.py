"""Fields shared by the access logs of the platform and of each workspace."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessEntryBase(models.Model):
    """One read of a sensitive record: who, which record, when, under what right."""

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # Users live in public: a reference without a database constraint, never cascading.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(_("who"), max_length=254, blank=True)
    organisation_slug = models.CharField(_("organisation"), max_length=63, blank=True)
    # Indexed by each log's Meta (a plain b-tree): a character column's db_index would add a
    # varchar_pattern_ops copy no query uses. record_id is not indexed: the log's search
    # compares it case-blind (UPPER) beside icontains on other columns, which no b-tree on it
    # serves, and every index is paid for by every read's entry.
    record_kind = models.CharField(_("record kind"), max_length=64)
    record_id = models.CharField(_("record"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    membership_id = models.BigIntegerField(_("under membership"), null=True, blank=True)
    agreement_id = models.BigIntegerField(_("under agreement"), null=True, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    method = models.CharField(max_length=10, blank=True)
    cid = models.CharField(_("request id"), max_length=255, blank=True)

    class Meta:
        abstract = True
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_email} opened {self.record_kind} {self.record_id}"

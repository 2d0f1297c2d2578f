"""OVC programme models: hiv (issue 18), imported by case_apps/ovc/models.py.

Caregivers' HIV and ART status as a dated history, and the HIV-exposed infant's (HEI) own
path: dated HEI test visits on the national schedule and the final outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _user_ref() -> models.ForeignKey:
    """Who recorded it: a public user, without constraint or cascade across schemas."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class CaregiverHivStatus(models.Model):
    """A caregiver's (household member's) HIV and ART status as known on a day; the latest
    one is the member's status."""

    member = models.ForeignKey(
        "ovc.HouseholdMember", on_delete=models.CASCADE, related_name="hiv_history"
    )
    hiv_status = models.CharField(_("HIV status"), max_length=8)
    art_status = models.CharField(_("ART"), max_length=8, blank=True)
    known_on = models.DateField(_("date known"))
    recorded_by = _user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-known_on", "-id"]

    def __str__(self) -> str:
        return f"{self.hiv_status} on {self.known_on}"


class HeiTest(models.TextChoices):
    """The HEI testing schedule: PCR at 6 weeks, 6 and 12 months, antibody at 18 months."""

    PCR_6_WEEKS = "pcr_6w", _("PCR at 6 weeks")
    PCR_6_MONTHS = "pcr_6m", _("PCR at 6 months")
    PCR_12_MONTHS = "pcr_12m", _("PCR at 12 months")
    ANTIBODY_18_MONTHS = "ab_18m", _("Antibody test at 18 months")


class HeiOutcome(models.TextChoices):
    """How an HIV-exposed infant's follow-up ends."""

    POSITIVE = "HSTP", _("HIV positive: linked to ART")
    NEGATIVE = "HSTN", _("HIV negative")
    LOST = "ltfu", _("Lost to follow-up")


class HeiTestVisit(models.Model):
    """One dated test of an HIV-exposed infant's schedule, with its result."""

    enrolment = models.ForeignKey(
        "ovc.Enrolment", on_delete=models.CASCADE, related_name="hei_tests"
    )
    test = models.CharField(_("test"), max_length=8, choices=HeiTest.choices)
    tested_on = models.DateField(_("date of test"))
    result = models.CharField(_("result"), max_length=8)
    recorded_by = _user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "test"], name="ovc_hei_test_once")
        ]

    def __str__(self) -> str:
        return f"{self.test} {self.tested_on}"


class HeiFinalOutcome(models.Model):
    """The end of an HIV-exposed infant's follow-up (one per enrolment)."""

    enrolment = models.OneToOneField(
        "ovc.Enrolment", on_delete=models.CASCADE, related_name="hei_outcome"
    )
    outcome = models.CharField(_("final outcome"), max_length=8, choices=HeiOutcome.choices)
    decided_on = models.DateField(_("date of outcome"))
    art_facility = models.CharField(_("ART facility (MFL code)"), max_length=10, blank=True)
    art_started_on = models.DateField(_("ART started on"), null=True, blank=True)
    recorded_by = _user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"HEI outcome {self.outcome}"

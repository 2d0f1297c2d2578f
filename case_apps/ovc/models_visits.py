"""Household visits (issue 21): a volunteer's or officer's visit to an enrolled household,
captured in the field or typed in the web app: whom they met, why they came, what they saw
and when they will come back."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from case_apps.client_ids import client_uuid
from case_apps.ovc.models import Enrolment, Household
from tenants.limits import NOTES_MAX_LENGTH


class VisitOutcome(models.TextChoices):
    MET = "met", _("Household met")
    NOBODY_HOME = "nobody_home", _("Nobody at home")
    MOVED = "moved", _("Household moved or not found")


class VisitPurpose(models.TextChoices):
    ROUTINE = "routine", _("Routine follow-up")
    SERVICES = "services", _("Deliver services")
    ASSESSMENT = "assessment", _("Assessment (CPARA or wellbeing)")
    CASE_PLAN = "case_plan", _("Case plan review")
    CRITICAL_EVENT = "critical_event", _("Critical event follow-up")
    REFERRAL = "referral", _("Referral follow-up")
    GRADUATION = "graduation", _("Graduation or exit preparation")


class HouseholdVisit(models.Model):
    """One visit to a household, dated by the day it took place."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("date of visit"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=VisitOutcome.choices)
    purposes = ArrayField(
        models.CharField(max_length=16, choices=VisitPurpose.choices),
        default=list,
        blank=True,
        verbose_name=_("purposes"),
    )
    children_seen = models.ManyToManyField(
        Enrolment, blank=True, related_name="visits_seen", verbose_name=_("children seen")
    )
    caregiver_present = models.BooleanField(_("caregiver present"), default=False)
    observations = models.TextField(_("observations"), blank=True, max_length=NOTES_MAX_LENGTH)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    visited_by = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "visited_on"], name="ovc_visit_idx")]

    def __str__(self) -> str:
        return f"visit on {self.visited_on}"

    @property
    def purpose_labels(self) -> list[str]:
        labels = dict(VisitPurpose.choices)
        return [str(labels.get(code, code)) for code in self.purposes]

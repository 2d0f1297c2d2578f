"""Interventions recorded on a case after intake, per case category (GLOSSARY 3, the 36
``intervention`` codes): what was done for the child, when, by whom. The final intervention of
each category is recorded at closure (``is_final``), dated by the case's closure date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.limits import NOTES_MAX_LENGTH


class CaseIntervention(models.Model):
    """One intervention on one of the case's categories."""

    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.CASCADE, related_name="interventions"
    )
    category = models.ForeignKey(
        "cases.CaseCategory", on_delete=models.CASCADE, related_name="interventions"
    )
    intervention_code = models.CharField(_("intervention"), max_length=16)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    # a user of the public schema: no constraint, no cascade across schemas
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    is_final = models.BooleanField(_("final intervention"), default=False)
    # the approved closure request that recorded it (final interventions only)
    approval = models.ForeignKey(
        "cases.ApprovalRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["case", "date"], name="intervention_case_date_idx")]

    def __str__(self) -> str:
        return f"{self.intervention_code} on {self.date}"

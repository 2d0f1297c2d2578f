"""Alternative family care records, their carers and follow-ups (issue 19).

A care record belongs to a case of this organisation: the child placed in foster care,
guardianship, kinship care, kafaala, adoption or supported independent living, from the day
the care began to the day it ended. Its carers are the case's caregivers (registry persons
with their relationship to the child); its follow-ups are the visits and reviews of the
alternative family care forms.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from tenants.limits import NOTES_MAX_LENGTH

# The family-based types of the national list ``alternative_care_type`` that a care record
# takes; institutional care (AFIC), a place of safety (AFPS) and a supported child-headed
# household (ASCH) are not family-based care and are recorded elsewhere (an admission, a
# placement of the case).
FAMILY_CARE_TYPES = ("AFFC", "AFCG", "AFKS", "AFCK", "AFCA", "ASIL")
FOSTER_CARE, ADOPTION = "AFFC", "AFCA"


class AdoptionKind(models.TextChoices):
    LOCAL = "local", _("Local adoption")
    INTERNATIONAL = "international", _("International adoption")
    RESIDENT = "resident", _("Resident adoption")
    KINSHIP = "kinship", _("Kinship adoption")


class AlternativeCare(models.Model):
    """A child in family-based alternative care, from the day it began to the day it ended."""

    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.PROTECT, related_name="family_care"
    )
    care_type = models.CharField(_("type of care"), max_length=8)  # alternative_care_type
    adoption_kind = models.CharField(
        _("kind of adoption"), max_length=16, choices=AdoptionKind.choices, blank=True
    )
    started_on = models.DateField(_("care began on"))
    ended_on = models.DateField(_("care ended on"), null=True, blank=True)
    end_notes = models.TextField(_("why care ended"), blank=True, max_length=NOTES_MAX_LENGTH)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    certificate_expires_on = models.DateField(_("certificate expiry"), null=True, blank=True)
    court_name = models.CharField(_("court"), max_length=200, blank=True)
    court_file_number = models.CharField(_("court file number"), max_length=64, blank=True)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    # the residence in an institution this care followed (the discharge to family care)
    admission = models.ForeignKey(
        "institutions.Admission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["ended_on", "certificate_expires_on"], name="afc_running_expiry"),
            models.Index(fields=["certificate_number"], name="afc_certificate"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="afc_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(certificate_expires_on__isnull=True)
                | Q(certificate_expires_on__gt=models.F("started_on")),
                name="afc_certificate_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(care_type=FOSTER_CARE)
                | (~Q(certificate_number="") & Q(certificate_expires_on__isnull=False)),
                name="afc_foster_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.care_type} of case {self.case_id} from {self.started_on}"

    @property
    def is_running(self) -> bool:
        return self.ended_on is None


class AlternativeCareCarer(models.Model):
    """A carer of the care record: one of the case's caregivers (a registry person with
    their relationship to the child)."""

    care = models.ForeignKey(AlternativeCare, on_delete=models.CASCADE, related_name="carers")
    caregiver = models.ForeignKey("cases.CaseCaregiver", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["care", "caregiver"], name="afc_carer_once"),
        ]

    def __str__(self) -> str:
        return f"carer {self.caregiver_id} of care {self.care_id}"


class CareFollowUp(models.Model):
    """A visit or review of a care record (FFOC, the monitoring and review forms)."""

    care = models.ForeignKey(AlternativeCare, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(_("follow-up"), max_length=8)  # family_care_follow_up
    visited_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"), blank=True, max_length=NOTES_MAX_LENGTH)
    wellbeing = models.CharField(_("child's wellbeing"), max_length=8)  # family_care_wellbeing
    next_visit_on = models.DateField(_("next visit due"), null=True, blank=True)
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["care", "visited_on"], name="afc_followup_care_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_visit_on__isnull=True)
                | Q(next_visit_on__gt=models.F("visited_on")),
                name="afc_next_visit_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of care {self.care_id} on {self.visited_on}"

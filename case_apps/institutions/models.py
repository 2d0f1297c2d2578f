"""Residents of an institution: each admission from its date to its discharge, and the
places the institution has (issue 19).

An admission belongs to a case of the institution (its own case, opened when it accepted a
referral or transfer, or when it admitted the child directly or on a court committal). While
it runs, the public ``shared_registry.Residence`` row holds the child's residence nationally:
a database constraint keeps a child resident in at most one institution at a time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from tenants.limits import NOTES_MAX_LENGTH


class AdmissionSource(models.TextChoices):
    """How the child came to be admitted."""

    REFERRAL = "referral", _("Accepted referral")
    TRANSFER = "transfer", _("Accepted transfer")
    COURT = "court", _("Court committal")
    VACANCY = "vacancy", _("Confirmed vacancy (statutory institution)")
    DIRECT = "direct", _("Direct admission")
    RETURN = "return", _("Return after escape or leave")


class ResidentialStatus(models.TextChoices):
    """The GLOSSARY's residential status: resident while the admission runs, then how it
    ended."""

    RESIDENT = "resident", _("Resident")
    ESCAPED = "escaped", _("Escaped")
    REINTEGRATED = "reintegrated", _("Reintegrated")
    TRANSFERRED = "transferred", _("Transferred")
    FAMILY_CARE = "family_care", _("Placed in family-based care")
    DIED = "died", _("Died")
    DISCHARGED = "discharged", _("Discharged")


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


# A child who comes back is admitted again on the same case: after an escape as TARE, after a
# temporary release (release on licence or under supervision, which the institution can
# revoke and recall the child from) as TATR (list admission_type).
RETURN_AFTER_ESCAPE, RETURN_AFTER_RELEASE = "TARE", "TATR"
TEMPORARY_RELEASES = ("DTLI", "DTWS")  # list discharge_type


class Admission(models.Model):
    """A child admitted to this institution, from admission to the end of residence."""

    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.PROTECT, related_name="admissions"
    )
    admission_number = models.CharField(_("admission number"), max_length=64)
    admitted_on = models.DateField(_("date of admission"))
    admission_type = models.CharField(_("admission type"), max_length=8)  # list admission_type
    admission_reason = models.CharField(_("reason"), max_length=8)  # list admission_reason
    is_emergency = models.BooleanField(_("emergency placement"), default=False)
    source = models.CharField(_("admitted from"), max_length=16, choices=AdmissionSource.choices)
    # the accepted referral or transfer (public sharing.OrganisationReferral), the confirmed
    # vacancy (public), the admission this one follows (a return after escape)
    referral_id = models.BigIntegerField(null=True, blank=True)
    vacancy_id = models.BigIntegerField(null=True, blank=True)
    previous_admission = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    committal_order_number = models.CharField(_("committal order no."), max_length=64, blank=True)
    committal_court = models.CharField(_("court"), max_length=200, blank=True)
    committal_on = models.DateField(_("date of the order"), null=True, blank=True)
    committal_period = models.PositiveSmallIntegerField(
        _("committal period"), null=True, blank=True
    )
    committal_period_unit = models.CharField(
        _("unit"), max_length=8, choices=PeriodUnit.choices, blank=True
    )
    ob_number = models.CharField(_("OB number"), max_length=64, blank=True)
    holding_period_days = models.PositiveSmallIntegerField(
        _("holding period (days)"), null=True, blank=True
    )
    expected_exit_on = models.DateField(_("expected exit"), null=True, blank=True)
    free_for_adoption = models.BooleanField(_("free for adoption"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    residential_status = models.CharField(
        _("residential status"),
        max_length=16,
        choices=ResidentialStatus.choices,
        default=ResidentialStatus.RESIDENT,
    )
    # the end of residence, whatever ended it (discharge, escape, death)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_type = models.CharField(_("discharge type"), max_length=8, blank=True)
    discharge_notes = models.TextField(
        _("discharge notes"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-admitted_on", "-id"]
        indexes = [
            models.Index(fields=["residential_status", "expected_exit_on"], name="adm_status_exit"),
            models.Index(fields=["admitted_on"], name="adm_admitted_on"),
        ]
        constraints = [
            # a case has at most one running admission (the national one-residence rule is
            # shared_registry.Residence's)
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(discharged_on__isnull=True),
                name="adm_one_running_per_case",
            ),
            models.UniqueConstraint(
                fields=["admission_number"],
                condition=~Q(admission_number=""),
                name="adm_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True)
                | Q(discharged_on__gte=models.F("admitted_on")),
                name="adm_discharge_after_admission",
            ),
            models.CheckConstraint(
                condition=(
                    Q(residential_status="resident", discharged_on__isnull=True)
                    | (~Q(residential_status="resident") & Q(discharged_on__isnull=False))
                ),
                name="adm_resident_until_discharged",
            ),
        ]

    def __str__(self) -> str:
        return f"admission {self.admission_number or self.pk} on {self.admitted_on}"

    @property
    def is_resident(self) -> bool:
        return self.discharged_on is None

    @property
    def return_type(self) -> str:
        """The admission type of the child's return after this residence ended ("" when
        the way it ended admits no return)."""
        if self.residential_status == ResidentialStatus.ESCAPED:
            return RETURN_AFTER_ESCAPE
        if self.discharged_on and self.discharge_type in TEMPORARY_RELEASES:
            return RETURN_AFTER_RELEASE
        return ""


class InstitutionCapacity(models.Model):
    """The places an institution has for one sex and age band (the case-load bands)."""

    sex = models.CharField(_("sex"), max_length=8)  # SMAL / SFEM
    age_band = models.CharField(_("age band"), max_length=8)  # 0-5, 6-10, 11-15, 16-17, 18+
    places = models.PositiveIntegerField(_("places"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sex", "age_band"]
        constraints = [
            models.UniqueConstraint(fields=["sex", "age_band"], name="capacity_once_per_group"),
            models.CheckConstraint(condition=Q(places__gte=0), name="capacity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sex} {self.age_band}: {self.places}"


# Models of the institution's subjects live in their own modules; importing them here
# registers them with the app.
from case_apps.institutions import models_life  # noqa: E402, F401

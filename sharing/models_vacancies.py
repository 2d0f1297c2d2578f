"""Statutory institution vacancies: a children officer applies, DCS headquarters confirms or
declines, the institution expects the child (issue 19, point 5). Imported at the bottom of
sharing/models.py.

Public, since three parties see it: the applying DCS county or sub-county office, DCS
headquarters (the platform console) and, once confirmed, the institution. The row carries
what they need and no more: the child's registry person, the court details, the type of
institution wanted and HQ's decision. The applicant's case and the institution's admission
are ids in each one's own schema (no foreign key), as a referral's cases are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing.models import StepEvent
from tenants.limits import NOTES_MAX_LENGTH

MONTHS_MAX = 60  # HQ approves a placement of at most five years


class InstitutionType(models.TextChoices):
    """The legacy org-unit types of statutory institutions (GLOSSARY, org units)."""

    BORSTAL = "TNRB", _("Borstal institution")
    RESCUE_CENTRE = "TNRR", _("Rescue centre")
    REHABILITATION_SCHOOL = "TNRS", _("Rehabilitation school")
    REMAND_HOME = "TNRH", _("Remand home")
    ASSESSMENT_CENTRE = "TNAP", _("Assessment and placement centre")


class VacancyStatus(models.TextChoices):
    APPLIED = "applied", _("Waiting for DCS headquarters")
    CONFIRMED = "confirmed", _("Confirmed: the institution expects the child")
    DECLINED = "declined", _("Declined by DCS headquarters")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ADMITTED = "admitted", _("Admitted")


OPEN_VACANCY_STATUSES = (VacancyStatus.APPLIED, VacancyStatus.CONFIRMED)
ONE_OPEN_PER_CHILD = "vacancy_one_open_per_child"


class VacancyApplication(models.Model):
    """An application for a place in a statutory institution for a child before a court
    (forms FMSI001F/FMSI002F: application and confirmation)."""

    applicant = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.PROTECT,
        related_name="vacancy_applications",
        verbose_name=_("applying office"),
    )
    person = models.ForeignKey("shared_registry.Person", on_delete=models.PROTECT, related_name="+")
    # the applicant's case (in the applicant's schema: an id, not a foreign key)
    applicant_case_id = models.BigIntegerField()
    applicant_case_reference = models.CharField(max_length=64)
    court_number = models.CharField(_("court file number"), max_length=64)
    judge = models.CharField(_("judge or magistrate"), max_length=200)
    court = models.CharField(_("where held (court)"), max_length=200)
    next_mention_on = models.DateField(_("next mention date"))
    institution_type = models.CharField(
        _("institution type wanted"), max_length=4, choices=InstitutionType.choices
    )
    notes = models.TextField(_("reason and notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    applied_on = models.DateField(_("applied on"), default=timezone.localdate)
    status = models.CharField(
        max_length=16,
        choices=VacancyStatus.choices,
        default=VacancyStatus.APPLIED,
        db_index=True,
    )
    # DCS headquarters' decision
    institution = models.ForeignKey(
        "tenants.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies_confirmed",
        verbose_name=_("institution"),
    )
    months_approved = models.PositiveSmallIntegerField(_("months approved"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    decided_on = models.DateField(_("date of decision"), null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True, max_length=NOTES_MAX_LENGTH)
    # the institution's admission (in the institution's schema)
    admission_id = models.BigIntegerField(null=True, blank=True)
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["applicant", "status"], name="vacancy_applicant_idx"),
            models.Index(fields=["institution", "status"], name="vacancy_institution_idx"),
        ]
        constraints = [
            # one open application per child (vacancy_apply checks it first; this holds
            # when two applications race)
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["applied", "confirmed"]),
                name=ONE_OPEN_PER_CHILD,
            ),
            models.CheckConstraint(
                condition=models.Q(months_approved__isnull=True)
                | models.Q(months_approved__gte=1, months_approved__lte=MONTHS_MAX),
                name="vacancy_months_approved_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["confirmed", "admitted"])
                | models.Q(institution__isnull=False, months_approved__isnull=False),
                name="vacancy_confirmed_names_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"Vacancy application #{self.pk}: {self.applicant_id} ({self.institution_type})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_VACANCY_STATUSES


class VacancyEventKind(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CONFIRMED = "confirmed", _("Confirmed by DCS headquarters")
    DECLINED = "declined", _("Declined by DCS headquarters")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applying office")
    ADMITTED = "admitted", _("Admitted by the institution")


class VacancyEvent(StepEvent):
    """One step of a vacancy application: who, which side ("applicant", "dcs",
    "institution"), when, why."""

    application = models.ForeignKey(
        VacancyApplication, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=VacancyEventKind.choices)
    status_after = models.CharField(max_length=16, choices=VacancyStatus.choices)

    def __str__(self) -> str:
        return f"{self.kind} #{self.application_id}"

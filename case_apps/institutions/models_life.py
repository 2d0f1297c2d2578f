"""Life in the institution: leave of absence, escape and return, adverse events, education,
case conferences, the individual care plan and its reviews (issue 19).

Each record belongs to an admission and is dated by the day it happened; the escape and the
death end the residence (services_life.py), the others leave it as it is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.cases.models import public_ref
from tenants.limits import NOTES_MAX_LENGTH

ESCAPED, DIED = "AEES", "AEDE"  # list adverse_event: the events that end the residence


class LeaveOfAbsence(models.Model):
    """The child away with permission; the residence runs on. Overdue while not back after
    ``due_back_on``."""

    admission = models.ForeignKey(
        "institutions.Admission", on_delete=models.PROTECT, related_name="leaves"
    )
    left_on = models.DateField(_("left on"))
    due_back_on = models.DateField(_("due back on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    destination = models.CharField(_("where and with whom"), max_length=200)
    reason = models.TextField(_("reason"), max_length=NOTES_MAX_LENGTH)
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-left_on", "-id"]
        indexes = [models.Index(fields=["returned_on", "due_back_on"], name="leave_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_back_on__gte=F("left_on")), name="leave_due_after_left"
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("left_on")),
                name="leave_return_after_left",
            ),
        ]

    def __str__(self) -> str:
        return f"leave {self.left_on}–{self.due_back_on}"

    @property
    def is_overdue(self) -> bool:
        return self.returned_on is None and self.due_back_on < timezone.localdate()


class AdverseEvent(models.Model):
    """Something that befell the child (list ``adverse_event``): an escape or a death ends
    the residence."""

    admission = models.ForeignKey(
        "institutions.Admission", on_delete=models.PROTECT, related_name="adverse_events"
    )
    event_code = models.CharField(_("event"), max_length=8)  # list adverse_event
    occurred_on = models.DateField(_("occurred on"))
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.event_code} on {self.occurred_on}"


class EducationRecord(models.Model):
    """A school (or vocational training) the child attends from a date."""

    admission = models.ForeignKey(
        "institutions.Admission", on_delete=models.PROTECT, related_name="education_records"
    )
    school_name = models.CharField(_("school or training centre"), max_length=200)
    level = models.CharField(_("level"), max_length=8)  # list ovc_school_level
    class_name = models.CharField(_("class"), max_length=32, blank=True)
    started_on = models.DateField(_("from"))
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.school_name} from {self.started_on}"


class CaseConference(models.Model):
    """A case conference on the child (GLOSSARY follow-up type ``FUCC``)."""

    admission = models.ForeignKey(
        "institutions.Admission", on_delete=models.PROTECT, related_name="conferences"
    )
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"), max_length=NOTES_MAX_LENGTH)
    decisions = models.TextField(_("decisions"), max_length=NOTES_MAX_LENGTH)
    next_on = models.DateField(_("next conference"), null=True, blank=True)
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gt=F("held_on")),
                name="conference_next_after_held",
            )
        ]

    def __str__(self) -> str:
        return f"case conference on {self.held_on}"


CARE_PLAN_DOMAINS = (
    ("health_goals", _("Health")),
    ("education_goals", _("Education and skills")),
    ("psychosocial_goals", _("Psychosocial wellbeing")),
    ("family_goals", _("Family contact and reintegration")),
    ("other_goals", _("Other needs")),
)


class CarePlan(models.Model):
    """The individual care plan (GLOSSARY follow-up type ``FUIC``): goals per domain, and
    the day its next review is due (moved on by each review)."""

    admission = models.ForeignKey(
        "institutions.Admission", on_delete=models.PROTECT, related_name="care_plans"
    )
    drawn_up_on = models.DateField(_("drawn up on"))
    health_goals = models.TextField(_("health"), blank=True, max_length=NOTES_MAX_LENGTH)
    education_goals = models.TextField(
        _("education and skills"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    psychosocial_goals = models.TextField(
        _("psychosocial wellbeing"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    family_goals = models.TextField(
        _("family contact and reintegration"), blank=True, max_length=NOTES_MAX_LENGTH
    )
    other_goals = models.TextField(_("other needs"), blank=True, max_length=NOTES_MAX_LENGTH)
    review_due_on = models.DateField(_("review due on"))
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-drawn_up_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_on__gt=F("drawn_up_on")), name="care_plan_review_after"
            )
        ]

    def __str__(self) -> str:
        return f"care plan of {self.drawn_up_on}"

    @property
    def review_overdue(self) -> bool:
        return self.review_due_on < timezone.localdate()

    def goals(self) -> list[tuple[str, str]]:
        """(domain, goals) of the domains with goals, in the plan's order."""
        return [(label, getattr(self, f)) for f, label in CARE_PLAN_DOMAINS if getattr(self, f)]


class CarePlanReview(models.Model):
    """A review of the care plan: the progress made and when the next review is due."""

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    progress = models.TextField(_("progress"), max_length=NOTES_MAX_LENGTH)
    next_review_on = models.DateField(_("next review due on"))
    officer = public_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("reviewed_on")), name="review_next_after"
            )
        ]

    def __str__(self) -> str:
        return f"care plan review on {self.reviewed_on}"

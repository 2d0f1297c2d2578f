"""Reading life in the institution (issue 19): an admission's leaves, adverse events,
education, conferences and care plans as the admission page shows them, the overdue leaves
and care plan reviews of the morning lists, and the case timeline's entries.

An admission is read through its case: missing, or its case not visible to the actor, is
``NotFound``; seen without the right asked for, ``Forbidden``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from case_apps.cases import selectors as case_selectors
from case_apps.cases.models import CaseRecord
from case_apps.cases.selectors_presence import reads_case_rows
from case_apps.institutions.models import Admission
from case_apps.institutions.models_life import (
    AdverseEvent,
    CarePlan,
    CarePlanReview,
    CaseConference,
    EducationRecord,
    LeaveOfAbsence,
)
from case_apps.institutions.selectors_admissions import admission_read_log
from tenants.actor import Actor, NotFound
from tenants.policy import Permission


def admission_get(
    *, actor: Actor, admission_id: int, permission: Permission = Permission.VIEW_CASES
) -> Admission:
    """The admission as the actor, read through its case (``NotFound``/``Forbidden``)."""
    admission = Admission.objects.filter(pk=admission_id).first()
    if admission is None:
        raise NotFound
    admission.case = case_selectors.case_get(
        actor=actor, case_id=admission.case_id, permission=permission
    )
    return admission


@dataclass
class AdmissionLife:
    """What the admission page shows of the child's life here (a fixed number of queries)."""

    admission: Admission
    leaves: list[LeaveOfAbsence] = field(default_factory=list)
    adverse_events: list[AdverseEvent] = field(default_factory=list)
    education: list[EducationRecord] = field(default_factory=list)
    conferences: list[CaseConference] = field(default_factory=list)
    care_plans: list[CarePlan] = field(default_factory=list)
    returned_as: Admission | None = None  # the admission of the return after an escape

    @property
    def is_resident(self) -> bool:
        return self.admission.is_resident

    @property
    def on_leave(self) -> LeaveOfAbsence | None:
        return next((leave for leave in self.leaves if leave.returned_on is None), None)

    @property
    def leaves_overdue(self) -> list[LeaveOfAbsence]:
        return [leave for leave in self.leaves if leave.is_overdue]

    @property
    def plans_overdue(self) -> list[CarePlan]:
        return [plan for plan in self.care_plans if plan.review_overdue]

    @property
    def may_return(self) -> bool:
        """The return of a child who escaped or was released on licence or under supervision
        can be recorded (once)."""
        return bool(self.admission.return_type) and self.returned_as is None


def admission_life(admission: Admission) -> AdmissionLife:
    """The life records of one admission (its case already read as the actor)."""
    reviews = Prefetch("reviews", queryset=CarePlanReview.objects.order_by("-reviewed_on", "-id"))
    return AdmissionLife(
        admission=admission,
        leaves=list(admission.leaves.all()),
        adverse_events=list(admission.adverse_events.all()),
        education=list(admission.education_records.all()),
        conferences=list(admission.conferences.all()),
        care_plans=list(admission.care_plans.prefetch_related(reviews)),
        returned_as=Admission.objects.filter(previous_admission=admission).first(),
    )


def admission_life_read(*, actor: Actor, admission_id: int) -> AdmissionLife:
    return admission_life(admission_get(actor=actor, admission_id=admission_id))


def admission_life_open(
    *, actor: Actor, admission_id: int, purpose: str, request: HttpRequest | None = None
) -> AdmissionLife:
    """An admission's life records read as the actor (the API's lists of leaves, adverse
    events, education, conferences, care plans), logged in the access log against the
    admission with ``purpose`` naming the records shown; a refused read logs nothing."""
    admission = admission_get(actor=actor, admission_id=admission_id)
    admission_read_log(actor=actor, admission=admission, purpose=purpose, request=request)
    return admission_life(admission)


def _visible(actor: Actor, queryset: QuerySet, case_path: str) -> QuerySet:
    actor.require(Permission.VIEW_CASES)
    visible = case_selectors.cases_visible_to(actor=actor).values("pk")
    return queryset.filter(**{f"{case_path}__in": visible})


def leaves_overdue(*, actor: Actor) -> QuerySet[LeaveOfAbsence]:
    """Residents not back from leave after the day they were due, the longest overdue first
    (the residents' morning page), on the cases the actor sees."""
    rows = LeaveOfAbsence.objects.filter(
        returned_on__isnull=True,
        due_back_on__lt=timezone.localdate(),
        admission__discharged_on__isnull=True,
    ).select_related("admission__case__child")
    return _visible(actor, rows, "admission__case").order_by("due_back_on", "id")


def care_plans_review_overdue(*, actor: Actor) -> QuerySet[CarePlan]:
    """Care plans of current residents whose review is overdue, the longest overdue first."""
    rows = CarePlan.objects.filter(
        review_due_on__lt=timezone.localdate(), admission__discharged_on__isnull=True
    ).select_related("admission__case__child")
    return _visible(actor, rows, "admission__case").order_by("review_due_on", "id")


@reads_case_rows(Admission)
def life_timeline(case: CaseRecord) -> list[case_selectors.TimelineEntry]:
    """The case's life records in institutions as timeline entries, each on the day it
    happened (presenters_life.py reads them); one query when the case has no admission."""
    admission_ids = list(Admission.objects.filter(case=case).values_list("pk", flat=True))
    if not admission_ids:
        return []
    entry = case_selectors.TimelineEntry
    of_case = {"admission_id__in": admission_ids}
    entries = [
        entry(x.left_on, "life_leave", "", x) for x in LeaveOfAbsence.objects.filter(**of_case)
    ]
    entries += [
        entry(x.occurred_on, "life_adverse_event", x.event_code, x)
        for x in AdverseEvent.objects.filter(**of_case)
    ]
    entries += [
        entry(x.started_on, "life_education", x.level, x)
        for x in EducationRecord.objects.filter(**of_case)
    ]
    entries += [
        entry(x.held_on, "life_conference", "", x) for x in CaseConference.objects.filter(**of_case)
    ]
    entries += [
        entry(x.drawn_up_on, "life_care_plan", "", x) for x in CarePlan.objects.filter(**of_case)
    ]
    entries += [
        entry(x.reviewed_on, "life_care_plan_review", "", x)
        for x in CarePlanReview.objects.filter(plan__admission_id__in=admission_ids)
    ]
    return entries

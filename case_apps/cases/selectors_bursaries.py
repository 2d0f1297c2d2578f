"""Reads on bursaries: applications with their chain, as the actor sees their cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from case_apps.cases import selectors
from case_apps.cases.models import BursaryAward, CaseRecord
from case_apps.cases.models_bursary import (
    SIGN_OFF_STEPS,
    BursaryApplication,
    BursaryStatus,
    BursaryStep,
    bursary_chain,
    step_label,
)
from case_apps.cases.selectors_presence import case_rows, has_rows
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

if TYPE_CHECKING:
    from datetime import date


def bursary_application_get(
    *, actor: Actor, application_id: int, permission: Permission = Permission.VIEW_CASES
) -> BursaryApplication:
    """An application on a case the actor sees (``NotFound``), with ``permission`` on that
    case (``Forbidden``); its case is the one read as the actor."""
    case_id = (
        BursaryApplication.objects.filter(pk=application_id).values_list("case_id", flat=True)
    ).first()
    if case_id is None:
        raise NotFound
    case = selectors.case_get(actor=actor, case_id=case_id, permission=permission)
    application = BursaryApplication.objects.get(pk=application_id)
    application.case = case
    return application


@dataclass
class TrailStep:
    """One step of an application's chain: recorded (``step``) or still to come."""

    kind: str
    label: str
    step: BursaryStep | None = None
    is_next: bool = False
    needs_approval: bool = False  # a sign-off: only who may approve bursaries records it


@dataclass
class ApplicationView:
    application: BursaryApplication
    trail: list[TrailStep] = field(default_factory=list)

    @property
    def next_step(self) -> TrailStep | None:
        return next((t for t in self.trail if t.is_next), None)


def application_trail(application: BursaryApplication) -> list[TrailStep]:
    """The chain of the application with what is recorded; the first step not recorded is
    the next one while the application is in the chain (its steps are prefetched)."""
    recorded = {step.kind: step for step in application.steps.all()}
    trail, waiting = [], application.status == BursaryStatus.PENDING
    for kind in bursary_chain(application.bursary_type):
        step = recorded.get(kind)
        is_next = waiting and step is None
        waiting = waiting and not is_next
        label = step_label(kind, application.bursary_type)
        trail.append(TrailStep(kind, label, step, is_next, kind in SIGN_OFF_STEPS))
    return trail


def _steps() -> Prefetch:
    return Prefetch("steps", queryset=BursaryStep.objects.select_related("recorded_by"))


def application_view(application: BursaryApplication) -> ApplicationView:
    return ApplicationView(application, application_trail(application))


BURSARY_READS = case_rows(BursaryAward, BursaryApplication)  # selectors_presence.py


@dataclass
class CaseBursaries:
    """What the case page and the child's education record show."""

    awards: list[BursaryAward]
    applications: list[ApplicationView]


def case_bursaries(case: CaseRecord) -> CaseBursaries:
    """A case's awards and applications with their trail (three queries)."""
    return cases_bursaries([case])


def cases_bursaries(cases: list[CaseRecord]) -> CaseBursaries:
    """The awards and applications of these cases (the child's page: every case of theirs the
    actor sees), newest first, in a fixed number of queries."""
    by_id = {case.pk: case for case in cases}
    awarded = [case.pk for case in cases if has_rows(case, BursaryAward)]
    applied = [case.pk for case in cases if has_rows(case, BursaryApplication)]
    awards = (
        list(BursaryAward.objects.filter(case_id__in=awarded).order_by("-awarded_on", "-id"))
        if awarded
        else []
    )
    applications = (
        list(
            BursaryApplication.objects.filter(case_id__in=applied)
            .select_related("officer")
            .prefetch_related(_steps())
            .order_by("-applied_on", "-id")
        )
        if applied
        else []
    )
    for record in (*awards, *applications):
        record.case = by_id[record.case_id]
    return CaseBursaries(awards, [application_view(a) for a in applications])


@dataclass
class BursaryFilters:
    search: str = ""
    status: str = ""
    bursary_type: str = ""
    school: str = ""
    year: int | None = None
    applied_from: date | None = None
    applied_to: date | None = None


def bursary_applications(
    *, actor: Actor, filters: BursaryFilters | None = None
) -> QuerySet[BursaryApplication]:
    """The applications on cases the actor sees, filtered: ``search`` finds the child's
    names, the case reference, the school or the NEMIS UPI; ``school`` a school's name or
    NEMIS code."""
    actor.require(Permission.VIEW_CASES)
    filters = filters or BursaryFilters()
    visible = selectors.cases_visible_to(actor=actor)
    queryset = BursaryApplication.objects.filter(case__in=visible)
    if term := filters.search.strip()[:100]:
        queryset = queryset.filter(
            Q(school_name__icontains=term)
            | Q(nemis_upi__iexact=term)
            | Q(case__in=visible.filter(selectors._search(term)))
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.bursary_type:
        queryset = queryset.filter(bursary_type=filters.bursary_type)
    if school := filters.school.strip()[:200]:
        queryset = queryset.filter(Q(school_name__icontains=school) | Q(school_code=school))
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    if filters.applied_from:
        queryset = queryset.filter(applied_on__gte=filters.applied_from)
    if filters.applied_to:
        queryset = queryset.filter(applied_on__lte=filters.applied_to)
    return (
        queryset.select_related("case", "case__child", "officer")
        .prefetch_related(_steps())
        .order_by("-applied_on", "-id")
    )

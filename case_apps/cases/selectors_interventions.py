"""Reads of interventions, closure and reopening: a case's interventions by category, its
entries on the timeline, one intervention as a member."""

from __future__ import annotations

from dataclasses import dataclass, field

from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    CaseCategory,
    CaseRecord,
)
from case_apps.cases.models_interventions import CaseIntervention
from case_apps.cases.selectors import TimelineEntry, case_get
from case_apps.cases.selectors_presence import has_rows, reads_case_rows
from tenants.actor import Actor, NotFound
from tenants.policy import Permission


@dataclass
class CategoryInterventions:
    category: CaseCategory
    interventions: list[CaseIntervention] = field(default_factory=list)

    @property
    def final(self) -> CaseIntervention | None:
        finals = [i for i in self.interventions if i.is_final]
        return finals[-1] if finals else None


def case_categories(case: CaseRecord) -> list[CaseCategory]:
    return list(case.categories.all())


def case_interventions(case: CaseRecord) -> list[CategoryInterventions]:
    """The case's categories, each with its interventions in date order (two queries)."""
    groups = {c.pk: CategoryInterventions(c) for c in case.categories.all()}
    for intervention in CaseIntervention.objects.filter(case=case).select_related("officer"):
        if intervention.category_id in groups:
            groups[intervention.category_id].interventions.append(intervention)
    return list(groups.values())


def interventions_list(*, actor: Actor, case_id: int) -> list[CaseIntervention]:
    """A case's interventions as the actor (``NotFound``/``Forbidden`` as for its case)."""
    case = case_get(actor=actor, case_id=case_id, permission=Permission.VIEW_CASES)
    return list(CaseIntervention.objects.filter(case=case).select_related("category"))


def intervention_get(*, actor: Actor, case_id: int, intervention_id: int) -> CaseIntervention:
    """One intervention of a case the actor supervises (``NotFound`` when not there)."""
    case = case_get(actor=actor, case_id=case_id, permission=Permission.SUPERVISE_CASES)
    intervention = (
        CaseIntervention.objects.filter(pk=intervention_id, case=case)
        .select_related("category")
        .first()
    )
    if intervention is None:
        raise NotFound
    intervention.case = case
    return intervention


def reopening_pending(case: CaseRecord) -> ApprovalRequest | None:
    return ApprovalRequest.objects.filter(
        case=case, kind=ApprovalKind.REOPENING, status=ApprovalStatus.PENDING
    ).first()


@reads_case_rows(CaseIntervention, ApprovalRequest)
def interventions_timeline(case: CaseRecord) -> list[TimelineEntry]:
    """The case's interventions on the day they happened and its reopenings on the day it
    reopened (declared in case_apps/cases/capabilities.py beside case_timeline; removed
    interventions are among the case's removed records)."""
    entries = []
    if has_rows(case, CaseIntervention):
        entries += [
            TimelineEntry(i.date, "intervention", i.intervention_code, i)
            for i in CaseIntervention.objects.filter(case=case).select_related(
                "category", "officer"
            )
        ]
    if has_rows(case, ApprovalRequest):
        entries += [
            TimelineEntry(a.reopened_on, "reopened", "", a)
            for a in ApprovalRequest.objects.filter(
                case=case, kind=ApprovalKind.REOPENING, status=ApprovalStatus.APPROVED
            ).select_related("requested_by", "decided_by")
        ]
    return entries

"""Closure requests, a supervisor's decisions on them and on case plans, and moving
a case to another officer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts
from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    CasePlan,
    CaseRecord,
    CaseStage,
    CaseStatus,
    FollowUp,
)
from case_apps.cases.models_interventions import CaseIntervention
from case_apps.cases.selectors_teams import approval_routing_check
from case_apps.cases.services.common import (
    CaseStateError,
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    record_event,
    require_open,
)
from case_apps.cases.services.interventions import (
    FinalIntervention,
    date_problem,
    final_interventions_check,
    final_interventions_record,
)
from case_apps.cases.services.reopening import reopening_decided
from tenants.actor import Actor
from tenants.models import Organisation, User
from tenants.policy import Permission, may_hold_caseload
from tenants.selectors import membership_get_active


def closure_date_problem(case: CaseRecord, closed_on: date | None) -> str:
    """Why ``closed_on`` cannot be the case's closure date ("" when it can): the day the
    officer closed it, not in the future, not before the case was reported, its last
    follow-up or intervention, or the day it was last reopened."""
    if problem := date_problem(
        case,
        closed_on,
        future=gettext("The closure date cannot be in the future."),
        before=gettext("The closure date cannot be before the date the case was reported."),
    ):
        return problem
    latest = [
        FollowUp.objects.filter(case=case).order_by("-date").values_list("date", flat=True).first(),
        CaseIntervention.objects.filter(case=case)
        .order_by("-date")
        .values_list("date", flat=True)
        .first(),
        ApprovalRequest.objects.filter(
            case=case, kind=ApprovalKind.REOPENING, status=ApprovalStatus.APPROVED
        )
        .order_by("-reopened_on")
        .values_list("reopened_on", flat=True)
        .first(),
    ]
    last = max((d for d in latest if d is not None), default=None)
    if last is not None and closed_on < last:
        return gettext(
            "The closure date cannot be before the last thing recorded on the case (%(d)s)."
        ) % {"d": last.isoformat()}
    return ""


@transaction.atomic
def closure_request(
    *,
    case: CaseRecord,
    actor: Actor,
    closure_reason: str,
    notes: str,
    closed_on: date | None = None,
    final_interventions: Iterable[FinalIntervention] | None = None,
) -> ApprovalRequest:
    """Ask a supervisor to close the case (the right to record cases), with the day it
    closed (``closure_date_problem``) and the final intervention of each of its categories
    (recorded on the case when the closure is approved)."""
    actor = as_actor(actor)
    case = case_for(actor, case)
    case = CaseRecord.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise CaseStateError(
            gettext("The case is %(status)s.") % {"status": case.get_status_display().lower()}
        )
    codes = Codes("closure_reason", "intervention")
    codes.check("closure_reason", "closure_reason", closure_reason)
    if closure_reason == "COTR":
        codes.add(
            "closure_reason", gettext("Transfers to another organisation go through a referral.")
        )
    if not notes.strip():
        codes.add("notes", gettext("Explain why the case can be closed."))
    if problem := closure_date_problem(case, closed_on):
        codes.add("closed_on", problem)
    finals = final_interventions_check(codes, case, final_interventions)
    codes.raise_if_any()
    approval = ApprovalRequest.objects.create(
        case=case,
        kind=ApprovalKind.CLOSURE,
        closure_reason=closure_reason,
        notes=notes.strip(),
        closed_on=closed_on,
        final_interventions=[final.as_dict() for final in finals],
        requested_by=actor.user,
    )
    CaseRecord.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSURE_REQUESTED, version=F("version") + 1
    )
    record_event(
        case,
        actor,
        "closure_requested",
        from_status=case.status,
        to_status=CaseStatus.CLOSURE_REQUESTED,
        reason=notes.strip(),
    )
    return approval


@transaction.atomic
def approval_decide(
    *,
    approval: ApprovalRequest,
    actor: Actor,
    organisation: Organisation | None = None,
    approve: bool,
    reason: str = "",
) -> ApprovalRequest:
    """A supervisor approves or rejects; a rejection goes back with the reason. Needs the
    right to supervise cases, and the approval routed to the actor (selectors_teams.py)."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    approval = ApprovalRequest.objects.select_for_update().get(pk=approval.pk)
    approval_routing_check(actor=actor, approval=approval, organisation=organisation)
    if approval.status != ApprovalStatus.PENDING:
        raise CaseStateError(gettext("This request has already been decided."))
    if approval.requested_by_id == actor.user_id:
        raise ValidationError({"reason": [gettext("Someone else must approve your own request.")]})
    if not approve and not reason.strip():
        raise ValidationError({"reason": [gettext("Give the reason for sending it back.")]})
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by, approval.decided_at = actor.user, timezone.now()
    approval.decision_reason = reason.strip()
    approval.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    case = CaseRecord.objects.select_for_update().get(pk=approval.case_id)
    if approval.kind == ApprovalKind.REOPENING:
        reopening_decided(
            case=case,
            approval=approval,
            actor=actor,
            organisation=organisation,
            approve=approve,
            reason=reason.strip(),
        )
    elif approval.kind == ApprovalKind.CLOSURE:
        new_status = CaseStatus.CLOSED if approve else CaseStatus.OPEN
        changes = {"status": new_status, "version": F("version") + 1}
        if approve:
            closed_at = timezone.now()
            changes.update(
                closure_reason=approval.closure_reason,
                closure_notes=approval.notes,
                closed_at=closed_at,
                # the officer's closure date; a request from before it had one: the approval
                closed_on=approval.closed_on or timezone.localtime(closed_at).date(),
                stage=CaseStage.CLOSED,
            )
        CaseRecord.objects.filter(pk=case.pk).update(**changes)
        record_event(
            case,
            actor,
            "closure_approved" if approve else "closure_rejected",
            from_status=case.status,
            to_status=new_status,
            reason=reason.strip(),
        )
        if approve:
            case.refresh_from_db()
            for intervention in final_interventions_record(
                case=case,
                approval=approval,
                on=case.closed_on,
                officer_id=approval.requested_by_id,
            ):
                facts.intervention_fact(case, organisation, intervention)
            facts.closure_fact(case, organisation)
    else:
        if approve:
            CasePlan.objects.filter(pk=approval.case_plan_id).update(is_approved=True)
        record_event(
            case,
            actor,
            "case_plan_approved" if approve else "case_plan_rejected",
            reason=reason.strip(),
        )
    return approval


@transaction.atomic
def case_reassign(*, case: CaseRecord, actor: Actor, officer: User, reason: str) -> CaseRecord:
    """Transfer a case to another officer of the same organisation (the right to supervise
    cases, on a case the actor sees) who can hold a caseload (tenants.policy); ``case`` is
    refreshed."""
    given = case
    actor = as_actor(actor)
    case = case_for(actor, case, Permission.SUPERVISE_CASES)
    require_open(case)
    if not reason.strip():
        raise ValidationError({"reason": [gettext("Say why the case moves to another officer.")]})
    officer_membership = membership_get_active(
        user=officer, organisation=acting_organisation(actor, None)
    )
    if not may_hold_caseload(officer_membership):
        raise ValidationError(
            {"officer": [gettext("Choose a member of your organisation who holds cases.")]}
        )
    previous = case.assigned_officer_id
    CaseRecord.objects.filter(pk=case.pk).update(assigned_officer=officer, version=F("version") + 1)
    case.refresh_from_db()
    given.refresh_from_db()
    record_event(case, actor, "reassigned", reason=f"{previous} -> {officer.pk}: {reason.strip()}")
    return case

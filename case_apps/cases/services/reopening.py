"""Reopening a closed case: asked with a reason, approved by a supervisor (the approval's
state change is ``reopening_decided``, called by approval_decide in
case_apps/cases/services/approvals.py)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts
from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    CaseRecord,
    CaseStage,
    CaseStatus,
)
from case_apps.cases.services.common import (
    CaseStateError,
    Codes,
    as_actor,
    case_for,
    record_event,
)
from tenants.actor import Actor
from tenants.limits import NOTES_MAX_LENGTH
from tenants.models import Organisation

REASON_MIN_LENGTH = 10


@transaction.atomic
def reopening_request(
    *, case: CaseRecord, actor: Actor, reason: str, reopened_on: date | None = None
) -> ApprovalRequest:
    """Ask a supervisor to reopen a closed case (the right to record cases, on a case the
    actor sees), with the reason and the day it reopens (today when not given: not in the
    future, not before the case closed)."""
    actor = as_actor(actor)
    case = case_for(actor, case)
    case = CaseRecord.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        raise CaseStateError(gettext("Only a closed case can be reopened."))
    if ApprovalRequest.objects.filter(
        case=case, kind=ApprovalKind.REOPENING, status=ApprovalStatus.PENDING
    ).exists():
        raise CaseStateError(gettext("A reopening of this case is already waiting for approval."))
    reopened_on = reopened_on or timezone.localdate()
    reason = (reason or "").strip()
    codes = Codes()
    if len(reason) < REASON_MIN_LENGTH:
        codes.add(
            "reason",
            gettext("Say why the case is reopened (%(n)s characters or more).")
            % {"n": REASON_MIN_LENGTH},
        )
    elif len(reason) > NOTES_MAX_LENGTH:
        codes.add(
            "reason", gettext("Keep the reason under %(n)s characters.") % {"n": NOTES_MAX_LENGTH}
        )
    closed_on = case.closed_on or (
        timezone.localtime(case.closed_at).date() if case.closed_at else case.date_reported
    )
    if reopened_on > timezone.localdate():
        codes.add("reopened_on", gettext("A case cannot be reopened on a future date."))
    elif reopened_on < closed_on:
        codes.add("reopened_on", gettext("A case cannot be reopened before the day it closed."))
    codes.raise_if_any()
    approval = ApprovalRequest.objects.create(
        case=case,
        kind=ApprovalKind.REOPENING,
        notes=reason,
        reopened_on=reopened_on,
        # the closure it undoes: kept for the figures (facts.reopening_facts)
        closed_on=closed_on,
        closure_reason=case.closure_reason,
        requested_by=actor.user,
    )
    record_event(case, actor, "reopening_requested", reason=reason)
    return approval


def reopening_decided(
    *,
    case: CaseRecord,
    approval: ApprovalRequest,
    actor: Actor,
    organisation: Organisation,
    approve: bool,
    reason: str,
) -> None:
    """The state change of a decided reopening (inside approval_decide's transaction): an
    approval opens the case again (stage reopened), its closure kept in the figures and a
    ``case_reopened`` fact dated by the reopening day; a rejection leaves it closed."""
    if not approve:
        record_event(case, actor, "reopening_rejected", reason=reason)
        return
    if case.status != CaseStatus.CLOSED:
        raise CaseStateError(gettext("Only a closed case can be reopened."))
    CaseRecord.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN,
        stage=CaseStage.REOPENED,
        closure_reason="",
        closure_notes="",
        closed_at=None,
        closed_on=None,
        version=F("version") + 1,
    )
    record_event(
        case,
        actor,
        "case_reopened",
        from_status=CaseStatus.CLOSED,
        to_status=CaseStatus.OPEN,
        reason=approval.notes,
    )
    case.refresh_from_db()
    facts.reopening_facts(case, organisation, approval)

"""The case plan, drafted by the officer and approved by a supervisor."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    CasePlan,
    CaseRecord,
)
from case_apps.cases.services.common import as_actor, case_for, record_event, require_open
from tenants.actor import Actor


@transaction.atomic
def case_plan_submit(
    *,
    case: CaseRecord,
    actor: Actor,
    goals: str,
    services: str,
    responsible: str,
    due_on: date,
    needs: str = "",
) -> CasePlan:
    """Draft a case plan and ask a supervisor to approve it (the right to record cases)."""
    actor = as_actor(actor)
    case = case_for(actor, case)
    require_open(case)
    errors = {}
    for name, value in (("goals", goals), ("services", services), ("responsible", responsible)):
        if not value.strip():
            errors[name] = [gettext("This field is required.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [gettext("The due date cannot be in the past.")]
    if ApprovalRequest.objects.filter(
        case=case, kind=ApprovalKind.CASE_PLAN, status=ApprovalStatus.PENDING
    ).exists():
        errors["goals"] = [gettext("A case plan is already waiting for approval.")]
    if errors:
        raise ValidationError(errors)
    plan = CasePlan.objects.create(
        case=case,
        goals=goals.strip(),
        needs=needs.strip(),
        services=services.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
        created_by=actor.user,
    )
    ApprovalRequest.objects.create(
        case=case, kind=ApprovalKind.CASE_PLAN, case_plan=plan, requested_by=actor.user
    )
    record_event(case, actor, "case_plan_submitted")
    return plan

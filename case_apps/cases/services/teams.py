"""Teams: an organisation administrator says who supervises whom; and the supervisors an
approval is routed to are told of it when it is asked for.

Each change is kept as a ``SupervisionChange`` (who, when), besides the write log every model
has (audit/registry.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from case_apps.cases.models import ApprovalRequest, ApprovalStatus, Supervision
from case_apps.cases.models_teams import SupervisionChange, SupervisionChangeKind
from case_apps.cases.selectors_teams import approvers_for, supervision_get
from case_apps.cases.services.common import as_actor
from tenants.actor import Actor
from tenants.models import Membership, Organisation
from tenants.policy import Permission, may_hold_caseload, may_supervise


def _member(organisation: Organisation, user_id: int | None) -> Membership | None:
    if not user_id:
        return None
    return (
        Membership.objects.filter(organisation=organisation, user_id=user_id, is_active=True)
        .select_related("user")
        .first()
    )


@transaction.atomic
def supervision_add(*, actor: Actor, supervisor_id: int, officer_id: int) -> Supervision:
    """Name ``supervisor_id`` the supervisor of ``officer_id`` (the right to manage teams).
    The supervisor must be an active member who may supervise, the officer an active member
    who holds cases, not the same person, and not already linked."""
    actor = as_actor(actor)
    actor.require(Permission.MANAGE_TEAMS)
    organisation = actor.organisation
    errors: dict[str, list[str]] = {}
    supervisor = _member(organisation, supervisor_id)
    officer = _member(organisation, officer_id)
    if supervisor is None or not may_supervise(supervisor):
        errors["supervisor"] = [
            gettext("Choose a member of your organisation who may supervise cases.")
        ]
    if officer is None or not may_hold_caseload(officer):
        errors["officer"] = [gettext("Choose a member of your organisation who holds cases.")]
    elif supervisor_id == officer_id:
        errors["officer"] = [gettext("An officer cannot supervise themselves.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            link = Supervision.objects.create(supervisor=supervisor.user, officer=officer.user)
    except IntegrityError:
        raise ValidationError(
            {
                "officer": [
                    gettext("%(supervisor)s already supervises %(officer)s.")
                    % {
                        "supervisor": supervisor.user.full_name or supervisor.user.email,
                        "officer": officer.user.full_name or officer.user.email,
                    }
                ]
            }
        ) from None
    SupervisionChange.objects.create(
        kind=SupervisionChangeKind.ADDED,
        supervisor=supervisor.user,
        officer=officer.user,
        changed_by=actor.user,
    )
    return link


@transaction.atomic
def supervision_remove(*, actor: Actor, supervision_id: int) -> Supervision:
    """End a supervision link of the actor's organisation (the right to manage teams); the
    officer's approvals go to their other supervisors, or to any supervisor."""
    actor = as_actor(actor)
    link = supervision_get(actor=actor, supervision_id=supervision_id)
    Supervision.objects.filter(pk=link.pk).delete()
    SupervisionChange.objects.create(
        kind=SupervisionChangeKind.REMOVED,
        supervisor_id=link.supervisor_id,
        officer_id=link.officer_id,
        changed_by=actor.user,
    )
    return link


# --- approvals: telling the supervisors they are routed to --------------------------------------
def approval_requested_notify(approval: ApprovalRequest, organisation: Organisation) -> list[str]:
    """E-mail the supervisors ``approval`` is routed to (after the commit): the kind and the
    case reference, never the child's name. Returns the addresses told."""
    recipients = [
        user.email
        for user in approvers_for(
            organisation=organisation,
            requested_by_id=approval.requested_by_id,
            officer_id=approval.case.assigned_officer_id,
        )
        if user.email
    ]
    if not recipients:
        return []
    subject = f"{approval.get_kind_display()}: {approval.case.national_reference}"
    body = (
        f"{approval.get_kind_display()} of case {approval.case.national_reference} waits for "
        f"your decision ({organisation.name}).\n"
        "Sign in to CPIMS and open Approvals to decide. (This message names no child on "
        "purpose.)\n"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
        )
    )
    return recipients


def on_approval_saved(sender, instance: ApprovalRequest, created: bool, **kwargs) -> None:
    """A new pending approval (closure, case plan, reopening, whichever service asked for
    it) is told to the supervisors it is routed to (connected in apps.py)."""
    from django.db import connection

    organisation = getattr(connection, "tenant", None)
    if not created or instance.status != ApprovalStatus.PENDING:
        return
    if not isinstance(organisation, Organisation):
        return
    approval_requested_notify(instance, organisation)

"""Writes of OVC transfers between implementing partners (issue 18, point 7).

The sender exits a child with reason ``ERFO`` (transfer to a PEPFAR partner) naming the
receiving partner (``services_exits.enrolment_exit``): the exit and a public transfer row are
written together. The receiver, in its own workspace request, accepts (enrolling the same
registry person in a household of its own, with its own registration date) or declines with
a reason; the sender may withdraw a pending transfer. The child stays exited at the sender
whatever the answer: the sender may enrol them again after a decline or a withdrawal. Each
step is an ``OvcTransferEvent`` (who, which side, when, why) and e-mails the other side after
the commit, naming no child (sharing/events.py), as referrals do.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.ovc import selectors_transfers
from case_apps.ovc.models import Enrolment, Household
from case_apps.ovc.selectors import households_visible_to
from case_apps.ovc.services_common import checks
from case_apps.ovc.services_enrolment import child_enrol
from case_apps.ovc.services_households import household_register
from shared_registry.models import Person
from sharing.events import EventLog, event_mail_send, member_emails, require_reason
from sharing.models_ovc_transfers import (
    OvcTransfer,
    OvcTransferEvent,
    OvcTransferEventKind,
    OvcTransferStatus,
)
from tenants.actor import Actor, Forbidden
from tenants.limits import NOTES_MAX_LENGTH
from tenants.models import Organisation
from tenants.policy import ROLE_PERMISSIONS, Permission
from tenants.schema import current_schema_name

TRANSFER_REASON = "ERFO"  # transfer to a PEPFAR partner: the receiver is in CPIMS
S = OvcTransferStatus
E = OvcTransferEventKind


# --- notifications ------------------------------------------------------------------------------
def _recording_roles() -> list[str]:
    return sorted(r for r, ps in ROLE_PERMISSIONS.items() if Permission.RECORD_CASES in ps)


def _members(organisation: Organisation) -> list[str]:
    """The e-mail addresses of the organisation's active members who record cases."""
    return member_emails(organisation, _recording_roles())


def _receiver_side(transfer: OvcTransfer) -> list[str]:
    return _members(transfer.receiver)


def _sender_side(transfer: OvcTransfer) -> list[str]:
    return [transfer.created_by.email]


def _notify(transfer: OvcTransfer, event: OvcTransferEvent, recipients: list[str]) -> None:
    event_mail_send(
        subject=(
            f"OVC transfer #{transfer.pk} ({transfer.sender.name} to {transfer.receiver.name}): "
            f"{event.get_kind_display().lower()}"
        ),
        event=event,
        status=transfer.get_status_display(),
        details="Sign in to CPIMS to see it. (This message names no child on purpose.)\n",
        recipients=recipients,
    )


_events = EventLog(OvcTransferEvent, "transfer", _notify)


def _lock(transfer: OvcTransfer) -> OvcTransfer:
    return (
        OvcTransfer.objects.select_for_update()
        .select_related("sender", "receiver", "person", "created_by")
        .get(pk=transfer.pk)
    )


def _require_pending(transfer: OvcTransfer) -> None:
    if not transfer.is_pending:
        raise ValidationError(
            gettext("This transfer is %(status)s; this step is not possible now.")
            % {"status": transfer.get_status_display().lower()}
        )


def _reason(reason: str) -> str:
    require_reason(reason or "")
    if len(reason) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    gettext("At most %(n)s characters.") % {"n": NOTES_MAX_LENGTH},
                ]
            }
        )
    return reason.strip()


def _side(actor: Actor, transfer_id, side: str) -> OvcTransfer:
    """The transfer as the actor sees it (``NotFound`` otherwise), locked, when the actor's
    organisation is on ``side`` and the actor may record (``Forbidden`` otherwise)."""
    actor.require(Permission.RECORD_CASES)
    transfer = selectors_transfers.transfer_get(actor=actor, transfer_id=transfer_id)
    if selectors_transfers.transfer_side(actor, transfer) != side:
        raise Forbidden(Permission.RECORD_CASES)
    return _lock(transfer)


# --- sending (inside the exit's transaction) ----------------------------------------------------
def transfer_send(
    *, actor: Actor, enrolment: Enrolment, receiver: Organisation, note: str = ""
) -> OvcTransfer:
    """Record the transfer of an enrolment just exited with ``ERFO`` (checked by the exit):
    the child's registry person, the household's head as the proposed caregiver, the exit
    date and the note; the receiver's members who record cases are told."""
    head_id = enrolment.household.head_id
    transfer = OvcTransfer.objects.create(
        sender=actor.organisation,
        receiver=receiver,
        person_id=enrolment.child_id,
        proposed_caregiver_id=head_id if head_id != enrolment.child_id else None,
        exit_date=enrolment.exit_date,
        note=note.strip(),
        sender_enrolment_id=enrolment.pk,
        created_by=actor.user,
    )
    _events.record(
        transfer, E.SENT, actor=actor, acting_as="sender", notify=_receiver_side(transfer)
    )
    return transfer


# --- the receiver's decision --------------------------------------------------------------------
@transaction.atomic
def transfer_accept(
    *,
    actor: Actor,
    transfer: OvcTransfer | int,
    registration_date: date,
    eligibility: list[str],
    hiv_status: str,
    school_level: str,
    household: Household | int | None = None,
    caregiver: Person | None = None,
    caregiver_relation: str = "CGPM",
    caregiver_hiv_status: str = "HSKN",
    **enrolment_fields,
) -> OvcTransfer:
    """Accept a transfer in the receiver's own workspace: the child joins one of the actor's
    households (``household``) or a new one headed by ``caregiver``, and is enrolled here
    with its own registration date (not before the exit at the sender); ``ovc_enrolled`` is
    written as for any enrolment."""
    transfer = _side(actor, transfer, selectors_transfers.IN)
    if current_schema_name() != transfer.receiver.schema_name:
        raise RuntimeError("A transfer is accepted inside the receiver's own workspace.")
    _require_pending(transfer)
    errors = checks()
    if (household is None) == (caregiver is None):
        errors.add(
            "household",
            gettext("Choose one of your households, or a caregiver for a new household."),
        )
    elif household is not None:
        pk = household.pk if isinstance(household, Household) else household
        household = households_visible_to(actor).filter(pk=pk).first()
        if household is None:
            errors.add("household", gettext("Choose one of your households."))
    elif caregiver.pk == transfer.person_id:
        errors.add("caregiver", gettext("The child cannot be their own caregiver."))
    elif Household.objects.filter(head=caregiver).exists():
        errors.add(
            "caregiver",
            gettext("This caregiver already heads one of your households: choose it."),
        )
    if caregiver is not None:  # the new household's head, named as this form names it
        errors.check("caregiver_relation", "ovc_member_type", caregiver_relation)
        errors.check("caregiver_hiv_status", "ovc_hiv_status", caregiver_hiv_status)
        if caregiver_relation in ("TOVC", "TBVC"):
            errors.add(
                "caregiver_relation",
                gettext("The head of a household is its caregiver, not a child."),
            )
    if registration_date and registration_date < transfer.exit_date:
        errors.add(
            "registration_date",
            gettext("The registration date is before the child left the other partner."),
        )
    errors.raise_if_any()
    if household is None:
        household = household_register(
            actor=actor,
            head=caregiver,
            head_relation=caregiver_relation,
            head_hiv_status=caregiver_hiv_status,
        )
    enrolment = child_enrol(
        actor=actor,
        household=household,
        child=transfer.person,
        registration_date=registration_date,
        eligibility=eligibility,
        hiv_status=hiv_status,
        school_level=school_level,
        **{"first_enrolment": False, **enrolment_fields},
    )
    transfer.status = S.ACCEPTED
    transfer.receiver_enrolment_id = enrolment.pk
    transfer.decided_by, transfer.decided_at = actor.user, timezone.now()
    transfer.save(update_fields=["status", "receiver_enrolment_id", "decided_by", "decided_at"])
    _events.record(
        transfer, E.ACCEPTED, actor=actor, acting_as="receiver", notify=_sender_side(transfer)
    )
    return transfer


@transaction.atomic
def transfer_decline(*, actor: Actor, transfer: OvcTransfer | int, reason: str) -> OvcTransfer:
    """Decline a transfer, saying why: the sender sees the reason; the child stays exited
    there and may be enrolled again by the sender."""
    transfer = _side(actor, transfer, selectors_transfers.IN)
    _require_pending(transfer)
    reason = _reason(reason)
    transfer.status = S.DECLINED
    transfer.decline_reason = reason
    transfer.decided_by, transfer.decided_at = actor.user, timezone.now()
    transfer.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    _events.record(
        transfer,
        E.DECLINED,
        actor=actor,
        acting_as="receiver",
        reason=reason,
        notify=_sender_side(transfer),
    )
    return transfer


# --- the sender's side --------------------------------------------------------------------------
@transaction.atomic
def transfer_withdraw(*, actor: Actor, transfer: OvcTransfer | int, reason: str) -> OvcTransfer:
    """The sender takes back a pending transfer (the child stays exited at the sender)."""
    transfer = _side(actor, transfer, selectors_transfers.OUT)
    _require_pending(transfer)
    reason = _reason(reason)
    transfer.status = S.WITHDRAWN
    transfer.decided_by, transfer.decided_at = actor.user, timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    _events.record(
        transfer,
        E.WITHDRAWN,
        actor=actor,
        acting_as="sender",
        reason=reason,
        notify=_receiver_side(transfer),
    )
    return transfer

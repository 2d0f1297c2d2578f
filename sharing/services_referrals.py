"""Writes of referrals and transfers of a child between organisations.

The sender (a case worker with access to the case) sends a referral or a transfer relying on
a consent in force that its organisation recorded; a summary of ONLY the consented fields is
taken then, in the sender's own request (its own schema, through the record kinds' registered
readers: no schema switch). The receiver accepts (its case app opens its own case linked to
the same registry person, in the receiver's own request) or declines with a reason; the
sender may withdraw a pending one. A transfer is completed when the sender's case has been
closed as transferred (a Celery task of the case app, in the sender's schema). Every step is
a ReferralEvent (who, which side, when, why) and emails those concerned after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_registry.models import Person
from sharing.events import (
    EventLog,
    NotAllowed,
    as_actor,
    event_mail_send,
    member_emails,
    referral_status_changed,
    require_reason,
    require_status,
)
from sharing.models import (
    ONE_OPEN_TRANSFER,
    Consent,
    OrganisationReferral,
    OrganisationServices,
    ReferralEvent,
    ReferralEventKind,
    ReferralKind,
    ReferralService,
    ReferralStatus,
)
from sharing.registry import record_kind_get
from tenants.actor import Actor
from tenants.client_ids import replay, uuid_refused
from tenants.models import Organisation
from tenants.policy import (
    Permission,
    may_for_organisation,
    referral_receiver_roles,
    sharing_manager_roles,
)
from tenants.schema import current_schema_name

__all__ = ["NotAllowed"]

S = ReferralStatus
E = ReferralEventKind


# --- notifications ------------------------------------------------------------------------------
def _sender_side(referral: OrganisationReferral) -> list[str]:
    return [referral.created_by.email] + member_emails(referral.sender, sharing_manager_roles())


def _receiver_side(referral: OrganisationReferral) -> list[str]:
    return member_emails(referral.receiver, referral_receiver_roles())


def _may(actor: Actor, permission: Permission, organisation: Organisation) -> bool:
    actor = as_actor(actor)
    return may_for_organisation(
        actor.user,
        permission,
        organisation,
        acting_in=actor.organisation,
        membership=actor.membership,
    )


def _notify(referral: OrganisationReferral, event: ReferralEvent, recipients: list[str]) -> None:
    event_mail_send(
        subject=(
            f"{referral.get_kind_display().split(' (')[0]} #{referral.pk} "
            f"({referral.sender.name} to {referral.receiver.name}): "
            f"{event.get_kind_display().lower()}"
        ),
        event=event,
        status=referral.get_status_display(),
        details="Sign in to CPIMS to see it. (This message names no child on purpose.)\n",
        recipients=recipients,
    )


_events = EventLog(ReferralEvent, "referral", _notify)


def _record(referral: OrganisationReferral, kind: str, **kwargs) -> ReferralEvent:
    """Record the step and tell whoever follows the referral's status (a step that leaves
    the status as it was, a consent change, is recorded only)."""
    event = _events.record(referral, kind, **kwargs)
    if kind != E.CONSENT_CHANGED:
        referral_status_changed.send(sender=OrganisationReferral, referral=referral)
    return event


def referral_lock(referral: OrganisationReferral) -> OrganisationReferral:
    """Lock the referral row (inside the caller's transaction) and read it afresh. Every path
    that decides on a referral takes this lock before anything it writes takes the audit
    chain's lock (the lock order of docs/security.md), so an accept and a decline of one
    referral wait for each other instead of deadlocking."""
    return _lock(referral)


def _lock(referral: OrganisationReferral) -> OrganisationReferral:
    return (
        OrganisationReferral.objects.select_for_update()
        .select_related("sender", "receiver", "person", "consent", "created_by")
        .get(pk=referral.pk)
    )


def _require_status(referral: OrganisationReferral, *statuses: str) -> None:
    require_status(
        referral.status,
        statuses,
        _("This %(kind)s is %(status)s; this step is not possible now.")
        % {
            "kind": referral.get_kind_display().split(" (")[0].lower(),
            "status": referral.get_status_display().lower(),
        },
    )


_require_reason = require_reason


# --- sending ------------------------------------------------------------------------------------
def _snapshot(person: Person, fields: dict[str, list[str]], sender_case_id: int) -> dict:
    """The summary: each kind's rows, only ``fields``, read in the current (sender's) schema
    by the kind's registered reader: the case the referral is sent from only, for a kind
    that can read one record; otherwise the person's rows of that kind."""
    summary = {}
    for kind, names in fields.items():
        record_kind = record_kind_get(kind)
        if record_kind.record_reader is not None:
            rows = record_kind.record_reader(sender_case_id, names)
        else:
            rows = record_kind.reader(person.pk, names)
        summary[kind] = {
            "fields": list(names),
            "rows": [{name: row.get(name) for name in names} for row in rows],
        }
    return summary


def _replay(
    *,
    sender: Organisation,
    uuid: UUID | None,
    chosen: dict[str, list[str]],
    values: dict[str, Any],
) -> OrganisationReferral | None:
    """The referral the sender already sent under the client's ``uuid`` with these values
    and fields (its summary is not taken again), or None; refused naming ``uuid`` when it
    differs."""
    existing = replay(OrganisationReferral.objects.filter(sender=sender), uuid, values)
    if existing is None:
        return None
    sent = {kind: part.get("fields", []) for kind, part in existing.summary.items()}
    if existing.summary and sent != chosen:  # a withdrawn referral's summary is erased
        raise uuid_refused()
    return existing


@transaction.atomic
def referral_send(
    *,
    sender: Organisation,
    receiver: Organisation | None,
    actor: Actor,
    person: Person,
    kind: str,
    reason: str,
    services: Iterable[str],
    consent: Consent | None,
    fields: dict[str, Iterable[str]] | None,
    sender_case_id: int,
    sender_case_reference: str,
    uuid: UUID | None = None,
    reasons: Iterable[str] = (),
    sender_phone: str = "",
) -> OrganisationReferral:
    """Refer or transfer ``person`` from the sender's case to ``receiver``; ``fields`` narrows
    what the summary carries (None: everything the consent covers). ``reasons``: the case
    app's reason codes (checked by it), which make the written ``reason`` optional;
    ``sender_phone``: the sending officer's work phone, when they share it. With the
    client's ``uuid``, a repeat returns the referral it sent (tenants/client_ids.py)."""
    if not _may(actor, Permission.SEND_REFERRALS, sender):
        raise NotAllowed(_("Only the organisation's case workers refer children."))
    if current_schema_name() != sender.schema_name:
        raise RuntimeError("A referral's summary is taken inside the sender's own workspace.")
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    services = sorted(set(services or []))
    if receiver is None:
        add("receiver", _("Choose the organisation that receives the child."))
    elif receiver.pk == sender.pk:
        add("receiver", _("Choose another organisation."))
    elif not receiver.is_active:
        add("receiver", _("That organisation is not active."))
    if kind not in ReferralKind.values:
        add("kind", _("Choose a referral or a transfer."))
    reasons = list(dict.fromkeys(reasons or []))
    sender_phone = sender_phone.strip()[:32]
    if not reason.strip() and not reasons:
        add("reason", _("Say why the child is referred."))
    unknown = [s for s in services if s not in ReferralService.values]
    if unknown:
        add("services", _("Unknown services: %(codes)s") % {"codes": ", ".join(unknown)})
    today = timezone.localdate()
    chosen: dict[str, list[str]] = {}
    if consent is None:
        add("consent", _("Choose the consent the referral relies on."))
    elif consent.organisation_id != sender.pk or consent.person_id != person.pk:
        add("consent", _("That consent is not this child's consent recorded here."))
    elif not consent.in_force_on(today):
        add("consent", _("That consent is not in force."))
    else:
        wanted = consent.scope if fields is None else fields
        for record_kind, names in wanted.items():
            names = list(dict.fromkeys(names))
            outside = [n for n in names if n not in consent.scope.get(record_kind, [])]
            if outside:
                add("fields", _("The consent does not cover: %(f)s") % {"f": ", ".join(outside)})
            elif names and record_kind_get(record_kind) is not None:
                chosen[record_kind] = names
        if not chosen and "fields" not in errors:
            add("fields", _("Choose at least one consented field to send."))
    if not errors and (
        existing := _replay(
            sender=sender,
            uuid=uuid,
            chosen=chosen,
            values={
                "receiver_id": receiver.pk,
                "person_id": person.pk,
                "kind": kind,
                "reason": reason.strip(),
                "reasons": reasons,
                "services": services,
                "consent_id": consent.pk,
                "sender_case_id": sender_case_id,
            },
        )
    ):
        return existing
    if receiver is not None and not errors:
        open_ones = OrganisationReferral.objects.filter(
            sender=sender, sender_case_id=sender_case_id, status__in=[S.PENDING, S.ACCEPTED]
        )
        if open_ones.filter(receiver=receiver, status=S.PENDING).exists():
            add("receiver", _("This case already has a referral waiting at that organisation."))
        if kind == ReferralKind.TRANSFER and open_ones.filter(kind=ReferralKind.TRANSFER).exists():
            add("kind", _("This case is already being transferred."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves the caller usable
            referral = OrganisationReferral.objects.create(
                sender=sender,
                receiver=receiver,
                person=person,
                kind=kind,
                reason=reason.strip(),
                reasons=reasons,
                sender_phone=sender_phone,
                services=services,
                consent=consent,
                summary=_snapshot(person, chosen, sender_case_id),
                sender_case_id=sender_case_id,
                sender_case_reference=sender_case_reference,
                created_by=as_actor(actor).user,
                **({"uuid": uuid} if uuid else {}),
            )
    except IntegrityError as error:
        if ONE_OPEN_TRANSFER not in str(error):
            raise
        # another transfer of this case was sent at the same moment and committed first
        raise ValidationError({"kind": [_("This case is already being transferred.")]}) from None
    _record(referral, E.SENT, actor=actor, acting_as="sender", notify=_receiver_side(referral))
    return referral


# --- the receiver's decision --------------------------------------------------------------------
def may_receive(actor: Actor, referral: OrganisationReferral) -> bool:
    return _may(actor, Permission.RECEIVE_REFERRALS, referral.receiver)


@transaction.atomic
def referral_accept(
    *,
    referral: OrganisationReferral,
    actor: Actor,
    receiver_case_id: int,
    receiver_case_reference: str,
    reason: str = "",
) -> OrganisationReferral:
    """Record the acceptance (the receiver's case app has opened its case in this same
    transaction). Refused when the consent it relied on is no longer in force."""
    referral = _lock(referral)
    if not may_receive(actor, referral):
        raise NotAllowed(_("Only the receiving organisation's case workers accept."))
    _require_status(referral, S.PENDING)
    if not referral.consent.in_force_on(timezone.localdate()):
        raise ValidationError(_("The consent this referral relied on is no longer in force."))
    referral.status = S.ACCEPTED
    referral.receiver_case_id = receiver_case_id
    referral.receiver_case_reference = receiver_case_reference
    referral.save(
        update_fields=["status", "receiver_case_id", "receiver_case_reference", "updated_at"]
    )
    _record(
        referral,
        E.ACCEPTED,
        actor=actor,
        acting_as="receiver",
        reason=reason,
        notify=_sender_side(referral),
    )
    return referral


@transaction.atomic
def referral_decline(
    *, referral: OrganisationReferral, actor: Actor, reason: str
) -> OrganisationReferral:
    referral = _lock(referral)
    if not may_receive(actor, referral):
        raise NotAllowed(_("Only the receiving organisation's case workers decline."))
    _require_status(referral, S.PENDING)
    _require_reason(reason)
    referral.status = S.DECLINED
    referral.save(update_fields=["status", "updated_at"])
    _record(
        referral,
        E.DECLINED,
        actor=actor,
        acting_as="receiver",
        reason=reason,
        notify=_sender_side(referral),
    )
    return referral


# --- the sender's side --------------------------------------------------------------------------
@transaction.atomic
def referral_withdraw(
    *, referral: OrganisationReferral, actor: Actor, reason: str
) -> OrganisationReferral:
    """The sender takes back a pending referral; its summary is erased."""
    referral = _lock(referral)
    if not _may(actor, Permission.SEND_REFERRALS, referral.sender):
        raise NotAllowed(_("Only the sending organisation's case workers withdraw."))
    _require_status(referral, S.PENDING)
    _require_reason(reason)
    referral.status = S.WITHDRAWN
    referral.summary = {}
    referral.save(update_fields=["status", "summary", "updated_at"])
    _record(
        referral,
        E.WITHDRAWN,
        actor=actor,
        acting_as="sender",
        reason=reason,
        notify=_receiver_side(referral),
    )
    return referral


def referral_withdraw_for_consent(
    *, referral: OrganisationReferral, actor: Actor, reason: str
) -> OrganisationReferral:
    """A pending referral whose consent was withdrawn or narrowed: withdrawn, summary erased
    (called inside the consent service's transaction)."""
    referral.status = S.WITHDRAWN
    referral.summary = {}
    referral.save(update_fields=["status", "summary", "updated_at"])
    _record(
        referral,
        E.WITHDRAWN,
        actor=actor,
        acting_as="sender",
        reason=reason,
        notify=_receiver_side(referral),
    )
    return referral


def referral_move_consent(
    *, referral: OrganisationReferral, consent: Consent, actor: Actor
) -> OrganisationReferral:
    """A pending referral follows its consent's new version (which still covers it)."""
    referral.consent = consent
    referral.save(update_fields=["consent", "updated_at"])
    reason = _("Now relies on version %(v)s of the consent.") % {"v": consent.version}
    _record(referral, E.CONSENT_CHANGED, actor=actor, acting_as="sender", reason=reason)
    return referral


@transaction.atomic
def referral_complete(*, referral: OrganisationReferral, note: str = "") -> OrganisationReferral:
    """The platform marks an accepted transfer completed once the sender's case is closed as
    transferred (idempotent: a completed one is returned as it is)."""
    referral = _lock(referral)
    if referral.status == S.COMPLETED:
        return referral
    _require_status(referral, S.ACCEPTED)
    if referral.kind != ReferralKind.TRANSFER:
        raise ValidationError(_("Only a transfer is completed by closing the sender's case."))
    referral.status = S.COMPLETED
    referral.save(update_fields=["status", "updated_at"])
    everyone = _sender_side(referral) + _receiver_side(referral)
    _record(referral, E.COMPLETED, actor=None, acting_as="system", reason=note, notify=everyone)
    return referral


@transaction.atomic
def referral_mark_completed(
    *, referral: OrganisationReferral, actor: Actor, completed_on: date, note: str = ""
) -> OrganisationReferral:
    """The receiver says an accepted referral (not a transfer) was completed, on the day its
    officer enters: not in the future, not before the referral was sent. The sender's case
    record sheet follows (``referral_status_changed``)."""
    referral = _lock(referral)
    if not may_receive(actor, referral):
        raise NotAllowed(_("Only the receiving organisation's case workers complete it."))
    _require_status(referral, S.ACCEPTED)
    if referral.kind != ReferralKind.REFERRAL:
        raise ValidationError(_("A transfer is completed by closing the sender's case."))
    errors: dict[str, list[str]] = {}
    if completed_on is None:
        errors["completed_on"] = [_("Enter the day the referral was completed.")]
    elif completed_on > timezone.localdate():
        errors["completed_on"] = [_("The end date cannot be in the future.")]
    elif completed_on < timezone.localtime(referral.created_at).date():
        errors["completed_on"] = [_("The end date cannot be before the referral was sent.")]
    if errors:
        raise ValidationError(errors)
    referral.status = S.COMPLETED
    referral.completed_on = completed_on
    referral.save(update_fields=["status", "completed_on", "updated_at"])
    _record(
        referral,
        E.COMPLETED,
        actor=actor,
        acting_as="receiver",
        reason=note,
        notify=_sender_side(referral),
    )
    return referral


# --- the directory ------------------------------------------------------------------------------
@transaction.atomic
def organisation_services_set(
    *, organisation: Organisation, actor: Actor, services: Iterable[str]
) -> OrganisationServices:
    """The services the organisation receives referrals for (its admins say)."""
    if not _may(actor, Permission.MANAGE_SHARING, organisation):
        raise NotAllowed(_("Only the organisation's administrators set its services."))
    services = sorted(set(services))
    unknown = [s for s in services if s not in ReferralService.values]
    if unknown:
        raise ValidationError({"services": [_("Unknown services: %s") % ", ".join(unknown)]})
    row, _created = OrganisationServices.objects.update_or_create(
        organisation=organisation, defaults={"services": services}
    )
    return row

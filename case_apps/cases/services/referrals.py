"""Referrals on the case record sheet, for one or more reasons, and what came of them.

A referral to a service outside the platform is recorded here and its outcome entered by
the officer (``referral_complete``). A referral to an organisation with a workspace is ONE
record: the inter-organisation referral (sharing.services_referrals.referral_send, with the
consent and the scoped summary) and this sheet row linked to it
(``Referral.organisation_referral``), written together by
``case_apps.cases.transfers.referral_send_from_case``; its status then follows the receiver
(``referral_follow_receiver``, run in the sender's schema by a Celery task).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts, selectors
from case_apps.cases.models import CaseEvent, CaseRecord, Referral, ReferralStatus
from case_apps.cases.services.common import (
    CaseStateError,
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    case_record_remove,
    record_event,
    require_open,
)
from case_apps.outbox.services import outbox_retract_under
from shared_registry.plausibility import implausible_date
from tenants.actor import Actor
from tenants.models import Organisation
from tenants.policy import Permission


def referral_codes_check(
    *, actor_type: str, destination: str, reasons: Iterable[str]
) -> tuple[Codes, list[str]]:
    """The sheet's coded fields checked (errors collected, not raised) and the reasons
    without repeats, in the order given: at least one ``referral_reason`` code."""
    codes = Codes("referral_actor", "referral_destination", "referral_reason")
    codes.check("actor", "referral_actor", actor_type)
    codes.check("destination", "referral_destination", destination)
    reasons = list(dict.fromkeys(r.strip() for r in reasons or [] if r and r.strip()))
    if not reasons:
        codes.add("reasons", gettext("Choose at least one reason."))
    codes.check_many("reasons", "referral_reason", reasons)
    return codes, reasons


@transaction.atomic
def referral_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    actor_type: str,
    destination: str,
    reasons: Iterable[str],
    referred_on: date,
    destination_name: str = "",
) -> Referral:
    """Refer the child to a service outside the platform, for one or more reasons, on the
    case record sheet (the right to record cases)."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    codes, reasons = referral_codes_check(
        actor_type=actor_type, destination=destination, reasons=reasons
    )
    if referred_on > timezone.localdate():
        codes.add("referred_on", gettext("A referral cannot be dated in the future."))
    if problem := implausible_date(referred_on, case.child):
        codes.add("referred_on", problem)
    codes.raise_if_any()
    return _sheet_row_create(
        case=case,
        actor=actor,
        organisation=organisation,
        actor_type=actor_type,
        destination=destination,
        destination_name=destination_name,
        reasons=reasons,
        referred_on=referred_on,
    )


def _sheet_row_create(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation,
    actor_type: str,
    destination: str,
    destination_name: str,
    reasons: list[str],
    referred_on: date,
    organisation_referral=None,
) -> Referral:
    referral = Referral.objects.create(
        case=case,
        actor=actor_type,
        destination=destination,
        destination_name=destination_name,
        reasons=reasons,
        referred_on=referred_on,
        officer=actor.user,
        organisation_referral=organisation_referral,
    )
    record_event(case, actor, "referral_recorded", reason=describe(referral), on=referred_on)
    facts.referral_fact(case, organisation, referral)
    return referral


def referral_sheet_row_for_organisation(
    *,
    case: CaseRecord,
    actor: Actor,
    actor_type: str,
    destination: str,
    reasons: list[str],
    organisation_referral,
) -> Referral:
    """The sheet's row of a referral just sent to an organisation on the platform (inside
    ``referral_send_from_case``'s transaction; the codes checked by the caller): dated the
    day it is sent, named after the receiver. A repeat of the same send (the client's uuid)
    returns the row already written."""
    existing = Referral.objects.filter(organisation_referral=organisation_referral).first()
    if existing is not None:
        return existing
    return _sheet_row_create(
        case=case,
        actor=actor,
        organisation=actor.organisation,
        actor_type=actor_type,
        destination=destination,
        destination_name=organisation_referral.receiver.name[:200],
        reasons=reasons,
        referred_on=timezone.localdate(),
        organisation_referral=organisation_referral,
    )


def describe(referral: Referral) -> str:
    """A referral as the case history keeps it (codes, for the record)."""
    return (
        f"referral {referral.pk}: {referral.destination} ({', '.join(referral.reasons)}) "
        f"of {referral.referred_on}, {referral.status}"
    )


@transaction.atomic
def referral_complete(
    *, referral: Referral, actor: Actor, completed: bool, completed_on: date, outcome: str
) -> Referral:
    """Record what came of a referral (status PENDING -> COMPLETED / NOT_COMPLETED); the
    referral is read afresh as the actor (the right to record cases on its case) and the
    one given refreshed. A referral to an organisation on the platform is refused: its
    receiver says what came of it."""
    given, actor = referral, as_actor(actor)
    referral = selectors.referral_get(
        actor=actor, case_id=referral.case_id, referral_id=referral.pk
    )
    if referral.follows_receiver:
        raise CaseStateError(
            gettext("The receiving organisation records what came of this referral.")
        )
    if referral.status != ReferralStatus.PENDING:
        raise CaseStateError(gettext("This referral already has an outcome."))
    errors = {}
    if completed_on < referral.referred_on:
        errors["completed_on"] = [gettext("The outcome cannot be before the referral.")]
    if completed_on > timezone.localdate():
        errors["completed_on"] = [gettext("The outcome cannot be dated in the future.")]
    if not outcome.strip():
        errors["outcome"] = [gettext("Say what came of the referral.")]
    if errors:
        raise ValidationError(errors)
    referral.status = ReferralStatus.COMPLETED if completed else ReferralStatus.NOT_COMPLETED
    referral.completed_on, referral.outcome = completed_on, outcome.strip()
    referral.save(update_fields=["status", "completed_on", "outcome"])
    given.refresh_from_db()
    record_event(referral.case, actor, "referral_outcome", reason=outcome.strip(), on=completed_on)
    return referral


@transaction.atomic
def referral_delete(
    *, actor: Actor, case: CaseRecord | int, referral_id: int, reason: str
) -> Referral:
    """Remove a referral of the case record sheet recorded by mistake, not a referral to
    another organisation (``case_record_remove``; that one is withdrawn instead). Every
    fact of the referral (one per reason) is withdrawn."""
    seen = case_for(as_actor(actor), case, Permission.SUPERVISE_CASES)  # before saying more
    linked = Referral.objects.filter(
        pk=referral_id, organisation_referral__isnull=False, case=seen
    ).exists()
    if linked:
        raise CaseStateError(
            gettext("A referral to an organisation on the platform is withdrawn, not removed.")
        )
    removed = case_record_remove(
        actor=actor,
        case=case,
        model=Referral,
        record_id=referral_id,
        reason=reason,
        action="referral_deleted",
        fact_source="referral",
        describe=describe,
    )
    outbox_retract_under(f"case:{removed.case_id}:referral:{removed.pk}:")
    return removed


# --- following the receiver -------------------------------------------------------------------
# the sheet's status for each status of the inter-organisation referral
FOLLOWED_STATUS = {
    "pending": ReferralStatus.PENDING,
    "accepted": ReferralStatus.ACCEPTED,
    "declined": ReferralStatus.DECLINED,
    "withdrawn": ReferralStatus.WITHDRAWN,
    "completed": ReferralStatus.COMPLETED,
}


@transaction.atomic
def referral_follow_receiver(*, organisation_referral) -> Referral | None:
    """Bring the sheet's row of a referral to an organisation up to date with it, in the
    sender's schema (the Celery task of ``case_apps.cases.services.transfer_closure``):
    accepted; completed with the receiver's end date and note; declined or withdrawn with the
    reason, on the day it happened. Idempotent; None when the sheet has no such row."""
    referral = (
        Referral.objects.select_for_update()
        .filter(organisation_referral_id=organisation_referral.pk)
        .first()
    )
    status = FOLLOWED_STATUS.get(organisation_referral.status)
    if referral is None or status is None or referral.status == status:
        return referral
    event = organisation_referral.events.order_by("-occurred_at", "-id").first()
    reason = event.reason if event is not None else ""
    referral.status = status
    if status == ReferralStatus.COMPLETED:
        referral.completed_on = organisation_referral.completed_on
        referral.outcome = reason
    elif status in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        referral.completed_on = (
            timezone.localtime(event.occurred_at).date() if event else timezone.localdate()
        )
        referral.outcome = reason
    referral.save(update_fields=["status", "completed_on", "outcome"])
    CaseEvent.objects.create(
        case=referral.case,
        actor=(event.actor if event is not None else None) or organisation_referral.created_by,
        action="referral_followed",
        reason=(
            f"#{organisation_referral.pk} {organisation_referral.receiver.name}: {status}"
            + (f" ({reason})" if reason else "")
        )[:2000],
    )
    return referral

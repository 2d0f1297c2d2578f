"""Case management's side of referrals and transfers between organisations (issue 6).

The records live in ``public`` (sharing.models.OrganisationReferral); this module does what
needs a case: the receiver's acceptance opens its own case linked to the same registry person
(in the receiver's own request), and a completed transfer closes the sender's case as
transferred (closure reason COTR, status TRANSFERRED), run by a Celery task in the sender's
schema (case_apps/cases/tasks.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from case_apps.cases import facts, services
from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    CaseEvent,
    CaseRecord,
    CaseStage,
    CaseStatus,
    HowReported,
)
from case_apps.cases.services.referrals import (
    referral_codes_check,
    referral_sheet_row_for_organisation,
)
from sharing import services_referrals
from sharing.events import as_actor
from sharing.models import Consent, OrganisationReferral, ReferralKind
from tenants.actor import Actor
from tenants.models import Organisation
from tenants.schema import current_schema_name

TRANSFER_CLOSURE_REASON = "COTR"
# the record sheet's actor (referral_actor) and destination (referral_destination) of a
# referral to an organisation of each kind, when the officer does not choose them
SHEET_CODES_OF_KIND = {
    "dcs_county_office": ("RDSA", "RDCO"),
    "dcs_sub_county_office": ("RDSA", "RDSC"),
    "statutory_institution": ("RDSA", "RMRH"),
    "cci": ("RDNA", "RMCI"),
    "ip": ("RDNA", "RDNG"),
    "lip": ("RDNA", "RDNG"),
    "ngo": ("RDNA", "RDNG"),
}
REFERRED_BY_SERVICE_PROVIDER = "CRSP"  # reporter type "Service providers"


def referral_refused_for(case: CaseRecord) -> str:
    """Why no referral or transfer may be sent from ``case`` ('' when one may): a case must
    be open to refer its child."""
    if case.is_open:
        return ""
    return _("The case is %(s)s.") % {"s": case.get_status_display()}


@transaction.atomic
def referral_send_from_case(
    *,
    actor: Actor,
    case: CaseRecord,
    receiver: Organisation | None,
    kind: str,
    reason: str,
    services: Iterable[str],
    consent: Consent | None,
    fields: dict[str, Iterable[str]] | None,
    uuid: UUID | None = None,
    reasons: Iterable[str] = (),
    actor_type: str = "",
    destination: str = "",
    share_phone: bool = False,
) -> OrganisationReferral:
    """Refer or transfer the child of ``case`` (a case the actor sees, in the actor's
        workspace) to ``receiver``; refused while the case is not open. A referral is also the
        case record sheet's referral (one record): its ``reasons`` (referral_reason codes, at
        least one), ``actor_type`` and ``destination`` codes (by default those of the receiver's
    kind, ``SHEET_CODES_OF_KIND``) are checked with the rest, and the
        sheet's row is written linked to it, its status following the receiver. ``share_phone``:
        the receiver sees the officer's work phone. ``uuid``: the client's own, replayed as
        ``sharing.services_referrals.referral_send`` says (the sheet's row is not written
        twice)."""
    refusal = referral_refused_for(case)
    if refusal:
        raise ValidationError({"case_id": [refusal]})
    sheet = kind == ReferralKind.REFERRAL
    codes = None
    if sheet and receiver is not None:
        default_actor, default_destination = SHEET_CODES_OF_KIND.get(receiver.kind, ("", ""))
        actor_type = actor_type or default_actor
        destination = destination or default_destination
    if sheet:
        codes, reasons = referral_codes_check(
            actor_type=actor_type, destination=destination, reasons=reasons
        )
    errors = dict(codes.errors) if codes is not None else {}
    try:
        referral = services_referrals.referral_send(
            sender=actor.organisation,
            receiver=receiver,
            actor=actor,
            person=case.child,
            kind=kind,
            reason=reason,
            services=services,
            consent=consent,
            fields=fields,
            sender_case_id=case.pk,
            sender_case_reference=case.national_reference,
            uuid=uuid,
            reasons=reasons if sheet else (),
            sender_phone=as_actor(actor).user.phone if share_phone else "",
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
        raise ValidationError(errors) from None
    if errors:
        raise ValidationError(errors)
    if sheet:
        referral_sheet_row_for_organisation(
            case=case,
            actor=actor,
            actor_type=actor_type,
            destination=destination,
            reasons=reasons,
            organisation_referral=referral,
        )
    return referral


@transaction.atomic
def referral_accept_and_open_case(
    *,
    organisation: Organisation,
    referral: OrganisationReferral,
    actor: Actor,
    category_code: str,
    risk_level: str,
    notes: str = "",
) -> CaseRecord:
    """The receiver accepts: its own case record sheet for the same registry person, then the
    acceptance, in one transaction (a refused acceptance leaves no case). A transfer then
    closes the sender's case, after the commit."""
    if referral.receiver_id != organisation.pk or current_schema_name() != (
        organisation.schema_name
    ):
        raise RuntimeError("A referral is accepted inside the receiver's own workspace.")
    # The referral's row first, before opening the case writes the audit log (whose chain
    # lock comes last): a decline of the same referral takes the locks in the same order.
    referral = services_referrals.referral_lock(referral)
    if not services_referrals.may_receive(actor, referral):
        raise services_referrals.NotAllowed(_("Only the receiving organisation accepts."))
    if not referral.is_pending:
        raise ValidationError(_("This referral is no longer waiting for a decision."))
    narrative = _("%(kind)s from %(sender)s (their case %(ref)s, referral #%(n)s): %(reason)s") % {
        "kind": referral.get_kind_display().split(" (")[0],
        "sender": referral.sender.name,
        "ref": referral.sender_case_reference,
        "n": referral.pk,
        "reason": referral.reason,
    } + (f"\n{notes.strip()}" if notes.strip() else "")
    case = services.case_open(
        organisation=organisation,
        actor=as_actor(actor),
        child=referral.person,
        date_reported=timezone.localdate(),
        how_reported=HowReported.REFERRAL,
        reporter_type=REFERRED_BY_SERVICE_PROVIDER,
        reporter_name=referral.sender.name[:200],
        risk_level=risk_level,
        categories=[services.CategoryInput(category_code=category_code)],
        narrative=narrative,
        transferred_in=referral.kind == ReferralKind.TRANSFER,  # not a new case nationally
    )
    services_referrals.referral_accept(
        referral=referral,
        actor=actor,
        receiver_case_id=case.pk,
        receiver_case_reference=case.national_reference,
        reason=notes,
    )
    CaseEvent.objects.create(
        case=case,
        actor=as_actor(actor).user,
        action="referral_accepted",
        reason=f"#{referral.pk} {referral.sender.name} {referral.sender_case_reference}",
    )
    if referral.kind == ReferralKind.TRANSFER:
        schedule_transfer_closure(referral)
    return case


def schedule_referral_follow(referral: OrganisationReferral) -> None:
    """After the commit, bring the sender's case record sheet up to date with the referral
    in the sender's schema (the Celery task carries that schema in its headers, as for the
    transfer closure below): the receiver's steps run in the receiver's schema."""
    from case_apps.cases.tasks import follow_organisation_referral

    if referral.kind != ReferralKind.REFERRAL:
        return
    referral_id, schema = referral.pk, referral.sender.schema_name
    transaction.on_commit(
        lambda: follow_organisation_referral.apply_async(
            args=[referral_id], headers={"_schema_name": schema}
        )
    )


def referral_status_followed(sender, referral: OrganisationReferral, **kwargs) -> None:
    """The receiver of ``sharing.events.referral_status_changed`` (connected by the app's
    config): every step of a referral is followed on the sender's case record sheet."""
    schedule_referral_follow(referral)


def schedule_transfer_closure(referral: OrganisationReferral) -> None:
    """After the commit, close the sender's case in the sender's schema (the Celery task
    carries that schema in its headers, as tenant_schemas_celery does for every task)."""
    from case_apps.cases.tasks import close_transferred_case

    referral_id, schema = referral.pk, referral.sender.schema_name
    transaction.on_commit(
        lambda: close_transferred_case.apply_async(
            args=[referral_id], headers={"_schema_name": schema}
        )
    )


@transaction.atomic
def case_close_transferred(
    *, organisation: Organisation, referral: OrganisationReferral
) -> CaseRecord | None:
    """Close the sender's case as transferred (COTR) and mark the transfer completed; runs in
    the sender's schema. Idempotent: a case already closed is left as it is."""
    if referral.sender_id != organisation.pk or current_schema_name() != (organisation.schema_name):
        raise RuntimeError("The sender's case is closed inside the sender's own schema.")
    referral = services_referrals.referral_lock(referral)  # the lock order: referral, case, chain
    case = CaseRecord.objects.select_for_update().filter(pk=referral.sender_case_id).first()
    note = _("Transferred to %(org)s (their case %(ref)s, transfer #%(n)s).") % {
        "org": referral.receiver.name,
        "ref": referral.receiver_case_reference,
        "n": referral.pk,
    }
    if case is not None and case.is_open:
        before = case.status
        ApprovalRequest.objects.filter(
            case=case, kind=ApprovalKind.CLOSURE, status=ApprovalStatus.PENDING
        ).update(
            status=ApprovalStatus.REJECTED,
            decided_at=timezone.now(),
            decision_reason=_("Superseded: the child was transferred."),
        )
        CaseRecord.objects.filter(pk=case.pk).update(
            status=CaseStatus.TRANSFERRED,
            closure_reason=TRANSFER_CLOSURE_REASON,
            closure_notes=note,
            closed_at=timezone.now(),
            # the day the receiver took the child on (this runs right after the acceptance)
            closed_on=timezone.localdate(),
            stage=CaseStage.CLOSED,
            version=F("version") + 1,
        )
        case.refresh_from_db()
        CaseEvent.objects.create(
            case=case,
            actor=referral.created_by,
            action="transferred",
            from_status=before,
            to_status=CaseStatus.TRANSFERRED,
            reason=note,
        )
        facts.closure_fact(case, organisation)  # a transfer out, not a closure
    services_referrals.referral_complete(referral=referral, note=note)
    return case

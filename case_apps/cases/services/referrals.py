"""Referrals on the case record sheet to a service, and what came of them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts, selectors
from case_apps.cases.models import CaseRecord, Referral, ReferralStatus
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
from shared_registry.plausibility import implausible_date
from tenants.actor import Actor
from tenants.models import Organisation


@transaction.atomic
def referral_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    actor_type: str,
    destination: str,
    reason: str,
    referred_on: date,
    destination_name: str = "",
) -> Referral:
    """Refer the child to a service, on the case record sheet (the right to record cases)."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    codes = Codes("referral_actor", "referral_destination", "referral_reason")
    codes.check("actor", "referral_actor", actor_type)
    codes.check("destination", "referral_destination", destination)
    codes.check("reason", "referral_reason", reason)
    if referred_on > timezone.localdate():
        codes.add("referred_on", gettext("A referral cannot be dated in the future."))
    if problem := implausible_date(referred_on, case.child):
        codes.add("referred_on", problem)
    codes.raise_if_any()
    referral = Referral.objects.create(
        case=case,
        actor=actor_type,
        destination=destination,
        destination_name=destination_name,
        reason=reason,
        referred_on=referred_on,
        officer=actor.user,
    )
    facts.referral_fact(case, organisation, referral)
    record_event(case, actor, "referral_recorded", reason=f"{referral.pk} {reason}", on=referred_on)
    return referral


@transaction.atomic
def referral_complete(
    *, referral: Referral, actor: Actor, completed: bool, completed_on: date, outcome: str
) -> Referral:
    """Record what came of a referral (status PENDING -> COMPLETED / NOT_COMPLETED); the
    referral is read afresh as the actor (the right to record cases on its case) and the
    one given refreshed."""
    given, actor = referral, as_actor(actor)
    referral = selectors.referral_get(
        actor=actor, case_id=referral.case_id, referral_id=referral.pk
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
    another organisation (``case_record_remove``)."""
    return case_record_remove(
        actor=actor,
        case=case,
        model=Referral,
        record_id=referral_id,
        reason=reason,
        action="referral_deleted",
        fact_source="referral",
        describe=lambda referral: (
            f"referral {referral.pk}: {referral.destination} ({referral.reason}) "
            f"of {referral.referred_on}, {referral.status}"
        ),
    )

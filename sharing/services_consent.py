"""Writes of consent records: record, change (a new version), withdraw.

A consent is a record, not a checkbox: who gave it (the child where old enough, a parent or
caregiver, or a court order as the legal basis), for what purpose and which data, from when
until when. Changing it records a new version that supersedes the old one (kept and shown);
withdrawing it stops the sharing that relied on it: consent-based agreements stop covering
the child on the next request (sharing.selectors.person_in_scope) and pending referrals that
relied on it are withdrawn with their summary erased.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_registry.models import Person
from sharing.events import NotAllowed, as_actor
from sharing.models import Consent, ConsentGiver, OrganisationReferral, ReferralStatus
from sharing.services import _clean_scope
from tenants.actor import Actor
from tenants.client_ids import replay
from tenants.models import Organisation
from tenants.policy import Permission, may_for_organisation

MIN_AGE_TO_CONSENT = 12  # younger children's consent is given by a parent, caregiver or court


def _age(person: Person, on: datetime.date) -> int | None:
    if person.date_of_birth:
        born = person.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if person.birth_year:
        return on.year - person.birth_year
    return None


def _validate(
    *,
    person: Person,
    given_by: str,
    giver_name: str,
    giver_relationship: str,
    reference: str,
    purpose: str,
    scope: dict[str, Iterable[str]],
    given_on: datetime.date | None,
    valid_until: datetime.date | None,
) -> dict[str, list[str]]:
    """Every problem, per field (the cleaned scope under the key ``_scope``)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    today = timezone.localdate()
    if given_by not in ConsentGiver.values:
        add("given_by", _("Say who gave the consent."))
    if not giver_name.strip():
        add("giver_name", _("Give the name of the person (or the court) who gave it."))
    if given_by in (ConsentGiver.PARENT, ConsentGiver.CAREGIVER) and not giver_relationship.strip():
        add("giver_relationship", _("Give their relationship to the child."))
    if given_by == ConsentGiver.COURT_ORDER and not reference.strip():
        add("reference", _("Give the court order's number."))
    if given_by == ConsentGiver.CHILD:
        age = _age(person, given_on or today)
        if age is not None and age < MIN_AGE_TO_CONSENT:
            add(
                "given_by",
                _(
                    "A child under %(age)s does not consent alone: record the consent of a "
                    "parent or caregiver, or a court order."
                )
                % {"age": MIN_AGE_TO_CONSENT},
            )
    if not purpose.strip():
        add("purpose", _("Say for what purpose the data may be shared."))
    try:
        errors["_scope"] = _clean_scope(scope)  # type: ignore[assignment]
    except ValidationError as error:
        for message in error.message_dict.get("scope", error.messages):
            add("scope", message)
    if given_on is None:
        add("given_on", _("Give the date the consent was given."))
    elif given_on > today:
        add("given_on", _("A consent cannot be given in the future."))
    if valid_until is None:
        add("valid_until", _("Give the date until which it is valid."))
    elif given_on and valid_until < given_on:
        add("valid_until", _("The end is before the date it was given."))
    elif valid_until < today:
        add("valid_until", _("That date has passed: the consent would never be in force."))
    return errors


def _check(errors: dict) -> dict[str, list[str]]:
    scope = errors.pop("_scope", None)
    if errors:
        raise ValidationError(errors)
    return scope


def _require_recorder(actor: Actor, organisation: Organisation) -> None:
    actor = as_actor(actor)
    if not may_for_organisation(
        actor.user,
        Permission.RECORD_CASES,
        organisation,
        acting_in=actor.organisation,
        membership=actor.membership,
    ):
        raise NotAllowed(_("Only members who record cases in the organisation record consent."))


def _stored(
    *,
    person: Person,
    given_by: str,
    giver_name: str,
    giver_relationship: str,
    reference: str,
    purpose: str,
    scope: dict[str, list[str]],
    given_on: datetime.date | None,
    valid_until: datetime.date | None,
) -> dict[str, Any]:
    """A consent version's values as they are stored (what a replay compares)."""
    return {
        "person_id": person.pk,
        "given_by": given_by,
        "giver_name": giver_name.strip(),
        "giver_relationship": giver_relationship.strip(),
        "reference": reference.strip(),
        "purpose": purpose.strip(),
        "scope": scope,
        "given_on": given_on,
        "valid_until": valid_until,
    }


@transaction.atomic
def consent_record(
    *,
    organisation: Organisation,
    person: Person,
    actor: Actor,
    given_by: str,
    giver_name: str,
    purpose: str,
    scope: dict[str, Iterable[str]],
    given_on: datetime.date | None,
    valid_until: datetime.date | None,
    giver_relationship: str = "",
    reference: str = "",
    uuid: UUID | None = None,
) -> Consent:
    """Record a consent (its first version). With the client's ``uuid``, a repeat returns
    the consent it recorded (tenants/client_ids.py)."""
    _require_recorder(actor, organisation)
    if person.merged_into_id:
        raise ValidationError(_("This registry person was merged into another one."))
    cleaned = _check(
        _validate(
            person=person,
            given_by=given_by,
            giver_name=giver_name,
            giver_relationship=giver_relationship,
            reference=reference,
            purpose=purpose,
            scope=scope,
            given_on=given_on,
            valid_until=valid_until,
        )
    )
    values = _stored(
        person=person,
        given_by=given_by,
        giver_name=giver_name,
        giver_relationship=giver_relationship,
        reference=reference,
        purpose=purpose,
        scope=cleaned,
        given_on=given_on,
        valid_until=valid_until,
    )
    mine = Consent.objects.filter(organisation=organisation, version=1)
    if existing := replay(mine, uuid, values):
        return existing
    extra = {"uuid": uuid} if uuid else {}
    return Consent.objects.create(
        organisation=organisation, recorded_by=as_actor(actor).user, **values, **extra
    )


def _lock(consent: Consent) -> Consent:
    return Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)


def _require_current(consent: Consent) -> None:
    if consent.withdrawn_at or consent.superseded_at:
        raise ValidationError(
            _("This version was already %(state)s.")
            % {"state": _("withdrawn") if consent.withdrawn_at else _("replaced")}
        )


def _summary_covered(referral: OrganisationReferral, consent: Consent) -> bool:
    return all(
        consent.covers(kind, part.get("fields", [])) for kind, part in referral.summary.items()
    )


def _stop_pending_referrals(consent: Consent, *, actor: Actor, reason: str) -> int:
    """Pending referrals that relied on this consent are withdrawn and their summary erased."""
    from sharing.services_referrals import referral_withdraw_for_consent

    pending = OrganisationReferral.objects.select_for_update().filter(
        consent__series=consent.series, status=ReferralStatus.PENDING
    )
    for referral in pending:
        referral_withdraw_for_consent(referral=referral, actor=actor, reason=reason)
    return len(pending)


@transaction.atomic
def consent_change(
    *,
    consent: Consent,
    actor: Actor,
    given_by: str,
    giver_name: str,
    purpose: str,
    scope: dict[str, Iterable[str]],
    given_on: datetime.date | None,
    valid_until: datetime.date | None,
    giver_relationship: str = "",
    reference: str = "",
    uuid: UUID | None = None,
) -> Consent:
    """Record a new version of a consent (with the client's ``uuid``, a repeat returns the
    version it recorded); the old one is kept, marked as replaced. Pending
    referrals that relied on it move to the new version when it still covers their summary,
    and are withdrawn otherwise."""
    consent = _lock(consent)
    _require_recorder(actor, consent.organisation)
    cleaned = _check(
        _validate(
            person=consent.person,
            given_by=given_by,
            giver_name=giver_name,
            giver_relationship=giver_relationship,
            reference=reference,
            purpose=purpose,
            scope=scope,
            given_on=given_on,
            valid_until=valid_until,
        )
    )
    values = _stored(
        person=consent.person,
        given_by=given_by,
        giver_name=giver_name,
        giver_relationship=giver_relationship,
        reference=reference,
        purpose=purpose,
        scope=cleaned,
        given_on=given_on,
        valid_until=valid_until,
    )
    following = Consent.objects.filter(series=consent.series, version=consent.version + 1)
    if existing := replay(following, uuid, values):
        return existing
    _require_current(consent)
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(superseded_at=now)
    extra = {"uuid": uuid} if uuid else {}
    new = Consent.objects.create(
        series=consent.series,
        version=consent.version + 1,
        organisation=consent.organisation,
        recorded_by=as_actor(actor).user,
        recorded_at=now,
        **values,
        **extra,
    )
    from sharing.services_referrals import referral_move_consent, referral_withdraw_for_consent

    today = timezone.localdate()
    for referral in OrganisationReferral.objects.select_for_update().filter(
        consent=consent, status=ReferralStatus.PENDING
    ):
        if new.in_force_on(today) and _summary_covered(referral, new):
            referral_move_consent(referral=referral, consent=new, actor=actor)
        else:
            referral_withdraw_for_consent(
                referral=referral,
                actor=actor,
                reason=_("The consent it relied on changed and no longer covers it."),
            )
    return new


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: Actor, reason: str) -> Consent:
    """Withdraw a consent: sharing that relied on it stops from the next request."""
    consent = _lock(consent)
    _require_recorder(actor, consent.organisation)
    _require_current(consent)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why (for example who withdrew it).")]})
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = as_actor(actor).user
    consent.withdrawal_reason = reason.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    _stop_pending_referrals(
        consent, actor=actor, reason=_("The consent it relied on was withdrawn.")
    )
    return consent

"""Writes of governed sharing: an agreement's life from draft to expiry, with notifications.

Every transition checks who may take it (tenants.policy), records an AgreementEvent (who,
when, why) and emails those concerned. Revocation and expiry take effect on the next
request: the gateway reads the agreement on every call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sharing.events import (
    EventLog,
    NotAllowed,
    as_actor,
    event_mail_send,
    member_emails,
    require_reason,
    require_status,
)
from sharing.models import (
    IN_FORCE_STATUSES,
    AgreementEvent,
    AgreementEventKind,
    AgreementStatus,
    DataSharingAgreement,
    PersonsMode,
)
from sharing.registry import record_kind_get
from tenants.actor import Actor
from tenants.client_ids import replay
from tenants.models import Organisation, User
from tenants.policy import (
    Permission,
    agreement_approver_roles,
    may_for_organisation,
    sharing_manager_roles,
)

__all__ = ["NotAllowed", "event_mail_send"]  # kept importable from here for older callers

S = AgreementStatus
E = AgreementEventKind
MAX_DAYS = 3 * 366  # an agreement runs three years at most, then is renewed
MAX_NAMED_PERSONS = 500  # an agreement naming more persons is better made by mode


# --- who may ------------------------------------------------------------------------------------
def may_manage_for(actor: Actor, organisation: Organisation) -> bool:
    """Whether ``actor`` manages ``organisation``'s agreements (policy: MANAGE_SHARING)."""
    actor = as_actor(actor)
    return may_for_organisation(
        actor.user,
        Permission.MANAGE_SHARING,
        organisation,
        acting_in=actor.organisation,
        membership=actor.membership,
    )


def may_approve(actor: Actor) -> bool:
    return as_actor(actor).may(Permission.APPROVE_SHARING)


def acting_side(actor: Actor, agreement: DataSharingAgreement) -> str:
    """The side ``actor`` may revoke for: requester, provider, dcs, or ''."""
    if may_manage_for(actor, agreement.requester):
        return "requester"
    if may_manage_for(actor, agreement.provider):
        return "provider"
    if may_approve(actor):
        return "dcs"
    return ""


# --- validation ---------------------------------------------------------------------------------
def _clean_scope(scope: dict[str, Iterable[str]]) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    unknown = []
    for kind, fields in (scope or {}).items():
        record_kind = record_kind_get(kind)
        if record_kind is None:
            unknown.append(kind)
            continue
        wanted = [f for f in record_kind.fields if f in set(fields)]
        unknown += [f"{kind}.{f}" for f in fields if f not in record_kind.fields]
        if wanted:
            cleaned[kind] = wanted
    if unknown:
        raise ValidationError({"scope": f"Not shareable: {', '.join(sorted(unknown))}."})
    if not cleaned:
        raise ValidationError({"scope": "Choose at least one field to share."})
    return cleaned


def _validate(
    *,
    requester: Organisation,
    provider: Organisation,
    persons_mode: str,
    person_ids: list[int],
    purpose: str,
    legal_basis: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> None:
    errors: dict[str, str] = {}
    if provider is None:
        errors["provider"] = "Choose the organisation that holds the data."
    elif provider.pk == requester.pk:
        errors["provider"] = "An organisation does not need an agreement with itself."
    elif not provider.is_active:
        errors["provider"] = "That organisation is not active."
    if persons_mode not in PersonsMode.values:
        errors["persons_mode"] = "Choose which persons the agreement covers."
    elif persons_mode == PersonsMode.NAMED and not person_ids:
        errors["person_ids"] = "Name at least one person."
    elif persons_mode == PersonsMode.NAMED and len(person_ids) > MAX_NAMED_PERSONS:
        errors["person_ids"] = f"At most {MAX_NAMED_PERSONS} persons."
    if not purpose.strip():
        errors["purpose"] = "Say why the data is needed."
    if not legal_basis.strip():
        errors["legal_basis"] = "Give the legal basis (consent, court order, the law)."
    if start_date is None:
        errors["start_date"] = "Give a start date."
    if end_date is None:
        errors["end_date"] = "Give an end date."
    if start_date and end_date:
        if end_date < start_date:
            errors["end_date"] = "The end date is before the start date."
        elif (end_date - start_date).days > MAX_DAYS:
            errors["end_date"] = "An agreement runs at most three years."
        elif end_date < timezone.localdate():
            errors["end_date"] = "The end date has passed."
    if errors:
        raise ValidationError(errors)


# --- notifications ------------------------------------------------------------------------------
def _admins_of(organisation: Organisation) -> list[str]:
    return member_emails(organisation, sharing_manager_roles())


def _approvers() -> list[str]:
    return list(
        User.objects.filter(
            is_active=True, platform_roles__overlap=agreement_approver_roles()
        ).values_list("email", flat=True)
    )


def _notify(agreement: DataSharingAgreement, event: AgreementEvent, recipients: list[str]) -> None:
    event_mail_send(
        subject=(
            f"Data sharing agreement #{agreement.pk} ({agreement.provider.name} to "
            f"{agreement.requester.name}): {event.get_kind_display().lower()}"
        ),
        event=event,
        status=agreement.get_status_display(),
        details=(
            f"Period: {agreement.start_date:%d %b %Y} to {agreement.end_date:%d %b %Y}.\n"
            "Sign in to CPIMS to see the agreement and its history.\n"
        ),
        recipients=recipients,
    )


_events = EventLog(AgreementEvent, "agreement", _notify)
_record = _events.record


def _everyone(agreement: DataSharingAgreement) -> list[str]:
    return _admins_of(agreement.requester) + _admins_of(agreement.provider) + _approvers()


def _lock(agreement: DataSharingAgreement) -> DataSharingAgreement:
    return (
        DataSharingAgreement.objects.select_for_update()
        .select_related("requester", "provider")
        .get(pk=agreement.pk)
    )


def _require_status(agreement: DataSharingAgreement, *statuses: str) -> None:
    require_status(
        agreement.status,
        statuses,
        f"Agreement #{agreement.pk} is {agreement.get_status_display().lower()}; "
        "this step is not possible now.",
    )


_require_reason = require_reason


# --- transitions --------------------------------------------------------------------------------
@transaction.atomic
def agreement_request(
    *,
    requester: Organisation,
    provider: Organisation | None,
    actor: Actor,
    scope: dict[str, Iterable[str]],
    persons_mode: str,
    person_ids: Iterable[int] = (),
    purpose: str,
    legal_basis: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    submit: bool = True,
    consent_based: bool = False,
    uuid: UUID | None = None,
) -> DataSharingAgreement:
    """The requester's organisation admin drafts an agreement (and by default submits it).
    ``consent_based``: its legal basis is consent, so it covers a person only while a consent
    in force covers what it shares (sharing.selectors.person_in_scope). With the client's
    ``uuid``, a repeat returns the agreement it requested (tenants/client_ids.py)."""
    if not may_manage_for(actor, requester):
        raise NotAllowed("Only the requesting organisation's administrators request data.")
    person_ids = sorted({int(p) for p in person_ids})
    errors: dict[str, list[str]] = {}
    try:
        cleaned = _clean_scope(scope)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        _validate(
            requester=requester,
            provider=provider,
            persons_mode=persons_mode,
            person_ids=person_ids,
            purpose=purpose,
            legal_basis=legal_basis,
            start_date=start_date,
            end_date=end_date,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    values = {
        "provider_id": provider.pk,
        "scope": cleaned,
        "persons_mode": persons_mode,
        "person_ids": person_ids if persons_mode == PersonsMode.NAMED else [],
        "purpose": purpose.strip(),
        "legal_basis": legal_basis.strip(),
        "start_date": start_date,
        "end_date": end_date,
        "consent_based": bool(consent_based),
    }
    mine = DataSharingAgreement.objects.filter(requester=requester)
    if existing := replay(mine, uuid, values):
        return existing
    extra = {"uuid": uuid} if uuid else {}
    agreement = DataSharingAgreement.objects.create(
        requester=requester, created_by=as_actor(actor).user, **values, **extra
    )
    _record(agreement, E.CREATED, actor=actor, acting_as="requester")
    if submit:
        agreement = agreement_submit(agreement=agreement, actor=actor)
    return agreement


@transaction.atomic
def agreement_submit(*, agreement: DataSharingAgreement, actor: Actor) -> DataSharingAgreement:
    agreement = _lock(agreement)
    if not may_manage_for(actor, agreement.requester):
        raise NotAllowed("Only the requesting organisation's administrators submit a request.")
    _require_status(agreement, S.DRAFT)
    agreement.status = S.SUBMITTED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        E.SUBMITTED,
        actor=actor,
        acting_as="requester",
        notify=_admins_of(agreement.provider),
    )
    return agreement


@transaction.atomic
def agreement_accept(
    *, agreement: DataSharingAgreement, actor: Actor, reason: str = ""
) -> DataSharingAgreement:
    """The provider's organisation admin agrees; the request goes to DCS headquarters."""
    agreement = _lock(agreement)
    if not may_manage_for(actor, agreement.provider):
        raise NotAllowed("Only the providing organisation's administrators accept a request.")
    _require_status(agreement, S.SUBMITTED)
    agreement.status = S.ACCEPTED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        E.ACCEPTED,
        actor=actor,
        acting_as="provider",
        reason=reason,
        notify=_admins_of(agreement.requester) + _approvers(),
    )
    return agreement


@transaction.atomic
def agreement_decline(
    *, agreement: DataSharingAgreement, actor: Actor, reason: str
) -> DataSharingAgreement:
    agreement = _lock(agreement)
    if not may_manage_for(actor, agreement.provider):
        raise NotAllowed("Only the providing organisation's administrators decline a request.")
    _require_status(agreement, S.SUBMITTED)
    _require_reason(reason)
    agreement.status = S.DECLINED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        E.DECLINED,
        actor=actor,
        acting_as="provider",
        reason=reason,
        notify=_admins_of(agreement.requester),
    )
    return agreement


@transaction.atomic
def agreement_approve(
    *,
    agreement: DataSharingAgreement,
    actor: Actor,
    reason: str = "",
    today: datetime.date | None = None,
) -> DataSharingAgreement:
    """DCS headquarters approves; the agreement is in force from its start date."""
    agreement = _lock(agreement)
    if not may_approve(actor):
        raise NotAllowed("Only DCS headquarters' sharing approvers approve agreements.")
    _require_status(agreement, S.ACCEPTED)
    today = today or timezone.localdate()
    if agreement.end_date < today:
        raise ValidationError("The agreement's end date has passed; it cannot be approved.")
    agreement.status = S.APPROVED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        E.APPROVED,
        actor=actor,
        acting_as="dcs",
        reason=reason,
        notify=_admins_of(agreement.requester) + _admins_of(agreement.provider),
    )
    if agreement.start_date <= today:
        _activate(agreement)
    return agreement


@transaction.atomic
def agreement_reject(
    *, agreement: DataSharingAgreement, actor: Actor, reason: str
) -> DataSharingAgreement:
    agreement = _lock(agreement)
    if not may_approve(actor):
        raise NotAllowed("Only DCS headquarters' sharing approvers reject agreements.")
    _require_status(agreement, S.ACCEPTED)
    _require_reason(reason)
    agreement.status = S.REJECTED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        E.REJECTED,
        actor=actor,
        acting_as="dcs",
        reason=reason,
        notify=_admins_of(agreement.requester) + _admins_of(agreement.provider),
    )
    return agreement


@transaction.atomic
def agreement_revoke(
    *, agreement: DataSharingAgreement, actor: Actor, reason: str
) -> DataSharingAgreement:
    """Either side or DCS headquarters ends an agreement (or withdraws a pending request);
    the gateway refuses from the next request on."""
    agreement = _lock(agreement)
    side = acting_side(actor, agreement)
    if not side:
        raise NotAllowed("Only the two organisations' administrators or DCS revoke.")
    _require_status(agreement, S.DRAFT, S.SUBMITTED, S.ACCEPTED, *IN_FORCE_STATUSES)
    _require_reason(reason)
    agreement.status = S.REVOKED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        E.REVOKED,
        actor=actor,
        acting_as=side,
        reason=reason,
        notify=_everyone(agreement),
    )
    return agreement


def _activate(agreement: DataSharingAgreement) -> None:
    agreement.status = S.ACTIVE
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        E.ACTIVATED,
        actor=None,
        acting_as="system",
        notify=_admins_of(agreement.requester) + _admins_of(agreement.provider),
    )


@transaction.atomic
def agreements_refresh(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily run (Celery beat): approved agreements whose start date came are put in
    force; agreements past their end date expire; pending requests past it lapse too."""
    today = today or timezone.localdate()
    counts = {"activated": 0, "expired": 0}
    due = DataSharingAgreement.objects.select_for_update(skip_locked=True).select_related(
        "requester", "provider"
    )
    for agreement in due.filter(end_date__lt=today).exclude(
        status__in=[S.DECLINED, S.REJECTED, S.REVOKED, S.EXPIRED]
    ):
        agreement.status = S.EXPIRED
        agreement.save(update_fields=["status", "updated_at"])
        _record(agreement, E.EXPIRED, actor=None, acting_as="system", notify=_everyone(agreement))
        counts["expired"] += 1
    for agreement in due.filter(status=S.APPROVED, start_date__lte=today, end_date__gte=today):
        _activate(agreement)
        counts["activated"] += 1
    return counts

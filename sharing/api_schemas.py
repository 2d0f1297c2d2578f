"""The sharing API's schemas (django-ninja): what goes in and out of the agreement, consent,
referral, shared-record and console endpoints (sharing/api.py assembles them)."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema

from sharing import (
    selectors,
)
from sharing.models import (
    AgreementEvent,
    Consent,
    DataSharingAgreement,
    OrganisationReferral,
    PersonsMode,
    ReferralEvent,
)
from sharing.services import MAX_NAMED_PERSONS
from tenants.api_input import (
    ClientUuid,
    CpimsId,
    Reason,
    RecordId,
    Scope,
    Slug,
    model_text,
)


# --- schemas ------------------------------------------------------------------------------------
class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """A refused input: the message names each field (ninja's own checks give a list)."""

    detail: str | list[dict[str, Any]]


class RefusedOut(Schema):
    """The gateway refused the read: ``reason`` is its code (no_agreement, field_not_shared,
    person_out_of_scope, not_allowed, unknown_kind, unknown_field, nothing_shared)."""

    detail: str
    reason: str


class EventOut(Schema):
    kind: str
    status_after: str
    actor_email: str
    acting_as: str
    reason: str
    occurred_at: datetime.datetime


class _AgreementFields(Schema):
    id: int
    uuid: UUID
    requester: str
    provider: str
    status: str
    scope: dict[str, list[str]]
    persons_mode: str
    consent_based: bool
    purpose: str
    legal_basis: str
    start_date: datetime.date
    end_date: datetime.date
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_requester(agreement: DataSharingAgreement) -> str:
        return agreement.requester.slug

    @staticmethod
    def resolve_provider(agreement: DataSharingAgreement) -> str:
        return agreement.provider.slug


class AgreementOut(_AgreementFields):
    direction: str  # outgoing: your organisation requested it; incoming: asked of it

    @staticmethod
    def resolve_direction(agreement: DataSharingAgreement, context) -> str:
        mine = context["request"].organisation.pk
        return "outgoing" if agreement.requester_id == mine else "incoming"


DCS_HEADQUARTERS = "DCS headquarters"


class AgreementEventOut(EventOut):
    """An agreement's step: the officer who took it by name (``actor_name``) and the
    organisation they acted for (``actor_organisation``; DCS headquarters for approvers,
    empty for the platform's own steps). No e-mail address: ``actor_email`` is kept empty,
    the other organisation's officers' addresses are not the caller's to know (issue 16)."""

    actor_name: str
    actor_organisation: str

    @staticmethod
    def resolve_actor_email(event: AgreementEvent) -> str:
        return ""

    @staticmethod
    def resolve_actor_name(event: AgreementEvent) -> str:
        return event.actor.full_name if event.actor is not None else ""

    @staticmethod
    def resolve_actor_organisation(event: AgreementEvent) -> str:
        agreement = event.agreement
        side = {
            "requester": agreement.requester.name,
            "provider": agreement.provider.name,
            "dcs": DCS_HEADQUARTERS,
        }
        return side.get(event.acting_as, "")


class _AgreementHistory(Schema):
    person_cpims_ids: list[str]
    events: list[AgreementEventOut]

    @staticmethod
    def resolve_person_cpims_ids(agreement: DataSharingAgreement) -> list[str]:
        if agreement.persons_mode != PersonsMode.NAMED:
            return []
        return [p.cpims_id for p in selectors.persons_named(agreement)]

    @staticmethod
    def resolve_events(agreement: DataSharingAgreement) -> list[AgreementEvent]:
        return list(
            AgreementEvent.objects.filter(agreement=agreement)
            .select_related("actor", "agreement__requester", "agreement__provider")
            .order_by("pk")
        )


class AgreementDetailOut(AgreementOut, _AgreementHistory):
    """An agreement with its named persons and its history."""


class ConsoleAgreementOut(_AgreementFields, _AgreementHistory):
    """An agreement as DCS headquarters sees it (both sides are others)."""


class AgreementIn(Schema):
    provider: Slug  # the providing organisation's slug
    scope: Scope  # {record kind: [fields]}
    persons_mode: str = model_text(DataSharingAgreement, "persons_mode", PersonsMode.NAMED)
    person_cpims_ids: list[CpimsId] = Field([], max_length=MAX_NAMED_PERSONS)
    purpose: str = model_text(DataSharingAgreement, "purpose")
    legal_basis: str = model_text(DataSharingAgreement, "legal_basis")
    start_date: datetime.date
    end_date: datetime.date
    consent_based: bool = False
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this request: a repeat with the same uuid and "
        "content answers 200 with the agreement and writes nothing; the same uuid with other "
        "content is a 422 naming uuid.",
    )


class ReasonIn(Schema):
    reason: Reason = ""


class CompleteIn(Schema):
    completed_on: datetime.date  # the day the referral was completed (not in the future)
    note: Reason = ""  # what came of it, for the sender


class ConsentIn(Schema):
    given_by: str = model_text(Consent, "given_by")
    giver_name: str = model_text(Consent, "giver_name")
    giver_relationship: str = model_text(Consent, "giver_relationship", "")
    reference: str = model_text(Consent, "reference", "")
    purpose: str = model_text(Consent, "purpose")
    scope: Scope
    given_on: datetime.date
    valid_until: datetime.date
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this consent (version): a repeat with the same "
        "uuid and content answers 200 with it and writes nothing; the same uuid with other "
        "content is a 422 naming uuid.",
    )


class ConsentOut(Schema):
    id: int
    uuid: UUID
    series: str
    version: int
    person_cpims_id: str
    given_by: str
    giver_name: str
    giver_relationship: str
    reference: str
    purpose: str
    scope: dict[str, list[str]]
    given_on: datetime.date
    valid_until: datetime.date
    state: str
    recorded_by_email: str
    recorded_at: datetime.datetime
    superseded_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str


class ReferralOut(Schema):
    id: int
    uuid: UUID
    kind: str
    status: str
    sender: str
    receiver: str
    person_cpims_id: str
    reason: str
    reasons: list[str]  # the case record sheet's referral_reason codes
    services: list[str]
    consent_id: RecordId
    sender_case_reference: str
    receiver_case_reference: str
    sender_officer: str  # the sending officer's name (never their e-mail)
    sender_phone: str  # their work phone, when they shared it
    completed_on: datetime.date | None  # the receiver's end date of a completed referral
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_sender_officer(referral: OrganisationReferral) -> str:
        return referral.created_by.full_name

    @staticmethod
    def resolve_sender(referral: OrganisationReferral) -> str:
        return referral.sender.slug

    @staticmethod
    def resolve_receiver(referral: OrganisationReferral) -> str:
        return referral.receiver.slug

    @staticmethod
    def resolve_person_cpims_id(referral: OrganisationReferral) -> str:
        return referral.person.cpims_id


class SummaryPartOut(Schema):
    record_kind: str
    fields: list[str]
    rows: list[dict[str, Any]]


class ReferralEventOut(EventOut):
    """A referral's step. The other organisation's steps name that organisation
    (``actor_organisation``) and carry no e-mail address (``actor_email`` is empty): its
    officers are not the caller's to know (issue 14, finding 7). The caller's own side keeps
    its colleagues' addresses."""

    actor_organisation: str

    @staticmethod
    def _own_side(event: ReferralEvent, context) -> bool:
        mine = context["request"].organisation.pk
        referral = event.referral
        return (event.acting_as == "sender" and referral.sender_id == mine) or (
            event.acting_as == "receiver" and referral.receiver_id == mine
        )

    @staticmethod
    def resolve_actor_email(event: ReferralEvent, context) -> str:
        return event.actor_email if ReferralEventOut._own_side(event, context) else ""

    @staticmethod
    def resolve_actor_organisation(event: ReferralEvent) -> str:
        side = {"sender": event.referral.sender, "receiver": event.referral.receiver}
        organisation = side.get(event.acting_as)
        return organisation.name if organisation is not None else ""


class ReferralDetailOut(ReferralOut):
    consent_in_force: bool
    summary: list[SummaryPartOut]  # the receiver's view only, while the consent is in force
    events: list[ReferralEventOut]

    @staticmethod
    def resolve_consent_in_force(referral: OrganisationReferral) -> bool:
        return referral.consent.in_force_on(timezone.localdate())

    @staticmethod
    def resolve_summary(referral: OrganisationReferral) -> list[dict]:
        return getattr(referral, "api_summary", [])

    @staticmethod
    def resolve_events(referral: OrganisationReferral) -> list[ReferralEvent]:
        return list(
            ReferralEvent.objects.filter(referral=referral)
            .select_related("referral__sender", "referral__receiver")
            .order_by("pk")
        )


class SharedRecordsOut(Schema):
    provider: str
    agreement_id: RecordId
    record_kind: str
    fields: list[str]
    rows: list[dict[str, Any]]

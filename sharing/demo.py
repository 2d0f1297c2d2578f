"""Demo governed sharing for the embedded mode: agreements, a consent and a transfer.

Between a children's home (the provider of case summaries) and an implementing partner
(the requester, and the receiver of a transfer): one agreement in force for a named child,
one accepted and waiting for DCS headquarters, the partner's referral services, a consent
recorded on another child and a pending transfer of that child relying on it, and one
data subject request answered by DCS headquarters. Everything
goes through the sharing services (the same checks and history as the screens). No case
app is imported: the caller names the child's case. Idempotent.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.models import PlatformAccessEntry
from shared_registry.models import Person
from sharing import dsr, services, services_consent, services_referrals
from sharing.models import (
    ConsentGiver,
    DataSharingAgreement,
    OrganisationReferral,
    PersonsMode,
    ReferralKind,
    ReferralService,
)
from tenants.actor import Actor, member_actor
from tenants.models import Organisation, User
from tenants.schema import current_schema_name

SUMMARY_FIELDS = ["national_reference", "date_reported", "status", "category_codes", "risk_level"]


@transaction.atomic
def agreements_load_demo(
    *,
    requester: Organisation,
    provider: Organisation,
    requester_admin: User,
    provider_admin: User,
    approver: User,
    named_child: Person,
) -> int:
    """An agreement in force (a named child's case summary) and one waiting for DCS
    approval; nothing when the two organisations already have an agreement."""
    if DataSharingAgreement.objects.filter(requester=requester, provider=provider).exists():
        return 0
    today = timezone.localdate()
    active = services.agreement_request(
        requester=requester,
        provider=provider,
        actor=member_actor(requester_admin, requester),
        scope={"case_summary": SUMMARY_FIELDS},
        persons_mode=PersonsMode.NAMED,
        person_ids=[named_child.pk],
        purpose=(
            f"{named_child.first_name.title()}'s family joined our OVC programme after "
            "reintegration; the case summary guides the household case plan."
        ),
        legal_basis="Children Act 2022 s.41 (best interests); caregiver's written consent.",
        start_date=today,
        end_date=today + timedelta(days=365),
    )
    services.agreement_accept(
        agreement=active,
        actor=member_actor(provider_admin, provider),
        reason="Agreed for this child only.",
    )
    services.agreement_approve(
        agreement=active,
        actor=Actor(user=approver),
        reason="Named child, minimal fields, one year.",
    )
    waiting = services.agreement_request(
        requester=requester,
        provider=provider,
        actor=member_actor(requester_admin, requester),
        scope={"case_summary": ["national_reference", "status", "risk_level"]},
        persons_mode=PersonsMode.REFERRED,
        purpose="Follow-up of children referred between our organisations.",
        legal_basis="Children Act 2022 s.41; Data Protection Act 2019 s.30(1)(b)(iii).",
        start_date=today + timedelta(days=7),
        end_date=today + timedelta(days=2 * 365),
    )
    services.agreement_accept(
        agreement=waiting,
        actor=member_actor(provider_admin, provider),
        reason="Only status and risk level.",
    )
    return 2


@transaction.atomic
def transfer_load_demo(
    *,
    sender: Organisation,
    receiver: Organisation,
    worker: User,
    receiver_admin: User,
    child: Person,
    case_id: int,
    case_reference: str,
) -> OrganisationReferral | None:
    """The receiver's referral services, a caregiver's consent on the sender's child and a
    pending transfer relying on it. Run inside the sender's workspace (the summary is taken
    there). Nothing when the case already has a referral to the receiver."""
    if current_schema_name() != sender.schema_name:
        raise RuntimeError("The demo transfer is sent from inside the sender's workspace.")
    if OrganisationReferral.objects.filter(sender=sender, sender_case_id=case_id).exists():
        return None
    services_referrals.organisation_services_set(
        organisation=receiver,
        actor=member_actor(receiver_admin, receiver),
        services=[
            ReferralService.OVC_PROGRAMME,
            ReferralService.COUNSELLING,
            ReferralService.EDUCATION,
        ],
    )
    today = timezone.localdate()
    consent = services_consent.consent_record(
        organisation=sender,
        person=child,
        actor=member_actor(worker, sender),
        given_by=ConsentGiver.PARENT,
        giver_name=f"Halima {child.surname.title()}",
        giver_relationship="Mother",
        reference="Consent form 0042/2026",
        purpose="Transfer to an OVC partner near the family's home, and its follow-up.",
        scope={"case_summary": SUMMARY_FIELDS + ["intake_intervention"]},
        given_on=today - timedelta(days=3),
        valid_until=today + timedelta(days=365),
    )
    return services_referrals.referral_send(
        sender=sender,
        receiver=receiver,
        actor=member_actor(worker, sender),
        person=child,
        kind=ReferralKind.TRANSFER,
        reason="Reunited with his mother in Nairobi; the household needs OVC support there.",
        services=[ReferralService.OVC_PROGRAMME, ReferralService.EDUCATION],
        consent=consent,
        fields=None,
        sender_case_id=case_id,
        sender_case_reference=case_reference,
    )


DSR_REFERENCE = "DSR/2026/0001"


def subject_request_load_demo(*, actor: User, person: Person) -> bool:
    """One data subject request answered (the export made and discarded: the request list
    is its platform access entry); nothing when it was answered already."""
    if PlatformAccessEntry.objects.filter(
        record_kind=dsr.EXPORT_RECORD_KIND, purpose__startswith=f"{DSR_REFERENCE}:"
    ).exists():
        return False
    dsr.data_subject_export(
        actor=Actor(user=actor),
        person=person,
        reference=DSR_REFERENCE,
        reason="The child's mother asked for a copy of what CPIMS holds (DPA 2019 s.26).",
    )
    return True

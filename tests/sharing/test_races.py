"""Issue 14, finding 9: a receiver's accept and decline of one referral at the same moment
end in one decision and no server error (both take the referral's lock before the audit
chain's)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning import blueprint
from provisioning.services import organisation_provision
from shared_registry.models import Person, PersonLink, PotentialDuplicate
from sharing.models import Consent, OrganisationReferral, ReferralStatus
from tenants.actor import Actor, member_actor
from tenants.models import Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.factories import UserFactory
from tests.races import Request, race

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pending_referral(world, national_lists, django_db_blocker):
    """Two organisations of their own and a referral waiting at the receiver (committed)."""
    from case_apps.cases import services as case_services
    from shared_registry.services import person_register
    from sharing import services_consent, services_referrals

    today = timezone.localdate()
    with django_db_blocker.unblock():
        sender = organisation_provision(
            organisation=organisation_create(name="Race Sender", slug="race-from", kind="cci")
        )
        receiver = organisation_provision(
            organisation=organisation_create(name="Race Receiver", slug="race-to", kind="ngo")
        )
        worker = UserFactory(email="worker@race-from.test")
        admin = UserFactory(email="admin@race-to.test")
        membership_grant(user=worker, organisation=sender, roles=[Role.CASE_WORKER])
        membership_grant(user=admin, organisation=receiver, roles=[Role.ORGANISATION_ADMIN])
        child = person_register(
            first_name="Zawadi", surname="Racecondition", sex="SFEM", birth_year=2015
        )
        with workspace_context(sender):
            case = case_services.case_open(
                organisation=sender,
                actor=member_actor(worker, sender),
                child=child,
                date_reported=today - timedelta(days=2),
                how_reported="walk_in",
                reporter_type="CRMO",
                risk_level="RLMD",
                categories=[case_services.CategoryInput(category_code="CSIC")],
                narrative="Race",
            )
            consent = services_consent.consent_record(
                organisation=sender,
                person=child,
                actor=Actor(user=worker),
                given_by="parent",
                giver_name="A parent",
                giver_relationship="Mother",
                purpose="Continuity of care",
                scope={"case_summary": ["national_reference"]},
                given_on=today,
                valid_until=today + timedelta(days=30),
            )
            referral = services_referrals.referral_send(
                sender=sender,
                receiver=receiver,
                actor=Actor(user=worker),
                person=child,
                kind="referral",
                reason="Counselling",
                services=["RMPC"],
                consent=consent,
                fields=None,
                sender_case_id=case.pk,
                sender_case_reference=case.national_reference,
            )
    yield receiver, admin, referral
    with django_db_blocker.unblock():
        organisations = [sender, receiver]
        OrganisationReferral.objects.filter(sender__in=organisations).delete()
        Consent.objects.filter(organisation__in=organisations).delete()
        PersonLink.objects.filter(person=child).delete()
        PotentialDuplicate.objects.filter(person_a=child).delete()
        PotentialDuplicate.objects.filter(person_b=child).delete()
        Person.objects.filter(pk=child.pk).delete()
        for organisation in organisations:
            blueprint.schema_drop(organisation.schema_name)
            organisation.delete()
        User.objects.filter(pk__in=[worker.pk, admin.pk]).delete()


def test_accept_and_decline_at_once_end_in_one_decision_without_error(pending_referral):
    receiver, admin, referral = pending_referral
    base = f"/cases/referrals-in/{referral.pk}"
    accept = Request(
        receiver, admin, f"{base}/accept/", {"category_code": "CSIC", "risk_level": "RLMD"}
    )
    decline = Request(receiver, admin, f"{base}/decline/", {"reason": "No place"})
    race(accept, decline, chain_schema=receiver.schema_name)
    assert 500 not in (accept.status, decline.status), (accept.status, decline.status)
    referral.refresh_from_db()
    assert referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
    winner, loser = (
        (accept, decline)
        if referral.status == ReferralStatus.ACCEPTED
        else (
            decline,
            accept,
        )
    )
    assert winner.status == 302 and loser.status == 400  # the other is told it is decided
    from case_apps.cases.models import CaseRecord

    with workspace_context(receiver):
        opened = CaseRecord.objects.filter(child_id=referral.person_id).count()
    assert opened == (1 if referral.status == ReferralStatus.ACCEPTED else 0)

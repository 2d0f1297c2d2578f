"""One transfer at a time holds under concurrency: two transfer requests for one case sent at
the same moment, each on its own connection, end with one transfer and no error (the
database's partial unique index on open transfers decides; the loser is told, 400)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning import blueprint
from provisioning.services import organisation_provision
from shared_registry.models import Person, PersonLink, PotentialDuplicate
from sharing.models import Consent, OrganisationReferral, ReferralKind, ReferralStatus
from tenants.actor import Actor, member_actor
from tenants.models import Role, User
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.factories import UserFactory
from tests.races import Request, race

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def case_to_transfer(world, national_lists, django_db_blocker):
    """A sender with an open case and a consent, and two receivers (committed)."""
    from case_apps.cases import services as case_services
    from shared_registry.services import person_register
    from sharing import services_consent

    today = timezone.localdate()
    with django_db_blocker.unblock():
        sender = organisation_provision(
            organisation=organisation_create(name="Transfer Sender", slug="xfer-from", kind="cci")
        )
        receivers = [
            organisation_provision(
                organisation=organisation_create(
                    name=f"Transfer Receiver {n}", slug=f"xfer-to-{n}", kind="ngo"
                )
            )
            for n in (1, 2)
        ]
        worker = UserFactory(email="worker@xfer-from.test")
        membership_grant(user=worker, organisation=sender, roles=[Role.CASE_WORKER])
        child = person_register(
            first_name="Imani", surname="Twotransfers", sex="SFEM", birth_year=2014
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
    yield sender, receivers, worker, case, consent
    with django_db_blocker.unblock():
        organisations = [sender, *receivers]
        OrganisationReferral.objects.filter(sender__in=organisations).delete()
        Consent.objects.filter(organisation__in=organisations).delete()
        PersonLink.objects.filter(person=child).delete()
        PotentialDuplicate.objects.filter(person_a=child).delete()
        PotentialDuplicate.objects.filter(person_b=child).delete()
        Person.objects.filter(pk=child.pk).delete()
        for organisation in organisations:
            blueprint.schema_drop(organisation.schema_name)
            organisation.delete()
        User.objects.filter(pk=worker.pk).delete()


def test_two_transfers_of_one_case_at_once_end_in_one_transfer_without_error(case_to_transfer):
    sender, receivers, worker, case, consent = case_to_transfer
    path = f"/cases/{case.pk}/transfers/new/"

    def transfer_to(receiver) -> Request:
        data = {
            "send": "1",
            "receiver": str(receiver.pk),
            "kind": "transfer",
            "services": ["RMPC"],
            "reason": "The family moved",
            "consent": str(consent.pk),
            "fields": ["case_summary:national_reference"],
        }
        return Request(sender, worker, path, data)

    first, second = (transfer_to(receiver) for receiver in receivers)
    race(first, second, chain_schema=sender.schema_name)
    assert 500 not in (first.status, second.status), (first.status, second.status)
    assert sorted([first.status, second.status]) == [302, 400]  # one sent, one told why
    transfers = OrganisationReferral.objects.filter(
        sender=sender, sender_case_id=case.pk, kind=ReferralKind.TRANSFER
    )
    assert transfers.count() == 1 and transfers.get().status == ReferralStatus.PENDING

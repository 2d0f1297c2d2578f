"""Each rule of sharing lives once, in a service or selector that screens and API both use
(issue 16): these call the services and selectors directly, as an actor."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audit.workspace.models import AccessEntry
from case_apps.cases import transfers
from case_apps.cases.models import CaseRecord, CaseStatus
from sharing import services, services_consent, services_referrals
from sharing.models import DataSharingAgreement, OrganisationReferral
from sharing.selectors_for_actor import (
    agreement_for,
    referral_received_for,
    referral_sent_for,
    referral_summary_read,
)
from tenants.actor import Actor, NotFound
from tenants.models import PlatformRole, Role
from tenants.policy import (
    agreement_approver_roles,
    referral_receiver_roles,
    sharing_manager_roles,
)
from tenants.schema import workspace_context
from tenants.selectors import membership_get_active
from tests.sharing.conftest import SHARED_VILLAGE, request_agreement
from tests.sharing.test_consent import give_consent
from tests.sharing.test_transfer import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(world, scene):
    return give_consent(world, scene, fields=["national_reference", "occurrence_village"])


def actor_in(organisation, user) -> Actor:
    membership = membership_get_active(user=user, organisation=organisation)
    return Actor(user=user, membership=membership, organisation=organisation)


def test_the_named_persons_cap_holds_in_the_agreement_service(world, scene):
    before = DataSharingAgreement.objects.count()
    with pytest.raises(ValidationError) as refused:
        request_agreement(world, scene, person_ids=range(1, 502))
    assert "person_ids" in refused.value.message_dict
    assert DataSharingAgreement.objects.count() == before
    agreement = request_agreement(world, scene, person_ids=range(1, 501))
    assert len(agreement.person_ids) == 500


def test_an_agreement_is_fetched_as_the_actor(world, scene):
    agreement = request_agreement(world, scene, actor=actor_in(world.acme, world.acme_admin))
    assert agreement_for(actor_in(world.acme, world.acme_admin), agreement.pk) == agreement
    assert agreement_for(Actor(user=scene.approver), agreement.pk) == agreement
    for outsider in (
        actor_in(world.acme, world.acme_worker),  # a member who does not manage sharing
        Actor(user=world.acme_admin),  # the platform site, not an approver
    ):
        with pytest.raises(NotFound):
            agreement_for(outsider, agreement.pk)
    with pytest.raises(NotFound):
        agreement_for(actor_in(world.acme, world.acme_admin), agreement.pk + 1000)


def test_an_actor_acts_only_for_the_organisation_of_its_workspace(world, scene):
    agreement = request_agreement(world, scene)
    with pytest.raises(services.NotAllowed):  # beta's admin, but acting in acme's workspace
        services.agreement_accept(
            agreement=agreement,
            actor=Actor(user=scene.beta_admin, organisation=world.acme),
        )
    accepted = services.agreement_accept(
        agreement=agreement, actor=actor_in(world.beta, scene.beta_admin)
    )
    assert accepted.status == "accepted"


def test_the_summary_shows_only_while_the_consent_is_in_force_and_each_read_is_logged(
    world, scene, consent
):
    referral = send(world, scene, consent)
    receiver = actor_in(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        parts = referral_summary_read(receiver, referral, purpose="test")
        assert AccessEntry.objects.filter(record_kind="referral_summary").count() == 1
    [part] = parts
    assert part["record_kind"] == "case_summary"
    assert SHARED_VILLAGE in [row.get("occurrence_village") for row in part["rows"]]
    with pytest.raises(NotFound):  # the sender does not read it as a receiver
        referral_summary_read(actor_in(world.beta, world.beta_worker), referral, purpose="x")
    services_consent.consent_withdraw(
        consent=consent, actor=Actor(user=world.beta_worker), reason="Mother"
    )
    referral.refresh_from_db()
    with workspace_context(world.acme):
        assert referral_summary_read(receiver, referral, purpose="test") == []
        assert AccessEntry.objects.filter(record_kind="referral_summary").count() == 1


def test_a_withdrawn_referral_is_not_found(world, scene, consent):
    referral = send(world, scene, consent)
    receiver = actor_in(world.acme, world.acme_worker)
    assert referral_received_for(receiver, referral.pk) == referral
    sender = actor_in(world.beta, world.beta_worker)
    assert referral_sent_for(sender, referral.pk, case_id=scene.case.pk) == referral
    with pytest.raises(NotFound):  # another case's referrals are not this case's
        referral_sent_for(sender, referral.pk, case_id=scene.case.pk + 1000)
    services_referrals.referral_withdraw(referral=referral, actor=sender, reason="Moved back")
    with pytest.raises(NotFound):
        referral_received_for(receiver, referral.pk)
    with pytest.raises(NotFound):  # nor is it the sender's to read as received
        referral_received_for(sender, referral.pk)


def test_a_closed_case_refers_no_child(world, scene, consent):
    sender = actor_in(world.beta, world.beta_worker)
    with workspace_context(world.beta):
        CaseRecord.objects.filter(pk=scene.case.pk).update(status=CaseStatus.CLOSED)
        case = CaseRecord.objects.get(pk=scene.case.pk)
        assert transfers.referral_refused_for(case)
        with pytest.raises(ValidationError) as refused:
            transfers.referral_send_from_case(
                actor=sender,
                case=case,
                receiver=world.acme,
                kind="referral",
                reason="Counselling",
                services=["RMPC"],
                consent=consent,
                fields=None,
            )
    assert "case_id" in refused.value.message_dict
    assert not referral_exists(world)


def referral_exists(world) -> bool:
    return OrganisationReferral.objects.filter(sender=world.beta).exists()


def test_the_policy_names_who_receives_referrals_and_approves_agreements():
    assert set(referral_receiver_roles()) == {Role.ORGANISATION_ADMIN, Role.SUPERVISOR}
    assert sharing_manager_roles() == [Role.ORGANISATION_ADMIN]
    assert agreement_approver_roles() == [PlatformRole.SHARING_APPROVER]

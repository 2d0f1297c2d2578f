"""OVC transfers between partners, through the services: the ERFO exit names a receiving
partner, the receiver accepts (its own enrolment and household) or declines with a reason,
the sender may withdraw; each side sees only its own records; an exit never changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from case_apps.outbox.models import OutboxEvent
from case_apps.ovc import selectors_transfers, services, services_transfers
from case_apps.ovc.demo_transfers import ovc_transfers_load_demo
from case_apps.ovc.models import Enrolment, EnrolmentStatus, Household
from sharing.models_ovc_transfers import OvcTransfer, OvcTransferEvent
from tenants.actor import Forbidden, NotFound
from tenants.models import Organisation, OrganisationStatus, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.factories import UserFactory
from tests.ovc.conftest import as_member, enrol, make_caregiver
from tests.ovc.transfers_helpers import (
    TODAY,
    accept_fields,
    exit_to,
    make_acme_partner,
    send_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_partner(world):
    return make_acme_partner(world)


@pytest.fixture
def sent(world, beta_household, acme_partner):
    return send_to(world, beta_household, acme_partner)


def _accept(world, transfer, acme, **overrides):
    with workspace_context(acme):
        return services_transfers.transfer_accept(
            actor=as_member(world.acme_worker, acme),
            transfer=transfer,
            **accept_fields(**overrides),
        )


def _reload(world, enrolment) -> Enrolment:
    with workspace_context(world.beta):
        return Enrolment.objects.get(pk=enrolment.pk)


@pytest.mark.parametrize(
    ("receiver", "expected"),
    [(None, "required"), ("self", "own"), ("cci", "own"), ("suspended", "own")],
)
def test_a_transfer_names_an_active_partner_other_than_itself(
    world, beta_household, acme_partner, receiver, expected
):
    if receiver == "cci":
        Organisation.objects.filter(pk=acme_partner.pk).update(kind="cci")
    if receiver == "suspended":
        Organisation.objects.filter(pk=acme_partner.pk).update(status=OrganisationStatus.SUSPENDED)
    target = {None: None, "self": world.beta.pk}.get(receiver, acme_partner.pk)
    with pytest.raises(ValidationError) as excinfo:
        exit_to(world, beta_household.enrolment, target)
    assert "receiver" in excinfo.value.message_dict
    assert _reload(world, beta_household.enrolment).is_active  # nothing saved
    assert not OvcTransfer.objects.exists()


def test_only_a_transfer_to_a_pepfar_partner_names_a_receiver(world, beta_household, acme_partner):
    with workspace_context(world.beta), pytest.raises(ValidationError) as excinfo:
        services.enrolment_exit(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=beta_household.enrolment,
            exit_reason="ERTL",  # a non-PEPFAR partner is not in CPIMS
            exit_date=TODAY(),
            receiver=acme_partner.pk,
        )
    assert "receiver" in excinfo.value.message_dict
    assert _reload(world, beta_household.enrolment).is_active


def test_the_transfer_note_is_bounded(world, beta_household, acme_partner):
    with pytest.raises(ValidationError) as excinfo:
        exit_to(world, beta_household.enrolment, acme_partner, note="x" * 5001)
    assert "transfer_note" in excinfo.value.message_dict
    assert not OvcTransfer.objects.exists()


def test_sending_exits_the_child_and_tells_the_receiver(
    world, beta_household, acme_partner, mailoutbox, django_capture_on_commit_callbacks
):
    enrolment = beta_household.enrolment
    with django_capture_on_commit_callbacks(execute=True):
        exited = exit_to(world, enrolment, acme_partner)
    assert exited.status == EnrolmentStatus.EXITED and exited.exit_reason == "ERFO"
    transfer = OvcTransfer.objects.get()
    assert transfer.sender_id == world.beta.pk and transfer.receiver_id == acme_partner.pk
    assert transfer.person_id == enrolment.child_id
    assert transfer.proposed_caregiver_id == beta_household.household.head_id
    assert transfer.exit_date == exited.exit_date and transfer.note == "Family moved to Kisumu"
    assert transfer.status == "pending" and transfer.sender_enrolment_id == enrolment.pk
    assert list(transfer.events.values_list("kind", "acting_as")) == [("sent", "sender")]
    with workspace_context(world.beta):  # the exit's fact, as any exit
        fact = OutboxEvent.objects.filter(
            kind="ovc_exited", payload__case_ref=services._ref(world.beta, enrolment)
        ).get()
    assert fact.payload["category"] == "ERFO"
    # the receiver's members who record cases, told without naming the child
    (mail,) = mailoutbox
    assert set(mail.to) == {world.acme_worker.email, world.acme_admin.email}
    assert "BARAKA" not in (mail.subject + mail.body).upper()


def test_each_side_sees_the_transfer_and_no_one_else(world, sent, acme_partner):
    acme = as_member(world.acme_worker, acme_partner)
    beta = as_member(world.beta_worker, world.beta)
    assert list(selectors_transfers.transfer_list(actor=acme, direction="in")) == [sent]
    with workspace_context(acme_partner):
        assert not selectors_transfers.transfer_list(actor=acme, direction="out").exists()
    with workspace_context(world.beta):
        assert list(selectors_transfers.transfer_list(actor=beta, direction="out")) == [sent]
        assert not selectors_transfers.transfer_list(actor=beta, direction="in").exists()
    assert selectors_transfers.transfers_waiting(organisation=acme_partner) == 1
    # search and filter
    listed = selectors_transfers.transfer_list
    assert listed(actor=acme, direction="in", search="baraka").count() == 1
    assert listed(actor=acme, direction="in", search=sent.person.cpims_id).count() == 1
    assert listed(actor=acme, direction="in", search="nobody").count() == 0
    assert listed(actor=acme, direction="in", status="declined").count() == 0
    # a beta worker whose caseload does not hold the household, and an outsider
    other = UserFactory()
    membership_grant(user=other, organisation=world.beta, roles=[Role.CASE_WORKER])
    with workspace_context(world.beta):
        stranger = as_member(other, world.beta)
        with pytest.raises(NotFound):
            selectors_transfers.transfer_get(actor=stranger, transfer_id=sent.pk)
        assert not listed(actor=stranger, direction="out").exists()
    for nobody in (as_member(world.outsider, world.beta), as_member(world.outsider, None)):
        with pytest.raises(NotFound):
            selectors_transfers.transfer_get(actor=nobody, transfer_id=sent.pk)


def test_accepting_enrols_the_child_in_a_new_household_of_the_receiver(
    world, sent, acme_partner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _accept(
            world, sent, acme_partner, household=None, caregiver=sent.proposed_caregiver
        )
    assert accepted.status == "accepted" and accepted.decided_by_id == world.acme_worker.pk
    with workspace_context(acme_partner):
        enrolment = Enrolment.objects.get(pk=accepted.receiver_enrolment_id)
        assert enrolment.child_id == sent.person_id and enrolment.is_active
        assert enrolment.registration_date == TODAY() and enrolment.first_enrolment is False
        assert enrolment.household.head_id == sent.proposed_caregiver_id
        enrolled = OutboxEvent.objects.filter(
            kind="ovc_enrolled", payload__case_ref=services._ref(acme_partner, enrolment)
        )
        assert enrolled.count() == 1
    # the sender keeps its exited enrolment; the sender's officer is told
    assert not _reload(world, Enrolment(pk=sent.sender_enrolment_id)).is_active
    assert [m.to for m in mailoutbox] == [[world.beta_worker.email]]
    assert list(accepted.events.values_list("kind", flat=True)) == ["sent", "accepted"]


def test_accepting_into_an_existing_household(world, sent, acme_partner):
    with workspace_context(acme_partner):
        household = services.household_register(
            actor=as_member(world.acme_worker, acme_partner), head=make_caregiver("Rose", "Atieno")
        )
    accepted = _accept(world, sent, acme_partner, household=household.pk)
    with workspace_context(acme_partner):
        assert Enrolment.objects.get(pk=accepted.receiver_enrolment_id).household == household


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_date": TODAY() - timedelta(days=2)}, "registration_date"),
        ({"household": None}, "household"),  # neither a household nor a caregiver
        ({"household": 10**9}, "household"),  # not one of the receiver's
        ({"hiv_status": "HSXX"}, "hiv_status"),  # the enrolment's own rules
    ],
)
def test_accepting_refuses_bad_input_and_saves_nothing(world, sent, acme_partner, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        _accept(world, sent, acme_partner, **{"caregiver": None, **overrides})
    if field == "hiv_status":  # the enrolment's own rules run once a household is chosen
        with pytest.raises(ValidationError) as excinfo:
            _accept(world, sent, acme_partner, caregiver=sent.proposed_caregiver, **overrides)
    assert field in excinfo.value.message_dict
    sent.refresh_from_db()
    assert sent.status == "pending" and sent.receiver_enrolment_id is None
    with workspace_context(acme_partner):
        assert not Enrolment.objects.exists() and not Household.objects.exists()


def test_only_the_receiver_decides_and_only_once(world, sent, acme_partner):
    with workspace_context(world.beta):  # the sender neither accepts nor declines
        beta = as_member(world.beta_worker, world.beta)
        with pytest.raises(Forbidden):
            services_transfers.transfer_decline(actor=beta, transfer=sent, reason="no")
        with pytest.raises(Forbidden):
            services_transfers.transfer_accept(actor=beta, transfer=sent, **accept_fields())
    acme = as_member(world.acme_worker, acme_partner)
    with pytest.raises(Forbidden):  # and the receiver does not withdraw
        services_transfers.transfer_withdraw(actor=acme, transfer=sent, reason="no")
    viewer = UserFactory()
    membership_grant(user=viewer, organisation=acme_partner, roles=[Role.VIEWER])
    with pytest.raises(Forbidden):
        services_transfers.transfer_decline(
            actor=as_member(viewer, acme_partner), transfer=sent, reason="no"
        )
    _accept(world, sent, acme_partner, caregiver=sent.proposed_caregiver)
    with pytest.raises(ValidationError):
        services_transfers.transfer_decline(actor=acme, transfer=sent, reason="too late")


def test_declining_needs_a_reason_the_sender_sees_and_the_sender_may_enrol_again(
    world, sent, acme_partner
):
    acme = as_member(world.acme_worker, acme_partner)
    with pytest.raises(ValidationError) as excinfo:
        services_transfers.transfer_decline(actor=acme, transfer=sent, reason="  ")
    assert "reason" in excinfo.value.message_dict
    services_transfers.transfer_decline(actor=acme, transfer=sent, reason="No CHV in that ward")
    beta = as_member(world.beta_worker, world.beta)
    with workspace_context(world.beta):
        exited = Enrolment.objects.get(pk=sent.sender_enrolment_id)
        seen = selectors_transfers.transfer_of_enrolment(actor=beta, enrolment=exited)
        assert seen.status == "declined" and seen.decline_reason == "No CHV in that ward"
        assert not exited.is_active  # the child stays exited at the sender
        again = enrol(
            world.beta,
            world.beta_worker,
            exited.household,
            child=exited.child,
            first_enrolment=False,
        )
        assert again.is_active and again.pk != exited.pk
    event = OvcTransferEvent.objects.get(transfer=sent, kind="declined")
    assert event.acting_as == "receiver" and event.reason == "No CHV in that ward"


def test_the_sender_withdraws_a_pending_transfer(world, sent, acme_partner):
    with workspace_context(world.beta):
        beta = as_member(world.beta_worker, world.beta)
        with pytest.raises(ValidationError):
            services_transfers.transfer_withdraw(actor=beta, transfer=sent, reason="")
        withdrawn = services_transfers.transfer_withdraw(
            actor=beta, transfer=sent, reason="Entered by mistake"
        )
    assert withdrawn.status == "withdrawn"
    assert selectors_transfers.transfers_waiting(organisation=acme_partner) == 0
    with pytest.raises(ValidationError):  # nothing left to accept
        _accept(world, sent, acme_partner, caregiver=sent.proposed_caregiver)


def test_the_exit_never_changes_afterwards(world, sent):
    with workspace_context(world.beta):
        beta = as_member(world.beta_worker, world.beta)
        exited = Enrolment.objects.get(pk=sent.sender_enrolment_id)
        with pytest.raises(TypeError):  # no service edits an exit's date or reason
            services.enrolment_update(actor=beta, enrolment=exited, exit_date=TODAY())
        with pytest.raises(ValidationError):  # nor anything of an exited enrolment
            services.enrolment_update(actor=beta, enrolment=exited, school_class="5")
        with pytest.raises(ValidationError):  # nor exits it again with another date
            services.enrolment_exit(
                actor=beta, enrolment=exited, exit_reason="ERRL", exit_date=TODAY()
            )
        assert Enrolment.objects.get(pk=exited.pk).exit_date == sent.exit_date


def test_a_child_already_enrolled_at_the_receiver_is_refused(world, sent, acme_partner):
    with workspace_context(acme_partner):
        household = services.household_register(
            actor=as_member(world.acme_worker, acme_partner), head=make_caregiver("Rose", "Atieno")
        )
        enrol(acme_partner, world.acme_worker, household, child=sent.person)
    with pytest.raises(ValidationError) as excinfo:
        _accept(world, sent, acme_partner, household=household.pk)
    assert "child" in excinfo.value.message_dict
    sent.refresh_from_db()
    assert sent.status == "pending"


def test_receivers_are_other_active_partners(world, acme_partner):
    beta = as_member(world.beta_worker, world.beta)
    assert list(selectors_transfers.transfer_receivers(actor=beta)) == [acme_partner]
    assert not selectors_transfers.transfer_receivers(actor=beta, search="zzz").exists()


def test_the_child_is_not_their_own_caregiver(world, sent, acme_partner):
    with pytest.raises(ValidationError) as excinfo:
        _accept(world, sent, acme_partner, caregiver=sent.person)
    assert "caregiver" in excinfo.value.message_dict


def test_the_demo_sends_one_pending_transfer_once(world, beta_household, acme_partner):
    with workspace_context(world.beta):
        sent = ovc_transfers_load_demo(
            sender=world.beta, sender_worker=world.beta_worker, receiver=acme_partner
        )
        again = ovc_transfers_load_demo(
            sender=world.beta, sender_worker=world.beta_worker, receiver=acme_partner
        )
    assert (sent, again) == (1, 0)
    transfer = OvcTransfer.objects.get()
    assert transfer.is_pending and transfer.receiver_id == acme_partner.pk

"""Referral and transfer of a child between organisations: beta (the sender) refers its child
to acme (the receiver) with a consented summary; acme declines with a reason or accepts and
opens its own case; a completed transfer closes beta's case as transferred."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.workspace.models import AccessEntry
from case_apps.cases.models import CaseEvent, CaseRecord, CaseStatus
from provisioning.services import organisation_provision
from shared_registry.models import PersonLink
from sharing import selectors, services_consent, services_referrals
from sharing.models import OrganisationReferral, ReferralStatus
from tenants.actor import Actor
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.sharing.conftest import SECRET_NARRATIVE, SHARED_VILLAGE
from tests.sharing.test_consent import give_consent

pytestmark = pytest.mark.django_db
SUMMARY_FIELDS = ["case_summary:national_reference", "case_summary:occurrence_village"]


def _send_data(the_consent, **overrides):
    data = {
        "send": "1",
        "receiver": "",
        "kind": "referral",
        "services": ["RMPC"],
        "reason": "Needs psychosocial counselling near her new home",
        "reasons": ["RMPC"],  # the case record sheet's reason (issue 17)
        "consent": str(the_consent.pk),
        "fields": SUMMARY_FIELDS,
    }
    data.update(overrides)
    return data


def send(world, scene, consent, **overrides) -> OrganisationReferral:
    """beta's case worker sends from the case page, in beta's own request."""
    beta = client_on(world.beta, world.beta_worker)
    data = _send_data(consent, receiver=str(world.acme.pk), **overrides)
    response = beta.post(f"/cases/{scene.case.pk}/transfers/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return OrganisationReferral.objects.get(sender=world.beta, sender_case_id=scene.case.pk)


@pytest.fixture
def consent(world, scene):
    return give_consent(world, scene, fields=["national_reference", "occurrence_village", "status"])


def accept_data(**overrides):
    data = {"category_code": "CSIC", "risk_level": "RLMD", "notes": "Counsellor assigned"}
    data.update(overrides)
    return data


# --- sending ------------------------------------------------------------------------------------
def test_send_carries_only_the_chosen_consented_fields(
    world, scene, consent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(world, scene, consent)
    [email] = mail.outbox  # the receiver's admins hear of it, without the child's name
    assert world.acme_admin.email in email.to and "sent" in email.subject
    assert scene.child.surname not in email.body + email.subject
    assert referral.status == ReferralStatus.PENDING and referral.receiver == world.acme
    assert referral.person == scene.child and referral.consent == consent
    assert referral.sender_case_reference == scene.case.national_reference
    assert referral.summary == {
        "case_summary": {
            "fields": ["national_reference", "occurrence_village"],
            "rows": [
                {
                    "national_reference": scene.case.national_reference,
                    "occurrence_village": SHARED_VILLAGE,
                }
            ],
        }
    }
    assert SECRET_NARRATIVE not in str(referral.summary)
    assert [e.kind for e in referral.events.all()] == ["sent"]


def test_the_summary_carries_the_case_it_is_sent_from_not_the_childs_other_cases(
    world, scene, consent
):
    from tests.case_apps.conftest import open_case

    other = open_case(world.beta, world.beta_worker, scene.child, occurrence_village="ZQXOTHER")
    referral = send(world, scene, consent)
    [row] = referral.summary["case_summary"]["rows"]
    assert row["national_reference"] == scene.case.national_reference
    assert other.national_reference not in str(referral.summary) and "ZQXOTHER" not in str(
        referral.summary
    )


def test_bad_input_is_refused_and_changes_nothing(world, scene, consent):
    beta = client_on(world.beta, world.beta_worker)
    url = f"/cases/{scene.case.pk}/transfers/new/"
    receiver = str(world.acme.pk)
    for data in (
        _send_data(consent, receiver=receiver, reason="", reasons=[]),
        _send_data(consent, receiver=receiver, consent=""),
        _send_data(consent, receiver=receiver, fields=["case_summary:narrative"]),  # unconsented
        _send_data(consent, receiver=str(world.beta.pk)),  # itself: not offered
        _send_data(consent, receiver=receiver, services=["XXXX"]),
    ):
        response = beta.post(url, data)
        assert response.status_code == 400, data
        assert b"Needs psychosocial counselling" in response.content or not data["reason"]
    assert not OrganisationReferral.objects.exists()
    # the service refuses it too
    with pytest.raises(ValidationError) as error, workspace_context(world.beta):
        services_referrals.referral_send(
            sender=world.beta,
            receiver=world.acme,
            actor=Actor(user=world.beta_worker),
            person=scene.child,
            kind="referral",
            reason="r",
            services=[],
            consent=consent,
            fields={"case_summary": ["narrative"]},
            sender_case_id=scene.case.pk,
            sender_case_reference=scene.case.national_reference,
        )
    assert "fields" in error.value.message_dict
    assert not OrganisationReferral.objects.exists()


def test_a_referral_needs_a_consent_in_force(world, scene, consent):
    services_consent.consent_withdraw(
        consent=consent, actor=Actor(user=world.beta_worker), reason="No"
    )
    beta = client_on(world.beta, world.beta_worker)
    response = beta.post(
        f"/cases/{scene.case.pk}/transfers/new/", _send_data(consent, receiver=str(world.acme.pk))
    )
    assert response.status_code == 400
    assert not OrganisationReferral.objects.exists()


def test_the_directory_finds_receivers_by_kind_county_and_service(world, scene):
    def found(**filters) -> set:
        return set(
            selectors.receiving_organisations(sender=world.beta, **filters)
            .filter(pk__in=[world.acme.pk, world.beta.pk])
            .values_list("slug", flat=True)
        )

    assert found() == {"acme"}  # never the sender itself
    assert found(kind="cci") == {"acme"} and found(kind="ip") == set()
    assert found(county_code="042") == {"acme"} and found(county_code="047") == set()
    assert found(service="RMPC") == set()
    acme = client_on(world.acme, world.acme_admin)
    assert acme.post("/sharing/services/", {"services": ["RMPC", "SCRC"]}).status_code == 302
    assert found(service="RMPC") == {"acme"} and found(service="LSTR") == set()
    page = client_on(world.beta, world.beta_worker).get(
        f"/cases/{scene.case.pk}/transfers/new/?org_service=RMPC&org_county=042&org_kind=cci"
    )
    assert page.status_code == 200 and b"Acme Children" in page.content
    page = client_on(world.beta, world.beta_worker).get(
        f"/cases/{scene.case.pk}/transfers/new/?org_service=LSTR"
    )
    assert b"Acme Children" not in page.content


# --- the receiver -------------------------------------------------------------------------------
def test_the_receiver_sees_only_the_consented_summary_and_the_read_is_logged(world, scene, consent):
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    inbox = acme.get("/cases/referrals-in/")
    assert inbox.status_code == 200 and scene.child.surname.encode() in inbox.content
    assert acme.get("/cases/referrals-in/?q=Chepkoech").content.count(b"referrals-in/") >= 1
    assert scene.child.surname.encode() not in acme.get("/cases/referrals-in/?q=nobody").content
    page = acme.get(f"/cases/referrals-in/{referral.pk}/")
    assert page.status_code == 200
    assert SHARED_VILLAGE.encode() in page.content
    assert SECRET_NARRATIVE.encode() not in page.content
    with workspace_context(world.acme):
        entry = AccessEntry.objects.get(record_kind="referral_summary")
    assert entry.record_id == scene.child.cpims_id and entry.actor_email == world.acme_worker.email


def test_decline_needs_a_reason_and_the_sender_sees_it(world, scene, consent):
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    url = f"/cases/referrals-in/{referral.pk}/decline/"
    assert acme.post(url, {"reason": ""}).status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    mail.outbox.clear()
    assert acme.post(url, {"reason": "No counsellor this month"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    page = client_on(world.beta, world.beta_worker).get(f"/cases/{scene.case.pk}/")
    assert b"No counsellor this month" in page.content and b"Declined" in page.content
    with workspace_context(world.acme):
        assert not CaseRecord.objects.filter(child=scene.child).exists()


def test_accept_opens_the_receivers_own_case_for_the_same_person(
    world, scene, consent, django_capture_on_commit_callbacks
):
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    url = f"/cases/referrals-in/{referral.pk}/accept/"
    assert acme.post(url, accept_data(category_code="")).status_code == 400  # bad input
    with workspace_context(world.acme):
        assert not CaseRecord.objects.filter(child=scene.child).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = acme.post(url, accept_data())
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED  # a referral stays accepted
    with workspace_context(world.acme):
        case = CaseRecord.objects.get(child=scene.child)
        assert case.assigned_officer_id == world.acme_worker.pk
        assert scene.case.national_reference in case.narrative
    assert response["Location"] == f"/cases/{case.pk}/"
    assert referral.receiver_case_id == case.pk
    assert PersonLink.objects.filter(person=scene.child, organisation=world.acme).exists()
    assert any("accepted" in m.subject for m in mail.outbox)
    assert callbacks  # the email after the commit
    with workspace_context(world.beta):  # a referral leaves the sender's case open
        assert CaseRecord.objects.get(pk=scene.case.pk).status == CaseStatus.OPEN
    page = client_on(world.beta, world.beta_worker).get(f"/cases/{scene.case.pk}/")
    assert b"Accepted" in page.content and case.national_reference.encode() in page.content
    assert acme.post(url, accept_data()).status_code == 400  # not twice


def test_a_completed_transfer_closes_the_senders_case_as_transferred(
    world, scene, consent, django_capture_on_commit_callbacks
):
    referral = send(world, scene, consent, kind="transfer")
    acme = client_on(world.acme, world.acme_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = acme.post(f"/cases/referrals-in/{referral.pk}/accept/", accept_data())
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert [e.kind for e in referral.events.all()] == ["sent", "accepted", "completed"]
    with workspace_context(world.beta):
        case = CaseRecord.objects.get(pk=scene.case.pk)
        assert case.status == CaseStatus.TRANSFERRED and case.closure_reason == "COTR"
        # closed on the day the receiver took the child on, and counted as a closed case
        assert case.closed_on == timezone.localdate() and case.stage == "closed"
        event = CaseEvent.objects.get(case=case, action="transferred")
        assert event.to_status == CaseStatus.TRANSFERRED and world.acme.name in event.reason
    page = client_on(world.beta, world.beta_worker).get(f"/cases/{scene.case.pk}/")
    assert b"Completed" in page.content and b"Transferred" in page.content
    # the task is idempotent: running it again changes nothing
    from case_apps.cases.tasks import close_transferred_case

    assert close_transferred_case.apply(args=[referral.pk]).get() == "nothing to do"


def test_one_transfer_at_a_time_and_withdrawal_by_the_sender(world, scene, consent):
    referral = send(world, scene, consent, kind="transfer")
    beta = client_on(world.beta, world.beta_worker)
    again = beta.post(
        f"/cases/{scene.case.pk}/transfers/new/",
        _send_data(consent, receiver=str(world.acme.pk), kind="transfer"),
    )
    assert again.status_code == 400
    url = f"/cases/{scene.case.pk}/transfers/{referral.pk}/withdraw/"
    beta.post(url, {"reason": ""})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    beta.post(url, {"reason": "Family moved back"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.summary == {}
    acme = client_on(world.acme, world.acme_worker)
    assert acme.get(f"/cases/referrals-in/{referral.pk}/").status_code == 404


# --- consent withdrawal stops the referral ------------------------------------------------------
def test_withdrawing_the_consent_withdraws_a_pending_referral_and_erases_its_summary(
    world, scene, consent
):
    referral = send(world, scene, consent)
    services_consent.consent_withdraw(
        consent=consent, actor=Actor(user=world.beta_worker), reason="Mother"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.summary == {}
    acme = client_on(world.acme, world.acme_worker)
    assert acme.get(f"/cases/referrals-in/{referral.pk}/").status_code == 404
    response = acme.post(f"/cases/referrals-in/{referral.pk}/accept/", accept_data())
    assert response.status_code == 404
    with workspace_context(world.acme):
        assert not CaseRecord.objects.filter(child=scene.child).exists()


def test_a_new_consent_version_keeps_a_referral_it_still_covers(world, scene, consent):
    referral = send(world, scene, consent)
    today = timezone.localdate()
    new = services_consent.consent_change(
        consent=consent,
        actor=Actor(user=world.beta_worker),
        given_by="parent",
        giver_name="Mary",
        giver_relationship="Mother",
        purpose="Longer",
        given_on=today,
        scope={"case_summary": ["national_reference", "occurrence_village"]},
        valid_until=today + timedelta(days=300),
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and referral.consent == new
    services_consent.consent_change(
        consent=new,
        actor=Actor(user=world.beta_worker),
        given_by="parent",
        giver_name="Mary",
        giver_relationship="Mother",
        purpose="Narrower",
        given_on=today,
        scope={"case_summary": ["national_reference"]},
        valid_until=today + timedelta(days=300),
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.summary == {}


def test_after_acceptance_a_withdrawn_consent_hides_the_summary(world, scene, consent):
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    acme.post(f"/cases/referrals-in/{referral.pk}/accept/", accept_data())
    services_consent.consent_withdraw(
        consent=consent, actor=Actor(user=world.beta_worker), reason="Mother"
    )
    page = acme.get(f"/cases/referrals-in/{referral.pk}/")
    assert page.status_code == 200 and SHARED_VILLAGE.encode() not in page.content


# --- who may, and isolation ---------------------------------------------------------------------
def test_who_may_send_and_receive(world, scene, consent):
    clerk = UserFactory(email="clerk@beta.test")
    membership_grant(user=clerk, organisation=world.beta, roles=[Role.DATA_CLERK])
    with workspace_context(world.beta), pytest.raises(services_referrals.NotAllowed):
        services_referrals.referral_send(
            sender=world.beta,
            receiver=world.acme,
            actor=Actor(user=clerk),
            person=scene.child,
            kind="referral",
            reason="r",
            services=[],
            consent=consent,
            fields=None,
            sender_case_id=scene.case.pk,
            sender_case_reference="x",
        )
    referral = send(world, scene, consent)
    with pytest.raises(services_referrals.NotAllowed):  # only the receiver decides
        services_referrals.referral_decline(
            referral=referral, actor=Actor(user=world.beta_worker), reason="mine"
        )
    viewer = UserFactory(email="viewer@acme.test")
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])
    assert client_on(world.acme, viewer).get("/cases/referrals-in/").status_code == 403


def test_a_third_organisation_sees_none_of_it(world, scene, consent):
    gamma = organisation_provision(
        organisation=organisation_create(name="Gamma Rescue Centre", slug="gamma", kind="cci")
    )
    referral = send(world, scene, consent)
    gamma_worker = UserFactory(email="worker@gamma.test")
    membership_grant(user=gamma_worker, organisation=gamma, roles=[Role.ORGANISATION_ADMIN])
    client = client_on(gamma, gamma_worker)
    inbox = client.get("/cases/referrals-in/")
    assert inbox.status_code == 200 and scene.child.surname.encode() not in inbox.content
    for url in (
        f"/cases/referrals-in/{referral.pk}/",
        f"/cases/{scene.case.pk}/",
        f"/cases/{scene.case.pk}/consents/{consent.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SHARED_VILLAGE.encode() not in response.content
    for url in (
        f"/cases/referrals-in/{referral.pk}/accept/",
        f"/cases/referrals-in/{referral.pk}/decline/",
    ):
        assert client.post(url, accept_data(reason="mine")).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert not selectors.referrals_received(organisation=gamma).exists()
    assert selectors.referral_sent(organisation=gamma, referral_id=referral.pk) is None


@pytest.mark.real_broker
def test_a_task_sent_with_the_senders_schema_in_its_headers_runs_there(world):
    """How the transfer's closing task reaches the sender's schema: sent from the receiver's
    request with ``_schema_name`` in its headers, it runs in the sender's schema, in-process
    and (with REDIS_URL) through a real broker to a real worker."""
    import os

    from cpims.celery import app
    from cpims.tasks import ping

    def sent_from_acme_for_beta():
        with workspace_context(world.acme):
            return ping.apply_async(headers={"_schema_name": world.beta.schema_name})

    if not os.environ.get("REDIS_URL"):
        assert sent_from_acme_for_beta().get() == world.beta.schema_name
        return
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert sent_from_acme_for_beta().get(timeout=30) == world.beta.schema_name

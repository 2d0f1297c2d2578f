"""The sharing API: agreements, consents, referrals between organisations and shared records
through the gateway, for the caller's own organisation, with the screens' services and policy.

acme asks beta (which holds the child's case) for data; beta records consent and refers the
child to acme; acme reads what an agreement shares. Bad input is a 4xx that changes nothing;
a token works only on its own organisation's host."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import PlatformAccessEntry
from audit.services import token_create
from audit.workspace.models import AccessEntry
from case_apps.cases.models import CaseRecord
from sharing import services, services_consent
from sharing.models import (
    AgreementStatus,
    Consent,
    DataSharingAgreement,
    OrganisationReferral,
    ReferralStatus,
)
from tenants.actor import Actor, member_actor
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.sharing.conftest import (
    SECRET_NARRATIVE,
    SHARED_VILLAGE,
    active_agreement,
    request_agreement,
)
from tests.sharing.test_consent import give_consent

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"


def post(client, url: str, data: dict | None = None, **headers):
    return client.post(API + url, data or {}, content_type=JSON, **headers)


def agreement_payload(world, scene, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "provider": "beta",
        "scope": {"case_summary": ["national_reference", "occurrence_village"]},
        "persons_mode": "named",
        "person_cpims_ids": [scene.child.cpims_id],
        "purpose": "Continuity of care after placement",
        "legal_basis": "Children Act 2022 s.47",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def consent_payload(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "given_by": "parent",
        "giver_name": "Mary Chepkoech",
        "giver_relationship": "Mother",
        "purpose": "Continuity of care",
        "scope": {"case_summary": ["national_reference", "occurrence_village", "status"]},
        "given_on": today.isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def logged_reads(organisation) -> int:
    with workspace_context(organisation):
        return AccessEntry.objects.count()


# --- agreements ---------------------------------------------------------------------------------
def test_request_accept_and_read_an_agreement_through_the_api(world, scene):
    acme = client_on(world.acme, world.acme_admin)
    response = post(acme, "/sharing/agreements", agreement_payload(world, scene))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["direction"] == "outgoing"
    assert created["provider"] == "beta" and created["person_cpims_ids"] == [scene.child.cpims_id]
    assert [e["kind"] for e in created["events"]] == ["created", "submitted"]
    agreement_id = created["id"]

    listed = acme.get(f"{API}/sharing/agreements?q=placement&status=submitted").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == agreement_id
    assert acme.get(f"{API}/sharing/agreements?status=active").json()["count"] == 0

    beta = client_on(world.beta, scene.beta_admin)
    incoming = beta.get(f"{API}/sharing/agreements?direction=incoming").json()
    assert [a["id"] for a in incoming["items"]] == [agreement_id]
    assert incoming["items"][0]["direction"] == "incoming"
    accepted = post(beta, f"/sharing/agreements/{agreement_id}/accept", {"reason": "Fine"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    detail = beta.get(f"{API}/sharing/agreements/{agreement_id}").json()
    assert detail["events"][-1] == detail["events"][-1] | {
        "kind": "accepted",
        "acting_as": "provider",
        "reason": "Fine",
    }

    services.agreement_approve(
        agreement=DataSharingAgreement.objects.get(pk=agreement_id),
        actor=Actor(user=scene.approver),
    )
    platform_before = PlatformAccessEntry.objects.count()
    shared = acme.get(f"{API}/sharing/persons/{scene.child.cpims_id}/shared-records")
    assert shared.status_code == 200, shared.content
    [records] = shared.json()
    assert records["provider"] == "beta" and records["agreement_id"] == agreement_id
    assert records["rows"] == [
        {"national_reference": scene.case.national_reference, "occurrence_village": SHARED_VILLAGE}
    ]
    assert SECRET_NARRATIVE not in shared.content.decode()
    assert PlatformAccessEntry.objects.count() == platform_before + 1  # the gateway logged it
    one_field = acme.get(
        f"{API}/sharing/persons/{scene.child.cpims_id}/shared-records"
        "?record_kind=case_summary&fields=national_reference"
    )
    assert one_field.status_code == 200
    assert one_field.json()[0]["rows"] == [{"national_reference": scene.case.national_reference}]


def test_decline_needs_a_reason_and_a_refusal_changes_nothing(world, scene):
    acme = client_on(world.acme, world.acme_admin)
    agreement_id = post(acme, "/sharing/agreements", agreement_payload(world, scene)).json()["id"]
    beta = client_on(world.beta, scene.beta_admin)
    response = post(beta, f"/sharing/agreements/{agreement_id}/decline", {"reason": "  "})
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    assert DataSharingAgreement.objects.get(pk=agreement_id).status == AgreementStatus.SUBMITTED
    # the requester cannot accept its own request (the service's policy)
    response = post(acme, f"/sharing/agreements/{agreement_id}/accept")
    assert response.status_code == 403 and "providing" in response.json()["detail"]
    assert DataSharingAgreement.objects.get(pk=agreement_id).status == AgreementStatus.SUBMITTED
    declined = post(beta, f"/sharing/agreements/{agreement_id}/decline", {"reason": "No basis"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    again = post(beta, f"/sharing/agreements/{agreement_id}/accept")
    assert again.status_code == 422 and "not possible now" in again.json()["detail"]
    withdrawn = post(acme, f"/sharing/agreements/{agreement_id}/revoke", {"reason": "x"})
    assert withdrawn.status_code == 422  # declined: nothing left to revoke


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"provider": "acme"}, "provider"),  # itself
        ({"provider": "nosuchorg"}, "provider"),
        ({"scope": {"case_summary": ["no_such_field"]}}, "scope"),
        ({"scope": {}}, "scope"),
        ({"purpose": " "}, "purpose"),
        ({"person_cpims_ids": []}, "person_ids"),
        ({"person_cpims_ids": ["ZZZ-1"]}, "person_cpims_ids"),
        ({"end_date": "2001-01-01"}, "end_date"),
        ({"persons_mode": "everyone"}, "persons_mode"),
    ],
)
def test_a_bad_request_is_422_naming_the_field_and_saves_nothing(world, scene, overrides, named):
    acme = client_on(world.acme, world.acme_admin)
    response = post(acme, "/sharing/agreements", agreement_payload(world, scene, **overrides))
    assert response.status_code == 422, response.content
    assert named in str(response.json()["detail"])
    assert not DataSharingAgreement.objects.exists()


def test_only_organisation_admins_handle_agreements(world, scene):
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get(f"{API}/sharing/agreements").status_code == 403
    response = post(worker, "/sharing/agreements", agreement_payload(world, scene))
    assert response.status_code == 403
    assert not DataSharingAgreement.objects.exists()
    agreement = active_agreement(world, scene)
    assert worker.get(f"{API}/sharing/agreements/{agreement.pk}").status_code == 403
    # another organisation's agreement (acme's request to beta) is not beta's worker's either
    assert (
        client_on(world.beta, world.beta_worker)
        .get(f"{API}/sharing/agreements/{agreement.pk}")
        .status_code
        == 403
    )
    outsider_admin = UserFactory(email="admin@third.test")
    assert client_on(world.acme, outsider_admin).get(f"{API}/sharing/agreements").status_code in (
        401,
        403,
        404,
    )


def test_tokens_work_only_on_their_own_organisation(world, scene):
    agreement = active_agreement(world, scene)
    _token, raw = token_create(actor=member_actor(world.acme_admin, world.acme), name="sharing")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    own = client_on(world.acme).get(f"{API}/sharing/agreements/{agreement.pk}", **bearer)
    assert own.status_code == 200 and own.json()["id"] == agreement.pk
    on_beta = client_on(world.beta)
    assert on_beta.get(f"{API}/sharing/agreements/{agreement.pk}", **bearer).status_code == 401
    response = post(
        on_beta, f"/sharing/agreements/{agreement.pk}/revoke", {"reason": "x"}, **bearer
    )
    assert response.status_code == 401
    assert DataSharingAgreement.objects.get(pk=agreement.pk).status == AgreementStatus.ACTIVE
    assert (
        on_beta.get(f"{API}/sharing/persons/{scene.child.cpims_id}/consents", **bearer).status_code
        == 401
    )
    # beta's admin's token on beta's host sees the agreement from its side only
    _token, beta_raw = token_create(actor=member_actor(scene.beta_admin, world.beta), name="b")
    beta_side = on_beta.get(
        f"{API}/sharing/agreements/{agreement.pk}", HTTP_AUTHORIZATION=f"Bearer {beta_raw}"
    )
    assert beta_side.status_code == 200 and beta_side.json()["direction"] == "incoming"


# --- consents -----------------------------------------------------------------------------------
def test_record_change_and_withdraw_a_consent(world, scene):
    beta = client_on(world.beta, world.beta_worker)
    url = f"/sharing/persons/{scene.child.cpims_id}/consents"
    recorded = post(beta, url, consent_payload())
    assert recorded.status_code == 201, recorded.content
    first = recorded.json()
    assert first["version"] == 1 and first["state"] == "in_force"
    assert first["recorded_by_email"] == world.beta_worker.email

    changed = post(
        beta,
        f"/sharing/consents/{first['id']}/versions",
        consent_payload(scope={"case_summary": ["national_reference"]}),
    )
    assert changed.status_code == 201 and changed.json()["version"] == 2
    before = logged_reads(world.beta)
    versions = beta.get(API + url).json()
    assert logged_reads(world.beta) == before + 1  # reading consent records is logged
    assert [(c["version"], c["state"]) for c in versions] == [(2, "in_force"), (1, "superseded")]
    assert len({c["series"] for c in versions}) == 1
    stale = post(beta, f"/sharing/consents/{first['id']}/withdraw", {"reason": "Mother asked"})
    assert stale.status_code == 422 and "replaced" in stale.json()["detail"]

    current = changed.json()["id"]
    no_reason = post(beta, f"/sharing/consents/{current}/withdraw", {"reason": ""})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    assert Consent.objects.get(pk=current).withdrawn_at is None
    withdrawn = post(beta, f"/sharing/consents/{current}/withdraw", {"reason": "Mother asked"})
    assert withdrawn.status_code == 200
    assert withdrawn.json() | {"state": "withdrawn", "withdrawal_reason": "Mother asked"} == (
        withdrawn.json()
    )
    # another organisation sees none of it, and cannot touch it
    acme = client_on(world.acme, world.acme_admin)
    assert acme.get(API + url).status_code == 403  # no case of the child there
    assert post(acme, f"/sharing/consents/{current}/versions", consent_payload()).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"given_by": "neighbour"}, "given_by"),
        ({"giver_name": ""}, "giver_name"),
        ({"giver_relationship": ""}, "giver_relationship"),
        ({"given_by": "court_order", "reference": ""}, "reference"),
        ({"purpose": ""}, "purpose"),
        ({"scope": {"case_summary": ["no_such_field"]}}, "scope"),
        ({"given_on": "2999-01-01"}, "given_on"),
        ({"valid_until": "2001-01-01"}, "valid_until"),
        ({"given_on": "not a date"}, "given_on"),
    ],
)
def test_bad_consent_input_is_refused_and_records_nothing(world, scene, overrides, named):
    beta = client_on(world.beta, world.beta_worker)
    response = post(
        beta, f"/sharing/persons/{scene.child.cpims_id}/consents", consent_payload(**overrides)
    )
    assert response.status_code == 422, response.content
    assert named in str(response.json()["detail"])
    assert not Consent.objects.exists()


def test_consents_need_a_role_that_records_cases_and_a_known_person(world, scene):
    viewer = UserFactory(email="viewer@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    client = client_on(world.beta, viewer)
    url = f"/sharing/persons/{scene.child.cpims_id}/consents"
    assert client.get(API + url).status_code == 403
    assert post(client, url, consent_payload()).status_code == 403
    assert not Consent.objects.exists()
    beta = client_on(world.beta, world.beta_worker)
    assert post(beta, "/sharing/persons/NOT-AN-ID/consents", consent_payload()).status_code == 404
    assert not Consent.objects.exists()


def test_consents_are_handled_only_by_members_who_see_the_childs_cases(world, scene):
    """Consent records are part of the child's record: a case worker whose caseload does
    not hold the child's case (scope "own") neither reads nor changes them."""
    url = f"/sharing/persons/{scene.child.cpims_id}/consents"
    owner = client_on(world.beta, world.beta_worker)  # opened the child's case
    recorded = post(owner, url, consent_payload())
    assert recorded.status_code == 201
    colleague = UserFactory(email="colleague@beta.test")
    membership_grant(user=colleague, organisation=world.beta, roles=[Role.CASE_WORKER])
    other = client_on(world.beta, colleague)
    before = logged_reads(world.beta)
    assert other.get(API + url).status_code == 403
    assert logged_reads(world.beta) == before  # nothing read, nothing logged
    assert post(other, url, consent_payload()).status_code == 403
    consent_id = recorded.json()["id"]
    assert (
        post(other, f"/sharing/consents/{consent_id}/versions", consent_payload()).status_code
        == 403
    )
    withdraw = post(other, f"/sharing/consents/{consent_id}/withdraw", {"reason": "Because"})
    assert withdraw.status_code == 403
    assert Consent.objects.count() == 1 and Consent.objects.get().withdrawn_at is None
    assert owner.get(API + url).status_code == 200


# --- referrals ----------------------------------------------------------------------------------
@pytest.fixture
def consent(world, scene):
    return give_consent(world, scene, fields=["national_reference", "occurrence_village", "status"])


def send_payload(consent, **overrides) -> dict:
    data = {
        "receiver": "acme",
        "kind": "referral",
        "services": ["RMPC"],
        "reason": "Needs psychosocial counselling near her new home",
        "reasons": ["RMPC"],  # the case record sheet's reason (issue 17)
        "consent_id": consent.pk,
        "fields": {"case_summary": ["national_reference", "occurrence_village"]},
    }
    data.update(overrides)
    return data


def send(world, scene, consent, **overrides) -> dict:
    beta = client_on(world.beta, world.beta_worker)
    response = post(beta, f"/cases/{scene.case.pk}/transfers", send_payload(consent, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def test_send_list_read_and_accept_a_transfer(world, scene, consent):
    sent = send(world, scene, consent, kind="transfer")
    assert sent["status"] == "pending" and sent["receiver"] == "acme"
    assert sent["summary"] == [] and sent["person_cpims_id"] == scene.child.cpims_id
    beta = client_on(world.beta, world.beta_worker)
    outbox = beta.get(f"{API}/sharing/referrals/sent?q=counselling").json()
    assert [r["id"] for r in outbox["items"]] == [sent["id"]]
    assert beta.get(f"{API}/sharing/referrals/sent?status=declined").json()["count"] == 0

    by_number = beta.get(f"{API}/sharing/referrals/sent?q=%23{sent['id']}").json()
    assert [r["id"] for r in by_number["items"]] == [sent["id"]]
    for odd in ("99999999999999999999", "%C2%B2"):  # beyond bigint; a superscript digit
        listed = beta.get(f"{API}/sharing/referrals/sent?q={odd}")
        assert listed.status_code == 200 and listed.json()["count"] == 0, odd

    acme = client_on(world.acme, world.acme_worker)
    inbox = acme.get(f"{API}/sharing/referrals/received?q=Chepkoech&status=pending").json()
    assert [r["id"] for r in inbox["items"]] == [sent["id"]]
    before = logged_reads(world.acme)
    detail = acme.get(f"{API}/sharing/referrals/received/{sent['id']}")
    assert detail.status_code == 200
    [part] = detail.json()["summary"]
    assert part["fields"] == ["national_reference", "occurrence_village"]
    assert part["rows"] == [
        {"national_reference": scene.case.national_reference, "occurrence_village": SHARED_VILLAGE}
    ]
    assert SECRET_NARRATIVE not in detail.content.decode()
    assert logged_reads(world.acme) == before + 1
    with workspace_context(world.acme):
        entry = AccessEntry.objects.order_by("-pk").first()
        assert entry.record_kind == "referral_summary"
        assert entry.record_id == scene.child.cpims_id

    url = f"/sharing/referrals/received/{sent['id']}/accept"
    bad = post(acme, url, {"category_code": "ZZZZ", "risk_level": "RLMD"})
    assert bad.status_code == 422
    with workspace_context(world.acme):
        assert not CaseRecord.objects.filter(child=scene.child).exists()
    assert OrganisationReferral.objects.get(pk=sent["id"]).status == ReferralStatus.PENDING
    accepted = post(acme, url, {"category_code": "CSIC", "risk_level": "RLMD", "notes": "OK"})
    assert accepted.status_code == 201, accepted.content
    body = accepted.json()
    assert body["status"] in ("accepted", "completed") and body["receiver_case_reference"]
    with workspace_context(world.acme):
        case = CaseRecord.objects.get(pk=body["receiver_case_id"])
        assert case.child_id == scene.child.pk
    seen_by_sender = beta.get(f"{API}/sharing/referrals/sent/{sent['id']}").json()
    assert [e["kind"] for e in seen_by_sender["events"]][:2] == ["sent", "accepted"]
    assert seen_by_sender["summary"] == []  # the sender's view carries no summary


def test_bad_sends_are_refused_and_send_nothing(world, scene, consent):
    beta = client_on(world.beta, world.beta_worker)
    url = f"/cases/{scene.case.pk}/transfers"
    other = give_consent(world, scene, organisation=world.acme, actor=world.acme_worker)
    for overrides, named in (
        ({"reason": "", "reasons": []}, "reasons"),  # the sheet's reason codes say why
        ({"reasons": ["XXXX"]}, "reasons"),
        ({"actor": "XXXX"}, "actor"),
        ({"receiver": "beta"}, "receiver"),  # itself
        ({"receiver": "nosuch"}, "receiver"),
        ({"kind": "adoption"}, "kind"),
        ({"services": ["XXXX"]}, "services"),
        ({"consent_id": 0}, "consent"),
        ({"consent_id": other.pk}, "consent"),  # acme's consent, not beta's
        ({"fields": {"case_summary": ["narrative"]}}, "fields"),  # not consented
    ):
        response = post(beta, url, send_payload(consent, **overrides))
        assert response.status_code == 422, (overrides, response.content)
        assert named in str(response.json()["detail"]), overrides
    assert not OrganisationReferral.objects.exists()
    # a case the caller cannot see, or another organisation's case, is 404
    acme = client_on(world.acme, world.acme_worker)
    assert post(acme, url, send_payload(consent)).status_code == 404
    assert not OrganisationReferral.objects.exists()


def test_decline_needs_a_reason_and_the_sender_sees_it(world, scene, consent):
    sent = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    url = f"/sharing/referrals/received/{sent['id']}/decline"
    assert post(acme, url, {"reason": ""}).status_code == 422
    assert OrganisationReferral.objects.get(pk=sent["id"]).status == ReferralStatus.PENDING
    declined = post(acme, url, {"reason": "No place left"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    beta = client_on(world.beta, world.beta_worker)
    events = beta.get(f"{API}/sharing/referrals/sent/{sent['id']}").json()["events"]
    assert events[-1]["kind"] == "declined" and events[-1]["reason"] == "No place left"
    # the sender cannot decline, the receiver cannot withdraw: their lookups are by side
    assert post(beta, url, {"reason": "x"}).status_code == 404
    withdraw = f"/sharing/referrals/sent/{sent['id']}/withdraw"
    assert post(acme, withdraw, {"reason": "x"}).status_code == 404


def test_withdrawal_by_the_sender_hides_the_referral_from_the_receiver(world, scene, consent):
    sent = send(world, scene, consent)
    beta = client_on(world.beta, world.beta_worker)
    url = f"/sharing/referrals/sent/{sent['id']}/withdraw"
    assert post(beta, url, {"reason": ""}).status_code == 422
    withdrawn = post(beta, url, {"reason": "Family moved back"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert OrganisationReferral.objects.get(pk=sent["id"]).summary == {}
    acme = client_on(world.acme, world.acme_worker)
    assert acme.get(f"{API}/sharing/referrals/received/{sent['id']}").status_code == 404
    assert acme.get(f"{API}/sharing/referrals/received").json()["count"] == 0


def test_no_summary_and_no_read_logged_once_the_consent_is_not_in_force(world, scene, consent):
    sent = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    url = f"{API}/sharing/referrals/received/{sent['id']}"
    # the consent lapsed (its end date passed) while the referral waits: no summary, no read
    Consent.objects.filter(pk=consent.pk).update(
        given_on=timezone.localdate() - timedelta(days=30),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    before = logged_reads(world.acme)
    lapsed = acme.get(url)
    assert lapsed.status_code == 200
    assert lapsed.json()["consent_in_force"] is False and lapsed.json()["summary"] == []
    assert SHARED_VILLAGE not in lapsed.content.decode()
    assert logged_reads(world.acme) == before
    # a withdrawn consent withdraws the pending referral: the receiver no longer sees it
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate())
    services_consent.consent_withdraw(
        consent=consent, actor=Actor(user=world.beta_worker), reason="Asked"
    )
    assert acme.get(url).status_code == 404


def test_referral_endpoints_follow_the_roles(world, scene, consent):
    viewer = UserFactory(email="viewer@acme.test")
    membership_grant(user=viewer, organisation=world.acme, roles=[Role.VIEWER])
    sent = send(world, scene, consent)
    client = client_on(world.acme, viewer)
    assert client.get(f"{API}/sharing/referrals/received").status_code == 403
    assert client.get(f"{API}/sharing/referrals/received/{sent['id']}").status_code == 403
    accept = f"/sharing/referrals/received/{sent['id']}/accept"
    assert post(client, accept, {"category_code": "CSIC", "risk_level": "RLMD"}).status_code == 403
    assert OrganisationReferral.objects.get(pk=sent["id"]).status == ReferralStatus.PENDING
    # a token of beta's worker is refused on acme's host
    _token, raw = token_create(actor=member_actor(world.beta_worker, world.beta), name="w")
    response = client_on(world.acme).get(
        f"{API}/sharing/referrals/received", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 401


# --- shared records through the gateway ---------------------------------------------------------
def test_the_gateway_refuses_cleanly_with_its_reason_and_logs_nothing(world, scene):
    acme = client_on(world.acme, world.acme_worker)
    url = f"{API}/sharing/persons/{scene.child.cpims_id}/shared-records"
    before = PlatformAccessEntry.objects.count(), logged_reads(world.acme)
    nothing = acme.get(url)
    assert nothing.status_code == 403 and nothing.json()["reason"] == "nothing_shared"
    no_agreement = acme.get(url + "?record_kind=case_summary&fields=national_reference")
    assert no_agreement.status_code == 403 and no_agreement.json()["reason"] == "no_agreement"
    active_agreement(world, scene, scope={"case_summary": ["national_reference"]})
    unshared = acme.get(url + "?record_kind=case_summary&fields=narrative")
    assert unshared.status_code == 403
    assert unshared.json()["reason"] in ("field_not_shared", "unknown_field")
    assert SECRET_NARRATIVE not in unshared.content.decode()
    other = acme.get(
        f"{API}/sharing/persons/{scene.other_child.cpims_id}/shared-records"
        "?record_kind=case_summary&fields=national_reference"
    )
    assert other.status_code == 403 and other.json()["reason"] == "person_out_of_scope"
    unknown_kind = acme.get(url + "?record_kind=nothing&fields=a")
    assert unknown_kind.status_code == 403 and unknown_kind.json()["reason"] == "unknown_kind"
    assert (PlatformAccessEntry.objects.count(), logged_reads(world.acme)) == before
    unknown = acme.get(f"{API}/sharing/persons/NOT-AN-ID/shared-records")  # as if known
    assert unknown.status_code == 403 and unknown.json()["reason"] == "nothing_shared"
    allowed = acme.get(url)
    assert allowed.status_code == 200 and allowed.json()[0]["fields"] == ["national_reference"]


# --- DCS headquarters (platform API) ------------------------------------------------------------
def test_sharing_approvers_approve_and_reject_from_the_queue(world, scene):
    first = request_agreement(world, scene)
    services.agreement_accept(agreement=first, actor=Actor(user=scene.beta_admin))
    second = request_agreement(world, scene, purpose="Family tracing")
    services.agreement_accept(agreement=second, actor=Actor(user=scene.beta_admin))
    console = client_on(None, scene.approver)
    queue = console.get(f"{API}/sharing/approval-queue").json()
    assert [a["id"] for a in queue["items"]] == [first.pk, second.pk]
    assert queue["items"][0]["person_cpims_ids"] == [scene.child.cpims_id]
    assert console.get(f"{API}/sharing/approval-queue?q=tracing").json()["count"] == 1

    approved = post(console, f"/sharing/agreements/{first.pk}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    assert approved.json()["events"][-2]["kind"] == "approved"
    no_reason = post(console, f"/sharing/agreements/{second.pk}/reject", {"reason": ""})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    assert DataSharingAgreement.objects.get(pk=second.pk).status == AgreementStatus.ACCEPTED
    rejected = post(console, f"/sharing/agreements/{second.pk}/reject", {"reason": "Too broad"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert console.get(f"{API}/sharing/approval-queue").json()["count"] == 0
    again = post(console, f"/sharing/agreements/{first.pk}/approve")
    assert again.status_code == 422
    assert post(console, "/sharing/agreements/999999/approve").status_code == 404


def test_only_sharing_approvers_use_the_queue(world, scene):
    agreement = request_agreement(world, scene)
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    for client in (
        client_on(None, world.hq_admin),  # a national administrator, not a sharing approver
        client_on(None, world.acme_admin),
    ):
        assert client.get(f"{API}/sharing/approval-queue").status_code == 403
        assert post(client, f"/sharing/agreements/{agreement.pk}/approve").status_code == 403
    assert client_on(None).get(f"{API}/sharing/approval-queue").status_code == 401
    assert DataSharingAgreement.objects.get(pk=agreement.pk).status == AgreementStatus.ACCEPTED

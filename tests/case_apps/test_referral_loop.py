"""Referrals that close the loop (issue 17, point 7 and the several reasons of point 2).

A referral of the case record sheet carries one or more reasons; a referral to an
organisation with a workspace is ONE record (the inter-organisation referral and the sheet's
row linked to it) whose status on the sheet follows the receiver: accepted, completed with
the end date the receiver enters, declined with the reason. The send form starts with the
smallest scope; the receiver sees sex, age and labels, and the sending officer's name.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.cases.models import CaseEvent, Referral, ReferralStatus
from case_apps.cases.services.referrals import referral_delete, referral_record
from case_apps.lists.selectors import list_labels_bulk
from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.services import outbox_sources_under
from provisioning.services import organisation_provision
from sharing.models import OrganisationReferral
from sharing.models import ReferralStatus as OrgStatus
from tenants.actor import member_actor
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant, organisation_create
from tests.case_apps.conftest import actor_of, open_case, team  # noqa: F401 (fixture)
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.sharing.conftest import SECRET_NARRATIVE, scene  # noqa: F401 (fixture)
from tests.sharing.test_consent import give_consent

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"
EVERYTHING = [
    "national_reference",
    "date_reported",
    "status",
    "category_codes",
    "risk_level",
    "occurrence_village",
    "reporter_name",
    "narrative",
    "child_date_of_birth",
]


def post(client, url: str, data: dict | None = None):
    return client.post(API + url, data or {}, content_type=JSON)


def sheet_rows(world, case) -> list[Referral]:
    with workspace_context(world.beta):
        return list(Referral.objects.filter(case_id=case.pk).order_by("pk"))


@pytest.fixture
def consent(world, scene):  # noqa: F811
    return give_consent(world, scene, fields=EVERYTHING)


def send_on_screen(world, scene, consent, **overrides):  # noqa: F811
    data = {
        "send": "1",
        "receiver": str(world.acme.pk),
        "kind": "referral",
        "services": ["RMPC"],
        "reason": "",
        "consent": str(consent.pk),
        "fields": ["case_summary:national_reference", "case_summary:category_codes"],
        "reasons": ["RMTX", "RMPP"],
        "share_phone": "on",
    }
    data.update(overrides)
    return client_on(world.beta, world.beta_worker).post(
        f"/cases/{scene.case.pk}/transfers/new/", data
    )


# --- several reasons on one referral ------------------------------------------------------------
def test_one_referral_carries_several_reasons_and_counts_once_per_reason(world, team):  # noqa: F811
    case = open_case(world.acme, team.worker)
    actor = actor_of(world.acme, team.worker)
    with workspace_context(world.acme):
        referral = referral_record(
            case=case,
            actor=actor,
            actor_type="RDSA",
            destination="RDPH",
            destination_name="Kisumu County Referral Hospital",
            reasons=["RMTX", "RMPP", "RMTX"],  # a repeat is kept once
            referred_on=timezone.localdate(),
        )
        assert Referral.objects.get(pk=referral.pk).reasons == ["RMTX", "RMPP"]
        facts = OutboxEvent.objects.filter(kind="referral", source__contains="referral:")
        assert sorted(f.payload["category"] for f in facts) == ["RMPP", "RMTX"]
        assert {f.source for f in facts} == {
            f"case:{case.pk}:referral:{referral.pk}",
            f"case:{case.pk}:referral:{referral.pk}:RMPP",
        }
        assert CaseEvent.objects.filter(case=case, action="referral_recorded").exists()
    page = client_on(world.acme, team.worker).get(f"/cases/{case.pk}/").content.decode()
    assert "Medical examination/treatment, PEP" in page  # labels, never the codes

    supervisor = actor_of(world.acme, team.supervisor)
    with workspace_context(world.acme):
        referral_delete(actor=supervisor, case=case, referral_id=referral.pk, reason="Wrong case")
        assert outbox_sources_under(f"case:{case.pk}:referral:") == []  # every reason's fact


def test_the_record_sheet_form_and_the_api_take_several_reasons(world, team):  # noqa: F811
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    today = timezone.localdate().isoformat()
    form = {"actor": "RDSA", "destination": "RDPH", "referred_on": today}
    empty = client.post(f"/cases/{case.pk}/referrals/new/", form)
    assert empty.status_code == 200 and b"This field is required" in empty.content
    done = client.post(f"/cases/{case.pk}/referrals/new/", {**form, "reasons": ["RMTX", "RMPP"]})
    assert done.status_code == 302
    api = {"actor": "RDSA", "destination": "RDPL", "referred_on": today}
    for reasons in ([], ["XXXX"]):
        refused = post(client, f"/cases/{case.pk}/referrals", {**api, "reasons": reasons})
        assert refused.status_code == 422 and "reasons" in str(refused.json()), reasons
    created = post(client, f"/cases/{case.pk}/referrals", {**api, "reasons": ["RMPR", "RMLG"]})
    assert created.status_code == 201
    with workspace_context(world.acme):
        assert [r.reasons for r in Referral.objects.filter(case_id=case.pk).order_by("pk")] == [
            ["RMTX", "RMPP"],
            ["RMPR", "RMLG"],
        ]
    read = client.get(f"{API}/cases/{case.pk}/referrals/{created.json()['id']}")
    assert read.status_code == 200 and read.json()["reasons"] == ["RMPR", "RMLG"]
    assert read.json()["organisation_referral_id"] is None
    # another organisation's member does not read it
    beta = client_on(world.beta, world.beta_worker)
    assert beta.get(f"{API}/cases/{case.pk}/referrals/{created.json()['id']}").status_code == 404


# --- one record that follows the receiver -------------------------------------------------------
def test_a_referral_to_an_organisation_is_one_record_whose_status_follows_the_receiver(
    world,
    scene,  # noqa: F811
    consent,
    django_capture_on_commit_callbacks,
):
    assert send_on_screen(world, scene, consent).status_code == 302
    referral = OrganisationReferral.objects.get(sender=world.beta)
    [row] = sheet_rows(world, scene.case)
    assert row.organisation_referral_id == referral.pk and row.reasons == ["RMTX", "RMPP"]
    assert row.destination_name == world.acme.name and row.status == ReferralStatus.PENDING
    assert (row.actor, row.destination) == ("RDNA", "RMCI")  # acme is a CCI
    assert referral.reasons == ["RMTX", "RMPP"]
    # the sender does not record its outcome, nor remove it: the receiver says what came of it
    beta = client_on(world.beta, world.beta_worker)
    outcome = beta.post(
        f"/cases/{scene.case.pk}/referrals/{row.pk}/outcome/",
        {"completed": "on", "completed_on": timezone.localdate().isoformat(), "outcome": "x"},
    )
    assert outcome.status_code == 200 and b"receiving organisation records" in outcome.content

    acme = client_on(world.acme, world.acme_worker)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = acme.post(
            f"/cases/referrals-in/{referral.pk}/accept/",
            {"category_code": "CSIC", "risk_level": "RLMD"},
        )
    assert accepted.status_code == 302
    [row] = sheet_rows(world, scene.case)
    assert row.status == ReferralStatus.ACCEPTED

    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = acme.post(f"/cases/referrals-in/{referral.pk}/complete/", {"completed_on": future})
    assert refused.status_code == 400 and b"cannot be in the future" in refused.content
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        completed = acme.post(
            f"/cases/referrals-in/{referral.pk}/complete/",
            {"completed_on": today.isoformat(), "note": "Examined; PEP started"},
        )
    assert completed.status_code == 302
    [row] = sheet_rows(world, scene.case)
    assert row.status == ReferralStatus.COMPLETED and row.completed_on == today
    assert row.outcome == "Examined; PEP started"
    with workspace_context(world.beta):
        assert CaseEvent.objects.filter(case_id=scene.case.pk, action="referral_followed").count()
    page = beta.get(f"/cases/{scene.case.pk}/").content.decode()
    assert f"Completed on {today:%-d %b %Y}" in page
    assert "Examined; PEP started" in page


def test_a_declined_referral_shows_declined_with_the_reason_on_the_sheet(
    world,
    scene,  # noqa: F811
    consent,
    django_capture_on_commit_callbacks,
):
    send_on_screen(world, scene, consent)
    referral = OrganisationReferral.objects.get(sender=world.beta)
    with django_capture_on_commit_callbacks(execute=True):
        client_on(world.acme, world.acme_worker).post(
            f"/cases/referrals-in/{referral.pk}/decline/", {"reason": "No PEP stock this week"}
        )
    [row] = sheet_rows(world, scene.case)
    assert row.status == ReferralStatus.DECLINED and row.outcome == "No PEP stock this week"
    assert row.completed_on == timezone.localdate()


def test_a_withdrawn_referral_shows_withdrawn_on_the_sheet(
    world,
    scene,  # noqa: F811
    consent,
    django_capture_on_commit_callbacks,
):
    send_on_screen(world, scene, consent)
    referral = OrganisationReferral.objects.get(sender=world.beta)
    with django_capture_on_commit_callbacks(execute=True):
        client_on(world.beta, world.beta_worker).post(
            f"/cases/{scene.case.pk}/transfers/{referral.pk}/withdraw/", {"reason": "Family left"}
        )
    [row] = sheet_rows(world, scene.case)
    assert row.status == ReferralStatus.WITHDRAWN and row.outcome == "Family left"


def test_a_transfer_is_not_a_referral_of_the_sheet(world, scene, consent):  # noqa: F811
    response = send_on_screen(world, scene, consent, kind="transfer", reasons=[], reason="Moved")
    assert response.status_code == 302
    assert OrganisationReferral.objects.get(sender=world.beta).kind == "transfer"
    assert sheet_rows(world, scene.case) == []


def test_a_referral_without_a_reason_code_sends_nothing(world, scene, consent):  # noqa: F811
    response = send_on_screen(world, scene, consent, reasons=[], reason="typed note")
    assert response.status_code == 400 and b"Choose at least one reason" in response.content
    assert b"typed note</textarea>" in response.content  # what was typed is kept
    assert not OrganisationReferral.objects.exists() and sheet_rows(world, scene.case) == []


# --- the send form and the receiver's summary ---------------------------------------------------
def test_the_send_form_starts_with_the_smallest_scope(world, scene, consent):  # noqa: F811
    page = (
        client_on(world.beta, world.beta_worker)
        .get(f"/cases/{scene.case.pk}/transfers/new/")
        .content.decode()
    )

    def checked(field: str) -> bool:
        start = page.index(f'value="case_summary:{field}"')
        return "checked" in page[start : page.index(">", start)]

    for field in ("national_reference", "category_codes", "risk_level"):
        assert checked(field), field
    for field in ("narrative", "reporter_name", "child_date_of_birth", "occurrence_village"):
        assert not checked(field), field
    start = page.index('name="share_phone"')
    assert "checked" in page[start : page.index(">", start)]


def test_the_receiver_sees_sex_age_labels_and_the_sending_officer_not_their_email(
    world,
    scene,  # noqa: F811
    consent,
):
    world.beta_worker.phone = "0722 000 111"
    world.beta_worker.save(update_fields=["phone"])
    send_on_screen(
        world,
        scene,
        consent,
        fields=[
            "case_summary:national_reference",
            "case_summary:category_codes",
            "case_summary:risk_level",
        ],
    )
    referral = OrganisationReferral.objects.get(sender=world.beta)
    assert referral.sender_phone == "0722 000 111"
    page = (
        client_on(world.acme, world.acme_worker)
        .get(f"/cases/referrals-in/{referral.pk}/")
        .content.decode()
    )
    labels = list_labels_bulk(["case_category", "risk_level"])
    assert labels["case_category"]["CSIC"] in page and labels["risk_level"]["RLHG"] in page
    assert "Female" in page and "years" in page  # sex and age
    assert "2014-03-09" not in page and "9 Mar 2014" not in page  # no date of birth
    assert "Medical examination/treatment, PEP" in page
    assert ">RMTX<" not in page and "CSIC</td>" not in page
    assert world.beta_worker.full_name in page and "0722 000 111" in page
    assert world.beta_worker.email not in page
    assert SECRET_NARRATIVE not in page


def test_the_date_of_birth_shows_only_when_shared(world, scene, consent):  # noqa: F811
    send_on_screen(world, scene, consent, fields=["case_summary:child_date_of_birth"])
    referral = OrganisationReferral.objects.get(sender=world.beta)
    born = scene.child.date_of_birth
    page = client_on(world.acme, world.acme_worker).get(f"/cases/referrals-in/{referral.pk}/")
    assert f"{born:%-d %b %Y}" in page.content.decode()


# --- the API ------------------------------------------------------------------------------------
def test_the_api_sends_one_record_follows_the_receiver_and_isolates_a_third_organisation(
    world,
    scene,  # noqa: F811
    consent,
    django_capture_on_commit_callbacks,
):
    gamma = organisation_provision(
        organisation=organisation_create(name="Gamma Rescue Centre", slug="gamma", kind="cci")
    )
    gamma_worker = UserFactory(email="worker@gamma.test")
    membership_grant(user=gamma_worker, organisation=gamma, roles=[Role.ORGANISATION_ADMIN])
    third = client_on(gamma, gamma_worker)
    beta = client_on(world.beta, world.beta_worker)
    payload = {
        "receiver": "acme",
        "kind": "referral",
        "consent_id": consent.pk,
        "fields": {"case_summary": ["national_reference"]},
        "reasons": ["RMTX", "RMPP"],
        "share_phone": True,
    }
    for bad, named in (({"reasons": []}, "reasons"), ({"destination": "XXXX"}, "destination")):
        refused = post(beta, f"/cases/{scene.case.pk}/transfers", {**payload, **bad})
        assert refused.status_code == 422 and named in str(refused.json()), bad
    assert not OrganisationReferral.objects.exists() and sheet_rows(world, scene.case) == []
    sent = post(beta, f"/cases/{scene.case.pk}/transfers", payload)
    assert sent.status_code == 201, sent.content
    assert sent.json()["reasons"] == ["RMTX", "RMPP"]
    assert sent.json()["sender_officer"] == world.beta_worker.full_name
    [row] = sheet_rows(world, scene.case)
    sheet_url = f"{API}/cases/{scene.case.pk}/referrals/{row.pk}"
    assert beta.get(sheet_url).json()["organisation_referral_id"] == sent.json()["id"]

    acme = client_on(world.acme, world.acme_worker)
    received = f"/sharing/referrals/received/{sent.json()['id']}"
    seen = acme.get(API + received)
    assert seen.json()["sender_officer"] == world.beta_worker.full_name
    assert world.beta_worker.email not in seen.content.decode()  # the name, not the e-mail
    not_yet = post(acme, received + "/complete", {"completed_on": str(timezone.localdate())})
    assert not_yet.status_code == 422  # only an accepted referral is completed
    with django_capture_on_commit_callbacks(execute=True):
        accepted = post(acme, received + "/accept", {"category_code": "CSIC", "risk_level": "RLMD"})
    assert accepted.status_code == 201
    assert beta.get(sheet_url).json()["status"] == "accepted"

    # organisation C, neither sender nor receiver, sees and changes nothing
    assert third.get(f"{API}{received}").status_code == 404
    assert third.get(sheet_url).status_code == 404
    today = str(timezone.localdate())
    assert post(third, received + "/complete", {"completed_on": today}).status_code == 404
    # nor does the receiver read the sender's sheet
    assert acme.get(sheet_url).status_code == 404

    future = str(timezone.localdate() + timedelta(days=2))
    refused = post(acme, received + "/complete", {"completed_on": future})
    assert refused.status_code == 422 and "completed_on" in str(refused.json())
    missing = post(acme, received + "/complete", {})
    assert missing.status_code == 422 and "completed_on" in str(missing.json())
    with django_capture_on_commit_callbacks(execute=True):
        done = post(acme, received + "/complete", {"completed_on": today, "note": "Seen"})
    assert done.status_code == 200 and done.json()["status"] == OrgStatus.COMPLETED
    assert done.json()["completed_on"] == today
    sheet = beta.get(sheet_url).json()
    assert sheet["status"] == "completed" and sheet["completed_on"] == today
    assert sheet["outcome"] == "Seen"


def test_the_follow_task_runs_only_in_the_senders_schema(world, scene, consent):  # noqa: F811
    from case_apps.cases.services.transfer_closure import organisation_referral_follow

    send_on_screen(world, scene, consent)
    referral = OrganisationReferral.objects.get(sender=world.beta)
    with workspace_context(world.acme), pytest.raises(RuntimeError):
        organisation_referral_follow(referral_id=referral.pk)
    with workspace_context(world.beta):
        assert organisation_referral_follow(referral_id=referral.pk) == "sheet: pending"
    assert organisation_referral_follow(referral_id=0) == "nothing to do"


def test_the_receivers_completion_is_the_receivers_alone(world, scene, consent):  # noqa: F811
    from django.core.exceptions import PermissionDenied

    from sharing.services_referrals import referral_mark_completed

    send_on_screen(world, scene, consent)
    referral = OrganisationReferral.objects.get(sender=world.beta)
    with pytest.raises(PermissionDenied):
        referral_mark_completed(
            referral=referral,
            actor=member_actor(world.beta_worker, world.beta),
            completed_on=timezone.localdate(),
        )
    referral.refresh_from_db()
    assert referral.status == OrgStatus.PENDING and referral.completed_on is None


def test_a_referral_to_an_organisation_is_withdrawn_not_removed(world, scene, consent):  # noqa: F811
    from case_apps.cases.services.common import CaseStateError

    send_on_screen(world, scene, consent)
    [row] = sheet_rows(world, scene.case)
    admin = member_actor(scene.beta_admin, world.beta)
    with workspace_context(world.beta), pytest.raises(CaseStateError):
        referral_delete(actor=admin, case=scene.case, referral_id=row.pk, reason="Mistake")
    assert sheet_rows(world, scene.case) == [row]

"""The sharing API's creates take the client's own uuid (issue 16 item 4): an agreement
request and a consent (and a consent's new version). A repeat with the same uuid and
content answers 200 with the record and writes nothing; the same uuid with other content is
a 422 naming ``uuid``; another organisation's uuid never hands over that organisation's
record."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from case_apps.cases.models import CaseRecord
from sharing.models import (
    AgreementEvent,
    Consent,
    DataSharingAgreement,
    OrganisationReferral,
    ReferralEvent,
    ReferralStatus,
)
from tenants.client_ids import uuid_schema
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on
from tests.sharing.conftest import request_agreement
from tests.sharing.test_api import agreement_payload, consent_payload, post, send_payload
from tests.sharing.test_consent import give_consent

pytestmark = pytest.mark.django_db
MODELS = (DataSharingAgreement, Consent, OrganisationReferral)


def _agreements_written() -> tuple[int, int]:
    return DataSharingAgreement.objects.count(), AgreementEvent.objects.count()


def test_every_sharing_record_a_client_creates_has_a_unique_uuid_with_a_database_default():
    with connection.cursor() as cursor:
        for model in MODELS:
            field = model._meta.get_field("uuid")
            assert field.unique and not field.editable
            cursor.execute(
                "SELECT column_default, is_nullable FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = %s AND column_name = 'uuid'",
                [model._meta.db_table],
            )
            default, nullable = cursor.fetchone()
            assert "gen_random_uuid" in default and nullable == "NO", model


def test_the_uuid_lock_of_a_shared_record_is_taken_in_public_whatever_the_workspace(world):
    """Two organisations' creates naming one uuid take turns (the unique index is public's)."""
    with workspace_context(world.acme):
        assert uuid_schema(DataSharingAgreement) == "public"
        assert uuid_schema(OrganisationReferral) == "public"
        assert uuid_schema(CaseRecord) == world.acme.schema_name


# --- agreements ---------------------------------------------------------------------------------
def test_an_agreement_request_with_the_clients_uuid_is_replayed_not_doubled(world, scene):
    acme = client_on(world.acme, world.acme_admin)
    chosen = str(uuid.uuid4())
    first = post(acme, "/sharing/agreements", agreement_payload(world, scene, uuid=chosen))
    assert first.status_code == 201, first.content
    assert first.json()["uuid"] == chosen
    assert DataSharingAgreement.objects.get(pk=first.json()["id"]).uuid == uuid.UUID(chosen)
    written = _agreements_written()

    again = post(acme, "/sharing/agreements", agreement_payload(world, scene, uuid=chosen))
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"] and again.json()["uuid"] == chosen
    assert _agreements_written() == written

    other = post(
        acme,
        "/sharing/agreements",
        agreement_payload(world, scene, uuid=chosen, purpose="Another purpose"),
    )
    assert other.status_code == 422, other.content
    assert "uuid" in str(other.json()["detail"])
    assert _agreements_written() == written

    drawn = post(acme, "/sharing/agreements", agreement_payload(world, scene))
    assert drawn.status_code == 201 and drawn.json()["uuid"] not in ("", chosen)


def test_another_organisations_agreement_uuid_is_refused_and_reveals_nothing(world, scene):
    chosen = uuid.uuid4()
    theirs = request_agreement(world, scene, uuid=chosen)
    written = _agreements_written()
    beta = client_on(world.beta, scene.beta_admin)
    response = post(
        beta,
        "/sharing/agreements",
        agreement_payload(
            world,
            scene,
            provider="acme",
            uuid=str(chosen),
            purpose=theirs.purpose,
            legal_basis=theirs.legal_basis,
        ),
    )
    assert response.status_code == 422, response.content
    assert "uuid" in str(response.json()["detail"])
    body = response.content.decode()
    assert str(theirs.pk) not in str(response.json().get("id", "")) and "acme" not in body
    assert _agreements_written() == written
    # nor does a service call hand it over, even with the very same content
    with pytest.raises(ValidationError) as refused:
        request_agreement(
            world,
            scene,
            requester=world.beta,
            provider=world.acme,
            actor=scene.beta_admin,
            uuid=chosen,
        )
    assert "uuid" in refused.value.message_dict
    assert _agreements_written() == written


# --- consents -----------------------------------------------------------------------------------
def test_a_consent_with_the_clients_uuid_is_replayed_not_doubled(world, scene):
    beta = client_on(world.beta, world.beta_worker)
    url = f"/sharing/persons/{scene.child.cpims_id}/consents"
    chosen = str(uuid.uuid4())
    first = post(beta, url, consent_payload(uuid=chosen))
    assert first.status_code == 201, first.content
    assert first.json()["uuid"] == chosen
    again = post(beta, url, consent_payload(uuid=chosen))
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert Consent.objects.count() == 1
    other = post(beta, url, consent_payload(uuid=chosen, giver_name="Someone Else"))
    assert other.status_code == 422 and "uuid" in str(other.json()["detail"])
    assert Consent.objects.count() == 1

    # a new version: its own uuid, replayed even though the version it replaced is no
    # longer current (a retried change is not refused as "already replaced")
    versions = f"/sharing/consents/{first.json()['id']}/versions"
    version_uuid = str(uuid.uuid4())
    narrower = {"case_summary": ["national_reference"]}
    changed = post(beta, versions, consent_payload(uuid=version_uuid, scope=narrower))
    assert changed.status_code == 201, changed.content
    assert changed.json()["version"] == 2 and changed.json()["uuid"] == version_uuid
    retried = post(beta, versions, consent_payload(uuid=version_uuid, scope=narrower))
    assert retried.status_code == 200, retried.content
    assert retried.json()["id"] == changed.json()["id"]
    assert Consent.objects.count() == 2
    differs = post(beta, versions, consent_payload(uuid=version_uuid))
    assert differs.status_code == 422 and "uuid" in str(differs.json()["detail"])
    # the first version's uuid does not name a version of it
    reused = post(beta, versions, consent_payload(uuid=chosen))
    assert reused.status_code == 422 and "uuid" in str(reused.json()["detail"])
    assert Consent.objects.count() == 2


def test_another_organisations_consent_uuid_never_hands_over_its_consent(world, scene):
    chosen = uuid.uuid4()
    theirs = give_consent(world, scene, uuid=chosen)
    with pytest.raises(ValidationError) as refused:
        give_consent(world, scene, organisation=world.acme, actor=world.acme_worker, uuid=chosen)
    assert "uuid" in refused.value.message_dict
    assert list(Consent.objects.values_list("pk", flat=True)) == [theirs.pk]
    own = give_consent(world, scene, organisation=world.acme, actor=world.acme_worker)
    assert own.uuid != chosen and own.organisation_id == world.acme.pk


# --- referrals ----------------------------------------------------------------------------------
def _referrals_written() -> tuple[int, int]:
    return OrganisationReferral.objects.count(), ReferralEvent.objects.count()


def test_a_referral_sent_with_the_clients_uuid_is_replayed_not_doubled(world, scene):
    consent = give_consent(world, scene)
    beta = client_on(world.beta, world.beta_worker)
    url = f"/cases/{scene.case.pk}/transfers"
    chosen = str(uuid.uuid4())
    first = post(beta, url, send_payload(consent, uuid=chosen))
    assert first.status_code == 201, first.content
    assert first.json()["uuid"] == chosen
    written = _referrals_written()

    # a retry is not refused as "already waiting at that organisation": it is the same one
    again = post(beta, url, send_payload(consent, uuid=chosen))
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert _referrals_written() == written

    for changes in (
        {"reason": "Another reason"},
        {"fields": {"case_summary": ["national_reference"]}},
        {"kind": "transfer"},
    ):
        other = post(beta, url, send_payload(consent, uuid=chosen, **changes))
        assert other.status_code == 422, (changes, other.content)
        assert "uuid" in str(other.json()["detail"])
    assert _referrals_written() == written
    assert OrganisationReferral.objects.get().status == ReferralStatus.PENDING


def test_another_organisations_referral_uuid_is_refused_and_reveals_nothing(world, scene):
    chosen = str(uuid.uuid4())
    beta = client_on(world.beta, world.beta_worker)
    theirs = post(
        beta,
        f"/cases/{scene.case.pk}/transfers",
        send_payload(give_consent(world, scene), uuid=chosen),
    )
    assert theirs.status_code == 201, theirs.content
    written = _referrals_written()

    child = make_child("Juma", "Mwangi")
    acme_case = open_case(world.acme, world.acme_worker, child)
    acme_consent = give_consent(
        world, scene, organisation=world.acme, actor=world.acme_worker, person=child
    )
    acme = client_on(world.acme, world.acme_worker)
    url = f"/cases/{acme_case.pk}/transfers"
    body = send_payload(acme_consent, receiver="beta", uuid=chosen)
    response = post(acme, url, body)
    assert response.status_code == 422, response.content
    assert "uuid" in str(response.json()["detail"])
    assert scene.case.national_reference not in response.content.decode()
    assert _referrals_written() == written
    # with its own uuid the same send goes through
    body["uuid"] = str(uuid.uuid4())
    own = post(acme, url, body)
    assert own.status_code == 201, own.content
    assert own.json()["sender"] == "acme" and own.json()["id"] != theirs.json()["id"]

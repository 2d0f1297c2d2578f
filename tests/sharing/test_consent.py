"""Consent records: versions, withdrawal, validation, and consent-based agreements through the
gateway (in force: read; withdrawn: refused on the very next request)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sharing import gateway, selectors, services_consent
from sharing.gateway import SharingRefused
from sharing.models import Consent, DataSharingAgreement
from sharing.services import NotAllowed
from tenants.actor import Actor, member_actor
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.sharing.conftest import SECRET_NARRATIVE, SHARED_VILLAGE, active_agreement

pytestmark = pytest.mark.django_db
FIELDS = ("national_reference", "occurrence_village")


def give_consent(world, scene, *, organisation=None, actor=None, fields=FIELDS, **overrides):
    today = timezone.localdate()
    arguments = {
        "organisation": organisation or world.beta,
        "person": scene.child,
        "actor": Actor(user=actor or world.beta_worker),
        "given_by": "parent",
        "giver_name": "Mary Chepkoech",
        "giver_relationship": "Mother",
        "purpose": "Continuity of care",
        "scope": {"case_summary": list(fields)},
        "given_on": today,
        "valid_until": today + timedelta(days=90),
    }
    arguments.update(overrides)
    return services_consent.consent_record(**arguments)


def _read(world, scene, fields=FIELDS):
    return gateway.read(
        actor=member_actor(world.acme_worker, world.acme),
        record_kind="case_summary",
        person=scene.child,
        fields=list(fields),
    )


# --- the record ---------------------------------------------------------------------------------
def test_a_change_records_a_new_version_and_keeps_the_old_one(world, scene):
    first = give_consent(world, scene)
    second = services_consent.consent_change(
        consent=first,
        actor=Actor(user=world.beta_worker),
        given_by="caregiver",
        giver_name="Aunt Rose",
        giver_relationship="Aunt",
        purpose="Continuity of care",
        given_on=first.given_on,
        scope={"case_summary": ["national_reference"]},
        valid_until=first.valid_until,
    )
    first.refresh_from_db()
    assert (second.series, second.version) == (first.series, 2)
    assert first.superseded_at is not None and first.state == "superseded"
    assert second.state == "in_force" and second.scope == {"case_summary": ["national_reference"]}
    [versions] = selectors.consents_of_person(organisation=world.beta, person_id=scene.child.pk)
    assert [c.version for c in versions] == [2, 1]  # history: newest first, the old one kept
    with pytest.raises(ValidationError):  # an old version is not changed again
        services_consent.consent_change(
            consent=first,
            actor=Actor(user=world.beta_worker),
            given_by="parent",
            giver_name="X",
            giver_relationship="Mother",
            purpose="p",
            scope={"case_summary": ["status"]},
            given_on=first.given_on,
            valid_until=first.valid_until,
        )
    assert Consent.objects.filter(series=first.series).count() == 2


def test_withdrawal_needs_a_reason_and_is_kept_in_the_record(world, scene):
    consent = give_consent(world, scene)
    with pytest.raises(ValidationError):
        services_consent.consent_withdraw(
            consent=consent, actor=Actor(user=world.beta_worker), reason=" "
        )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    services_consent.consent_withdraw(
        consent=consent,
        actor=Actor(user=world.beta_worker),
        reason="The mother withdrew it by phone",
    )
    consent.refresh_from_db()
    assert consent.state == "withdrawn" and consent.withdrawn_by == world.beta_worker
    assert consent.withdrawal_reason == "The mother withdrew it by phone"
    with pytest.raises(ValidationError):
        services_consent.consent_withdraw(
            consent=consent, actor=Actor(user=world.beta_worker), reason="again"
        )


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"purpose": " "}, "purpose"),
        ({"scope": {}}, "scope"),
        ({"scope": {"case_summary": ["no_such_field"]}}, "scope"),
        ({"giver_name": ""}, "giver_name"),
        ({"giver_relationship": ""}, "giver_relationship"),
        ({"given_by": "court_order", "reference": ""}, "reference"),
        ({"given_by": "neighbour"}, "given_by"),
        ({"valid_until": timezone.localdate() - timedelta(days=1)}, "valid_until"),
        ({"given_on": timezone.localdate() + timedelta(days=1)}, "given_on"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, scene, overrides, field):
    before = Consent.objects.count()
    with pytest.raises(ValidationError) as error:
        give_consent(world, scene, **overrides)
    assert field in error.value.message_dict
    assert Consent.objects.count() == before


def test_a_young_child_does_not_consent_alone(world, scene):
    young = make_child("Imani", "Atieno", date_of_birth=date(2019, 1, 1))
    with pytest.raises(ValidationError) as error:
        give_consent(world, scene, person=young, given_by="child", giver_name="Imani")
    assert "given_by" in error.value.message_dict
    assert not Consent.objects.filter(person=young).exists()


def test_an_older_child_may_consent_and_a_court_order_needs_its_number(world, scene):
    teenager = make_child("Baraka", "Mwangi", date_of_birth=date(2011, 1, 1))
    consent = give_consent(
        world,
        scene,
        person=teenager,
        given_by="child",
        giver_name="Baraka Mwangi",
        giver_relationship="",
    )
    assert consent.given_by == "child"
    order = give_consent(
        world,
        scene,
        given_by="court_order",
        giver_name="Children's Court Kisumu",
        giver_relationship="",
        reference="CC/E123/2026",
    )
    assert order.reference == "CC/E123/2026"


def test_only_members_who_record_cases_in_the_organisation_record_consent(world, scene):
    with pytest.raises(NotAllowed):
        give_consent(world, scene, organisation=world.beta, actor=world.acme_worker)
    consent = give_consent(world, scene)
    with pytest.raises(NotAllowed):
        services_consent.consent_withdraw(
            consent=consent, actor=Actor(user=world.acme_admin), reason="x"
        )


# --- consent-based agreements through the gateway -----------------------------------------------
def test_a_consent_based_agreement_reads_only_while_a_consent_covers_the_child(world, scene):
    agreement = active_agreement(world, scene, consent_based=True, legal_basis="Consent")
    assert DataSharingAgreement.objects.get(pk=agreement.pk).consent_based
    with pytest.raises(SharingRefused) as error:  # no consent yet
        _read(world, scene)
    assert error.value.reason == "person_out_of_scope"

    consent = give_consent(world, scene)
    [shared] = _read(world, scene)
    assert shared.rows == [
        {"national_reference": scene.case.national_reference, "occurrence_village": SHARED_VILLAGE}
    ]
    assert SECRET_NARRATIVE not in repr(shared)

    services_consent.consent_withdraw(
        consent=consent, actor=Actor(user=world.beta_worker), reason="Withdrawn"
    )
    with pytest.raises(SharingRefused) as error:  # the very next request
        _read(world, scene)
    assert error.value.reason == "person_out_of_scope"


def test_the_consent_must_cover_every_field_the_agreement_shares(world, scene):
    active_agreement(world, scene, consent_based=True)
    give_consent(world, scene, fields=["national_reference"])  # not the village
    with pytest.raises(SharingRefused):
        _read(world, scene, fields=["national_reference"])


def test_a_consent_recorded_by_the_requester_counts_and_other_childrens_do_not(world, scene):
    active_agreement(world, scene, consent_based=True)
    give_consent(world, scene, person=scene.other_child)  # someone else's consent
    with pytest.raises(SharingRefused):
        _read(world, scene)
    give_consent(world, scene, organisation=world.acme, actor=world.acme_worker)
    assert len(_read(world, scene)) == 1


def test_a_narrowed_version_stops_the_agreement_and_an_expired_consent_too(world, scene):
    active_agreement(world, scene, consent_based=True)
    consent = give_consent(world, scene)
    assert _read(world, scene)
    narrowed = services_consent.consent_change(
        consent=consent,
        actor=Actor(user=world.beta_worker),
        given_by="parent",
        giver_name="Mary",
        giver_relationship="Mother",
        purpose="Only the reference",
        scope={"case_summary": ["national_reference"]},
        given_on=consent.given_on,
        valid_until=consent.valid_until,
    )
    with pytest.raises(SharingRefused):
        _read(world, scene)
    widened = services_consent.consent_change(
        consent=narrowed,
        actor=Actor(user=world.beta_worker),
        given_by="parent",
        giver_name="Mary",
        giver_relationship="Mother",
        purpose="Again",
        scope={"case_summary": list(FIELDS)},
        given_on=consent.given_on,
        valid_until=consent.valid_until,
    )
    assert _read(world, scene)
    Consent.objects.filter(pk=widened.pk).update(
        given_on=timezone.localdate() - timedelta(days=30),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(SharingRefused):
        _read(world, scene)


def test_agreements_not_based_on_consent_keep_working_without_one(world, scene):
    active_agreement(world, scene)
    assert len(_read(world, scene)) == 1


# --- the screens --------------------------------------------------------------------------------
def _consent_post(**overrides):
    today = timezone.localdate()
    data = {
        "given_by": "parent",
        "giver_name": "Mary Chepkoech",
        "giver_relationship": "Mother",
        "reference": "",
        "purpose": "Continuity of care",
        "fields": ["case_summary:national_reference", "case_summary:occurrence_village"],
        "given_on": today.isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def test_record_change_and_withdraw_from_the_case_page(world, scene):
    beta = client_on(world.beta, world.beta_worker)
    base = f"/cases/{scene.case.pk}/consents/"
    assert beta.get(base + "new/").status_code == 200
    response = beta.post(base + "new/", _consent_post(purpose=""))
    assert response.status_code == 400 and b"Mary Chepkoech" in response.content  # kept
    assert not Consent.objects.filter(person=scene.child).exists()
    response = beta.post(base + "new/", _consent_post())
    assert response.status_code == 302
    consent = Consent.objects.get(person=scene.child)
    assert consent.organisation == world.beta and consent.recorded_by == world.beta_worker

    form = beta.get(f"{base}{consent.pk}/change/")
    assert form.status_code == 200 and b"Mary Chepkoech" in form.content  # filled in
    assert beta.get(f"{base}{consent.pk}/withdraw/").status_code == 200
    response = beta.post(
        f"{base}{consent.pk}/change/",
        _consent_post(giver_name="Aunt Rose", given_by="caregiver", giver_relationship="Aunt"),
    )
    assert response.status_code == 302
    new = Consent.objects.get(series=consent.series, version=2)
    page = beta.get(f"/cases/{scene.case.pk}/").content.decode()
    assert "Aunt Rose" in page and "v1" in page and "v2" in page  # the history is shown
    assert "Village / estate" in page  # the data covered, in words

    assert beta.post(f"{base}{new.pk}/withdraw/", {"reason": ""}).status_code == 400
    new.refresh_from_db()
    assert new.withdrawn_at is None
    assert beta.post(f"{base}{new.pk}/withdraw/", {"reason": "Asked by aunt"}).status_code == 302
    new.refresh_from_db()
    assert new.state == "withdrawn"
    assert "Asked by aunt" in beta.get(f"/cases/{scene.case.pk}/").content.decode()


def test_another_organisation_sees_no_consent(world, scene):
    consent = give_consent(world, scene, purpose="ZQXCONSENTPURPOSE")
    acme = client_on(world.acme, world.acme_admin)
    for url in (
        f"/cases/{scene.case.pk}/consents/{consent.pk}/change/",
        f"/cases/{scene.case.pk}/consents/{consent.pk}/withdraw/",
    ):
        response = acme.get(url)
        assert response.status_code in (403, 404)
        assert b"ZQXCONSENTPURPOSE" not in response.content
    assert selectors.consents_of_person(organisation=world.acme, person_id=scene.child.pk) == []
    response = acme.post(f"/cases/{scene.case.pk}/consents/{consent.pk}/withdraw/", {"reason": "x"})
    assert response.status_code in (403, 404)
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_request_form_marks_an_agreement_as_relying_on_consent(world, scene):
    from tests.sharing.test_views import _form

    acme = client_on(world.acme, world.acme_admin)
    data = _form(scene, provider=world.beta.pk, legal_basis="Consent", consent_based="on")
    assert acme.post("/sharing/requests/new/", data).status_code == 302
    agreement = DataSharingAgreement.objects.get()
    assert agreement.consent_based
    page = acme.get(f"/sharing/{agreement.pk}/")
    assert b'data-testid="consent-based"' in page.content


def test_the_shared_child_page_empties_on_the_request_after_withdrawal(world, scene):
    active_agreement(world, scene, consent_based=True)
    consent = give_consent(world, scene)
    acme = client_on(world.acme, world.acme_worker)
    page = f"/sharing/children/{scene.child.pk}/"
    assert SHARED_VILLAGE.encode() in acme.get(page).content
    beta = client_on(world.beta, world.beta_worker)
    withdraw = f"/cases/{scene.case.pk}/consents/{consent.pk}/withdraw/"
    assert beta.post(withdraw, {"reason": "The mother withdrew it"}).status_code == 302
    assert SHARED_VILLAGE.encode() not in acme.get(page).content  # the very next request

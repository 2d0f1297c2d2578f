"""What a busy officer sees on the referral screens: counties by name in the directory, short
kind labels, and empty lists that say what to do next. beta sends, acme receives."""

from __future__ import annotations

import pytest

from tests.conftest import client_on
from tests.sharing.test_consent import give_consent
from tests.sharing.test_transfer import send

pytestmark = pytest.mark.django_db


def test_the_directory_offers_counties_by_name_and_keeps_the_chosen_one(
    world, scene, kenya_geography
):
    give_consent(world, scene)
    url = f"/cases/{scene.case.pk}/transfers/new/"
    page = client_on(world.beta, world.beta_worker).get(url).content.decode()
    assert '<option value="042">Kisumu</option>' in page  # a name, not a code to remember
    assert 'placeholder="County code"' not in page
    page = client_on(world.beta, world.beta_worker).get(url + "?org_county=042").content.decode()
    assert '<option value="042" selected>Kisumu</option>' in page
    assert "Acme Children" in page  # acme is in Kisumu (042)
    page = client_on(world.beta, world.beta_worker).get(url + "?org_county=047").content.decode()
    assert '<option value="047" selected>Nairobi</option>' in page
    assert "Acme Children" not in page


def test_a_failed_send_keeps_the_directory_filters(world, scene, kenya_geography):
    consent = give_consent(world, scene)
    response = client_on(world.beta, world.beta_worker).post(
        f"/cases/{scene.case.pk}/transfers/new/",
        {
            "send": "1",
            "org_county": "042",
            "org_kind": "cci",
            "receiver": str(world.acme.pk),
            "kind": "transfer",
            "reason": "",
            "consent": str(consent.pk),
            "fields": ["case_summary:national_reference"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert '<option value="042" selected>Kisumu</option>' in page
    assert f'<option value="{world.acme.pk}" selected>' in page
    assert 'value="transfer" required id="id_kind_1" checked' in page


def test_empty_lists_say_what_to_do_next(world, scene):
    panel = client_on(world.beta, world.beta_worker).get(f"/cases/{scene.case.pk}/")
    assert b'data-testid="org-referrals-empty"' in panel.content
    assert b"record the consent above first" in panel.content

    acme = client_on(world.acme, world.acme_worker)
    empty = acme.get("/cases/referrals-in/").content.decode()
    assert "No organisation has referred or transferred a child to you yet" in empty
    assert "services your administrator lists under Sharing" in empty

    consent = give_consent(world, scene, fields=["national_reference", "occurrence_village"])
    send(world, scene, consent)
    searched = acme.get("/cases/referrals-in/?q=nobody-by-this-name").content.decode()
    assert "No referral or transfer matches this search." in searched
    assert 'href="/cases/referrals-in/">Show all</a>' in searched


def test_kinds_show_as_one_word_on_the_inbox_summary_and_case_page(world, scene):
    consent = give_consent(world, scene, fields=["national_reference", "occurrence_village"])
    referral = send(world, scene, consent, kind="transfer")
    acme = client_on(world.acme, world.acme_worker)
    inbox = acme.get("/cases/referrals-in/").content.decode()
    assert "<td>Transfer</td>" in inbox
    assert "the sender&#x27;s case closes" not in inbox
    summary = acme.get(f"/cases/referrals-in/{referral.pk}/").content.decode()
    assert f"<h1>Transfer #{referral.pk}: {scene.child.full_name}</h1>" in summary
    assert "<h3>Case summary</h3>" in summary  # the record kind's label, capitalised
    panel = client_on(world.beta, world.beta_worker).get(f"/cases/{scene.case.pk}/")
    assert b"<td>Transfer</td>" in panel.content


def test_without_a_consent_the_send_form_waits_for_one(world, scene):
    url = f"/cases/{scene.case.pk}/transfers/new/"
    page = client_on(world.beta, world.beta_worker).get(url).content.decode()
    assert "No consent in force is recorded for this child" in page
    assert f'href="/cases/{scene.case.pk}/consents/new/"' in page
    assert 'name="send"' not in page  # nothing to fill in that could not be sent
    assert 'name="org_kind"' in page and "Acme Children" in page  # who could receive it
    give_consent(world, scene)
    assert 'name="send"' in client_on(world.beta, world.beta_worker).get(url).content.decode()


def test_find_again_keeps_what_was_typed_and_sends_nothing(world, scene, kenya_geography):
    from sharing.models import OrganisationReferral

    consent = give_consent(world, scene)
    response = client_on(world.beta, world.beta_worker).post(
        f"/cases/{scene.case.pk}/transfers/new/",
        {
            "find": "1",
            "org_county": "047",
            "kind": "transfer",
            "services": ["RMPC", "LSTR"],
            "reason": "Typed before looking further",
            "consent": str(consent.pk),
            "fields": ["case_summary:national_reference"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not OrganisationReferral.objects.exists()
    assert "Typed before looking further</textarea>" in page
    assert 'value="transfer" required id="id_kind_1" checked' in page
    assert 'value="RMPC" id="id_services_3" checked' in page
    assert '<option value="047" selected>Nairobi</option>' in page
    assert "Acme Children" not in page  # acme is in Kisumu: the search did apply
    assert "errorlist" not in page  # looking is not a failed send


def test_receivers_are_named_with_their_kind_and_county(world, scene, kenya_geography):
    give_consent(world, scene)
    page = client_on(world.beta, world.beta_worker).get(
        f"/cases/{scene.case.pk}/transfers/new/?org_county=042"
    )
    assert (
        f"{world.acme.name} · Charitable children's institution · Kisumu".replace("'", "&#x27;")
        in page.content.decode()
    )


def test_the_send_form_offers_only_fields_a_consent_covers(world, scene):
    """A field no consent in force covers could never be sent: it is not offered."""
    give_consent(world, scene, fields=["national_reference"])
    url = f"/cases/{scene.case.pk}/transfers/new/"
    page = client_on(world.beta, world.beta_worker).get(url).content.decode()
    assert 'value="case_summary:national_reference"' in page
    assert 'value="case_summary:occurrence_village"' not in page
    give_consent(world, scene, fields=["occurrence_village"])  # a second consent, other field
    page = client_on(world.beta, world.beta_worker).get(url).content.decode()
    assert 'value="case_summary:occurrence_village"' in page

"""The screens of OVC transfers: the exit names the partner from a list, the receiver's home
and list show what waits, accepting enrols the child there, declining shows the reason to
the sender; forms keep what was typed; no one else gets anything."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit.workspace.models import AccessEntry
from case_apps.ovc.models import Enrolment
from sharing.models_ovc_transfers import OvcTransfer
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.transfers_helpers import TODAY, make_acme_partner, send_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_partner(world):
    return make_acme_partner(world)


@pytest.fixture
def sent(world, beta_household, acme_partner):
    return send_to(world, beta_household, acme_partner)


def test_the_exit_screen_names_the_partner_from_the_list(world, beta_household, acme_partner):
    client = client_on(world.beta, world.beta_worker)
    url = f"/ovc/children/{beta_household.enrolment.pk}/exit/"
    page = client.get(url).content.decode()
    assert f'<option value="{acme_partner.pk}">{acme_partner.name}' in page.replace("&#x27;", "'")
    assert f'<option value="{world.beta.pk}">' not in page  # not itself
    typed = {"exit_reason": "ERFO", "exit_date": TODAY().isoformat(), "transfer_note": "Kisumu"}
    refused = client.post(url, typed)
    assert refused.status_code == 200
    assert "Choose the partner that receives the child." in refused.content.decode()
    assert "Kisumu</textarea>" in refused.content.decode()  # what was typed is kept
    assert not OvcTransfer.objects.exists()
    done = client.post(url, {**typed, "receiver": acme_partner.pk})
    assert done.status_code == 302
    child_page = client.get(done["Location"]).content.decode()
    assert 'data-testid="transfer"' in child_page
    assert "Waiting for the receiving partner" in child_page


def test_the_receiver_sees_accepts_and_the_sender_sees_the_status(world, sent, acme_partner):
    acme = client_on(acme_partner, world.acme_worker)
    assert "1 OVC transfer waits for your answer" in acme.get("/").content.decode()
    listing = acme.get("/ovc/transfers/").content.decode()
    assert f"/ovc/transfers/{sent.pk}/" in listing and world.beta.name in listing
    assert f"/ovc/transfers/{sent.pk}/" not in acme.get("/ovc/transfers/?q=nobody").content.decode()
    assert (
        f"/ovc/transfers/{sent.pk}/"
        not in acme.get("/ovc/transfers/?status=declined").content.decode()
    )
    page = acme.get(f"/ovc/transfers/{sent.pk}/").content.decode()
    assert sent.person.cpims_id_display in page and "Family moved to Kisumu" in page
    assert f"/ovc/children/{sent.sender_enrolment_id}/" not in page  # not the sender's record
    with workspace_context(acme_partner):  # the read of the child's identity is logged
        logged = AccessEntry.objects.filter(record_id=sent.person.cpims_id, purpose="OVC transfer")
        assert logged.filter(actor=world.acme_worker).count() == 1
    form = acme.get(f"/ovc/transfers/{sent.pk}/accept/").content.decode()
    assert 'value="new"' in form  # a new household headed by the proposed caregiver
    fields = {
        "household": "new",
        "caregiver_relation": "CGPM",
        "caregiver_hiv_status": "HSKN",
        "programme": "POVC",
        "registration_date": TODAY().isoformat(),
        "entry_point": "community",
        "eligibility": ["ECFD"],
        "hiv_status": "HSTN",
        "school_level": "SLPR",
    }
    day_before = (sent.exit_date - timedelta(days=1)).isoformat()
    early = acme.post(
        f"/ovc/transfers/{sent.pk}/accept/", {**fields, "registration_date": day_before}
    )
    assert early.status_code == 200  # refused, what was typed kept
    assert "before the child left the other partner" in early.content.decode()
    assert f'value="{day_before}"' in early.content.decode()
    done = acme.post(f"/ovc/transfers/{sent.pk}/accept/", fields)
    assert done.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "accepted"
    with workspace_context(acme_partner):
        ours = Enrolment.objects.get(pk=sent.receiver_enrolment_id)
    our_page = acme.get(f"/ovc/children/{ours.pk}/").content.decode()
    assert 'data-testid="transfer-in"' in our_page and world.beta.name in our_page
    assert "waits for your answer" not in acme.get("/").content.decode()

    beta = client_on(world.beta, world.beta_worker)
    child_page = beta.get(f"/ovc/children/{sent.sender_enrolment_id}/").content.decode()
    assert "Accepted" in child_page
    beta_view = beta.get(f"/ovc/transfers/{sent.pk}/").content.decode()
    assert f"/ovc/children/{ours.pk}/" not in beta_view  # nothing of the receiver's records
    assert beta.get(f"/ovc/children/{ours.pk}/").status_code == 404


def test_declining_needs_a_reason_and_the_sender_reads_it(world, sent, acme_partner):
    acme = client_on(acme_partner, world.acme_worker)
    url = f"/ovc/transfers/{sent.pk}/decline/"
    empty = acme.post(url, {"reason": ""})
    assert empty.status_code == 400 and 'data-testid="transfer-decline"' in empty.content.decode()
    assert acme.post(url, {"reason": "No CHV in that ward"}).status_code == 302
    beta = client_on(world.beta, world.beta_worker)
    child_page = beta.get(f"/ovc/children/{sent.sender_enrolment_id}/").content.decode()
    assert "No CHV in that ward" in child_page and "Declined" in child_page


def test_the_sender_withdraws_from_the_transfer_page(world, sent):
    beta = client_on(world.beta, world.beta_worker)
    page = beta.get(f"/ovc/transfers/{sent.pk}/").content.decode()
    assert 'data-testid="transfer-withdraw"' in page and "transfer-accept" not in page
    listing = beta.get("/ovc/transfers/?direction=out").content.decode()
    assert f"/ovc/transfers/{sent.pk}/" in listing
    response = beta.post(f"/ovc/transfers/{sent.pk}/withdraw/", {"reason": "Mistake"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "withdrawn"


def test_no_one_else_gets_a_transfer_screen(world, sent, acme_partner):
    viewer = UserFactory()
    membership_grant(user=viewer, organisation=acme_partner, roles=[Role.VIEWER])
    stranger = UserFactory()
    membership_grant(user=stranger, organisation=world.beta, roles=[Role.CASE_WORKER])
    clients = {
        "acme admin on beta's host": client_on(world.beta, world.acme_admin),
        "hq admin on acme's host": client_on(acme_partner, world.hq_admin),
        "outsider on acme's host": client_on(acme_partner, world.outsider),
        "anonymous on acme's host": client_on(acme_partner),
        "beta worker outside the caseload": client_on(world.beta, stranger),
    }
    base = f"/ovc/transfers/{sent.pk}/"
    for who, client in clients.items():
        for url in ("/ovc/transfers/", "/ovc/transfers/?direction=out", base, f"{base}accept/"):
            response = client.get(url)
            assert sent.person.cpims_id_display not in response.content.decode(), (who, url)
            if url != "/ovc/transfers/" and url != "/ovc/transfers/?direction=out":
                assert not 200 <= response.status_code < 300, (who, url)
        for step in ("accept", "decline", "withdraw"):
            response = client.post(f"{base}{step}/", {"reason": "x", "household": "new"})
            assert not 200 <= response.status_code < 300, (who, step)
            assert response.status_code != 400, (who, step)
    watcher = client_on(acme_partner, viewer)
    assert watcher.get(base).status_code == 200
    assert watcher.post(f"{base}decline/", {"reason": "x"}).status_code in (302, 403)
    sent.refresh_from_db()
    assert sent.status == "pending" and not sent.events.exclude(kind="sent").exists()

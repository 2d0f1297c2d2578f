"""A received referral names the sending organisation, never its officer's e-mail address; the
sender likewise sees the receiving organisation (issue 14, finding 7)."""

from __future__ import annotations

import pytest

from tests.conftest import client_on
from tests.sharing.test_transfer import consent, send  # noqa: F401 (consent is a fixture)

pytestmark = pytest.mark.django_db


def test_each_side_sees_the_other_organisation_not_its_officers(world, scene, consent):  # noqa: F811
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    page = acme.get(f"/cases/referrals-in/{referral.pk}/").content.decode()
    assert world.beta_worker.email not in page
    assert f'data-testid="referral-event-who">{world.beta.name}<' in page
    declined = acme.post(f"/cases/referrals-in/{referral.pk}/decline/", {"reason": "No place"})
    assert declined.status_code == 302
    panel = client_on(world.beta, world.beta_worker).get(f"/cases/{scene.case.pk}/")
    text = panel.content.decode()
    assert world.acme_worker.email not in text
    assert world.acme.name.replace("'", "&#x27;") in text


def test_the_api_names_the_other_organisation_not_its_officers(world, scene, consent):  # noqa: F811
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    declined = acme.post(f"/cases/referrals-in/{referral.pk}/decline/", {"reason": "No place"})
    assert declined.status_code == 302
    # as receiver: beta's step names beta, no address; acme's own step keeps its colleague's
    received = acme.get(f"/api/v1/sharing/referrals/received/{referral.pk}")
    assert world.beta_worker.email not in received.content.decode()
    by_kind = {e["kind"]: e for e in received.json()["events"]}
    assert by_kind["sent"]["actor_email"] == ""
    assert by_kind["sent"]["actor_organisation"] == world.beta.name
    assert by_kind["declined"]["actor_email"] == world.acme_worker.email
    # as sender: the mirror image
    beta = client_on(world.beta, world.beta_worker)
    sent = beta.get(f"/api/v1/sharing/referrals/sent/{referral.pk}")
    assert world.acme_worker.email not in sent.content.decode()
    by_kind = {e["kind"]: e for e in sent.json()["events"]}
    assert by_kind["declined"]["actor_email"] == ""
    assert by_kind["declined"]["actor_organisation"] == world.acme.name
    assert by_kind["sent"]["actor_email"] == world.beta_worker.email

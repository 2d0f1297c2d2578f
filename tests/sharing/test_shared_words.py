"""Shared records and the sharing console speak in names: case categories, risk levels and
counties by their labels, never their codes."""

from __future__ import annotations

import pytest

from tenants.actor import Actor
from tests.conftest import client_on
from tests.sharing.conftest import active_agreement

pytestmark = pytest.mark.django_db


def test_the_shared_child_page_shows_labels_not_codes(world, scene, kenya_geography):
    active_agreement(
        world, scene, scope={"case_summary": ["category_codes", "risk_level", "status"]}
    )
    page = client_on(world.acme, world.acme_worker).get(f"/sharing/children/{scene.child.pk}/")
    html = page.content.decode()
    assert "Neglect" in html and "High" in html and "Open" in html
    assert "CSIC" not in html and "RLHG" not in html


def test_the_console_filters_agreements_by_county_name(world, scene, kenya_geography):
    html = client_on(None, scene.approver).get("/console/sharing/agreements/").content.decode()
    assert '<option value="047" title="047">Nairobi</option>' in html
    assert "County code" not in html


def test_an_agreement_waiting_for_approval_is_not_offered_revoke(world, scene):
    from sharing import services
    from tests.sharing.conftest import request_agreement

    agreement = request_agreement(world, scene)
    services.agreement_accept(agreement=agreement, actor=Actor(user=scene.beta_admin))
    dcs = client_on(None, scene.approver)
    waiting = dcs.get(f"/console/sharing/agreements/{agreement.pk}/").content.decode()
    assert 'data-testid="approve"' in waiting
    assert 'class="button danger" data-testid="reject" data-confirm="Reject agreement' in waiting
    assert 'data-testid="revoke"' not in waiting
    done = dcs.post(
        f"/console/sharing/agreements/{agreement.pk}/", {"action": "approve"}, follow=True
    )
    end = agreement.end_date
    assert (
        f"Agreement {agreement.pk} approved: Acme Children&#x27;s Home may read Beta OVC "
        f"Partner&#x27;s case summary until {end.day} {end:%b %Y}."
    ) in done.content.decode()
    active = dcs.get(f"/console/sharing/agreements/{agreement.pk}/").content.decode()
    assert 'data-testid="revoke" data-confirm="Revoke agreement' in active
    revoked = dcs.post(
        f"/console/sharing/agreements/{agreement.pk}/",
        {"action": "revoke", "reason": "Placement ended"},
        follow=True,
    )
    assert f"Agreement {agreement.pk} revoked" in revoked.content.decode()


def test_the_provider_is_told_what_accepting_did(world, scene):
    from tests.sharing.conftest import request_agreement

    agreement = request_agreement(world, scene)
    beta = client_on(world.beta, scene.beta_admin)
    page = beta.get(f"/sharing/{agreement.pk}/").content.decode()
    assert 'class="button danger" data-confirm="Decline request' in page
    done = beta.post(f"/sharing/{agreement.pk}/accept/", {"reason": ""}, follow=True)
    assert (
        f"Request {agreement.pk} accepted: it now waits for approval by DCS headquarters."
        in done.content.decode()
    )

"""An agreement's history on the API names each step's officer and the organisation they
acted for, never their e-mail address (issue 16)."""

from __future__ import annotations

import pytest

from sharing import services
from tenants.actor import Actor
from tests.conftest import client_on
from tests.sharing.conftest import request_agreement

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_agreement_events_name_the_officers_and_their_organisations(world, scene):
    agreement = request_agreement(world, scene)
    services.agreement_accept(
        agreement=agreement, actor=Actor(user=scene.beta_admin), reason="Fine"
    )
    services.agreement_approve(agreement=agreement, actor=Actor(user=scene.approver))
    response = client_on(world.acme, world.acme_admin).get(
        f"{API}/sharing/agreements/{agreement.pk}"
    )
    assert response.status_code == 200
    events = {e["kind"]: e for e in response.json()["events"]}
    assert (
        events["accepted"]
        | {
            "actor_name": "Baraka Admin",
            "actor_organisation": world.beta.name,
            "actor_email": "",
        }
        == events["accepted"]
    )
    assert events["created"]["actor_organisation"] == world.acme.name
    assert events["created"]["actor_name"] == world.acme_admin.full_name
    assert events["approved"]["actor_organisation"] == "DCS headquarters"
    assert events["activated"]["actor_name"] == events["activated"]["actor_organisation"] == ""
    body = response.content.decode()
    for officer in (scene.beta_admin, world.acme_admin, scene.approver):
        assert officer.email not in body
    console = client_on(None, scene.approver).get(f"{API}/sharing/agreements/{agreement.pk}")
    assert console.status_code == 200
    assert scene.beta_admin.email not in console.content.decode()
    assert {e["actor_name"] for e in console.json()["events"]} >= {"Baraka Admin"}

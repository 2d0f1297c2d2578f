"""Case follow-ups captured in the field (any organisation that runs cases), device
revocation by an administrator, and the wipe signal to a member removed from the
organisation (issue 21)."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from case_apps.cases.models import FollowUp
from case_apps.field import services
from case_apps.field.models import Device, FieldForm
from tenants.models import Membership
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, open_case, team  # noqa: F401 (team: fixture)
from tests.conftest import client_on
from tests.field.conftest import days_ago

pytestmark = pytest.mark.django_db
API = "/api/v1/field/"


def test_a_follow_up_waits_then_is_written_dated_by_the_visit(world, team):  # noqa: F811
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    device = str(uuid4())
    bundle = client.get(f"{API}bundle?device={device}").json()
    assert [c["id"] for c in bundle["cases"]] == [case.pk]
    form = {
        "uuid": str(uuid4()),
        "kind": "follow_up",
        "target_id": case.pk,
        "visit_date": days_ago(1).isoformat(),
        "payload": {"follow_up_type": "HVIS", "notes": "Home visit in the field"},
        "base_stamp": bundle["cases"][0]["stamp"],
    }
    body = json.dumps({"device": device, "forms": [form]})
    answer = client.post(f"{API}forms", data=body, content_type="application/json").json()
    assert answer["answers"][0]["status"] == "pending", answer
    with workspace_context(world.acme):
        assert not FollowUp.objects.filter(case=case).exists()
        stored = FieldForm.objects.get(uuid=form["uuid"])
        services.form_approve(actor=actor_of(world.acme, team.supervisor), form_id=stored.pk)
        follow_up = FollowUp.objects.get(case=case)
        assert (follow_up.date, follow_up.officer_id) == (days_ago(1), team.worker.pk)
        assert str(follow_up.uuid) == form["uuid"]


def test_an_administrator_revokes_a_device_and_it_is_told_to_wipe(world):
    worker = client_on(world.acme, world.acme_worker)
    device = str(uuid4())
    assert worker.get(f"{API}bundle?device={device}").status_code == 200
    with workspace_context(world.acme):
        row = Device.objects.get(uuid=device)
    assert worker.post(f"{API}devices/{row.pk}/revoke").status_code == 403  # not an admin
    beta = client_on(world.beta, world.beta_worker)
    assert beta.post(f"{API}devices/{row.pk}/revoke").status_code == 403
    admin = client_on(world.acme, world.acme_admin)
    assert admin.post(f"{API}devices/{row.pk}/revoke").json()["revoked_at"]
    assert worker.get(f"{API}bundle?device={device}").status_code == 410
    assert client_on(world.beta, world.beta_worker).get(f"{API}devices").status_code == 403


def test_a_member_removed_from_the_organisation_is_refused_the_bundle(world):
    device = str(uuid4())
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get(f"{API}bundle?device={device}").status_code == 200
    Membership.objects.filter(user=world.acme_worker, organisation=world.acme).update(
        is_active=False
    )
    assert worker.get(f"{API}bundle?device={device}").status_code == 403  # the app wipes

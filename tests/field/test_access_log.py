"""The field app's lists of children by name are read into the access log like every other
list of children: the device's bundle and the supervisor's queue, one entry per read; a
refused read logs nothing (issue 21)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import access_log_rows, client_on
from tests.field.conftest import service_form

pytestmark = pytest.mark.django_db
API = "/api/v1/field/"


def test_each_bundle_read_is_one_list_entry(world, field):
    client = client_on(world.beta, world.beta_worker)
    before = len(access_log_rows(world.beta))
    assert client.get(f"{API}bundle?device={field.device}").status_code == 200
    assert client.get(f"{API}bundle?device={field.device}").status_code == 200
    who = world.beta_worker.pk
    assert access_log_rows(world.beta)[before:] == [
        ("field_lists", "bundle", "field app bundle API", who),
        ("field_lists", "bundle", "field app bundle API", who),
    ]


def test_each_queue_read_is_one_list_entry_with_its_search(world, field):
    volunteer = client_on(world.beta, world.beta_worker)
    body = {"device": field.device, "forms": [service_form(field.enrolment.pk)]}
    volunteer.post(f"{API}forms", data=json.dumps(body), content_type="application/json")
    client = client_on(world.beta, field.supervisor)
    before = len(access_log_rows(world.beta))
    assert client.get("/field/queue/").status_code == 200
    assert client.get("/field/queue/", {"q": field.household.number}).status_code == 200
    who = field.supervisor.pk
    assert access_log_rows(world.beta)[before:] == [
        ("field_lists", "queue", "field forms queue", who),
        ("field_lists", "queue", f"field forms queue: q={field.household.number}", who),
    ]


def test_a_refused_read_logs_nothing(world, field):
    before = access_log_rows(world.beta)
    assert client_on(world.beta, world.beta_worker).get("/field/queue/").status_code == 403
    outsider = client_on(world.beta, world.outsider)
    assert outsider.get(f"{API}bundle?device={field.device}").status_code in (401, 403)
    assert access_log_rows(world.beta) == before

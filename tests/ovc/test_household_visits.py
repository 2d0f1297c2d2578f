"""Household visits (issue 21): the service's rules, the screen (keeping what was typed),
the household page, the API with its 422s, and no other organisation reaching any of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.ovc.models_visits import HouseholdVisit
from case_apps.ovc.services_visits import household_visit_record
from tenants.actor import Forbidden, NotFound
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import as_member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
JSON = "application/json"
MARKER = "ZQXVISITMARKER"


def _visit(world, household, user=None, **overrides) -> HouseholdVisit:
    fields = {"visited_on": TODAY() - timedelta(days=3), "outcome": "met", "purposes": ["routine"]}
    fields.update(overrides)
    actor = as_member(user or world.beta_worker, world.beta)
    return household_visit_record(actor=actor, household=household, **fields)


def _body(**overrides) -> dict:
    body = {"visited_on": str(TODAY() - timedelta(days=2)), "outcome": "met"}
    return body | {"purposes": ["services"]} | overrides


def test_a_visit_is_dated_by_the_day_it_happened_with_the_children_seen(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        visit = _visit(
            world,
            household,
            purposes=["routine", "case_plan", "routine"],
            children_seen=[enrolment.pk],
            caregiver_present=True,
            observations="Roof leaking",
            next_visit_on=TODAY() + timedelta(days=14),
        )
        visit.refresh_from_db()
        assert visit.visited_on == TODAY() - timedelta(days=3)
        assert visit.purposes == ["routine", "case_plan"]  # each once, in the order given
        assert [e.pk for e in visit.children_seen.all()] == [enrolment.pk]
        assert visit.visited_by_id == world.beta_worker.pk
        nobody = _visit(world, household, outcome="nobody_home", purposes=[])
        assert nobody.purposes == [] and not nobody.children_seen.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"visited_on": TODAY() + timedelta(days=1)}, "visited_on"),
        ({"visited_on": TODAY() - timedelta(days=200)}, "visited_on"),
        ({"outcome": "perhaps"}, "outcome"),
        ({"purposes": []}, "purposes"),
        ({"purposes": ["picnic"]}, "purposes"),
        ({"children_seen": [999_999]}, "children_seen"),
        ({"outcome": "moved", "purposes": [], "caregiver_present": True}, "children_seen"),
        ({"next_visit_on": TODAY() - timedelta(days=5)}, "next_visit_on"),
        ({"next_visit_on": TODAY() + timedelta(days=400)}, "next_visit_on"),
        ({"observations": "x" * 10_001}, "observations"),
    ],
)
def test_a_visit_is_refused_naming_the_field_and_nothing_is_saved(
    world, beta_household, overrides, field
):
    with workspace_context(world.beta):
        with pytest.raises(ValidationError) as refused:
            _visit(world, beta_household.household, **overrides)
        assert field in refused.value.message_dict
        assert not HouseholdVisit.objects.exists()


def test_a_child_of_another_household_cannot_be_seen_here(world, beta_household):
    with workspace_context(world.beta):
        other = _visit(world, beta_household.household)
        with pytest.raises(ValidationError) as refused:
            _visit(world, other.household, children_seen=[beta_household.enrolment.pk + 1000])
        assert "children_seen" in refused.value.message_dict
        assert HouseholdVisit.objects.count() == 1


def test_only_the_caseload_and_recorders_may_record_a_visit(world, beta_household):
    household = beta_household.household
    viewer = UserFactory(email="viewer-visit@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    other = UserFactory(email="other-visit@beta.test")
    membership_grant(user=other, organisation=world.beta, roles=[Role.CASE_WORKER])
    with workspace_context(world.beta):
        with pytest.raises(Forbidden):
            _visit(world, household, user=viewer)
        with pytest.raises(NotFound):
            _visit(world, household, user=other)
        assert not HouseholdVisit.objects.exists()


def test_the_screen_keeps_what_was_typed_then_records_and_shows_the_visit(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    url = f"/ovc/households/{household.pk}/visits/new/"
    client = client_on(world.beta, world.beta_worker)
    page = client.get(url).content.decode()
    assert "Children seen" in page and "Routine follow-up" in page
    form = {
        "visited_on": str(TODAY() + timedelta(days=3)),
        "outcome": "met",
        "purposes": ["assessment"],
        "children_seen": [str(enrolment.pk)],
        "observations": MARKER,
    }
    refused = client.post(url, form)
    assert refused.status_code == 200 and MARKER.encode() in refused.content
    assert b"future" in refused.content
    with workspace_context(world.beta):
        assert not HouseholdVisit.objects.exists()
    saved = client.post(url, form | {"visited_on": str(TODAY() - timedelta(days=1))})
    assert saved.status_code == 302 and saved["Location"].endswith("#visits")
    detail = client.get(f"/ovc/households/{household.pk}/").content.decode()
    assert 'data-testid="visits"' in detail and MARKER in detail
    assert "Assessment (CPARA or wellbeing)" in detail


def test_the_api_records_lists_and_refuses_bad_input(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    api = client_on(world.beta, world.beta_worker)
    url = f"/api/v1/ovc/households/{household.pk}/visits"
    created = api.post(url, _body(children_seen=[enrolment.pk]), content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["children_seen"] == [enrolment.pk] and body["uuid"]
    assert body["visited_on"] == str(TODAY() - timedelta(days=2))
    bad = {
        "visited_on": _body(visited_on="2026-02-30"),
        "outcome": _body(outcome="y" * 40),
        "purposes": _body(purposes=["nope"]),
        "children_seen": _body(children_seen=[-1]),
        "observations": _body(observations="bad\x00text"),
        "next_visit_on": _body(next_visit_on=str(TODAY() - timedelta(days=10))),
    }
    for field, request_body in bad.items():
        response = api.post(url, request_body, content_type=JSON)
        assert response.status_code == 422, (field, response.status_code, response.content)
        assert field in str(response.json()["errors"]), field
    listing = api.get(url).json()
    assert listing["count"] == 1 and listing["items"][0]["purposes"] == ["services"]
    assert api.get(url + "?limit=100000").status_code == 422
    with workspace_context(world.beta):
        assert HouseholdVisit.objects.count() == 1


def test_no_other_organisation_or_member_reaches_the_visits(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        _visit(world, household, observations=MARKER)
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    urls = [
        f"/ovc/households/{household.pk}/visits/new/",
        f"/api/v1/ovc/households/{household.pk}/visits",
    ]
    other = UserFactory(email="other-visit-api@beta.test")
    membership_grant(user=other, organisation=world.beta, roles=[Role.CASE_WORKER])
    clients = {
        "acme admin on acme": client_on(world.acme, world.acme_admin),
        "acme admin on beta": client_on(world.beta, world.acme_admin),
        "anonymous on beta": client_on(world.beta),
        "beta member outside the caseload": client_on(world.beta, other),
    }
    for who, client in clients.items():
        for url in urls:
            for response in (
                client.get(url),
                client.post(url, _body(), content_type=JSON),
                client.post(url, _body()),
            ):
                assert response.status_code in (302, 400, 401, 403, 404), (who, url)
                assert MARKER.encode() not in response.content, (who, url)
    with workspace_context(world.beta):
        assert HouseholdVisit.objects.count() == 1

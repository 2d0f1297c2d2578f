"""Dashboards read facts only: national, county, sub-county, and one organisation's own."""

import pytest
from django.db import transaction

from case_apps.outbox.services import outbox_event_record
from national_statistics.drain import drain_organisation
from tenants.models import PlatformRole
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def opened(organisation, n, **payload):
    base = {
        "category": "CSIC",
        "sex": "SFEM",
        "age_band": "6-10",
        "county": "042",
        "sub_county": "240",
    }
    with workspace_context(organisation), transaction.atomic():
        for _ in range(n):
            outbox_event_record(kind="case_opened", payload={**base, **payload})
            outbox_event_record(kind="case_category_added", payload={**base, **payload})


@pytest.fixture
def figures(world):
    opened(world.acme, 7)
    opened(world.acme, 3, county="047", sub_county="274", sex="SMAL", category="CCDF")
    opened(world.beta, 5, county="047", sub_county="275")
    drain_organisation(world.acme)
    drain_organisation(world.beta)


def analyst_client():
    return client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))


def test_national_dashboard_counts_and_drills_down(world, figures):
    client = analyst_client()
    national = client.get("/statistics/")
    assert national.status_code == 200
    board = national.context["board"]
    assert board.headline["case_opened"] == 15
    assert board.by_area == {"047": 8, "042": 7}
    assert board.by_sex == {"SFEM": 12, "SMAL": 3}
    county = client.get("/statistics/", {"county": "047"}).context["board"]
    assert county.headline["case_opened"] == 8 and county.by_area == {"275": 5, "274": 3}
    sub_county = client.get("/statistics/", {"county": "047", "sub_county": "274"})
    assert sub_county.context["board"].headline["case_opened"] == 3
    assert b"Defilement" in sub_county.content or b"CCDF" in sub_county.content


def test_organisation_sees_its_own_figures_only(world, figures):
    board = client_on(world.beta, world.beta_worker).get("/statistics/").context["board"]
    assert board.headline["case_opened"] == 5
    assert board.by_area == {}


def test_national_dashboard_is_for_dcs_roles_only(world, figures):
    assert client_on(None, world.acme_admin).get("/statistics/").status_code == 403
    assert client_on(None).get("/statistics/").status_code == 302
    assert client_on(world.acme, world.beta_worker).get("/statistics/").status_code == 403


def test_period_filter_and_bad_input(world, figures):
    client = analyst_client()
    response = client.get("/statistics/", {"from": "1999-01", "to": "1999-12"})
    assert response.context["board"].headline["case_opened"] == 0
    response = client.get("/statistics/", {"from": "garbage", "to": "2026-13"})
    assert response.status_code == 200

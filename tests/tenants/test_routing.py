"""Routing by host and the workspace door."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import OrganisationStatus
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def test_unknown_host_gets_a_clear_404_page(world):
    response = client_on(None).get("/", HTTP_HOST="nowhere.localhost")
    assert response.status_code == 404
    assert b"No organisation at this address" in response.content


def test_nested_subdomain_is_unknown(world):
    response = client_on(None).get("/", HTTP_HOST="a.acme.localhost")
    assert response.status_code == 404


def test_platform_site_is_public(world):
    response = client_on(None).get("/")
    assert response.status_code == 200
    assert b"Child Protection Information Management System" in response.content


def test_anonymous_visitor_of_a_workspace_is_sent_to_sign_in(world):
    response = client_on(world.acme).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_member_sees_their_workspace_home(world):
    response = client_on(world.acme, world.acme_worker).get("/")
    assert response.status_code == 200
    assert b"Acme Children&#x27;s Home" in response.content
    assert b"Case worker" in response.content


def test_request_runs_in_the_organisations_schema(world):
    client_on(world.acme, world.acme_worker).get("/")
    assert connection.schema_name == world.acme.schema_name


def test_member_of_another_organisation_is_refused(world):
    response = client_on(world.acme, world.beta_worker).get("/")
    assert response.status_code == 403
    assert b"not a member of this organisation" in response.content
    assert b"Betty" not in response.content


def test_platform_role_does_not_open_a_workspace(world):
    response = client_on(world.acme, world.hq_admin).get("/")
    assert response.status_code == 403


def test_session_from_one_host_is_not_a_login_on_another(world):
    acme_client = client_on(world.acme, world.acme_worker)
    cookie = acme_client.cookies["sessionid"].value
    stolen = client_on(world.beta)
    stolen.cookies["sessionid"] = cookie
    response = stolen.get("/")
    assert response.status_code == 302  # treated as anonymous, not as acme's worker
    assert response["Location"].startswith("/accounts/login/")
    # and on the platform site the same cookie signs nobody in
    platform = client_on(None)
    platform.cookies["sessionid"] = cookie
    assert b"worker@acme.test" not in platform.get("/").content


def test_revoked_membership_takes_effect_on_the_next_request(world):
    client = client_on(world.acme, world.acme_worker)
    assert client.get("/").status_code == 200
    world.acme.memberships.filter(user=world.acme_worker).update(is_active=False)
    assert client.get("/").status_code == 403


@pytest.mark.parametrize(
    ("status", "code", "text"),
    [
        (OrganisationStatus.SUSPENDED, 403, b"This workspace is suspended"),
        (OrganisationStatus.PENDING, 503, b"being set up"),
        (OrganisationStatus.ARCHIVED, 410, b"archived"),
    ],
)
def test_inactive_workspace_says_why(world, status, code, text):
    client = client_on(world.acme, world.acme_worker)
    world.acme.status = status
    world.acme.save()
    try:
        response = client.get("/")
        assert response.status_code == code
        assert text in response.content
        assert client.get("/static/cpims/app.css").status_code == 200
    finally:
        world.acme.status = OrganisationStatus.ACTIVE


def test_host_lookup_is_cached(world):
    client = client_on(world.acme)
    client.get("/health/")  # warms the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert response.status_code == 200
    assert len(queries) == 0


def test_member_page_costs_a_bounded_number_of_queries(world):
    client = client_on(world.acme, world.acme_worker)
    client.get("/api/v1/me")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/me")
    # the door's own cost: session, user, membership (and the search_path of a new schema)
    assert len(queries) <= 4, [q["sql"] for q in queries]


def test_host_with_port_and_capitals_routes(world):
    response = client_on(world.acme, world.acme_worker).get("/", HTTP_HOST="ACME.localhost:8000")
    assert response.status_code == 200

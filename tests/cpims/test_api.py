"""The workspace API: members only, and only their own organisation."""

import pytest

from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def test_member_reads_their_own_membership(world):
    response = client_on(world.acme, world.acme_admin).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "organisation": "Acme Children's Home",
        "organisation_slug": "acme",
        "email": "admin@acme.test",
        "roles": ["organisation_admin"],
    }


def test_member_of_another_organisation_gets_nothing(world):
    response = client_on(world.acme, world.beta_worker).get("/api/v1/me")
    assert response.status_code == 403
    assert b"acme" not in response.content.lower()


def test_anonymous_gets_401_json(world):
    response = client_on(world.acme).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication required"


def test_each_host_answers_for_its_own_organisation(world):
    assert (
        client_on(world.beta, world.beta_worker).get("/api/v1/me").json()["organisation_slug"]
        == "beta"
    )


def test_openapi_documents_are_served(world):
    workspace = client_on(world.acme, world.acme_worker).get("/api/v1/openapi.json")
    assert workspace.status_code == 200 and "/api/v1/me" in workspace.json()["paths"]
    platform = client_on(None).get("/api/v1/openapi.json")
    assert platform.status_code == 200 and "/api/v1/health" in platform.json()["paths"]

"""Smaller findings of the outside review (issue 14, finding 7): CSP form-action, and a
branded, translated CSRF failure page (JSON under /api/)."""

import pytest
from django.test import Client

from tests.conftest import host_of

pytestmark = pytest.mark.django_db


def test_the_policy_allows_forms_to_post_to_this_origin_only(world):
    policy = Client(HTTP_HOST=host_of(world.acme)).get("/accounts/login/")
    assert "form-action 'self'" in policy["Content-Security-Policy"]


def test_a_csrf_failure_shows_the_branded_page_in_the_users_language(world):
    client = Client(HTTP_HOST=host_of(world.acme), enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x@y.test", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="csrf-failure"' in page and "Nothing was saved." in page
    assert "CSRF verification failed" not in page  # Django's own page
    client.cookies["django_language"] = "sw"
    swahili = client.post("/accounts/login/", {"login": "x@y.test", "password": "x"})
    assert "Hakuna kilichohifadhiwa." in swahili.content.decode()


def test_a_csrf_failure_on_the_api_answers_json(world):
    client = Client(HTTP_HOST=host_of(world.acme), enforce_csrf_checks=True)
    client.force_login(world.acme_worker)
    from tenants.services import SESSION_HOST_KEY

    session = client.session
    session[SESSION_HOST_KEY] = world.acme.schema_name
    session.save()
    response = client.post("/api/v1/cases", {}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")

"""Signing in through allauth on an organisation's host."""

import pytest
from django.test import Client

from tenants.services import SESSION_HOST_KEY
from tests.factories import totp_code

pytestmark = pytest.mark.django_db


def sign_in(host: str, email: str, password: str):
    client = Client(HTTP_HOST=host)
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return client, response


def test_member_signs_in_and_the_session_is_bound_to_the_host(world):
    client, response = sign_in("acme.localhost", world.acme_worker.email, world.password)
    assert response.status_code == 302
    assert client.session[SESSION_HOST_KEY] == world.acme.schema_name
    assert client.get("/").status_code == 200


def test_member_of_another_organisation_cannot_sign_in_here(world):
    client, response = sign_in("acme.localhost", world.beta_worker.email, world.password)
    assert response.status_code == 403
    assert b"not a member of this organisation" in response.content
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_wrong_password_keeps_what_was_typed(world):
    _, response = sign_in("acme.localhost", world.acme_worker.email, "wrong password")
    assert response.status_code == 200
    assert world.acme_worker.email.encode() in response.content


def test_platform_user_signs_in_on_the_platform_site_and_opens_the_console(world):
    client, response = sign_in("localhost", world.hq_admin.email, world.password)
    assert response.status_code == 302
    page = client.get("/console/")
    assert page.status_code == 200
    assert b"Acme Children" in page.content and b"Beta OVC Partner" in page.content


def test_console_is_closed_to_organisation_members(world):
    client, _ = sign_in("localhost", world.acme_admin.email, world.password)
    assert client.get("/console/").status_code == 403


def test_console_search_filters_organisations(world):
    client, _ = sign_in("localhost", world.hq_admin.email, world.password)
    page = client.get("/console/", {"q": "beta"})
    assert b"Beta OVC Partner" in page.content
    assert b"Acme Children" not in page.content
    fragment = client.get("/console/", {"q": "acme"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"Acme Children" in fragment.content


def test_sign_up_is_closed_until_self_onboarding(world):
    response = Client(HTTP_HOST="localhost").get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content


# --- issue 14, finding 6: the second factor before anything about membership ---------------------
def test_a_non_member_with_mfa_is_asked_the_second_factor_before_any_refusal(world):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(world.beta_worker, secret)
    client, response = sign_in("acme.localhost", world.beta_worker.email, world.password)
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert b"not a member" not in response.content
    form = client.get(response["Location"])
    assert form.status_code == 200 and b"not a member" not in form.content
    refused = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert refused.status_code == 403 and b"not a member of this organisation" in refused.content
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_a_member_with_mfa_signs_in_after_the_second_factor(world):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(world.acme_worker, secret)
    client, response = sign_in("acme.localhost", world.acme_worker.email, world.password)
    assert "/accounts/2fa/authenticate/" in response["Location"]
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done.status_code == 302 and client.get("/").status_code == 200

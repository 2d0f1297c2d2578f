"""Two-factor set-up: one secret per set-up, whatever else the browser asks for; secrets are
encrypted at rest; recovery codes follow enrolment."""

from __future__ import annotations

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.apps import apps as django_apps
from django.db import connection
from django.test import override_settings

from cpims.mfa import secret_decrypt, secret_encrypt
from tenants.models import Role
from tenants.services import membership_grant
from tests.conftest import client_on
from tests.factories import TEST_PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def mfa_required():
    """Admins must use MFA (set directly: constance's override_config reads values back,
    which fails once a Playwright test has left an event loop in this thread)."""
    from constance import config

    config.MFA_REQUIRED_FOR_ADMINS = True
    yield
    config.MFA_REQUIRED_FOR_ADMINS = False  # the test suite's default (settings_test)


@pytest.fixture
def newcomer_admin(world):
    """A new organisation admin on acme's host, password just re-entered (as allauth asks)."""
    user = UserFactory(email="new-admin@acme.test")
    membership_grant(user=user, organisation=world.acme, roles=[Role.ORGANISATION_ADMIN])
    client = client_on(world.acme, user)
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302
    return user, client


def shown_secret(client) -> str:
    response = client.get(ACTIVATE)
    assert response.status_code == 200
    return response.context["form"].secret


def test_showing_the_set_up_page_again_keeps_its_secret(newcomer_admin):
    _user, client = newcomer_admin
    first = shown_secret(client)
    assert shown_secret(client) == first  # a reload: the app that scanned it still matches


def test_favicon_and_htmx_requests_do_not_touch_the_set_up(newcomer_admin, mfa_required):
    _user, client = newcomer_admin
    secret = shown_secret(client)
    favicon = client.get("/favicon.ico", HTTP_SEC_FETCH_DEST="image")
    assert favicon.status_code != 302
    image = client.get("/cases/", HTTP_SEC_FETCH_DEST="image")
    assert image.status_code == 403
    poll = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 204 and poll["HX-Redirect"] == ACTIVATE
    page = client.get("/cases/")  # a page load is still sent to the set-up
    assert page.status_code == 302 and page["Location"] == ACTIVATE
    assert client.session[SECRET_SESSION_KEY] == secret


def test_enrolment_stores_the_secret_encrypted_and_offers_recovery_codes(
    newcomer_admin, mfa_required
):
    user, client = newcomer_admin
    secret = shown_secret(client)
    shown_secret(client)
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored and stored.startswith("gAAAAA")
    assert secret_decrypt(stored) == secret
    seed = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert seed.data["seed"].startswith("gAAAAA")
    codes = client.get("/accounts/2fa/recovery-codes/")
    assert codes.status_code == 200 and len(codes.context["unused_codes"]) == 10
    assert client.get("/cases/").status_code == 200  # set up: the workspace opens


def test_a_wrong_code_is_refused_and_changes_nothing(newcomer_admin):
    user, client = newcomer_admin
    secret = shown_secret(client)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(ACTIVATE, {"code": wrong})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.session[SECRET_SESSION_KEY] == secret


def test_other_organisations_member_gets_no_set_up_page_on_this_host(world):
    client = client_on(world.acme, world.beta_worker)
    response = client.get(ACTIVATE)
    assert response.status_code != 200 or "authenticator_secret" not in response.content.decode()


def test_secrets_survive_a_key_rotation():
    with override_settings(SECRET_KEY="old-key-" + "x" * 40, CPIMS_MFA_KEYS=[]):
        stored = secret_encrypt("JBSWY3DPEHPK3PXP")
    with override_settings(
        SECRET_KEY="new-key-" + "y" * 40, SECRET_KEY_FALLBACKS=["old-key-" + "x" * 40]
    ):
        assert secret_decrypt(stored) == "JBSWY3DPEHPK3PXP"


def test_clear_text_secrets_from_before_are_encrypted_by_the_migration(world):
    user = UserFactory()
    legacy = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    migration = importlib.import_module("cpims.migrations.0001_encrypt_mfa_secrets")
    migration.encrypt_stored_secrets(django_apps, connection.schema_editor())
    legacy.refresh_from_db()
    assert legacy.data["secret"].startswith("gAAAAA")
    assert secret_decrypt(legacy.data["secret"]) == "JBSWY3DPEHPK3PXP"

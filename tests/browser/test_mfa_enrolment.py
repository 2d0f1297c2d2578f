"""A new organisation admin, required to use two-factor sign-in, enrols an authenticator in
the browser (htmx loaded, favicon fetched) with a code computed from the secret the page
shows, after reloading the page too, and is offered recovery codes."""

import pytest
from allauth.mfa.models import Authenticator

from tenants.models import Role
from tenants.services import membership_grant
from tests.browser.conftest import screenshot
from tests.factories import TEST_PASSWORD, UserFactory, totp_code

# django_db: pytest-django only creates the test database when a collected test asks for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def new_admin(world, django_db_blocker):
    from constance import config

    with django_db_blocker.unblock():
        user = UserFactory(email="new-admin@acme.test", full_name="Neema Admin")
        membership_grant(user=user, organisation=world.acme, roles=[Role.ORGANISATION_ADMIN])
        config.MFA_REQUIRED_FOR_ADMINS = True
    yield user
    with django_db_blocker.unblock():
        config.MFA_REQUIRED_FOR_ADMINS = False
        user.delete()


def test_admin_enrols_an_authenticator_with_the_secret_shown(page, live_port, world, new_admin):
    base = f"http://acme.localhost:{live_port}"
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", new_admin.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/reauthenticate/**")  # the workspace sends them to set-up
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/accounts/2fa/totp/activate/")
    page.wait_for_load_state("networkidle")  # htmx initialised, favicon fetched
    scanned = page.input_value("#authenticator_secret")
    assert page.title().startswith("Activate Authenticator App")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#authenticator_secret") == scanned  # the app's secret still holds
    screenshot(page, "mfa-activate")
    page.fill("input[name=code]", totp_code(scanned))
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/accounts/2fa/recovery-codes/")
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) == 10
    stored = Authenticator.objects.get(user=new_admin, type=Authenticator.Type.TOTP)
    assert scanned not in str(stored.data)  # encrypted at rest
    page.goto(base + "/cases/")
    assert page.url == base + "/cases/"  # set up: the workspace opens

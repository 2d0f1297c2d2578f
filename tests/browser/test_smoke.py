"""Sign in on one organisation's host; a member of another organisation is refused."""

import pytest

from tests.browser.conftest import screenshot

# django_db: pytest-django only creates the test database when a collected test asks for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(url)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_member_signs_in_and_sees_the_workspace_home(page, live_port, world):
    sign_in(page, f"http://acme.localhost:{live_port}/", world.acme_worker.email, world.password)
    page.wait_for_selector("[data-testid=workspace-title]")
    assert page.text_content("[data-testid=workspace-title]") == "Acme Children's Home"
    assert page.text_content("[data-testid=my-roles]") == "Case worker"
    assert page.text_content("[data-testid=signed-in-as]") == world.acme_worker.email
    screenshot(page, "workspace-home")


def test_member_of_another_organisation_is_refused(page, live_port, world):
    sign_in(page, f"http://acme.localhost:{live_port}/", world.beta_worker.email, world.password)
    page.wait_for_selector("[data-testid=refused]")
    assert "not a member of this organisation" in page.text_content("[data-testid=refused]")
    screenshot(page, "refused")
    page.goto(f"http://acme.localhost:{live_port}/")
    assert "/accounts/login/" in page.url  # still nobody on acme's host


def test_session_does_not_follow_the_user_to_another_host(page, live_port, world):
    sign_in(page, f"http://acme.localhost:{live_port}/", world.acme_worker.email, world.password)
    page.wait_for_selector("[data-testid=workspace-title]")
    page.goto(f"http://beta.localhost:{live_port}/")
    assert "/accounts/login/" in page.url

"""In a browser: a clerk checks the registry, registers a new child, and the second time
the same child is typed the registry offers the first one with its reasons."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_smoke import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def cleanup(django_db_blocker):
    """The server thread commits what the browser creates; remove it afterwards, on a
    connection of its own (this test's connection is inside a rolled-back transaction)."""
    from django.db import connections

    yield
    persons = "SELECT id FROM shared_registry_person WHERE surname = 'CHEPKOECH'"
    with django_db_blocker.unblock():
        own = connections.create_connection("default")
        try:
            with own.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM shared_registry_potentialduplicate WHERE person_a_id IN "
                    f"({persons}) OR person_b_id IN ({persons})"
                )
                for table in ("personlink", "personidentifier"):
                    cursor.execute(
                        f"DELETE FROM shared_registry_{table} WHERE person_id IN ({persons})"
                    )
                cursor.execute(f"DELETE FROM shared_registry_person WHERE id IN ({persons})")
        finally:
            own.close()


def _type_child(page, base, first_name):
    page.goto(f"{base}/registry/register/")
    page.fill("input[name=first_name]", first_name)
    page.fill("input[name=surname]", "Chepkoech")
    page.select_option("select[name=sex]", "SFEM")
    page.fill("input[name=date_of_birth]", "2015-04-09")
    page.click("[data-testid=check-registry]")
    page.wait_for_selector("[data-testid=candidates]")


def test_clerk_checks_then_registers_and_is_offered_the_match_next_time(
    page, live_port, world, cleanup
):
    base = f"http://acme.localhost:{live_port}"
    sign_in(page, f"{base}/", world.acme_worker.email, world.password)
    page.wait_for_selector("[data-testid=workspace-title]")
    _type_child(page, base, "Faith")
    assert "No one in the registry is probably this child" in page.text_content(
        "[data-testid=candidates]"
    )
    page.click("[data-testid=register-new]")
    page.wait_for_selector("[data-testid=person-details]")
    assert "FAITH CHEPKOECH" in page.text_content("h1")
    screenshot(page, "registry-person")
    _type_child(page, base, "Fayth")
    text = page.text_content("[data-testid=likely]")
    assert page.is_visible("[data-testid=registered-anyway-reason]")
    assert "FAITH CHEPKOECH" in text and "same date of birth" in text and "fayth ~ faith" in text
    screenshot(page, "registry-candidates")

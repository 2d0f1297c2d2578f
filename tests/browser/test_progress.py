"""A long action in a real browser: while the data subject export is being gathered its
button is disabled and the busy status shown (docs/ui.md, *Progress*)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_layout import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def subject(world, national_lists, django_db_blocker):
    from shared_registry.models import Person
    from tests.case_apps.conftest import make_child

    with django_db_blocker.unblock():
        person = make_child("Progress", "Subject")
    yield person
    with django_db_blocker.unblock():
        Person.objects.filter(pk=person.pk).delete()


def test_the_export_button_is_disabled_until_the_zip_arrives(browser, live_port, world, subject):
    base = f"http://localhost:{live_port}"
    context, page = signed_in(browser, base, world.hq_admin.email)
    page.goto(base + "/console/data-requests/")
    form = page.locator("[data-testid=dsr-export]")
    held = []

    def hold_the_export(route):
        if route.request.method == "POST":
            held.append(route)  # answered below, once the busy state has been seen
        else:
            route.continue_()

    page.route("**/console/data-requests/", hold_the_export)
    page.fill("input[name=person]", subject.cpims_id)
    page.fill("input[name=reference]", "DPA/REQ/1")
    page.fill("input[name=reason]", "The child's mother, s.26")
    expect(form.locator(".busy")).to_be_hidden()
    # Playwright waits for a pending navigation before any later call: submit and read the
    # busy state in one call, a moment after the submit, while the answer is held back.
    state = page.evaluate(
        """() => new Promise(resolve => {
          const form = document.querySelector('[data-testid=dsr-export]');
          form.querySelector('button[type=submit]').click();
          setTimeout(() => resolve([
            form.querySelector('button[type=submit]').disabled,
            form.getAttribute('aria-busy'),
            form.querySelector('.busy').hidden,
            getComputedStyle(form.querySelector('.busy')).display,
          ]), 50);
        })"""
    )
    assert state == [True, "true", False, "inline-flex"], state
    assert held, "the export request was not sent"
    held[0].continue_()  # the zip's cookie then readies the form (tests/audit/test_progress.py)
    assert not page.console_errors
    context.close()

"""Browser tests: Playwright driving Debian's Chromium against a real server thread."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CPIMS_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".local" / "screenshots"


@pytest.fixture(scope="session")
def live_port(world, django_db_blocker) -> int:
    """A real WSGI server thread on the committed session data (not a test transaction)."""
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    # A handler of its own, made now: whitenoise lists the static files when its middleware
    # is made, and cpims.wsgi's module-level handler may have been made at collection time
    # (a test module imports it), before the session collected the static files (fresh clone).
    application = get_wsgi_application()
    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    with django_db_blocker.unblock():  # the blocker is process-wide; the server needs the DB
        thread.start()
        yield server.effective_port
        server.close()


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test file. Not for the session: Playwright's sync API keeps an event
    loop running in this thread while it is open, and code that asks whether it runs in a
    loop (django-constance answers with awaitable values there) would behave differently in
    every test that happens to run after a browser test on the same worker."""
    if not Path(CHROMIUM).exists():  # outside CI they were deselected (tests/conftest.py)
        pytest.fail(f"{CHROMIUM} is missing (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is only used outside the loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def choose_places(page, *chain: tuple[str, str]) -> None:
    """Chained selects (county, sub-county, ward), by name. A form may open with a county
    chosen, and choosing it again refills the lists below: each choice waits until no list
    is being refilled and the next one offers the name, then every choice is checked."""
    settled = (
        "([name, label]) => { if (document.querySelector('select[aria-busy]')) return false;"
        " const s = document.querySelector(`select[name=${name}]`);"
        " return !s.querySelector('optgroup')"
        " && [...s.options].some(o => o.textContent === label); }"
    )
    for name, label in chain:
        page.wait_for_function(settled, arg=[name, label])
        page.select_option(f"select[name={name}]", label=label)
    page.wait_for_function("() => !document.querySelector('select[aria-busy]')")
    for name, label in chain:  # nothing refilled a list after it was chosen
        chosen = page.eval_on_selector(f"select[name={name}]", "s => s.selectedOptions[0].text")
        assert chosen == label, (name, chosen)

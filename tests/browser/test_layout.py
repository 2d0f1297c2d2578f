"""The shared layout in a real browser: Back after an htmx filter shows the whole page, every
main page fits a phone (390 x 844), the navigation collapses, and no page breaks the CSP.
Runs in its own organisation (an implementing partner, so the OVC list is there too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioning.services import organisation_provision
from tenants.models import PlatformRole, Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import screenshot
from tests.factories import TEST_PASSWORD, UserFactory

# django_db: pytest-django only creates the test database when a collected test asks for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def layout_org(world, national_lists, django_db_blocker):
    """An organisation with one admin (who also works and supervises cases) and one case."""
    from tests.case_apps.conftest import make_child, open_case

    with django_db_blocker.unblock():
        org = organisation_provision(
            organisation=organisation_create(
                name="Upendo Family Support Programme",
                slug="layout",
                kind="ip",
                county_code="047",
            )
        )
        admin = UserFactory(email="admin@layout.test", full_name="Zawadi Achieng")
        membership_grant(
            user=admin,
            organisation=org,
            roles=[Role.ORGANISATION_ADMIN, Role.SUPERVISOR, Role.CASE_WORKER],
        )
        hq = UserFactory(
            email="hq@layout.test",
            platform_roles=[PlatformRole.NATIONAL_ADMINISTRATOR, PlatformRole.SHARING_APPROVER],
        )
        child = make_child("Baraka", "Ochieng")
        case = open_case(org, admin, child=child)
    org.hq = hq  # DCS headquarters, for the platform's lists
    yield org, admin, case
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from tenants.models import User

    with django_db_blocker.unblock():
        registered = list(
            PersonLink.objects.filter(organisation=org).values_list("person_id", flat=True)
        )
        Person.objects.filter(pk__in=[*registered, child.pk]).delete()
        blueprint.schema_drop(org.schema_name)
        org.delete()
        User.objects.filter(pk__in=[admin.pk, hq.pk]).delete()


def signed_in(browser, base: str, email: str, password: str = TEST_PASSWORD, **context_args):
    """A new browser context signed in on base; it collects console errors as it goes."""
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    return context, page


def assert_whole_page(page, path: str) -> None:
    """The page carries the layout (header, navigation, styles), not a bare fragment."""
    assert page.locator("header.topbar").count() == 1, path
    assert page.locator("form.filters input[name=q]").count() == 1, path
    header = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    assert header == "rgb(11, 110, 79)", path  # app.css applied


def filter_then_leave_then_back(page, base: str, path: str, away: str) -> None:
    page.goto(base + path)
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.fill("form.filters input[name=q]", "zz")
    page.wait_for_load_state("networkidle")
    page.goto(base + away)
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert_whole_page(page, path)


# Every list that filters with htmx, by who sees it.
WORKSPACE_LISTS = ["/cases/", "/audit/", "/sharing/", "/members/", "/ovc/"]
WORKSPACE_LISTS += [
    "/cases/approvals/",
    "/cases/referrals-in/",
    "/ovc/children/",
    "/account/tokens/",
]
PLATFORM_LISTS = ["/console/", "/console/applications/", "/console/audit/"]
PLATFORM_LISTS += ["/console/sharing/agreements/"]


def test_back_after_filtering_shows_the_whole_page(browser, live_port, world, layout_org):
    org, admin, case = layout_org
    base = f"http://{org.slug}.localhost:{live_port}"
    context, page = signed_in(browser, base, admin.email)
    for path in WORKSPACE_LISTS:
        filter_then_leave_then_back(page, base, path, away=f"/cases/{case.pk}/")
    context.close()
    base = f"http://localhost:{live_port}"
    context, page = signed_in(browser, base, org.hq.email)
    for path in PLATFORM_LISTS:
        filter_then_leave_then_back(page, base, path, away="/")
    context.close()


def test_the_caseload_filter_then_a_case_then_back_keeps_the_filter(browser, live_port, layout_org):
    org, admin, case = layout_org
    base = f"http://{org.slug}.localhost:{live_port}"
    context, page = signed_in(browser, base, admin.email)
    page.goto(base + "/cases/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.fill("form.filters input[name=q]", "Baraka")
    page.wait_for_url("**/cases/?*q=Baraka*")
    page.locator("[data-testid=caseload] tbody a").first.click()
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert_whole_page(page, "/cases/")
    assert page.input_value("form.filters input[name=q]") == "Baraka"
    context.close()


def no_horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the phone's screen (0 when it fits). Measured
    against the screen's width, not innerWidth: a mobile browser widens its layout viewport
    to fit wide content, which would hide the overflow."""
    return max(0, page.evaluate("document.documentElement.scrollWidth") - PHONE["width"])


def test_every_main_page_fits_a_phone(browser, live_port, world, layout_org):
    org, admin, case = layout_org
    base = f"http://{org.slug}.localhost:{live_port}"
    context, page = signed_in(browser, base, admin.email, viewport=PHONE, is_mobile=True)
    workspace_pages = [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        "/cases/new/",
        "/cases/approvals/",
        "/cases/referrals-in/",
        "/ovc/",
        "/statistics/",
        "/audit/",
        "/account/tokens/",
        "/registry/",
        "/sharing/",
        "/members/",
        "/accounts/2fa/",
    ]
    wide = {}
    for path in workspace_pages:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if overflow := no_horizontal_overflow(page):
            wide[path] = overflow
            screenshot(page, "phone" + path.replace("/", "-"))
    assert not page.console_errors, page.console_errors  # no CSP violation, no 404 asset
    context.close()
    platform = f"http://localhost:{live_port}"
    context, page = signed_in(browser, platform, org.hq.email, viewport=PHONE)
    for path in ["/", *PLATFORM_LISTS, "/console/sharing/", "/statistics/", "/registry/"]:
        page.goto(platform + path)
        page.wait_for_load_state("networkidle")
        if overflow := no_horizontal_overflow(page):
            wide["platform " + path] = overflow
            screenshot(page, "phone-platform" + path.replace("/", "-"))
    assert not page.console_errors, page.console_errors
    context.close()
    assert wide == {}, f"wider than a 390 px screen (px): {wide}"


def test_the_navigation_collapses_on_a_phone(browser, live_port, layout_org):
    org, admin, _case = layout_org
    base = f"http://{org.slug}.localhost:{live_port}"
    context, page = signed_in(browser, base, admin.email, viewport=PHONE)
    page.goto(base + "/cases/")
    assert not page.locator("#mainnav").is_visible()
    screenshot(page, "phone-caseload")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 844 / 8  # the closed header takes a sliver of the screen
    page.click("[data-testid=menu]")
    assert page.locator("#mainnav").is_visible()
    assert page.get_attribute("[data-testid=menu]", "aria-expanded") == "true"
    page.click("#mainnav >> text=Statistics")
    page.wait_for_url(base + "/statistics/")
    screenshot(page, "phone-statistics")
    context.close()


def test_skip_link_and_page_titles(browser, live_port, layout_org):
    org, admin, _case = layout_org
    base = f"http://{org.slug}.localhost:{live_port}"
    context, page = signed_in(browser, base, admin.email)
    page.goto(base + "/cases/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    titles = set()
    for path in ["/", "/cases/", "/audit/", "/statistics/", "/registry/"]:
        page.goto(base + path)
        titles.add(page.title())
    assert len(titles) == 5, titles  # each page names itself
    context.close()


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"


def axe_serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("axe.version") == AXE_VERSION
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_accessibility_violations(browser, live_port, layout_org):
    org, admin, case = layout_org
    found = {}
    # bypass_csp: axe is injected as an inline script, which the app's CSP rightly refuses.
    anonymous = browser.new_context(bypass_csp=True)
    page = anonymous.new_page()
    page.goto(f"http://{org.slug}.localhost:{live_port}/accounts/login/")
    found["/accounts/login/"] = axe_serious_violations(page)
    anonymous.close()
    base = f"http://{org.slug}.localhost:{live_port}"
    context, page = signed_in(browser, base, admin.email, bypass_csp=True)
    for path in [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        "/cases/new/",
        "/cases/approvals/",
        "/ovc/",
        "/statistics/",
        "/audit/",
        "/account/tokens/",
        "/registry/",
        "/sharing/",
        "/members/",
        "/accounts/2fa/",
    ]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        found[path] = axe_serious_violations(page)
    context.close()
    platform = f"http://localhost:{live_port}"
    context, page = signed_in(browser, platform, org.hq.email, bypass_csp=True)
    for path in ["/", *PLATFORM_LISTS, "/console/sharing/", "/statistics/"]:
        page.goto(platform + path)
        page.wait_for_load_state("networkidle")
        found["platform " + path] = axe_serious_violations(page)
    # the checker itself finds a deliberate violation (an image with no text alternative)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    assert any(line.startswith("image-alt (critical)") for line in axe_serious_violations(page))
    context.close()
    assert {path: problems for path, problems in found.items() if problems} == {}

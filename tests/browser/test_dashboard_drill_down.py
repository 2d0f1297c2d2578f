"""A DCS analyst opens the national dashboard and drills down to a county."""

import pytest
from django.db import transaction

from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.services import outbox_event_record
from national_statistics.drain import drain_organisation
from national_statistics.models import Fact, MonthlyCount
from tenants.models import PlatformRole
from tenants.schema import workspace_context
from tests.browser.conftest import screenshot
from tests.factories import TEST_PASSWORD, UserFactory

# django_db: pytest-django only creates the test database when a collected test asks for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def committed_figures(world, django_db_blocker):
    """Facts the server thread can see: committed (a module fixture is set up before the
    test's transaction begins), and removed again after this module."""
    with django_db_blocker.unblock():
        with workspace_context(world.beta), transaction.atomic():
            for county, sub_county, n in (("047", "274", 6), ("042", "240", 9)):
                for _ in range(n):
                    outbox_event_record(
                        kind="case_opened",
                        payload={
                            "category": "CSIC",
                            "sex": "SFEM",
                            "age_band": "6-10",
                            "county": county,
                            "sub_county": sub_county,
                        },
                    )
        drain_organisation(world.beta)
        analyst = UserFactory(email="analyst@dcs.test", platform_roles=[PlatformRole.ANALYST])
    yield analyst
    with django_db_blocker.unblock():
        Fact.objects.filter(organisation=world.beta).delete()
        MonthlyCount.objects.filter(organisation=world.beta).delete()
        with workspace_context(world.beta):
            OutboxEvent.objects.all().delete()
        analyst.delete()


def test_national_dashboard_drills_down_to_a_county(page, live_port, committed_figures):
    base = f"http://localhost:{live_port}"
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", committed_figures.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    page.click("nav >> text=Statistics")
    page.wait_for_selector("[data-testid=drill-table]")
    assert "National figures" in page.text_content("[data-testid=dashboard-title]")
    page.wait_for_function("document.querySelectorAll('canvas').length >= 4")
    screenshot(page, "national-dashboard")
    # an area reads by name when the geography is loaded, its code in the tooltip (issue 17)
    page.click("[data-testid=drill-table] a[title='047']")
    page.wait_for_selector("[data-testid=breadcrumbs]")
    assert "county=047" in page.url
    table = page.locator("[data-testid=drill-table]")
    assert table.locator("[title='274']").count() == 1
    assert table.locator("[title='240']").count() == 0

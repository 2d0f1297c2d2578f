"""A case worker records a case sheet, adds a court follow-up and requests closure; the
supervisor approves it. Runs in its own organisation so its committed rows touch no other test."""

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning.services import organisation_provision
from tenants.models import Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import screenshot
from tests.factories import TEST_PASSWORD, UserFactory

# django_db: pytest-django only creates the test database when a collected test asks for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def casework(world, national_lists, django_db_blocker):
    with django_db_blocker.unblock():
        org = organisation_provision(
            organisation=organisation_create(
                name="Tumaini Rescue Centre",
                slug="casework",
                kind="statutory_institution",
                county_code="042",
            )
        )
        worker = UserFactory(email="worker@casework.test", full_name="Mercy Chebet")
        supervisor = UserFactory(email="supervisor@casework.test", full_name="Peter Mwangi")
        membership_grant(user=worker, organisation=org, roles=[Role.CASE_WORKER])
        membership_grant(user=supervisor, organisation=org, roles=[Role.SUPERVISOR])
        from case_apps.cases.models import Supervision
        from tenants.schema import workspace_context

        with workspace_context(org):
            Supervision.objects.create(supervisor=supervisor, officer=worker)
    yield org, worker, supervisor
    # The journey commits a registry person and an organisation; other tests count persons
    # and list active organisations, so take them all away.
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from tenants.models import User

    with django_db_blocker.unblock():
        registered = list(
            PersonLink.objects.filter(organisation=org).values_list("person_id", flat=True)
        )
        Person.objects.filter(pk__in=registered, created_in=org).delete()
        blueprint.schema_drop(org.schema_name)
        org.delete()
        User.objects.filter(pk__in=[worker.pk, supervisor.pk]).delete()


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_case_from_record_sheet_to_approved_closure(browser, live_port, casework):
    org, worker, supervisor = casework
    base = f"http://{org.slug}.localhost:{live_port}"
    today = timezone.localdate()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, worker.email)

    page.click("text=Cases")
    page.click("text=New case record sheet")
    page.fill("input[name=first_name]", "Imani")
    page.fill("input[name=surname]", "Wekesa")
    page.select_option("select[name=sex]", "SFEM")
    page.fill("input[name=date_of_birth]", "2013-05-17")
    page.click("button[name=action][value=search]")
    page.click("button[name=action][value=register]")
    page.wait_for_selector("[data-testid=case-child]")
    assert "IMANI WEKESA" in page.text_content("[data-testid=case-child]")

    page.fill("input[name=date_reported]", (today - timedelta(days=1)).isoformat())
    page.select_option("select[name=how_reported]", "walk_in")
    page.select_option("select[name=reporter_type]", "CRMO")
    page.fill("input[name=reporter_name]", "Rose Wekesa")
    page.select_option("select[name=cat-0-category_code]", "CSNG")
    page.select_option("select[name=risk_level]", "RLHG")
    page.fill("textarea[name=narrative]", "Reported by the mother at the office.")
    screenshot(page, "case-record-sheet")
    page.click("text=Save case record sheet")
    page.wait_for_selector("[data-testid=case-reference]")
    reference = page.text_content("[data-testid=case-reference]")
    case_url = page.url
    assert reference.startswith("CPIMS/042/CASEWORK/")

    page.click("a:has-text('Court session')")
    page.fill("input[name=session_date]", today.isoformat())
    page.fill("input[name=court_name]", "Kisumu Children's Court")
    page.select_option("select[name=session_type]", "STMN")
    page.select_option("select[name=outcome]", "CADJ")
    page.select_option("select[name=adjournment_reason]", "CHEA")
    page.fill("input[name=next_court_date]", (today + timedelta(days=14)).isoformat())
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=timeline]")
    assert "Court session: Mention" in page.text_content("[data-testid=timeline]")

    page.click("text=Request closure")
    page.select_option("select[name=closure_reason]", "COEN")
    page.fill("input[name=closed_on]", today.isoformat())
    page.fill("textarea[name=notes]", "Child safe with the mother; order complied with.")
    page.select_option("select[name^=final_]", "RTPA")  # the final intervention (issue 17)
    page.click("button[type=submit]:has-text('close the case')")
    page.wait_for_selector("[data-testid=case-status]")
    assert page.text_content("[data-testid=case-status]") == "Closure requested"
    screenshot(page, "case-detail")
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, supervisor.email)
    page.click("text=Approvals")
    page.click(f"tr:has-text('{reference}') >> text=Review")
    page.check("input[name=decision][value=approve]")
    page.click("text=Record decision")
    page.wait_for_selector("[data-testid=approvals]")
    assert reference not in page.text_content("[data-testid=approvals]")
    page.goto(case_url)
    assert page.text_content("[data-testid=case-status]") == "Closed"
    context.close()

"""A Presidential bursary from application to approval in the browser: the case worker
applies and types the principal's and the chief's recommendations, the supervisor signs off
as the sub-county children officer and records the committee's approval; the child's page
shows the award. Runs in its own organisation so its committed rows touch no other test."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from provisioning.services import organisation_provision
from tenants.models import Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import screenshot
from tests.browser.test_case_journey import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
SAVE = "form.stacked button[type=submit]"  # not the header's sign-out button


@pytest.fixture(scope="module")
def bursary_office(world, national_lists, django_db_blocker):
    from case_apps.cases.models import Supervision
    from tenants.schema import workspace_context
    from tests.case_apps.conftest import make_child, open_case

    with django_db_blocker.unblock():
        org = organisation_provision(
            organisation=organisation_create(
                name="Nyando Sub-County Children's Office",
                slug="bursaryoffice",
                kind="dcs_sub_county_office",
                county_code="042",
            )
        )
        worker = UserFactory(email="worker@bursaryoffice.test", full_name="Grace Awino")
        supervisor = UserFactory(email="sco@bursaryoffice.test", full_name="Tom Odhiambo")
        membership_grant(user=worker, organisation=org, roles=[Role.CASE_WORKER])
        membership_grant(user=supervisor, organisation=org, roles=[Role.SUPERVISOR])
        with workspace_context(org):
            Supervision.objects.create(supervisor=supervisor, officer=worker)
        child = make_child("Baraka", "Ouma", sex="SMAL", date_of_birth=date(2011, 6, 1))
        case = open_case(org, worker, child, date_reported=timezone.localdate() - timedelta(10))
    yield org, worker, supervisor, case
    from provisioning import blueprint
    from shared_registry.models import Person
    from tenants.models import User

    with django_db_blocker.unblock():
        Person.objects.filter(pk=case.child_id).delete()
        blueprint.schema_drop(org.schema_name)
        org.delete()
        User.objects.filter(pk__in=[worker.pk, supervisor.pk]).delete()


def _step(page, name: str = "", *, recommended: str = "yes", on, amount: str = "") -> None:
    if name:
        page.fill("input[name=signatory_name]", name)
    page.check(f"input[name=recommended][value={recommended}]")
    page.fill("input[name=on]", on.isoformat())
    if amount:
        page.fill("input[name=approved_amount_kes]", amount)
    page.click(SAVE)


def test_a_presidential_bursary_from_application_to_approval(browser, live_port, bursary_office):
    org, worker, supervisor, case = bursary_office
    base = f"http://{org.slug}.localhost:{live_port}"
    today = timezone.localdate()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, worker.email)
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("text=Apply for a bursary")
    page.select_option("select[name=bursary_type]", "BPRE")
    page.fill("input[name=year]", str(today.year))
    page.fill("input[name=school_name]", "Nyakach Girls High School")
    page.fill("input[name=nemis_upi]", "B7K2M9")
    page.fill("input[name=class_level]", "Form 1")
    page.fill("input[name=annual_fees_kes]", "53554")
    page.fill("input[name=fee_balance_kes]", "60000")  # above the fees: refused, kept
    page.select_option("select[name=parents_status]", "total_orphan")
    page.fill("input[name=applied_on]", (today - timedelta(days=5)).isoformat())
    page.click(SAVE)
    page.wait_for_selector("text=The balance cannot be more than the annual fees.")
    assert page.input_value("input[name=school_name]") == "Nyakach Girls High School"
    page.fill("input[name=fee_balance_kes]", "33554")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=bursary-application]")
    panel = page.inner_text("[data-testid=bursary-panel]")
    assert "Presidential bursary" in panel and "In the approval chain" in panel

    page.click("[data-testid=bursary-next-step]")  # the principal's recommendation
    _step(page, "Mrs Rose Akinyi", on=today - timedelta(days=4))
    page.click("[data-testid=bursary-next-step]")  # the chief's
    _step(page, "Chief Daniel Otieno", on=today - timedelta(days=3))
    assert page.locator("[data-testid=bursary-next-step]").count() == 0  # not the worker's
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, supervisor.email)
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("[data-testid=bursary-next-step]")  # the sub-county officer's sign-off
    _step(page, on=today - timedelta(days=2))
    page.click("[data-testid=bursary-next-step]")  # the committee's approval
    _step(page, "Dr Jane Adhiambo", on=today - timedelta(days=1), amount="20000")
    page.wait_for_selector("[data-testid=bursary-status]:has-text('Approved')")
    trail = page.inner_text("[data-testid=bursary-trail]")
    assert "Tom Odhiambo" in trail and "Dr Jane Adhiambo" in trail and "KES 20000" in trail
    page.click("text=Baraka Ouma")
    record = page.inner_text("[data-testid=education-record]")
    assert "Presidential bursary" in record and "KES 20000" in record
    screenshot(page, "bursary-approved-child-page")
    context.close()

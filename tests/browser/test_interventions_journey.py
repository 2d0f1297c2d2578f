"""A case worker records an intervention, asks for closure with the closure date and the
final intervention, the supervisor approves; the case is reopened and closed again (issue
17). Runs in its own organisation so its committed rows touch no other test."""

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning.services import organisation_provision
from tenants.models import Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import screenshot
from tests.browser.test_case_journey import sign_in
from tests.case_apps.conftest import open_case
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def reopening_org(world, national_lists, django_db_blocker):
    with django_db_blocker.unblock():
        org = organisation_provision(
            organisation=organisation_create(
                name="Upendo Children's Office",
                slug="upendo",
                kind="dcs_sub_county_office",
                county_code="042",
            )
        )
        worker = UserFactory(email="worker@upendo.test", full_name="Achieng Odhiambo")
        supervisor = UserFactory(email="supervisor@upendo.test", full_name="Juma Baraka")
        membership_grant(user=worker, organisation=org, roles=[Role.CASE_WORKER])
        membership_grant(user=supervisor, organisation=org, roles=[Role.SUPERVISOR])
        from case_apps.cases.models import Supervision
        from tenants.schema import workspace_context

        with workspace_context(org):
            Supervision.objects.create(supervisor=supervisor, officer=worker)
        case = open_case(org, worker, date_reported=timezone.localdate() - timedelta(days=12))
    yield org, worker, supervisor, case
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from tenants.models import User

    with django_db_blocker.unblock():
        registered = list(
            PersonLink.objects.filter(organisation=org).values_list("person_id", flat=True)
        )
        Person.objects.filter(pk__in=registered).delete()
        blueprint.schema_drop(org.schema_name)
        org.delete()
        User.objects.filter(pk__in=[worker.pk, supervisor.pk]).delete()


def _approve(browser, base, supervisor, reference, kind):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, supervisor.email)
    page.click("text=Approvals")
    page.click(f"tr:has-text('{reference}'):has-text('{kind}') >> text=Review")
    text = page.text_content("main")
    page.check("input[name=decision][value=approve]")
    page.click("text=Record decision")
    page.wait_for_selector("[data-testid=approvals]")
    context.close()
    return text


def _ask_closure(page, closed_on, final):
    page.click("text=Request closure")
    page.select_option("select[name=closure_reason]", "COEN")
    page.fill("input[name=closed_on]", closed_on.isoformat())
    page.fill("textarea[name=notes]", "Child back with the mother and attending school.")
    page.select_option("select[name^=final_]", final)
    page.click("button[type=submit]:has-text('close the case')")
    page.wait_for_selector("[data-testid=case-status]")


def test_intervention_closure_reopening_and_closure_again(browser, live_port, reopening_org):
    org, worker, supervisor, case = reopening_org
    base = f"http://{org.slug}.localhost:{live_port}"
    today = timezone.localdate()
    case_url = f"{base}/cases/{case.pk}/"
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, worker.email)
    page.goto(case_url)
    page.click("[data-testid=record-intervention]")
    page.select_option("select[name=category_id]", index=1)
    page.select_option("select[name=intervention_code]", "PCNS")
    page.fill("input[name=date]", (today - timedelta(days=8)).isoformat())
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=interventions-panel]")
    assert "Professional counselling" in page.text_content("[data-testid=interventions-panel]")
    _ask_closure(page, today - timedelta(days=5), "RTPA")
    assert page.text_content("[data-testid=case-status]") == "Closure requested"
    context.close()

    review = _approve(browser, base, supervisor, case.national_reference, "Case closure")
    closed_label = (today - timedelta(days=5)).strftime("%-d %b %Y")
    assert f"Closure date: {closed_label}" in review and "Release to parent(s)" in review

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, worker.email)
    page.goto(case_url)
    assert page.text_content("[data-testid=case-status]") == "Closed"
    assert page.locator("[data-testid=final-intervention]").count() == 1
    page.click("[data-testid=request-reopening]")
    page.fill("input[name=reopened_on]", (today - timedelta(days=2)).isoformat())
    page.fill("textarea[name=reason]", "The child ran away from home again.")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=case-status]")
    context.close()

    _approve(browser, base, supervisor, case.national_reference, "Case reopening")

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, worker.email)
    page.goto(case_url)
    assert page.text_content("[data-testid=case-status]") == "Open"
    assert "Case reopened" in page.text_content("[data-testid=timeline]")
    screenshot(page, "case-reopened")
    _ask_closure(page, today, "REUN")
    context.close()
    _approve(browser, base, supervisor, case.national_reference, "Case closure")

    from case_apps.cases.models import CaseRecord
    from tenants.schema import workspace_context

    with workspace_context(org):
        closed = CaseRecord.objects.get(pk=case.pk)
        assert closed.status == "closed" and closed.closed_on == today
        assert closed.interventions.filter(is_final=True).count() == 2

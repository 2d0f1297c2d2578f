"""The whole onboarding journey in a browser: sign up, confirm the email from the mailbox,
the operator approves, provisioning completes, the new admin signs in on the new host and
invites a colleague who accepts."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import screenshot

# django_db: pytest-django only creates the test database when a collected test asks for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SLUG = "safari-journey"
PASSWORD = "a-long-safe-passphrase"


def link_in_last_mail(to: str, part: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return next(w for w in message.body.split() if part in w)


@pytest.fixture
def eager_celery():
    from cpims.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def cleanup(django_db_blocker):
    yield
    from provisioning import blueprint
    from tenants.models import Organisation, User

    with django_db_blocker.unblock():
        for org in Organisation.objects.filter(slug=SLUG):
            blueprint.schema_drop(org.schema_name)
            org.delete()
        User.objects.filter(email__in=["boss@safari.test", "mate@safari.test"]).delete()


def test_an_organisation_onboards_itself(
    browser, live_port, world, kenya_geography, eager_celery, cleanup
):
    base = f"http://localhost:{live_port}"
    applicant = browser.new_context().new_page()
    applicant.set_default_timeout(15_000)

    # 1. sign-up, with the slug checked as it is typed
    applicant.goto(f"{base}/join/")
    applicant.fill("#id_slug", "acme")
    applicant.wait_for_selector("[data-testid=slug-problem]")
    applicant.fill("#id_slug", SLUG)
    applicant.wait_for_selector("[data-testid=slug-ok]")
    for field, value in {
        "name": "Safari Children's Home",
        "registration_number": "CCI/MSA/0420",
        "physical_address": "Nyali Road, Mombasa",
        "contact_person": "Baraka Boss",
        "contact_phone": "0722 000111",
        "full_name": "Baraka Boss",
        "email": "boss@safari.test",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }.items():
        applicant.fill(f"#id_{field}", value)
    applicant.select_option("#id_kind", "cci")
    applicant.select_option("#id_county_code", "001")
    applicant.set_input_files(
        "#id_certificate",
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%x\n"},
    )
    applicant.click("button[type=submit]")
    applicant.wait_for_selector("[data-testid=application-status]")
    assert "Pending verification" in applicant.text_content("[data-testid=application-status]")
    status_url = applicant.url
    screenshot(applicant, "onboarding-1-applied")

    # 2. the verification link from the mailbox
    applicant.goto(link_in_last_mail("boss@safari.test", "/accounts/confirm-email/"))
    applicant.click("button[type=submit]")
    applicant.goto(status_url)
    assert applicant.query_selector("[data-testid=verify-email]") is None

    # 3. the operator approves in the console
    operator = browser.new_context().new_page()
    operator.set_default_timeout(15_000)
    operator.goto(f"{base}/accounts/login/?next=/console/applications/")
    operator.fill("input[name=login]", world.hq_admin.email)
    operator.fill("input[name=password]", world.password)
    operator.click("button[type=submit]")
    operator.click("text=Safari Children's Home")
    assert "email confirmed" in operator.text_content("main")
    assert operator.query_selector("[data-testid=document]") is not None
    operator.click("[data-testid=approve]")
    operator.wait_for_selector("text=Approved")
    screenshot(operator, "onboarding-2-approved")
    assert (
        "approved"
        in next(
            m for m in mail.outbox if "boss@safari.test" in m.to and "approved" in m.subject
        ).subject
    )

    # 4. the applicant's page shows the steps done and the way in
    applicant.goto(status_url)
    applicant.wait_for_selector("[data-testid=open-workspace]")
    assert applicant.locator("li[data-done=yes]").count() == 4
    screenshot(applicant, "onboarding-3-ready")
    workspace = applicant.get_attribute("[data-testid=open-workspace]", "href")
    assert workspace == f"http://{SLUG}.localhost:{live_port}/"

    # 5. the new administrator signs in on the new host
    applicant.goto(workspace)
    applicant.fill("input[name=login]", "boss@safari.test")
    applicant.fill("input[name=password]", PASSWORD)
    applicant.click("button[type=submit]")
    applicant.wait_for_selector("[data-testid=workspace-title]")
    assert applicant.text_content("[data-testid=my-roles]") == "Organisation administrator"

    # 6. invites a colleague, who accepts
    applicant.click("[data-testid=manage-members]")
    applicant.fill("#id_email", "mate@safari.test")
    applicant.select_option("#id_role", "case_worker")
    applicant.click("[data-testid=invite-form] button[type=submit]")
    applicant.wait_for_selector("text=Invitation sent")
    screenshot(applicant, "onboarding-4-invited")
    accept = link_in_last_mail("mate@safari.test", "/invitations/")
    assert re.match(rf"http://{SLUG}\.localhost:{live_port}/invitations/", accept)
    colleague = browser.new_context().new_page()
    colleague.set_default_timeout(15_000)
    colleague.goto(accept)
    colleague.fill("#id_full_name", "Mwenzi Mate")
    colleague.fill("#id_password1", PASSWORD)
    colleague.fill("#id_password2", PASSWORD)
    colleague.click("button[type=submit]")
    colleague.wait_for_selector("[data-testid=workspace-title]")
    assert colleague.text_content("[data-testid=my-roles]") == "Case worker"
    screenshot(colleague, "onboarding-5-colleague")
    for page in (applicant, operator, colleague):
        page.context.close()

"""A child's transfer between two organisations, in a browser: the receiver's admin lists the
services it takes referrals for; the sender's case worker records the parent's consent on the
child's case, finds the receiver by kind, county and service and sends a transfer; the
receiver's case worker finds it in "Referrals in", reads the summary (only the consented
fields) and accepts; the sender's case page then shows the transfer completed and the case
closed as transferred. Two organisations of its own, so its committed rows touch no other test.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning.services import organisation_provision
from tenants.actor import member_actor
from tenants.models import Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import screenshot
from tests.browser.test_onboarding_journey import eager_celery  # noqa: F401 (a fixture)
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SECRET_NARRATIVE = "ZQXJOURNEYNARRATIVE"  # on the case, never consented to
SHARED_VILLAGE = "Manyatta B"


@pytest.fixture(scope="module")
def two_organisations(world, national_lists, kenya_geography, django_db_blocker):
    from case_apps.cases import services as case_services
    from shared_registry.services import person_register
    from tenants.schema import workspace_context

    with django_db_blocker.unblock():
        sender = organisation_provision(
            organisation=organisation_create(
                name="Kisumu Rescue Centre", slug="referral-from", kind="cci", county_code="042"
            )
        )
        receiver = organisation_provision(
            organisation=organisation_create(
                name="Nairobi Counselling Trust",
                slug="referral-to",
                kind="ngo",
                county_code="047",
            )
        )
        sender_worker = UserFactory(email="worker@referral-from.test", full_name="Akinyi Odhiambo")
        receiver_admin = UserFactory(email="admin@referral-to.test", full_name="Wanjiru Kamau")
        receiver_worker = UserFactory(email="worker@referral-to.test", full_name="Otieno Ouma")
        membership_grant(user=sender_worker, organisation=sender, roles=[Role.CASE_WORKER])
        membership_grant(
            user=receiver_admin, organisation=receiver, roles=[Role.ORGANISATION_ADMIN]
        )
        membership_grant(user=receiver_worker, organisation=receiver, roles=[Role.CASE_WORKER])
        child = person_register(
            first_name="Neema",
            surname="Achieng",
            sex="SFEM",
            date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 13),
        )
        with workspace_context(sender):
            case = case_services.case_open(
                organisation=sender,
                actor=member_actor(sender_worker, sender),
                child=child,
                date_reported=timezone.localdate() - timedelta(days=5),
                how_reported="walk_in",
                reporter_type="CRMO",
                risk_level="RLHG",
                categories=[
                    case_services.CategoryInput(category_code="CSIC", sub_category_codes=["NDED"])
                ],
                narrative=SECRET_NARRATIVE,
                occurrence_village=SHARED_VILLAGE,
            )
    yield sender, receiver, sender_worker, receiver_admin, receiver_worker, child, case
    # Everything committed goes: referrals, consents, the child, both workspaces, the users.
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from sharing.models import Consent, OrganisationReferral
    from tenants.models import User

    with django_db_blocker.unblock():
        organisations = [sender, receiver]
        OrganisationReferral.objects.filter(sender__in=organisations).delete()
        OrganisationReferral.objects.filter(receiver__in=organisations).delete()
        Consent.objects.filter(organisation__in=organisations).delete()
        PersonLink.objects.filter(person=child).delete()
        Person.objects.filter(pk=child.pk).delete()
        for organisation in organisations:
            blueprint.schema_drop(organisation.schema_name)
            organisation.delete()
        User.objects.filter(
            pk__in=[sender_worker.pk, receiver_admin.pk, receiver_worker.pk]
        ).delete()


def signed_in(browser, base: str, email: str):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def test_a_child_is_transferred_with_consent_and_the_sender_case_closes(
    browser,
    live_port,
    two_organisations,
    eager_celery,  # noqa: F811
):
    sender, receiver, sender_worker, receiver_admin, receiver_worker, child, case = (
        two_organisations
    )
    sender_base = f"http://{sender.slug}.localhost:{live_port}"
    receiver_base = f"http://{receiver.slug}.localhost:{live_port}"
    today = timezone.localdate()

    # 1. the receiver's admin says what it takes referrals for
    admin = signed_in(browser, receiver_base, receiver_admin.email)
    admin.click("nav >> text=Sharing")
    admin.click("text=Services we receive referrals for")
    admin.check("input[name=services][value=RMPC]")
    admin.click("button[type=submit]:has-text('Save')")
    admin.wait_for_selector("text=others find you by them")
    assert admin.is_checked("input[name=services][value=RMPC]")
    screenshot(admin, "referral-0-services")
    admin.context.close()

    # 2. the sender's case worker opens the child's case and records the parent's consent
    page = signed_in(browser, sender_base, sender_worker.email)
    page.click("nav >> text=Cases")
    page.fill("input[name=q]", "Achieng")
    page.click(f"text={case.national_reference}")
    page.wait_for_selector("[data-testid=sharing-panel]")
    case_url = page.url
    page.click("[data-testid=sharing-panel] >> text=Record consent")
    page.check("input[name=given_by][value=parent]")
    page.fill("input[name=giver_name]", "Mary Achieng")
    page.fill("textarea[name=purpose]", "Counselling near her new home")
    for field in ("national_reference", "status", "occurrence_village"):
        page.check(f"input[name=fields][value='case_summary:{field}']")
    page.fill("input[name=valid_until]", (today + timedelta(days=180)).isoformat())
    page.click("button[type=submit]:has-text('Save')")  # a parent's consent names the relationship
    page.wait_for_selector("#id_giver_relationship[aria-invalid=true], .errorlist")
    assert page.input_value("input[name=giver_name]") == "Mary Achieng"  # kept what was typed
    assert page.is_checked("input[name=fields][value='case_summary:occurrence_village']")
    screenshot(page, "referral-1-consent-error")
    page.fill("input[name=giver_relationship]", "Mother")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=consent-history]")
    assert "Mary Achieng" in page.text_content("[data-testid=sharing-panel]")
    assert case_url.split("#")[0] in page.url

    # 3. ... finds the receiver by kind, county and service, and sends a transfer
    page.click("text=Refer or transfer to another organisation >> nth=-1")
    page.select_option("select[name=org_kind]", "ngo")
    page.select_option("select[name=org_county]", "047")
    page.select_option("select[name=org_service]", "RMPC")
    page.click("button:has-text('Find')")
    options = page.eval_on_selector_all(
        "select[name=receiver] option", "os => os.map(o => o.textContent)"
    )
    assert [o for o in options if "Nairobi Counselling Trust" in o]
    assert not [o for o in options if "Kisumu Rescue Centre" in o]
    page.select_option("select[name=receiver]", str(receiver.pk))
    page.check("input[name=kind][value=transfer]")
    page.check("input[name=services][value=RMPC]")
    # the form starts with the smallest scope (issue 17): the officer adds the village
    assert page.is_checked("input[name=fields][value='case_summary:national_reference']")
    assert not page.is_checked("input[name=fields][value='case_summary:status']")
    page.check("input[name=fields][value='case_summary:occurrence_village']")
    page.fill("textarea[name=reason]", "The family moved to Nairobi; she needs counselling there.")
    screenshot(page, "referral-2-send")
    page.click("button[name=send]")
    page.wait_for_selector("[data-testid=org-referrals]")
    assert "Nairobi Counselling Trust" in page.text_content("[data-testid=org-referrals]")
    assert page.text_content("[data-testid=org-referral-status]") == "Waiting for the receiver"

    # 4. the receiver's case worker sees it in "Referrals in" and reads the summary
    other = signed_in(browser, receiver_base, receiver_worker.email)
    other.click("nav >> text=Referrals in")
    other.wait_for_selector("[data-testid=referrals-waiting]")
    other.fill("input[name=q]", "Achieng")  # the list narrows as one types (htmx)
    other.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'Achieng'")
    assert "Kisumu Rescue Centre" in other.text_content("[data-testid=referrals-in]")
    screenshot(other, "referral-3-inbox")
    other.click("[data-testid=referrals-in] >> text=NEEMA ACHIENG")
    summary = other.text_content("[data-testid=referral-summary]")
    assert case.national_reference in summary and SHARED_VILLAGE in summary
    headers = other.eval_on_selector_all(
        "[data-testid=referral-summary] th", "ths => ths.map(t => t.textContent)"
    )
    assert headers == ["Case reference", "Village / estate"]
    assert SECRET_NARRATIVE not in other.content()
    screenshot(other, "referral-4-summary")

    # 5. ... and accepts: the receiver's own case opens
    other.select_option("select[name=category_code]", "CSIC")
    other.select_option("select[name=risk_level]", "RLMD")
    other.click("button:has-text('Accept')")
    other.wait_for_selector("[data-testid=case-reference]")
    receiver_reference = other.text_content("[data-testid=case-reference]")
    assert receiver_reference.startswith("CPIMS/047/")
    assert "NEEMA ACHIENG" in other.text_content(".page-head")
    other.context.close()

    # 6. the sender's case page: transfer completed, case closed as transferred
    page.goto(case_url)
    assert page.text_content("[data-testid=case-status]") == "Transferred"
    assert page.text_content("[data-testid=org-referral-status]") == "Completed"
    assert receiver_reference in page.text_content("[data-testid=org-referrals]")
    screenshot(page, "referral-5-sender-case")
    page.context.close()

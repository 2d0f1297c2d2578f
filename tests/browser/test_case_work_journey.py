"""Issue 17's case work, end to end in a browser: a defilement case from the record sheet
(child registered with her residence, police station and OB number) through two court
sessions, a referral accepted by another organisation on the platform, an intervention, a
Presidential bursary from application to the committee's approval, closure, reopening and
closure again, each approved by the supervisor; then one page in Kiswahili. A DCS sub-county
office sends (so the reference is CCO/...), a CCI receives. Two organisations of its own, so
its committed rows touch no other test."""

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning.services import organisation_provision
from tenants.models import Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import choose_places, screenshot
from tests.browser.test_bursary_journey import SAVE, _step
from tests.browser.test_case_journey import sign_in
from tests.browser.test_interventions_journey import _approve, _ask_closure
from tests.browser.test_onboarding_journey import eager_celery  # noqa: F401 (a fixture)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHILD = "Zawadi Atieno"


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture(scope="module")
def geography(django_db_setup, django_db_blocker):
    """Counties, sub-counties and wards for the chained selects. Loaded here, not with the
    session's kenya_geography, and removed again when this module loaded them: the national
    dashboard's browser test, which runs next, reads its areas as codes without them."""
    from shared_registry.geography import geography_load
    from shared_registry.models import County, SubCounty, Ward

    with django_db_blocker.unblock():
        loaded_here = not County.objects.exists()
        if loaded_here:
            geography_load()
    yield
    if loaded_here:
        with django_db_blocker.unblock():
            Ward.objects.all().delete()
            SubCounty.objects.all().delete()
            County.objects.all().delete()


@pytest.fixture(scope="module")
def case_work(world, national_lists, geography, django_db_blocker):
    from case_apps.cases.models import Supervision
    from tenants.schema import workspace_context

    with django_db_blocker.unblock():
        sender = organisation_provision(
            organisation=organisation_create(
                name="Kisumu Central Children's Office",
                slug="casework-cco",
                kind="dcs_sub_county_office",
                county_code="042",
            )
        )
        receiver = organisation_provision(
            organisation=organisation_create(
                name="Tumaini Rescue Home", slug="casework-cci", kind="cci", county_code="047"
            )
        )
        users = {
            "worker": UserFactory(email="worker@casework-cco.test", full_name="Mercy Awuor"),
            "supervisor": UserFactory(email="sco@casework-cco.test", full_name="Paul Okoth"),
            "admin": UserFactory(email="admin@casework-cci.test", full_name="Ruth Njeri"),
            "other": UserFactory(email="worker@casework-cci.test", full_name="John Kariuki"),
        }
        membership_grant(user=users["worker"], organisation=sender, roles=[Role.CASE_WORKER])
        membership_grant(user=users["supervisor"], organisation=sender, roles=[Role.SUPERVISOR])
        membership_grant(
            user=users["admin"], organisation=receiver, roles=[Role.ORGANISATION_ADMIN]
        )
        membership_grant(user=users["other"], organisation=receiver, roles=[Role.CASE_WORKER])
        with workspace_context(sender):
            Supervision.objects.create(supervisor=users["supervisor"], officer=users["worker"])
    yield sender, receiver, users
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from sharing.models import Consent, OrganisationReferral
    from tenants.models import User

    with django_db_blocker.unblock():
        organisations = [sender, receiver]
        OrganisationReferral.objects.filter(sender__in=organisations).delete()
        OrganisationReferral.objects.filter(receiver__in=organisations).delete()
        Consent.objects.filter(organisation__in=organisations).delete()
        links = PersonLink.objects.filter(organisation__in=organisations)
        registered = list(links.values_list("person_id", flat=True))
        links.delete()
        Person.objects.filter(pk__in=registered).delete()
        for organisation in organisations:
            blueprint.schema_drop(organisation.schema_name)
            organisation.delete()
        User.objects.filter(pk__in=[u.pk for u in users.values()]).delete()


def signed_in(browser, base: str, user):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, user.email)
    return page


def open_record_sheet(page) -> str:
    """Registers the child with her residence, fills the record sheet; returns the case URL."""
    page.click("nav >> text=Cases")
    page.click("text=New case record sheet")
    page.fill("input[name=first_name]", "Zawadi")
    page.fill("input[name=surname]", "Atieno")
    page.select_option("select[name=sex]", "SFEM")
    page.fill("input[name=date_of_birth]", "2012-03-14")
    choose_places(
        page,
        ("county_code", "Kisumu"),
        ("sub_county_code", "Kisumu Central"),
        ("ward_code", "Kondele"),
    )
    page.fill("input[name=village]", "Manyatta A")
    page.click("button[name=action][value=search]")
    page.click("button[name=action][value=register]")
    page.wait_for_selector("[data-testid=case-child]")
    assert "ZAWADI ATIENO" in page.text_content("[data-testid=case-child]").upper()
    assert page.input_value("input[name=residence_village]") == "Manyatta A"  # carried over
    page.fill("input[name=date_reported]", days_ago(10).isoformat())
    page.select_option("select[name=how_reported]", "walk_in")
    page.select_option("select[name=reporter_type]", "CRMO")
    page.fill("input[name=reporter_name]", "Rose Atieno")
    page.fill("input[name=police_station]", "Kondele Police Station")
    page.fill("input[name=ob_number]", "23/14/03/2026")
    page.select_option("select[name=cat-0-category_code]", "CCDF")
    choose_places(
        page, ("occurrence_county_code", "Kisumu"), ("occurrence_sub_county_code", "Kisumu Central")
    )
    page.select_option("select[name=risk_level]", "RLHG")
    page.fill("textarea[name=narrative]", "Reported by the mother; the child was examined.")
    screenshot(page, "case-work-1-record-sheet")
    page.click("text=Save case record sheet")
    page.wait_for_selector("[data-testid=case-reference]")
    return page.url


def record_court_session(page, when, session_type, outcome, next_date=None, **coded) -> None:
    page.click("a:has-text('Court session')")
    page.fill("input[name=session_date]", when.isoformat())
    page.fill("input[name=court_name]", "Kisumu Children's Court")
    page.select_option("select[name=session_type]", session_type)
    page.select_option("select[name=outcome]", outcome)
    for name, code in coded.items():
        page.select_option(f"select[name={name}]", code)
    if next_date:
        page.fill("input[name=next_court_date]", next_date.isoformat())
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("[data-testid=court-panel]")


def list_services(browser, base: str, admin) -> None:
    page = signed_in(browser, base, admin)
    page.click("nav >> text=Sharing")
    page.click("text=Services we receive referrals for")
    page.check("input[name=services][value=RMTX]")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=others find you by them")
    page.context.close()


def record_consent(page) -> None:
    page.click("[data-testid=sharing-panel] >> text=Record consent")
    page.check("input[name=given_by][value=parent]")
    page.fill("input[name=giver_name]", "Rose Atieno")
    page.fill("input[name=giver_relationship]", "Mother")
    page.fill("textarea[name=purpose]", "Medical examination and PEP at the rescue home")
    page.check("input[name=fields][value='case_summary:national_reference']")
    page.check("input[name=fields][value='case_summary:status']")
    page.fill("input[name=valid_until]", (timezone.localdate() + timedelta(180)).isoformat())
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=consent-history]")


def refer(page, receiver) -> None:
    """The record sheet's "Refer", to an organisation on the platform, with two reasons."""
    page.click(".actions >> text=Refer")
    page.click("[data-testid=refer-to-organisation]")
    page.select_option("select[name=org_kind]", "cci")
    page.select_option("select[name=org_county]", "047")
    page.select_option("select[name=org_service]", "RMTX")
    page.click("button:has-text('Find')")
    page.select_option("select[name=receiver]", str(receiver.pk))
    page.check("input[name=kind][value=referral]")
    page.check("input[name=services][value=RMTX]")
    page.check("[data-testid=referral-sheet-fields] input[name=reasons][value=RMTX]")
    page.check("[data-testid=referral-sheet-fields] input[name=reasons][value=RMPP]")
    screenshot(page, "case-work-3-refer")
    page.click("button[name=send]")
    page.wait_for_selector("[data-testid=org-referrals]")


def accept_referral(browser, base: str, other, sender_worker) -> None:
    page = signed_in(browser, base, other)
    page.click("nav >> text=Referrals in")
    page.click(f"[data-testid=referrals-in] >> text={CHILD}")
    officer = page.text_content("[data-testid=referral-sender-officer]")
    assert sender_worker.full_name in officer and sender_worker.email not in officer
    reasons = page.text_content("[data-testid=referral-reasons]")
    assert "Medical examination/treatment" in reasons and "PEP" in reasons
    page.select_option("select[name=category_code]", "CCDF")
    page.select_option("select[name=risk_level]", "RLHG")
    page.click("button:has-text('Accept')")
    page.wait_for_selector("[data-testid=case-reference]")
    page.context.close()


def record_intervention(page) -> None:
    page.click("[data-testid=record-intervention]")
    page.select_option("select[name=category_id]", label="Defilement")
    page.select_option("select[name=intervention_code]", "PCNS")
    page.fill("input[name=date]", days_ago(2).isoformat())
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=interventions-panel]")


def apply_for_bursary(page) -> None:
    page.click("text=Apply for a bursary")
    page.select_option("select[name=bursary_type]", "BPRE")
    page.fill("input[name=year]", str(timezone.localdate().year))
    page.fill("input[name=school_name]", "Kisumu Girls High School")
    page.fill("input[name=nemis_upi]", "Z4W8D1")
    page.fill("input[name=class_level]", "Form 1")
    page.fill("input[name=annual_fees_kes]", "53554")
    page.fill("input[name=fee_balance_kes]", "30000")
    page.select_option("select[name=parents_status]", "partial_orphan")
    page.fill("input[name=applied_on]", days_ago(3).isoformat())
    page.click(SAVE)
    page.wait_for_selector("[data-testid=bursary-application]")


def test_a_defilement_case_from_record_sheet_to_closure_again(
    browser,
    live_port,
    case_work,
    eager_celery,  # noqa: F811
):
    sender, receiver, users = case_work
    base = f"http://{sender.slug}.localhost:{live_port}"
    receiver_base = f"http://{receiver.slug}.localhost:{live_port}"
    today = timezone.localdate()
    hearing_on = today + timedelta(days=21)

    # 1. the record sheet: a CCO reference, pending until the first action after intake
    page = signed_in(browser, base, users["worker"])
    case_url = open_record_sheet(page)
    reference = page.text_content("[data-testid=case-reference]")
    assert reference.startswith("CCO/42/")
    assert page.text_content("[data-testid=case-stage]") == "Pending"
    assert "Kondele Police Station" in page.text_content("[data-testid=case-police]")
    assert "23/14/03/2026" in page.text_content("[data-testid=case-police]")
    residence = page.text_content("[data-testid=case-residence]")
    assert "Manyatta A" in residence and "Kondele" in residence
    assert "Defilement" in page.text_content("main")

    # 2. two court sessions: a plea adjourned for hearing, then the hearing with an order
    record_court_session(
        page, days_ago(8), "STPL", "CADJ", days_ago(3), plea="PLNG", adjournment_reason="CHEA"
    )
    assert page.text_content("[data-testid=case-stage]") == "Active"
    record_court_session(page, days_ago(3), "STHR", "CRCT", hearing_on, order_code="OPRO")
    court = page.inner_text("[data-testid=court-panel]")
    assert "Plea" in court and "Pleaded not guilty" in court and "Hearing" in court
    assert "Protection" in court and hearing_on.strftime("%-d %b %Y") in court
    screenshot(page, "case-work-2-court")
    page.click("nav >> text=Court")
    dates = page.inner_text("[data-testid=court-dates]")
    assert reference in dates and hearing_on.strftime("%-d %b %Y") in dates

    # 3. consent, then a referral (not a transfer) with two reasons, accepted by the CCI
    list_services(browser, receiver_base, users["admin"])
    page.goto(case_url)
    record_consent(page)
    refer(page, receiver)
    status = page.text_content("[data-testid=org-referral-status]")
    assert status == "Waiting for the receiver"
    accept_referral(browser, receiver_base, users["other"], users["worker"])
    page.goto(case_url)
    assert page.text_content("[data-testid=org-referral-status]") == "Accepted"
    assert page.text_content("[data-testid=case-status]") == "Open"  # a referral, not a transfer
    screenshot(page, "case-work-4-referral-accepted")

    # 4. an intervention against the defilement category, then a Presidential bursary
    record_intervention(page)
    assert "Professional counselling" in page.text_content("[data-testid=interventions-panel]")
    apply_for_bursary(page)
    page.click("[data-testid=bursary-next-step]")  # the principal's recommendation
    _step(page, "Mrs Grace Ochieng", on=days_ago(2))
    page.click("[data-testid=bursary-next-step]")  # the chief's
    _step(page, "Chief Samuel Oduya", on=days_ago(2))
    assert page.locator("[data-testid=bursary-next-step]").count() == 0  # not the worker's
    page.context.close()
    page = signed_in(browser, base, users["supervisor"])
    page.goto(case_url)
    page.click("[data-testid=bursary-next-step]")  # the sub-county children officer
    _step(page, on=days_ago(1))
    page.click("[data-testid=bursary-next-step]")  # the County Scholarship Advisory Committee
    _step(page, "Dr Jane Adhiambo", on=days_ago(1), amount="25000")
    page.wait_for_selector("[data-testid=bursary-status]:has-text('Approved')")
    page.click(f"text={CHILD}")
    record = page.inner_text("[data-testid=education-record]")
    assert "Presidential bursary" in record and "KES 25000" in record
    screenshot(page, "case-work-5-bursary-approved")
    page.context.close()

    # 5. closure with a final intervention, approved; reopening, approved; closure again
    page = signed_in(browser, base, users["worker"])
    page.goto(case_url)
    _ask_closure(page, days_ago(1), "RTPA")
    assert page.text_content("[data-testid=case-status]") == "Closure requested"
    page.context.close()
    _approve(browser, base, users["supervisor"], reference, "Case closure")
    page = signed_in(browser, base, users["worker"])
    page.goto(case_url)
    assert page.text_content("[data-testid=case-status]") == "Closed"
    assert page.text_content("[data-testid=case-stage]") == "Closed"
    page.click("[data-testid=request-reopening]")
    page.fill("input[name=reopened_on]", today.isoformat())
    page.fill("textarea[name=reason]", "The perpetrator returned to the homestead.")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=case-status]")
    page.context.close()
    _approve(browser, base, users["supervisor"], reference, "Case reopening")
    page = signed_in(browser, base, users["worker"])
    page.goto(case_url)
    assert page.text_content("[data-testid=case-status]") == "Open"
    assert page.text_content("[data-testid=case-stage]") == "Reopened"
    _ask_closure(page, today, "REUN")
    page.context.close()
    _approve(browser, base, users["supervisor"], reference, "Case closure")
    page = signed_in(browser, base, users["worker"])
    page.goto(case_url)
    assert page.text_content("[data-testid=case-status]") == "Closed"
    timeline = page.text_content("[data-testid=timeline]")
    assert "Case reopened" in timeline
    assert page.locator("[data-testid=final-intervention]").count() == 2
    screenshot(page, "case-work-6-closed-again")

    # 6. in Kiswahili: the language switcher, then the court list and the case page
    page.select_option("select[name=language]", "sw")
    page.wait_for_selector("html[lang=sw]")
    page.goto(base + "/cases/court/")
    assert "Tarehe zijazo za mahakama" in page.text_content("h1")
    page.goto(case_url)
    assert "Mahakama na wito" in page.text_content("[data-testid=court-panel]")
    assert "Unajisi" in page.text_content("main")  # the category's Kiswahili label
    screenshot(page, "case-work-7-kiswahili")
    page.context.close()

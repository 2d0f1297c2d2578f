"""Issue 18's OVC programme, end to end in a browser, as a partner's case worker runs it:
a household registered through the registry search with its place from the lists, two
children enrolled (the partner's serial on the child's page), an HIV risk screening that
says "HIV test required" before it is saved, its referral and result, a coded case plan
line and its result, two CPARAs (graduation refused after the first, accepted after the
9/9), the graduation report, then the second child transferred to another partner, who
accepts it into a new household with its own serial; then one page in Kiswahili. Two
implementing partners of its own, so its committed rows touch no other test."""

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning.services import organisation_provision
from tenants.models import Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import choose_places, screenshot
from tests.browser.test_case_work_journey import (  # noqa: F401 (geography is a fixture)
    geography,
    signed_in,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CAREGIVER = "Achieng Otieno"
FIRST_CHILD = "Baraka Otieno"
SECOND_CHILD = "Imani Otieno"
SAVE = "form button[type=submit]:has-text('Save')"


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def day_shown(day) -> str:
    return day.strftime("%-d %b %Y")


@pytest.fixture(scope="module")
def partners(world, national_lists, geography, django_db_blocker):  # noqa: F811
    """Two implementing partners in Kisumu, a case worker each."""
    with django_db_blocker.unblock():
        sender = organisation_provision(
            organisation=organisation_create(
                name="Amani Community Partners", slug="jny-amani", kind="lip", county_code="042"
            )
        )
        receiver = organisation_provision(
            organisation=organisation_create(
                name="Upendo OVC Partners", slug="jny-upendo", kind="ip", county_code="042"
            )
        )
        users = {
            "sender": UserFactory(email="chv@jny-amani.test", full_name="Grace Akinyi"),
            "receiver": UserFactory(email="chv@jny-upendo.test", full_name="Tom Ouma"),
        }
        membership_grant(user=users["sender"], organisation=sender, roles=[Role.CASE_WORKER])
        membership_grant(user=users["receiver"], organisation=receiver, roles=[Role.CASE_WORKER])
    yield sender, receiver, users
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from sharing.models_ovc_transfers import OvcTransfer
    from tenants.models import User

    with django_db_blocker.unblock():
        organisations = [sender, receiver]
        OvcTransfer.objects.filter(sender__in=organisations).delete()
        OvcTransfer.objects.filter(receiver__in=organisations).delete()
        links = PersonLink.objects.filter(organisation__in=organisations)
        registered = list(links.values_list("person_id", flat=True))
        links.delete()
        Person.objects.filter(pk__in=registered).delete()
        for organisation in organisations:
            blueprint.schema_drop(organisation.schema_name)
            organisation.delete()
        User.objects.filter(pk__in=[u.pk for u in users.values()]).delete()


def find_or_register(page, first_name: str, surname: str, sex: str, born: str) -> None:
    """The registry search first; no one matches, so a new person is registered."""
    page.fill("input[name=first_name]", first_name)
    page.fill("input[name=surname]", surname)
    page.select_option("select[name=sex]", sex)
    page.fill("input[name=date_of_birth]", born)
    page.click("button[name=action][value=search]")
    page.wait_for_selector("button[name=action][value=register]")
    page.click("button[name=action][value=register]")


def register_household(page) -> str:
    """The caregiver through the registry search, the place from the lists; returns the
    household page's URL."""
    page.click("nav >> text=OVC programme")
    page.click("text=Register a household")
    find_or_register(page, "Achieng", "Otieno", "SFEM", "1984-06-02")
    page.wait_for_selector("[data-testid=person]")
    page.select_option("select[name=head_member_type]", "CGPM")
    page.select_option("select[name=head_hiv_status]", "HSTN")
    choose_places(
        page,
        ("county_code", "Kisumu"),
        ("sub_county_code", "Kisumu Central"),
        ("ward_code", "Kondele"),
    )
    page.fill("input[name=village]", "Nyalenda B")
    screenshot(page, "ovc-1-household")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=household-place]")
    return page.url


def enrol(page, first_name: str, born: str, sex: str, registered) -> None:
    page.click("text=Enrol a child")
    find_or_register(page, first_name, "Otieno", sex, born)
    page.wait_for_selector("[data-testid=person]")
    page.select_option("select[name=programme]", "POVC")
    page.fill("input[name=registration_date]", registered.isoformat())
    page.select_option("select[name=entry_point]", "community")
    page.check("input[name=eligibility][value=ECFD]")
    page.check("input[name=eligibility][value=ECHV]")
    page.select_option("select[name=hiv_status]", "HSKN")
    page.select_option("select[name=school_level]", "SLPR")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=enrolments]")


def open_child(page, name: str) -> str:
    page.click(f"[data-testid=enrolments] >> text={name}")
    page.wait_for_selector("[data-testid=status]")
    return page.url


def screen_for_hiv(page, screened_on, tested_on) -> None:
    """A risk answered yes: the form says a test is required before it is saved."""
    page.click("text=HIV risk screening")
    assert "HIV test required" not in page.text_content("[data-testid=test-required]")
    page.fill("input[name=screened_on]", screened_on.isoformat())
    page.select_option("select[name=status_known]", "HSKN")
    page.check("input[name=risks][value=sexual_abuse]")
    page.wait_for_selector("[data-testid=test-required]:has-text('HIV test required')")
    screenshot(page, "ovc-2-test-required")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=latest-test-required]")
    assert "HIV test required" in page.text_content("[data-testid=latest-test-required]")
    assert "not referred yet" in page.text_content("[data-testid=screenings]")
    page.click("text=Record the referral and result")
    page.fill("input[name=referred_on]", screened_on.isoformat())
    page.fill("input[name=referral_completed_on]", tested_on.isoformat())
    page.select_option("select[name=test_result]", "HSTN")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=screenings]")


def add_case_plan_line(page, child: str) -> None:
    """A stable-domain line: choosing the domain narrows goal, gap and services to it."""
    page.click("text=Add to the case plan")
    assert page.locator("select[name=goal] optgroup").count() > 1  # every domain, grouped
    page.select_option("select[name=domain]", "stable")
    page.wait_for_function(
        "() => { const s = document.querySelector('select[name=goal]');"
        " return !s.querySelector('optgroup') && [...s.options].some(o => o.value === 'GH5ST'); }"
    )
    goals = page.eval_on_selector_all("select[name=goal] option", "os => os.map(o => o.value)")
    assert "GH6SA" not in goals  # a safe-domain goal is no longer offered
    child_option = page.locator("select[name=enrolment] option", has_text=child)
    page.select_option("select[name=enrolment]", child_option.get_attribute("value"))
    page.select_option("select[name=goal]", "GH5ST")
    page.select_option("select[name=gap]", "GN51ST")
    page.select_option("select[name=services]", ["CP55ST"])
    page.select_option("select[name=responsible]", "caregiver")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=case-plan]")
    page.click("[data-testid=case-plan] >> text=Record the result")
    page.fill("input[name=completed_on]", days_ago(3).isoformat())
    page.select_option("select[name=achieved]", "1")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=case-plan-total]")


def record_cpara(page, assessed_on, unmet: tuple[int, ...] = ()) -> None:
    page.click("text=New CPARA")
    page.fill("input[name=assessed_on]", assessed_on.isoformat())
    for number in range(1, 10):
        answer = "no" if number in unmet else "yes"
        page.check(f"input[name=benchmark_{number}][value={answer}]")
    page.click("button:has-text('Save CPARA')")
    page.wait_for_selector("[data-testid=cpara-score]")


def exit_child(page, reason: str, on, receiver: str = "") -> None:
    page.click(".actions >> text=Exit")
    page.select_option("select[name=exit_reason]", reason)
    page.fill("input[name=exit_date]", on.isoformat())
    if receiver:
        page.select_option("select[name=receiver]", label=receiver)
        page.fill("textarea[name=transfer_note]", "The family moved to the receiver's ward.")
    page.click(SAVE)


def accept_transfer(browser, base: str, worker, sender_name: str) -> str:
    """The receiver's worker accepts into a new household headed by the proposed caregiver;
    returns the receiver's child page."""
    page = signed_in(browser, base, worker)
    page.click("nav >> text=OVC programme")
    page.goto(base + "/ovc/transfers/?direction=in")
    rows = page.text_content("[data-testid=ovc-transfers]")
    assert SECOND_CHILD.upper() in rows.upper() and sender_name in rows
    page.click(f"[data-testid=ovc-transfers] >> text={SECOND_CHILD}")
    page.click("[data-testid=transfer-accept]")
    page.select_option("select[name=household]", "new")
    page.select_option("select[name=caregiver_relation]", "CGPM")
    page.select_option("select[name=caregiver_hiv_status]", "HSTN")
    page.select_option("select[name=programme]", "POVC")
    page.fill("input[name=registration_date]", timezone.localdate().isoformat())
    page.select_option("select[name=entry_point]", "community")
    page.check("input[name=eligibility][value=ECFD]")
    page.select_option("select[name=hiv_status]", "HSKN")
    page.select_option("select[name=school_level]", "SLPR")
    screenshot(page, "ovc-5-accept")
    page.click(SAVE)
    page.wait_for_selector("[data-testid=transfer-status]:has-text('Accepted')")
    page.click("text=The child's page")
    page.wait_for_selector("[data-testid=serial]")
    url = page.url
    page.context.close()
    return url


def test_a_household_from_registration_to_graduation_and_a_transfer(browser, live_port, partners):
    sender, receiver, users = partners
    base = f"http://{sender.slug}.localhost:{live_port}"
    receiver_base = f"http://{receiver.slug}.localhost:{live_port}"
    today = timezone.localdate()
    registered = days_ago(25)  # within the 28 days a registration may be entered late

    # 1. the household, through the registry search, its place chosen from the lists
    page = signed_in(browser, base, users["sender"])
    household_url = register_household(page)
    place = page.text_content("[data-testid=household-place]")
    assert "Kondele" in place and "Kisumu" in place
    assert CAREGIVER.upper() in page.text_content("main").upper()

    # 2. two children enrolled: the first gets the partner's serial 00001
    enrol(page, "Baraka", "2013-04-11", "SMAL", registered)
    enrol(page, "Imani", "2016-09-23", "SFEM", registered)
    children = page.text_content("[data-testid=enrolments]")
    assert "JNY-AMANI/00001" in children and "JNY-AMANI/00002" in children
    first_url = open_child(page, FIRST_CHILD)
    assert "OVC serial JNY-AMANI/00001" in page.text_content("[data-testid=serial]")
    assert CAREGIVER.upper() in page.text_content("[data-testid=caregivers]").upper()
    assert SECOND_CHILD.upper() in page.text_content("[data-testid=siblings]").upper()

    # 3. HIV risk screening: "test required" live, then the referral and the result
    screen_for_hiv(page, days_ago(14), days_ago(10))
    screenings = page.text_content("[data-testid=screenings]")
    assert "Tested, result recorded" in screenings and day_shown(days_ago(10)) in screenings
    screenshot(page, "ovc-3-screening")

    # 4. a coded case plan line for the first child, achieved
    page.goto(household_url)
    add_case_plan_line(page, FIRST_CHILD)
    assert "1 of 1 achieved" in page.text_content("[data-testid=case-plan-total]")
    plan = page.text_content("[data-testid=case-plan]")
    assert FIRST_CHILD.upper() in plan.upper() and "achieved" in plan

    # 5./6. a CPARA below 9/9 weeks ago: graduation refused; 9/9 today: graduated
    record_cpara(page, days_ago(21), unmet=(5,))
    assert "8/9" in page.text_content("[data-testid=cpara-score]")
    page.goto(first_url)
    exit_child(page, "ERCP", today)
    page.wait_for_selector("text=every benchmark")
    assert page.input_value("input[name=exit_date]") == today.isoformat()  # kept
    page.goto(household_url)
    record_cpara(page, today)
    assert "9/9" in page.text_content("[data-testid=cpara-score]")
    timeline = page.text_content("[data-testid=graduation-timeline]")
    assert f"{day_shown(days_ago(21))} CPARA 8/9" in timeline
    assert f"{day_shown(today)} CPARA 9/9" in timeline
    screenshot(page, "ovc-4-cpara")
    page.goto(first_url)
    exit_child(page, "ERCP", today)
    page.wait_for_selector("[data-testid=status]:has-text('Graduation')")
    assert "Exited" in page.text_content("[data-testid=status]")
    page.goto(base + "/ovc/graduation/report/")
    graduated = page.text_content("[data-testid=graduated]")
    assert FIRST_CHILD.upper() in graduated.upper() and "9/9" in graduated
    page.goto(base + "/ovc/graduation/")
    page.wait_for_selector("[data-testid=readiness-bands]")

    # 7. the second child transferred to the other partner, who accepts
    page.goto(household_url)
    second_url = open_child(page, SECOND_CHILD)
    exit_child(page, "ERFO", days_ago(1), receiver=receiver.name)
    page.wait_for_selector("[data-testid=transfer]")
    transfer = page.text_content("[data-testid=transfer]")
    assert receiver.name in transfer and "Waiting for the receiving partner" in transfer
    page.context.close()
    received_url = accept_transfer(browser, receiver_base, users["receiver"], sender.name)
    page = signed_in(browser, receiver_base, users["receiver"])
    page.goto(received_url)
    assert "OVC serial JNY-UPENDO/00001" in page.text_content("[data-testid=serial]")
    assert f"registered {day_shown(today)}" in page.text_content("main")
    assert sender.name in page.text_content("[data-testid=transfer-in]")
    # the new household is headed by the caregiver the sender proposed
    assert CAREGIVER.upper() in page.text_content("[data-testid=caregivers]").upper()
    assert "Active" in page.text_content("[data-testid=status]")
    screenshot(page, "ovc-6-received")
    page.context.close()
    page = signed_in(browser, base, users["sender"])
    page.goto(second_url)
    assert "Accepted" in page.text_content("[data-testid=transfer]")
    status = page.text_content("[data-testid=status]")
    assert "Exited" in status and "Transfer to a PEPFAR partner" in status
    assert day_shown(days_ago(1)) in status
    assert "OVC serial JNY-AMANI/00002" in page.text_content("[data-testid=serial]")
    screenshot(page, "ovc-7-transferred")

    # 8. in Kiswahili: the language switcher, then the child's page
    page.select_option("select[name=language]", "sw")
    page.wait_for_selector("html[lang=sw]")
    page.goto(second_url)
    assert "Nambari ya OVC" in page.text_content("[data-testid=serial]")
    assert "Kuhamishiwa kwa mshirika wa PEPFAR" in page.text_content("[data-testid=status]")
    assert "Uhamisho kwa mshirika mwingine" in page.text_content("[data-testid=transfer]")
    screenshot(page, "ovc-8-kiswahili")
    page.context.close()

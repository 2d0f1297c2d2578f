"""Issue 19's "Done when", end to end in a browser, each user in their own screens: a DCS
sub-county children officer applies from a child's case for a statutory institution vacancy;
DCS headquarters (national console, two-factor sign-in) confirms it to the rescue centre;
the officer refers the case there, the centre accepts and admits from the referral, and the
vacancy reads admitted; the residents register counts one more; the child escapes and
returns; the child is discharged to foster care with two foster carers registered in the
registry, and a foster follow-up is recorded; the institution population report (workspace)
and the national statistics (console) count the month's admissions; then the key screens
in Kiswahili. Two organisations of its own (mirroring tests/institutions/conftest.py's
kisumu-central and kisumu-rescue), so its committed rows touch no other test."""

import re
import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from provisioning.services import organisation_provision
from tenants.actor import member_actor
from tenants.models import PlatformRole, Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import screenshot
from tests.factories import TEST_PASSWORD, UserFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHILD = "Atieno Ochieng"
WAIT = 20_000  # ms: the machine may be loaded


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture(scope="module")
def kisumu(world, national_lists, django_db_blocker):
    """The sub-county office (a case worker and the child's open case), the statutory
    rescue centre (a case worker), DCS headquarters (a national administrator with an
    authenticator)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from case_apps.cases import services as case_services
    from shared_registry.services import person_register
    from tenants.schema import workspace_context

    with django_db_blocker.unblock():
        office = organisation_provision(
            organisation=organisation_create(
                name="Kisumu Central Sub-County Children Office",
                slug="jny-kisumu-central",
                kind="dcs_sub_county_office",
                county_code="042",
                sub_county_code="240",
            )
        )
        rescue = organisation_provision(
            organisation=organisation_create(
                name="Kisumu Rescue Centre",
                slug="jny-kisumu-rescue",
                kind="statutory_institution",
                county_code="042",
                sub_county_code="240",
            )
        )
        users = {
            "officer": UserFactory(email="officer@jny-kisumu-central.test", full_name="Odero O"),
            "rescue": UserFactory(email="worker@jny-kisumu-rescue.test", full_name="Rose R"),
            "hq": UserFactory(
                email="hq@jny-dcs.test",
                # confirms vacancies; reads the national figures unsuppressed (counts of 1-4)
                platform_roles=[PlatformRole.NATIONAL_ADMINISTRATOR, PlatformRole.ANALYST],
            ),
        }
        membership_grant(user=users["officer"], organisation=office, roles=[Role.CASE_WORKER])
        membership_grant(user=users["rescue"], organisation=rescue, roles=[Role.CASE_WORKER])
        secret = generate_totp_secret()
        TOTP.activate(users["hq"], secret)
        child = person_register(
            first_name="Atieno",
            surname="Ochieng",
            sex="SFEM",
            date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 12),
        )
        with workspace_context(office):
            case = case_services.case_open(
                organisation=office,
                actor=member_actor(users["officer"], office),
                child=child,
                date_reported=days_ago(10),
                how_reported="walk_in",
                reporter_type="CRMO",
                risk_level="RLHG",
                categories=[case_services.CategoryInput(category_code="CSIC")],
            )
    yield office, rescue, users, secret, child, case
    from allauth.mfa.models import Authenticator

    from national_statistics.models import DrainCursor, Fact, MonthlyCount
    from national_statistics.rollups import population_rollup_rebuild
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from shared_registry.models_residence import Residence
    from sharing.models import Consent, OrganisationReferral
    from sharing.models_vacancies import VacancyApplication
    from tenants.models import User

    with django_db_blocker.unblock():
        organisations = [office, rescue]
        VacancyApplication.objects.filter(applicant__in=organisations).delete()
        OrganisationReferral.objects.filter(sender__in=organisations).delete()
        OrganisationReferral.objects.filter(receiver__in=organisations).delete()
        Consent.objects.filter(organisation__in=organisations).delete()
        Residence.objects.filter(organisation__in=organisations).delete()
        for model in (Fact, MonthlyCount, DrainCursor):
            model.objects.filter(organisation__in=organisations).delete()
        population_rollup_rebuild()  # the drain's rollups, back in step with the counts
        links = PersonLink.objects.filter(organisation__in=organisations)
        registered = {*links.values_list("person_id", flat=True), child.pk}
        links.delete()
        Person.objects.filter(pk__in=registered).delete()
        for organisation in organisations:
            blueprint.schema_drop(organisation.schema_name)
            organisation.delete()
        Authenticator.objects.filter(user__in=users.values()).delete()
        # they acted on audited public rows, whose log is append-only: kept, but inactive and
        # without HQ's role (sharing tells every active HQ user of each vacancy step)
        User.objects.filter(pk__in=[u.pk for u in users.values()]).update(
            is_active=False, platform_roles=[], preferred_language=""
        )


def signed_in(browser, base: str, email: str, totp_secret: str = ""):
    """A new browser context signed in (with the authenticator's code when it has one)."""
    page = browser.new_context().new_page()
    page.set_default_timeout(WAIT)
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        page.fill("input[name=code]", totp_code(totp_secret))
        page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def drain(*organisations) -> None:
    """What the periodic outbox drain does: the institutions' facts become statistics. In a
    thread of its own, so on a connection of its own: its commits are what the server reads
    (the test's own connection is inside the test's transaction)."""
    from django.db import connection

    from national_statistics.drain import drain_organisation

    def run() -> None:
        try:
            for organisation in organisations:
                drain_organisation(organisation)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()


def report_total(page, row: str) -> int:
    cell = page.locator(f"[data-testid=report-table] tr[data-row='{row}'] td:last-child")
    expect(cell).to_be_visible(timeout=WAIT)
    return int(cell.text_content().strip() or 0)


def residents_count(page, base: str) -> int:
    page.goto(base + "/institution/")
    count = page.locator("[data-testid=residents-count]")
    expect(count).to_be_visible(timeout=WAIT)
    return int(re.search(r"\d+", count.text_content()).group())


def test_vacancy_referral_admission_life_foster_care_and_statistics(browser, live_port, kisumu):
    office, rescue, users, secret, child, case = kisumu
    office_base = f"http://{office.slug}.localhost:{live_port}"
    rescue_base = f"http://{rescue.slug}.localhost:{live_port}"
    console_base = f"http://localhost:{live_port}"
    today = timezone.localdate()
    month = f"{today:%Y-%m}"

    # 1. the officer opens the child's case and applies for a vacancy
    officer = signed_in(browser, office_base, users["officer"].email)
    officer.goto(f"{office_base}/cases/{case.pk}/")
    case_url = officer.url
    officer.click("[data-testid=vacancy-apply]")
    officer.fill("input[name=court_number]", "CR 44/2026")
    officer.fill("input[name=judge]", "Hon. W. Achieng")
    officer.fill("input[name=court]", "Kisumu Law Courts")
    officer.fill("input[name=next_mention_on]", (today + timedelta(days=14)).isoformat())
    officer.select_option("select[name=institution_type]", "TNRR")
    officer.fill("textarea[name=notes]", "No safe place at home.")
    screenshot(officer, "institutions-1-apply")
    officer.click("main button[type=submit]")
    # the officer lands on the new application, also listed among the office's applications
    expect(officer.locator("[data-testid=vacancy-status]")).to_be_visible(timeout=WAIT)
    vacancy_url = officer.url
    assert "/institution/vacancies/" in vacancy_url
    officer.goto(case_url)
    officer.click("main >> text=Vacancy applications")
    expect(officer.locator("[data-testid=vacancies]")).to_contain_text("CR 44/2026")
    assert "CR 44/2026" in officer.text_content("main")

    # 2. DCS headquarters, signed in with its authenticator, confirms it in the console
    hq = signed_in(browser, console_base, users["hq"].email, secret)
    hq.click("nav >> text=Vacancies")
    hq.click(f"main tr:has-text('{CHILD.upper()}') a")
    confirm = hq.locator("[data-testid=vacancy-confirm]")
    confirm.locator("select[name=institution]").select_option(str(rescue.pk))
    confirm.locator("input[name=months_approved]").fill("6")
    confirm.locator("input[name=decided_on]").fill(today.isoformat())
    screenshot(hq, "institutions-2-confirm")
    confirm.locator("button[type=submit]").click()
    expect(hq.locator("[data-testid=vacancy-confirm]")).to_have_count(0, timeout=WAIT)
    assert "Kisumu Rescue Centre" in hq.text_content("main")
    officer.goto(vacancy_url)
    expect(officer.locator("[data-testid=vacancy-status]")).to_contain_text("Confirmed")

    # 3. the officer records the parent's consent and refers the case to the rescue centre
    officer.goto(case_url)
    officer.click("[data-testid=sharing-panel] >> text=Record consent")
    officer.check("input[name=given_by][value=parent]")
    officer.fill("input[name=giver_name]", "Mary Ochieng")
    officer.fill("input[name=giver_relationship]", "Mother")
    officer.fill("textarea[name=purpose]", "Placement in the rescue centre")
    officer.check("input[name=fields][value='case_summary:national_reference']")
    officer.fill("input[name=valid_until]", (today + timedelta(days=180)).isoformat())
    officer.click("button[type=submit]:has-text('Save')")
    expect(officer.locator("[data-testid=consent-history]")).to_be_visible(timeout=WAIT)
    officer.click("text=Refer or transfer to another organisation >> nth=-1")
    officer.select_option("select[name=receiver]", str(rescue.pk))
    officer.check("input[name=kind][value=referral]")
    officer.check("input[name=reasons] >> nth=0")
    officer.fill("textarea[name=reason]", "Committed by the court; vacancy confirmed by DCS.")
    screenshot(officer, "institutions-3-refer")
    officer.click("button[name=send]")
    expect(officer.locator("[data-testid=org-referrals]")).to_contain_text(
        "Kisumu Rescue Centre", timeout=WAIT
    )

    # ... the rescue centre reads the register, accepts and admits from the referral
    centre = signed_in(browser, rescue_base, users["rescue"].email)
    before = residents_count(centre, rescue_base)
    centre.click("nav >> text=Referrals in")
    centre.click(f"[data-testid=referrals-in] >> text={CHILD.upper()}")
    centre.select_option("select[name=category_code]", "CSIC")
    centre.select_option("select[name=risk_level]", "RLHG")
    centre.click("button:has-text('Accept')")
    expect(centre.locator("[data-testid=case-reference]")).to_be_visible(timeout=WAIT)
    centre.click("[data-testid=admit-link]")
    expect(centre.locator("[data-testid=admit-from]")).to_contain_text(office.name)
    centre.fill("input[name=admitted_on]", today.isoformat())
    centre.fill("input[name=admission_number]", "KRC/2026/001")
    centre.select_option("select[name=admission_type]", "TANA")
    centre.select_option("select[name=admission_reason]", "RACP")
    screenshot(centre, "institutions-4-admit")
    centre.click("main button[type=submit]:has-text('Admit')")
    expect(centre.locator("[data-testid=admission-child]")).to_be_visible(timeout=WAIT)
    admission_url = centre.url
    assert "KRC/2026/001" in centre.text_content("[data-testid=admission-facts]")
    officer.goto(vacancy_url)
    expect(officer.locator("[data-testid=vacancy-status]")).to_contain_text("Admitted")

    # 4. the residents register counts one more
    assert residents_count(centre, rescue_base) == before + 1
    assert CHILD.upper() in centre.text_content("[data-testid=residents]").upper()
    screenshot(centre, "institutions-5-register")

    # 5. the child escapes (an adverse event) and returns (a new admission, after escape)
    centre.goto(admission_url)
    centre.click("text=Add adverse event")
    centre.select_option("select[name=event_code]", "AEES")
    centre.fill("input[name=occurred_on]", today.isoformat())
    centre.click("main button[type=submit]:has-text('Save')")
    expect(centre.locator("[data-testid=residential-status]")).to_have_text("Escaped")
    assert residents_count(centre, rescue_base) == before
    centre.goto(admission_url)
    centre.click("[data-testid=admission-life] >> text=Record return")
    centre.fill("input[name=returned_on]", today.isoformat())
    centre.click("main button[type=submit]:has-text('Save')")
    expect(centre.locator("[data-testid=residential-status]")).to_have_text("Resident")
    returned_url = centre.url
    assert "After escape" in centre.text_content("[data-testid=admission-facts]")
    assert residents_count(centre, rescue_base) == before + 1
    assert CHILD.upper() in centre.text_content("[data-testid=residents]").upper()

    # 6. discharged to foster care with two foster carers from the registry, then a follow-up
    centre.goto(returned_url)
    centre.click("[data-testid=discharge-to-family-care]")
    form = centre.locator("[data-testid=discharge-to-care]")
    form.locator("input[name=discharged_on]").fill(today.isoformat())
    form.locator("select[name=care_type]").select_option("AFFC")
    form.locator("input[name=certificate_number]").fill("FC/042/2026/17")
    form.locator("input[name=certificate_expires_on]").fill(
        (today + timedelta(days=365)).isoformat()
    )
    form.locator("input[name=court_name]").fill("Kisumu Children's Court")
    carers = (("1", "Daniel", "Omondi", "SMAL", "CGFF"), ("2", "Grace", "Omondi", "SFEM", "CGFM"))
    for n, first, surname, sex, relationship in carers:
        slot = centre.locator(f"[data-testid=carer-{n}]")
        slot.locator(f"input[name=carer{n}-first_name]").fill(first)
        slot.locator(f"input[name=carer{n}-surname]").fill(surname)
        slot.locator(f"select[name=carer{n}-sex]").select_option(sex)
        slot.locator(f"input[name=carer{n}-birth_year]").fill("1980")
        slot.locator(f"select[name=carer{n}-relationship_code]").select_option(relationship)
        centre.click(f"button[name=action][value=search_{n}]")
        candidates = centre.locator(f"[data-testid=carer-{n}-candidates]")
        expect(candidates).to_be_visible(timeout=WAIT)
        candidates.locator("input[value=new]").check()
    # what was typed is kept across both searches
    assert centre.input_value("input[name=certificate_number]") == "FC/042/2026/17"
    assert centre.input_value("input[name=carer1-first_name]") == "Daniel"
    screenshot(centre, "institutions-6-discharge-to-care")
    centre.click("button[name=action][value=save]")
    expect(centre.locator("[data-testid=care-type]")).to_have_text("Foster care", timeout=WAIT)
    care_url = centre.url
    carers_listed = centre.text_content("[data-testid=carers]").upper()
    assert "DANIEL OMONDI" in carers_listed and "GRACE OMONDI" in carers_listed
    assert residents_count(centre, rescue_base) == before
    centre.goto(care_url)
    centre.click("text=Record a follow-up")
    centre.select_option("select[name=kind]", "FFOC")
    centre.fill("input[name=visited_on]", today.isoformat())
    centre.select_option("select[name=wellbeing]", "FWGO")
    centre.click("main button[type=submit]:has-text('Save')")
    follow_ups = centre.locator("[data-testid=care-follow-ups]")
    expect(follow_ups).to_contain_text("Foster care follow-up", timeout=WAIT)
    screenshot(centre, "institutions-7-follow-up")

    # 7. the month's figures, once the outbox is drained: two admissions (the admission and
    # the return), two ends of residence (the escape, the foster care), no one resident
    drain(office, rescue)
    centre.goto(f"{rescue_base}/statistics/reports/institution_population/?period={month}")
    assert report_total(centre, f"admitted:{month}") == 2
    assert report_total(centre, f"discharged:{month}") == 2
    assert report_total(centre, f"residents:{month}") == 0
    screenshot(centre, "institutions-8-population")
    hq.goto(
        f"{console_base}/statistics/reports/institution_population/"
        f"?period={month}&county=042&sub_county=240"
    )
    # only this journey commits institution facts in Kisumu Central (042/240)
    assert report_total(hq, f"admitted:{month}") == 2
    assert report_total(hq, f"discharged:{month}") == 2
    assert report_total(hq, f"residents:{month}") == 0
    screenshot(hq, "institutions-9-national")
    hq.context.close()

    # 8. the same screens in Kiswahili
    centre.select_option("select[name=language]", "sw")
    centre.wait_for_selector("html[lang=sw]")
    centre.goto(returned_url)
    expect(centre.locator("[data-testid=admission-life] h2")).to_have_text("Maisha katika taasisi")
    centre.goto(care_url)
    expect(centre.locator("[data-testid=care-type]")).to_have_text("Malezi ya kambo")
    expect(centre.locator("[data-testid=care-follow-ups]")).to_contain_text(
        "Ufuatiliaji wa malezi ya kambo"
    )
    centre.goto(rescue_base + "/institution/")
    expect(centre.locator("[data-testid=residents-count]")).to_contain_text(
        re.compile("Wakazi|Mkazi")
    )
    screenshot(centre, "institutions-10-kiswahili")
    officer.select_option("select[name=language]", "sw")
    officer.wait_for_selector("html[lang=sw]")
    officer.goto(vacancy_url)
    expect(officer.locator("[data-testid=vacancy-status]")).to_contain_text("Wamelazwa")
    centre.context.close()
    officer.context.close()

"""Issue 21's offline field capture, end to end: a volunteer signs in, opens the field app,
goes offline, records two services and an HIV risk screening for a child, reloads while
offline (the forms are still there, encrypted in IndexedDB), comes back online and syncs:
the forms are pending. The supervisor approves one service and rejects the other with a
reason; only the approved one is in the child's history and, after the outbox drain, in the
national facts of its day; the volunteer's device shows the rejection and its reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from provisioning.services import organisation_provision
from tenants.models import Role
from tenants.services import membership_grant, organisation_create
from tests.browser.conftest import screenshot
from tests.browser.test_case_journey import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture(scope="module")
def fieldwork(world, national_lists, django_db_blocker):
    """A partner with a volunteer, their supervisor and an enrolled child."""
    from case_apps.cases.models import Supervision
    from case_apps.ovc import services
    from tenants.schema import workspace_context
    from tests.case_apps.conftest import make_child
    from tests.ovc.conftest import as_member, enrol, make_caregiver

    with django_db_blocker.unblock():
        org = organisation_provision(
            organisation=organisation_create(
                name="Jamii Field Partners", slug="jny-field", kind="lip", county_code="042"
            )
        )
        volunteer = UserFactory(email="chv@jny-field.test", full_name="Akinyi Volunteer")
        supervisor = UserFactory(email="sup@jny-field.test", full_name="Otieno Supervisor")
        membership_grant(user=volunteer, organisation=org, roles=[Role.CASE_WORKER])
        membership_grant(user=supervisor, organisation=org, roles=[Role.SUPERVISOR])
        with workspace_context(org):
            Supervision.objects.create(supervisor=supervisor, officer=volunteer)
            household = services.household_register(
                actor=as_member(volunteer, org),
                head=make_caregiver("Rehema", "Field"),
                village="Nyalenda",
            )
            enrolment = enrol(org, volunteer, household, child=make_child("Neema", "Field"))
    yield org, volunteer, supervisor, enrolment
    from provisioning import blueprint
    from shared_registry.models import Person, PersonLink
    from tenants.models import User

    with django_db_blocker.unblock():
        links = PersonLink.objects.filter(organisation=org)
        registered = list(links.values_list("person_id", flat=True))
        links.delete()
        Person.objects.filter(pk__in=registered).delete()
        blueprint.schema_drop(org.schema_name)
        org.delete()
        User.objects.filter(pk__in=[volunteer.pk, supervisor.pk]).delete()


def record(page, kind: str, visit_date, **fields) -> None:
    page.select_option("#field-form select[name=kind]", kind)
    page.fill("#field-form input[name=visit_date]", visit_date.isoformat())
    for name, value in fields.items():
        selector = f"#field-form [name={name}]"
        if page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    before = page.locator("#field-rows tr").count()
    page.click("[data-testid=field-save]")
    page.wait_for_function(
        f"() => document.querySelectorAll('#field-rows tr').length === {before + 1}"
    )


def states(page) -> list[str]:
    return page.eval_on_selector_all("#field-rows tr", "rows => rows.map(r => r.dataset.state)")


def test_offline_capture_sync_and_approval(browser, live_port, fieldwork, django_db_blocker):
    org, volunteer, supervisor, enrolment = fieldwork
    base = f"http://{org.slug}.localhost:{live_port}"
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, base, volunteer.email)
    page.goto(base + "/field/")
    page.wait_for_selector("#field-form:not([hidden])")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker, which keeps the page for offline use
    page.wait_for_selector("#field-form:not([hidden])")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    record(page, "service", days_ago(3), domain="safe", service="CP62SA", provider="CHV Approved")
    record(page, "service", days_ago(2), domain="safe", service="CP62SA", provider="CHV Rejected")
    page.select_option("#field-form select[name=kind]", "hiv_screening")
    page.select_option("#field-form select[name=status_known]", "HSKN")
    page.check("#field-risks input[value=sexual_abuse]")
    record(page, "hiv_screening", days_ago(1), not_referred_reason="Caregiver away")
    assert states(page) == ["waiting"] * 3

    page.reload()  # offline: the page comes from the service worker, the forms from IndexedDB
    page.wait_for_function("() => document.querySelectorAll('#field-rows tr').length === 3")
    assert states(page) == ["waiting"] * 3
    stored = page.evaluate(
        """async () => { const db = await idb.openDB('cpims-field');
        const rows = await db.getAll('forms'); db.close();
        return rows.map(r => r.sealed.data instanceof ArrayBuffer); }"""
    )
    assert stored == [True] * 3  # only ciphertext is kept
    screenshot(page, "field-offline")

    context.set_offline(False)
    page.click("[data-testid=field-sync]")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#field-rows tr')]"
        ".every(r => r.dataset.state === 'pending')"
    )

    boss = browser.new_context().new_page()
    boss.set_default_timeout(20_000)
    sign_in(boss, base, supervisor.email)
    boss.goto(base + "/field/queue/")
    approved = boss.locator("tr", has_text="CHV Approved")
    assert "NEEMA FIELD" in approved.inner_text().upper()
    approved.locator("[data-testid=approve]").click()
    boss.wait_for_selector("tr:has-text('CHV Rejected')")
    rejected = boss.locator("tr", has_text="CHV Rejected")
    rejected.locator("input[name=reason]").fill("Visit date is wrong")
    rejected.locator("[data-testid=reject]").click()
    boss.wait_for_selector("text=Form rejected")
    assert boss.locator("tr", has_text="CHV Rejected").count() == 0
    screenshot(boss, "field-queue")

    boss.goto(f"{base}/ovc/children/{enrolment.pk}/")
    history = boss.content()
    assert "CHV Approved" in history and "CHV Rejected" not in history

    from national_statistics.drain import drain_organisation
    from national_statistics.models import Fact

    with django_db_blocker.unblock():
        drain_organisation(org)
        facts = Fact.objects.filter(organisation=org, event_kind="ovc_service")
        assert list(facts.values_list("occurred_on", flat=True)) == [days_ago(3)]

    page.click("[data-testid=field-sync]")
    page.wait_for_selector("#field-rows tr[data-state=rejected]")
    assert "Visit date is wrong" in page.inner_text("#field-rows tr[data-state=rejected]")
    assert sorted(states(page)) == ["approved", "pending", "rejected"]
    screenshot(page, "field-after-decision")

    page.click("[data-testid=field-signout]")  # wipes the device's store, then signs out
    page.wait_for_url("**/accounts/login/**")
    left = page.evaluate(
        """() => new Promise((done) => { const ask = indexedDB.open('cpims-field');
        ask.onsuccess = () => { const db = ask.result;
          if (!db.objectStoreNames.contains('forms')) { db.close(); return done(0); }
          const count = db.transaction('forms').objectStore('forms').count();
          count.onsuccess = () => { db.close(); done(count.result); }; }; })"""
    )
    assert left == 0
    context.close()

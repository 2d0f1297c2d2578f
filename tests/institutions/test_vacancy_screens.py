"""The vacancy screens: the office applies from its case page (keeping what was typed when
refused) and follows its applications; DCS headquarters decides in its console; the
institution sees what it expects, and only that, and admits. No one else gets anything."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit.models import PlatformAccessEntry
from case_apps.institutions.models import Admission
from sharing.models_vacancies import VacancyApplication, VacancyStatus
from tenants.schema import workspace_context
from tests.case_apps.conftest import open_case
from tests.conftest import client_on
from tests.institutions.vacancy_helpers import TODAY, apply, confirm

pytestmark = pytest.mark.django_db


def test_the_office_applies_from_the_case_page(world, institutions_world):
    iw = institutions_world
    case = open_case(iw.office, iw.office_worker)
    office = client_on(iw.office, iw.office_worker)
    page = office.get(f"/cases/{case.pk}/").content.decode()
    assert f"/institution/vacancies/apply/{case.pk}/" in page
    url = f"/institution/vacancies/apply/{case.pk}/"
    typed = {
        "court_number": "CR 7/2026",
        "judge": "Hon. Otieno",
        "court": "Kisumu Law Courts",
        "next_mention_on": (TODAY() - timedelta(days=2)).isoformat(),
        "institution_type": "TNRR",
        "notes": "Needs a safe place",
    }
    refused = office.post(url, typed)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "The next mention date has already passed." in body
    assert 'value="Hon. Otieno"' in body and "Needs a safe place</textarea>" in body
    assert not VacancyApplication.objects.filter(applicant_case_id=case.pk).exists()
    done = office.post(url, {**typed, "next_mention_on": (TODAY() + timedelta(days=7)).isoformat()})
    assert done.status_code == 302
    application = VacancyApplication.objects.get(applicant=iw.office, applicant_case_id=case.pk)
    assert done["Location"] == f"/institution/vacancies/{application.pk}/"  # the new one
    listing = office.get("/institution/vacancies/").content.decode()
    assert f"/institution/vacancies/{application.pk}/" in listing
    assert "Waiting for DCS headquarters" in listing
    other = office.get("/institution/vacancies/?q=nobody-like-this").content.decode()
    assert f"/institution/vacancies/{application.pk}/" not in other
    filtered = office.get("/institution/vacancies/?status=declined").content.decode()
    assert f"/institution/vacancies/{application.pk}/" not in filtered


def test_elsewhere_the_apply_link_and_pages_are_absent(world, institutions_world):
    case = open_case(world.acme, world.acme_worker)
    acme = client_on(world.acme, world.acme_worker)
    assert "/institution/vacancies/apply/" not in acme.get(f"/cases/{case.pk}/").content.decode()
    assert acme.get(f"/institution/vacancies/apply/{case.pk}/").status_code == 404
    assert acme.get("/institution/vacancies/").status_code == 404
    assert acme.get("/institution/vacancies/expected/").status_code == 404


def test_hq_confirms_in_its_console(world, institutions_world):
    iw = institutions_world
    application = apply(iw)
    hq = client_on(None, world.hq_admin)
    home = hq.get("/").content.decode()
    assert "vacancy application waits for your decision" in home
    queue = hq.get("/console/sharing/vacancies/").content.decode()
    assert f"/console/sharing/vacancies/{application.pk}/" in queue
    assert application.person.full_name in queue and iw.office.name in queue
    named = f'href="/console/sharing/vacancies/{application.pk}/">{application.person.full_name}<'
    assert named in queue  # the child's name opens the application, not only its number
    url = f"/console/sharing/vacancies/{application.pk}/"
    reads = PlatformAccessEntry.objects.count()
    page = hq.get(url).content.decode()
    assert PlatformAccessEntry.objects.count() == reads + 1  # the child's identity read, logged
    assert f'<option value="{iw.rescue.pk}">' in page
    assert f'<option value="{world.acme.pk}">' not in page  # a CCI is not offered
    refused = hq.post(
        url,
        {
            "action": "confirm",
            "institution": iw.rescue.pk,
            "months_approved": 0,
            "decided_on": TODAY().isoformat(),
        },
    )
    assert refused.status_code == 200
    assert VacancyApplication.objects.get(pk=application.pk).status == VacancyStatus.APPLIED
    done = hq.post(
        url,
        {
            "action": "confirm",
            "institution": iw.rescue.pk,
            "months_approved": 12,
            "decided_on": TODAY().isoformat(),
        },
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == VacancyStatus.CONFIRMED and application.months_approved == 12
    assert 'data-testid="vacancy-confirm"' not in hq.get(url).content.decode()
    again = hq.post(url, {"action": "decline", "reason": "Too late", "decided_on": TODAY()})
    assert again.status_code == 302
    assert "this step is not possible now" in hq.get(url).content.decode()
    assert VacancyApplication.objects.get(pk=application.pk).status == VacancyStatus.CONFIRMED


def test_hq_declines_with_a_reason_the_office_sees(world, institutions_world):
    iw = institutions_world
    application = apply(iw)
    hq = client_on(None, world.hq_admin)
    url = f"/console/sharing/vacancies/{application.pk}/"
    no_reason = hq.post(url, {"action": "decline", "reason": "", "decided_on": TODAY()})
    assert no_reason.status_code == 200
    assert VacancyApplication.objects.get(pk=application.pk).status == VacancyStatus.APPLIED
    hq.post(url, {"action": "decline", "reason": "Full everywhere", "decided_on": TODAY()})
    office = client_on(iw.office, iw.office_worker)
    page = office.get(f"/institution/vacancies/{application.pk}/").content.decode()
    assert "Declined by DCS headquarters" in page and "Full everywhere" in page


def test_only_hq_opens_the_console(world, institutions_world):
    application = apply(institutions_world)
    for client in (client_on(None, world.outsider), client_on(None, world.acme_admin)):
        assert client.get("/console/sharing/vacancies/").status_code == 403
        page = client.get(f"/console/sharing/vacancies/{application.pk}/")
        assert page.status_code == 403


def test_the_institution_sees_what_it_expects_and_admits(world, institutions_world):
    iw = institutions_world
    application = confirm(world, iw, apply(iw), months=6)
    rescue = client_on(iw.rescue, iw.rescue_worker)
    assert "Expected admissions: 1 child confirmed" in rescue.get("/").content.decode()
    listing = rescue.get("/institution/vacancies/expected/").content.decode()
    assert application.person.full_name in listing and iw.office.name in listing
    assert iw.office_worker.full_name in listing
    page = rescue.get(f"/institution/vacancies/{application.pk}/").content.decode()
    assert "CR 12/2026" in page and "Hon. W. Achieng" in page
    assert "No safe place at home." not in page  # the office's notes stay with the office
    assert application.applicant_case_reference not in page  # nothing of the office's case
    url = f"/institution/vacancies/{application.pk}/admit/"
    typed = {"admitted_on": TODAY().isoformat(), "admission_reason": "RACP", "category": ""}
    refused = rescue.post(url, typed)
    assert refused.status_code == 200
    done = rescue.post(url, {**typed, "category": "CDIS"})
    assert done.status_code == 302
    with workspace_context(iw.rescue):
        admission = Admission.objects.get(vacancy_id=application.pk)
    assert done["Location"] == f"/cases/{admission.case_id}/"
    application.refresh_from_db()
    assert application.status == VacancyStatus.ADMITTED
    assert (
        "No admission expected." in rescue.get("/institution/vacancies/expected/").content.decode()
    )


def test_the_office_withdraws_and_no_one_else_reaches_it(world, institutions_world):
    iw = institutions_world
    application = confirm(world, iw, apply(iw))
    detail = f"/institution/vacancies/{application.pk}/"
    withdraw = f"/institution/vacancies/{application.pk}/withdraw/"
    acme = client_on(world.acme, world.acme_worker)
    assert acme.get(detail).status_code == 404
    assert acme.post(withdraw, {"reason": "x"}).status_code == 404
    rescue = client_on(iw.rescue, iw.rescue_worker)
    assert rescue.post(withdraw, {"reason": "x"}).status_code == 404  # not an office
    office = client_on(iw.office, iw.office_worker)
    assert office.post(withdraw, {"reason": ""}).status_code == 200
    assert VacancyApplication.objects.get(pk=application.pk).status == VacancyStatus.CONFIRMED
    assert office.post(withdraw, {"reason": "Released to the mother"}).status_code == 302
    assert VacancyApplication.objects.get(pk=application.pk).status == VacancyStatus.WITHDRAWN
    assert rescue.get(detail).status_code == 404  # the institution no longer sees it
    assert rescue.get(f"/institution/vacancies/{application.pk}/admit/").status_code == 404


def test_the_lists_take_the_same_queries_however_many_rows(world, institutions_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    iw = institutions_world
    hq = client_on(None, world.hq_admin)
    office = client_on(iw.office, iw.office_worker)
    rescue = client_on(iw.rescue, iw.rescue_worker)
    pages = [
        (hq, "/console/sharing/vacancies/?status="),
        (office, "/institution/vacancies/"),
        (rescue, "/institution/vacancies/expected/"),
    ]

    def counts() -> list[int]:
        """Each page's queries, the fewest of three reads (a refresh of a cache the platform
        keeps, due now and then, is not the list's)."""
        found = []
        for client, url in pages:
            measured = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                measured.append(len(queries))
            found.append(min(measured))
        return found

    confirm(world, iw, apply(iw))
    counts()  # warm the caches (lists, routes)
    one = counts()
    for _ in range(3):
        confirm(world, iw, apply(iw))
    assert counts() == one

"""The access log covers every read of a child's record in an institution (issue 19 review):
the admission page and its API read, each kind of life record read through the API, the
residents register (screen, API, export) and the morning lists, the vacancy lists and an
application's page. One entry of the right kind, record, purpose and actor per read; none
for a refused read; the workspace's access-log screen names the child."""

from __future__ import annotations

import pytest

from tenants.models import Role
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child
from tests.conftest import access_log_rows, client_on
from tests.factories import UserFactory
from tests.institutions.conftest import make_admission
from tests.institutions.vacancy_helpers import apply, confirm

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def admission(world):
    return make_admission(world.acme, world.acme_worker, child=make_child("Wanjiru", "Resident"))


@pytest.fixture
def stranger(world):
    """Another case worker of acme: sees only their own cases, not the admission's."""
    user = UserFactory(email="stranger@acme.test", full_name="Other Worker")
    membership_grant(user=user, organisation=world.acme, roles=[Role.CASE_WORKER])
    return user


def test_the_admission_page_and_its_api_read_are_logged(world, admission):
    client = client_on(world.acme, world.acme_worker)
    before = len(access_log_rows(world.acme))
    assert client.get(f"/institution/admissions/{admission.pk}/").status_code == 200
    assert client.get(f"{API}/institution/admissions/{admission.pk}").status_code == 200
    logged = access_log_rows(world.acme)[before:]
    who = world.acme_worker.pk
    assert logged == [
        ("institution_admission", str(admission.pk), "admission page", who),
        ("institution_admission", str(admission.pk), "admission API", who),
    ]


@pytest.mark.parametrize(
    ("path", "purpose"),
    [
        ("leaves", "leaves of absence API"),
        ("adverse-events", "adverse events API"),
        ("education", "education API"),
        ("conferences", "case conferences API"),
        ("care-plans", "care plans API"),
    ],
)
def test_each_life_record_read_is_logged_against_the_admission(world, admission, path, purpose):
    client = client_on(world.acme, world.acme_worker)
    before = len(access_log_rows(world.acme))
    response = client.get(f"{API}/institution/admissions/{admission.pk}/{path}")
    assert response.status_code == 200
    assert access_log_rows(world.acme)[before:] == [
        ("institution_admission", str(admission.pk), purpose, world.acme_worker.pk)
    ]


def test_a_refused_read_logs_nothing(world, admission, stranger):
    outsider = client_on(world.acme, stranger)
    before = access_log_rows(world.acme)
    assert outsider.get(f"/institution/admissions/{admission.pk}/").status_code == 404
    assert outsider.get(f"{API}/institution/admissions/{admission.pk}").status_code == 404
    for path in ("leaves", "adverse-events", "education", "conferences", "care-plans"):
        url = f"{API}/institution/admissions/{admission.pk}/{path}"
        assert outsider.get(url).status_code == 404
    missing = client_on(world.acme, world.acme_worker)
    assert missing.get("/institution/admissions/999999/").status_code == 404
    assert missing.get(f"{API}/institution/admissions/999999").status_code == 404
    assert access_log_rows(world.acme) == before


def test_the_residents_register_and_its_api_log_one_entry_per_list_read(world, admission):
    client = client_on(world.acme, world.acme_worker)
    before = len(access_log_rows(world.acme))
    page = client.get("/institution/").content.decode()
    assert "WANJIRU" in page.upper()
    client.get("/institution/?sex=SFEM&q=Wanjiru")
    listed = client.get(f"{API}/institution/residents").json()
    assert [row["admission_id"] for row in listed["items"]] == [admission.pk]
    client.get("/institution/?export=csv")
    who = world.acme_worker.pk
    assert access_log_rows(world.acme)[before:] == [
        ("institution_residents", "register", "residents register", who),
        ("institution_residents", "register", "residents register: q=Wanjiru&sex=SFEM", who),
        ("institution_residents", "register", "residents API", who),
        ("residents_export", "csv", "export=csv", who),
    ]


def test_the_morning_lists_are_logged(world, admission):
    client = client_on(world.acme, world.acme_worker)
    before = len(access_log_rows(world.acme))
    assert client.get("/institution/today/").status_code == 200
    assert access_log_rows(world.acme)[before:] == [
        ("institution_residents", "today", "morning lists", world.acme_worker.pk)
    ]


def test_a_refused_list_read_logs_nothing(world, admission):
    """A member of a workspace that runs no institution is refused the register."""
    beta = client_on(world.beta, world.beta_worker)
    before = access_log_rows(world.beta)
    assert beta.get(f"{API}/institution/residents").status_code == 404
    assert access_log_rows(world.beta) == before


def test_the_vacancy_lists_and_an_application_are_logged(world, institutions_world):
    iw = institutions_world
    application = apply(iw, child=make_child("Atieno", "Vacancy"))
    office = client_on(iw.office, iw.office_worker)
    before = len(access_log_rows(iw.office))
    assert "ATIENO" in office.get("/institution/vacancies/").content.decode().upper()
    assert office.get(f"{API}/vacancies?q=Atieno").status_code == 200
    assert office.get(f"/institution/vacancies/{application.pk}/").status_code == 200
    cpims_id = application.person.cpims_id
    who = iw.office_worker.pk
    assert access_log_rows(iw.office)[before:] == [
        ("institution_vacancies", "office", "vacancy applications", who),
        ("institution_vacancies", "office", "vacancy applications API: q=Atieno", who),
        ("registry_person", cpims_id, "Vacancy application", who),
    ]

    confirm(world, iw, application)
    rescue = client_on(iw.rescue, iw.rescue_worker)
    before = len(access_log_rows(iw.rescue))
    listing = rescue.get("/institution/vacancies/expected/").content.decode()
    assert "ATIENO" in listing.upper()
    assert rescue.get(f"{API}/vacancies/expected").status_code == 200
    assert rescue.get(f"{API}/vacancies/expected/{application.pk}").status_code == 200
    assert rescue.get(f"/institution/vacancies/{application.pk}/").status_code == 200
    who = iw.rescue_worker.pk
    assert access_log_rows(iw.rescue)[before:] == [
        ("institution_vacancies", "expected", "expected admissions", who),
        ("institution_vacancies", "expected", "expected admissions API", who),
        ("registry_person", cpims_id, "Vacancy application API", who),
        ("registry_person", cpims_id, "Vacancy application", who),
    ]


def test_a_refused_application_read_logs_nothing(world, institutions_world):
    iw = institutions_world
    application = apply(iw)  # not confirmed: the rescue centre may not see it yet
    rescue = client_on(iw.rescue, iw.rescue_worker)
    before = access_log_rows(iw.rescue)
    assert rescue.get(f"/institution/vacancies/{application.pk}/").status_code == 404
    assert rescue.get(f"{API}/vacancies/expected/{application.pk}").status_code == 404
    assert access_log_rows(iw.rescue) == before


def test_the_access_log_screen_names_the_child_of_an_admission(world, admission):
    client_on(world.acme, world.acme_worker).get(f"/institution/admissions/{admission.pk}/")
    page = client_on(world.acme, world.acme_admin).get("/audit/access/").content.decode()
    url = f"/institution/admissions/{admission.pk}/"
    assert f'<a href="{url}">{admission.case.child.full_name}</a>' in page
    assert f'title="institution_admission {admission.pk}"' in page
    assert '<option value="institution_admission">Institution admission</option>' in page


def test_the_audit_trail_of_an_application_carries_none_of_its_free_text(world, institutions_world):
    """audit/registry.py EXCLUDED_FIELDS: the office's notes, HQ's reason to decline and each
    step's reason stay out of the change log (who, when and status only)."""
    from auditlog.models import LogEntry

    from sharing.models_vacancies import VacancyEvent
    from sharing.services_vacancies import vacancy_decline
    from tenants.actor import Actor

    iw = institutions_world
    application = apply(iw, notes="Beaten at home by the stepfather.")
    vacancy_decline(
        actor=Actor(user=world.hq_admin), application=application.pk, reason="Sent to Kisii"
    )
    entries = list(LogEntry.objects.get_for_object(application))
    assert entries and any("status" in e.changes_dict for e in entries)  # the change is there
    for entry in entries:
        assert "notes" not in entry.changes_dict and "decline_reason" not in entry.changes_dict
        assert "stepfather" not in str(entry.changes) and "Kisii" not in str(entry.changes)
    events = VacancyEvent.objects.filter(application=application)
    assert events.filter(reason="Sent to Kisii").exists()
    for event in events:
        for entry in LogEntry.objects.get_for_object(event):
            assert "reason" not in entry.changes_dict and "Kisii" not in str(entry.changes)


def test_headquarters_vacancy_queue_is_logged_in_the_platform_log(world, institutions_world):
    """The queue names children: each read, on the console or through the platform API, is
    one entry of the platform's access log with the status and the search."""
    from audit.models import PlatformAccessEntry

    apply(institutions_world, child=make_child("Atieno", "Queue"))
    hq = client_on(None, world.hq_admin)
    before = PlatformAccessEntry.objects.count()
    assert "ATIENO" in hq.get("/console/sharing/vacancies/").content.decode().upper()
    assert hq.get(f"{API}/vacancies?status=all&q=Atieno").status_code == 200
    rows = list(
        PlatformAccessEntry.objects.order_by("id").values_list(
            "record_kind", "record_id", "purpose", "actor_id"
        )
    )[before:]
    who = world.hq_admin.pk
    assert rows == [
        ("vacancy_queue", "applied", "vacancy queue", who),
        ("vacancy_queue", "all", "vacancy queue API: q=Atieno", who),
    ]
    # someone who is not DCS headquarters is refused the queue, and nothing is logged
    worker = client_on(None, world.acme_worker)
    assert worker.get(f"{API}/vacancies").status_code in (302, 403, 404)
    assert worker.get("/console/sharing/vacancies/").status_code in (302, 403, 404)
    assert PlatformAccessEntry.objects.count() == before + 2

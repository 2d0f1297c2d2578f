"""The applying office's case timeline tells the vacancy's story: applied (court, judge,
next mention), HQ's decision, the admission; an institution's own case of the same child
never shows the office's application."""

from __future__ import annotations

import pytest

from case_apps.institutions.services_vacancies import vacancy_admit
from sharing.services_vacancies import vacancy_decline
from tenants.actor import Actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of
from tests.conftest import client_on
from tests.institutions.vacancy_helpers import TODAY, apply, confirm

pytestmark = pytest.mark.django_db


def _timeline(iw, case_id: int) -> str:
    return client_on(iw.office, iw.office_worker).get(f"/cases/{case_id}/").content.decode()


def test_applied_confirmed_and_admitted_read_on_the_offices_case(world, institutions_world):
    iw = institutions_world
    application = confirm(world, iw, apply(iw), months=9)
    with workspace_context(iw.rescue):
        admission = vacancy_admit(
            actor=actor_of(iw.rescue, iw.rescue_worker),
            application=application.pk,
            admitted_on=TODAY(),
            admission_reason="RACP",
            category="CDIS",
        )
    page = _timeline(iw, application.applicant_case_id)
    assert "Vacancy applied for: Rescue centre" in page
    assert "Court file CR 12/2026, Kisumu Law Courts, before Hon. W. Achieng" in page
    assert "Vacancy confirmed by DCS headquarters" in page
    assert f"{iw.rescue.name}, 9 months approved" in page
    assert f"Admitted to {iw.rescue.name} on the vacancy" in page
    rescue_page = client_on(iw.rescue, iw.rescue_worker).get(f"/cases/{admission.case_id}/")
    assert rescue_page.status_code == 200
    assert "Vacancy applied for" not in rescue_page.content.decode()


def test_a_declined_application_reads_with_its_reason(world, institutions_world):
    iw = institutions_world
    application = apply(iw)
    vacancy_decline(
        actor=Actor(user=world.hq_admin), application=application.pk, reason="No rescue bed"
    )
    page = _timeline(iw, application.applicant_case_id)
    assert "Vacancy declined by DCS headquarters" in page and "No rescue bed" in page
    assert "Vacancy confirmed" not in page


def test_the_timeline_reads_the_vacancy_in_one_query(world, institutions_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from case_apps.cases.models import CaseRecord
    from case_apps.institutions.timeline_vacancies import vacancies_timeline

    iw = institutions_world
    application = confirm(world, iw, apply(iw))
    with workspace_context(iw.office):
        case = CaseRecord.objects.get(pk=application.applicant_case_id)
        with CaptureQueriesContext(connection) as queries:
            entries = vacancies_timeline(case)
    assert [e.detail.kind for e in entries] == ["applied", "confirmed"]
    assert len(queries) == 1

"""Vacancy applications as the applying office's member sees them: only those made from
cases in the member's caseload (the case rule of tenants.policy), as the cases themselves
(sharing's selectors give the office's, HQ's and the institution's views)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from audit.services import actor_access_record
from case_apps.cases.selectors import cases_visible_to
from case_apps.institutions.access_kinds import VACANCIES
from shared_registry.access import RECORD_KIND_PERSON
from sharing import selectors_vacancies
from sharing.models_vacancies import VacancyApplication
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

# the list reads of the access log (record ids of ``institution_vacancies``)
OFFICE_LIST, EXPECTED_LIST = "office", "expected"


def _said(purpose: str, status: str, search: str) -> str:
    said = "&".join(f"{k}={v}" for k, v in (("status", status), ("q", search.strip()[:64])) if v)
    return f"{purpose}: {said}" if said else purpose


def office_vacancies(*, actor: Actor, status: str = "", search: str = "") -> QuerySet:
    """The office's applications from cases the actor sees, newest first."""
    applications = selectors_vacancies.vacancies_of_office(
        actor=actor, status=status, search=search
    )
    # a subquery on the office's own schema (the request's): no schema switch
    return applications.filter(applicant_case_id__in=cases_visible_to(actor=actor).values("pk"))


def vacancy_for_member(*, actor: Actor, application_id) -> VacancyApplication:
    """An application as a member of the office (from a case they see) or of the
    institution it was confirmed to; ``NotFound`` otherwise."""
    application = selectors_vacancies.vacancy_get(actor=actor, application_id=application_id)
    side = selectors_vacancies.vacancy_side(actor, application)
    if side == selectors_vacancies.APPLICANT:
        visible = cases_visible_to(actor=actor).filter(pk=application.applicant_case_id)
        if not visible.exists():
            raise NotFound
    elif side != selectors_vacancies.INSTITUTION:
        raise NotFound
    return application


def vacancy_open_for_member(
    *,
    actor: Actor,
    application_id,
    purpose: str = "Vacancy application",
    request: HttpRequest | None = None,
) -> VacancyApplication:
    """An application's page (or the API's read of it) as a member of the office or of the
    institution: the read of the child's registry identity logged as sharing's
    ``vacancy_open`` logs it; a refused read logs nothing."""
    application = vacancy_for_member(actor=actor, application_id=application_id)
    actor_access_record(actor, RECORD_KIND_PERSON, application.person.cpims_id, purpose, request)
    return application


def office_vacancies_open(
    *,
    actor: Actor,
    status: str = "",
    search: str = "",
    purpose: str = "vacancy applications",
    request: HttpRequest | None = None,
) -> QuerySet:
    """The office's applications list (the screen, the API): one access-log entry per list
    read, with what narrowed it."""
    applications = office_vacancies(actor=actor, status=status, search=search)
    actor_access_record(actor, VACANCIES, OFFICE_LIST, _said(purpose, status, search), request)
    return applications


def vacancies_expected_open(
    *,
    actor: Actor,
    status: str = "",
    search: str = "",
    purpose: str = "expected admissions",
    request: HttpRequest | None = None,
) -> QuerySet:
    """The institution's expected admissions (children by name): one access-log entry per
    list read."""
    actor.require(Permission.VIEW_CASES)
    applications = selectors_vacancies.vacancies_expected(actor=actor, status=status, search=search)
    actor_access_record(actor, VACANCIES, EXPECTED_LIST, _said(purpose, status, search), request)
    return applications

"""Vacancy applications as the applying office's member sees them: only those made from
cases in the member's caseload (the case rule of tenants.policy), as the cases themselves
(sharing's selectors give the office's, HQ's and the institution's views)."""

from __future__ import annotations

from django.db.models import QuerySet

from case_apps.cases.selectors import cases_visible_to
from sharing import selectors_vacancies
from sharing.models_vacancies import VacancyApplication
from tenants.actor import Actor, NotFound


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

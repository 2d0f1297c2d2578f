"""Vacancy applications on the platform API (DCS headquarters): the queue, one
application, confirm and decline. The same services, selectors and policy as the console
screens (sharing/views_vacancies.py). The office's and the institution's endpoints need a
case: case_apps/institutions/api_vacancies.py."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from sharing import selectors_vacancies as selectors
from sharing import services_vacancies as services
from sharing.models_vacancies import MONTHS_MAX, VacancyApplication
from tenants.actor import NotFound, actor_from_request
from tenants.api_errors import ErrorOut, InvalidOut, api_call
from tenants.api_input import (
    CODE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    Reason,
    RecordId,
    whole_number,
)
from tenants.policy import Permission, may

platform_router = Router(tags=["vacancies"], auth=django_auth)
NOT_FOUND = "No such vacancy application."


class VacancyEventOut(Schema):
    kind: str
    status_after: str
    actor_email: str
    acting_as: str
    reason: str
    occurred_at: datetime


class VacancyOut(Schema):
    """An application as DCS headquarters, the applying office or (without the notes and the
    history) the institution sees it."""

    id: int
    status: str
    applicant_id: int
    applicant_name: str
    applicant_officer: str
    person_id: int
    child_name: str
    child_sex: str
    child_cpims_id: str
    child_age: int | None
    court_number: str
    judge: str
    court: str
    next_mention_on: date
    institution_type: str
    applied_on: date
    institution_id: int | None
    institution_name: str
    months_approved: int | None
    decided_by: str
    decided_on: date | None
    decline_reason: str
    admitted_on: date | None

    @staticmethod
    def resolve_applicant_name(a: VacancyApplication) -> str:
        return a.applicant.name

    @staticmethod
    def resolve_applicant_officer(a: VacancyApplication) -> str:
        return a.created_by.full_name or a.created_by.email

    @staticmethod
    def resolve_child_name(a: VacancyApplication) -> str:
        return a.person.full_name

    @staticmethod
    def resolve_child_sex(a: VacancyApplication) -> str:
        return a.person.sex

    @staticmethod
    def resolve_child_cpims_id(a: VacancyApplication) -> str:
        return a.person.cpims_id

    @staticmethod
    def resolve_child_age(a: VacancyApplication) -> int | None:
        return selectors.child_age(a.person)

    @staticmethod
    def resolve_institution_name(a: VacancyApplication) -> str:
        return a.institution.name if a.institution else ""

    @staticmethod
    def resolve_decided_by(a: VacancyApplication) -> str:
        user = a.decided_by
        return (user.full_name or user.email) if user else ""


class VacancyDetailOut(VacancyOut):
    """With the applicant's notes and the steps (HQ and the applying office)."""

    notes: str
    events: list[VacancyEventOut]

    @staticmethod
    def resolve_events(a: VacancyApplication) -> list:
        return list(selectors.vacancy_history(a))


MonthsApproved = whole_number(1, MONTHS_MAX)


class ConfirmIn(Schema):
    institution: RecordId = Field(..., description="An active statutory institution.")
    months_approved: MonthsApproved
    decided_on: date | None = Field(None, description="Today when not given.")
    any_type: bool = Field(False, description="Another type than the one applied for is fine.")
    reason: Reason = ""


class DeclineIn(Schema):
    reason: Reason
    decided_on: date | None = None


def _require_hq(request: HttpRequest) -> None:
    if getattr(request, "organisation", None) is not None or not may(
        request.user, Permission.CONFIRM_VACANCIES
    ):
        raise HttpError(403, "DCS headquarters only.")


def _application(request: HttpRequest, application_id: int) -> VacancyApplication:
    _require_hq(request)
    try:
        return selectors.vacancy_open(
            actor=actor_from_request(request), application_id=application_id, request=request
        )
    except NotFound:
        raise HttpError(404, NOT_FOUND) from None


@platform_router.get(
    "/vacancies",
    operation_id="vacancies_api_queue",
    response={200: list[VacancyOut], 403: ErrorOut},
    summary="Vacancy applications: waiting for a decision by default (status=all: every one)",
)
@paginate(BoundedLimitOffsetPagination)
def vacancy_queue(
    request: HttpRequest,
    status: str = Query("applied", max_length=CODE_MAX_LENGTH),
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
):
    _require_hq(request)
    return selectors.vacancy_queue_open(
        actor=actor_from_request(request),
        status=status,
        search=q,
        purpose="vacancy queue API",
        request=request,
    )


@platform_router.get(
    "/vacancies/{application_id}",
    operation_id="vacancies_api_console_get",
    response={200: VacancyDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One vacancy application with its history",
)
def vacancy_get(request: HttpRequest, application_id: RecordId):
    return _application(request, application_id)


@platform_router.post(
    "/vacancies/{application_id}/confirm",
    operation_id="vacancies_api_confirm",
    response={200: VacancyDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Confirm: the institution, the months approved, the date of the decision",
)
def vacancy_confirm(request: HttpRequest, application_id: RecordId, payload: ConfirmIn):
    application = _application(request, application_id)
    return api_call(
        services.vacancy_confirm,
        actor=actor_from_request(request),
        application=application,
        **payload.dict(),
    )


@platform_router.post(
    "/vacancies/{application_id}/decline",
    operation_id="vacancies_api_decline",
    response={200: VacancyDetailOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="Decline, saying why",
)
def vacancy_decline(request: HttpRequest, application_id: RecordId, payload: DeclineIn):
    application = _application(request, application_id)
    return api_call(
        services.vacancy_decline,
        actor=actor_from_request(request),
        application=application,
        **payload.dict(),
    )

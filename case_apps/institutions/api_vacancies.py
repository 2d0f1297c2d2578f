"""Vacancy API of the workspaces (issue 19, point 5): a DCS office applies from a case,
lists and withdraws its applications; a statutory institution lists the vacancies confirmed
to it and admits the child. Elsewhere every path answers 404, as the screens do. DCS
headquarters' endpoints are on the platform API (sharing/api_vacancies.py)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from case_apps.institutions import selectors_vacancies, services_vacancies
from case_apps.institutions.models import Admission
from sharing import selectors_vacancies as shared
from sharing import services_vacancies as shared_services
from sharing.api_vacancies import VacancyDetailOut, VacancyOut
from sharing.models_vacancies import VacancyApplication
from tenants.actor import Actor, Forbidden, NotFound, actor_from_request
from tenants.api_errors import NOT_ALLOWED, api_invalid, api_require
from tenants.api_input import (
    CODE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    Code,
    Reason,
    RecordId,
    model_text,
)
from tenants.models import OrganisationKind
from tenants.policy import Permission

router = Router(tags=["vacancies"])
NOT_FOUND = "No such vacancy application for your organisation."
OFFICE, INSTITUTION = "office", "institution"


class ApplyIn(Schema):
    court_number: str = model_text(VacancyApplication, "court_number")
    judge: str = model_text(VacancyApplication, "judge")
    court: str = model_text(VacancyApplication, "court", description="Where held.")
    next_mention_on: date
    institution_type: Code = Field(..., description="TNRB, TNRR, TNRS, TNRH or TNAP.")
    notes: Reason = ""


class ReasonIn(Schema):
    reason: Reason


class AdmitIn(Schema):
    admitted_on: date
    admission_reason: Code = Field(..., description="RACP care and protection, RAOF offender.")
    category: Code = Field(..., description="The case category of the institution's case.")
    admission_number: str = model_text(Admission, "admission_number", "")
    is_emergency: bool = False
    notes: Reason = ""


class AdmittedOut(Schema):
    admission_id: int
    case_id: int
    vacancy: VacancyOut


def _actor(request: HttpRequest, where: str, permission: Permission) -> Actor:
    organisation = getattr(request, "organisation", None)
    if where == OFFICE:
        fits = shared.applies_for_vacancies(organisation)
    else:
        fits = getattr(organisation, "kind", "") == OrganisationKind.STATUTORY_INSTITUTION
    if not fits:
        raise HttpError(404, "This workspace does not handle vacancy applications.")
    api_require(request, permission)
    return actor_from_request(request)


def _run(service, **arguments):
    try:
        return service(**arguments)
    except NotFound:
        raise HttpError(404, NOT_FOUND) from None
    except Forbidden:
        raise HttpError(403, NOT_ALLOWED) from None
    except ValidationError as error:
        raise api_invalid(error) from None


def _one(request, application_id: int, where: str, permission: Permission):
    actor = _actor(request, where, permission)
    application = _run(
        selectors_vacancies.vacancy_for_member, actor=actor, application_id=application_id
    )
    return actor, application


# --- the applying office ------------------------------------------------------------------------
@router.post(
    "/vacancies/cases/{case_id}/apply",
    response={201: VacancyDetailOut},
    summary="Apply for a vacancy for the child of one of your cases (DCS offices)",
)
def vacancy_apply(request: HttpRequest, case_id: RecordId, payload: ApplyIn):
    actor = _actor(request, OFFICE, Permission.RECORD_CASES)
    applied = _run(
        services_vacancies.vacancy_apply_from_case, actor=actor, case=case_id, **payload.dict()
    )
    return Status(201, applied)


@router.get(
    "/vacancies",
    response=list[VacancyOut],
    summary="Your office's applications (from cases you see), newest first",
)
@paginate(BoundedLimitOffsetPagination)
def vacancy_list(
    request: HttpRequest,
    status: str = Query("", max_length=CODE_MAX_LENGTH),
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
):
    actor = _actor(request, OFFICE, Permission.VIEW_CASES)
    return _run(
        selectors_vacancies.office_vacancies_open,
        actor=actor,
        status=status,
        search=q,
        purpose="vacancy applications API",
        request=request,
    )


@router.post(
    "/vacancies/{application_id}/withdraw",
    response=VacancyDetailOut,
    summary="Withdraw an application not yet admitted, saying why",
)
def vacancy_withdraw(request: HttpRequest, application_id: RecordId, payload: ReasonIn):
    actor, application = _one(request, application_id, OFFICE, Permission.RECORD_CASES)
    return _run(
        shared_services.vacancy_withdraw,
        actor=actor,
        application=application,
        reason=payload.reason,
    )


# --- the institution ----------------------------------------------------------------------------
@router.get(
    "/vacancies/expected",
    response=list[VacancyOut],
    summary="Vacancies confirmed to your institution (status=admitted: those admitted)",
)
@paginate(BoundedLimitOffsetPagination)
def vacancies_expected(
    request: HttpRequest,
    status: str = Query("", max_length=CODE_MAX_LENGTH),
    q: str = Query("", max_length=SEARCH_MAX_LENGTH),
):
    actor = _actor(request, INSTITUTION, Permission.VIEW_CASES)
    return _run(
        selectors_vacancies.vacancies_expected_open,
        actor=actor,
        status=status,
        search=q,
        purpose="expected admissions API",
        request=request,
    )


@router.get(
    "/vacancies/expected/{application_id}",
    response=VacancyOut,
    summary="One vacancy confirmed to your institution",
)
def vacancy_expected(request: HttpRequest, application_id: RecordId):
    actor = _actor(request, INSTITUTION, Permission.VIEW_CASES)
    return _run(
        selectors_vacancies.vacancy_open_for_member,
        actor=actor,
        application_id=application_id,
        purpose="Vacancy application API",
        request=request,
    )


@router.post(
    "/vacancies/{application_id}/admit",
    response={201: AdmittedOut},
    summary="Admit the child on a vacancy confirmed to your institution (its own case)",
)
def vacancy_admit(request: HttpRequest, application_id: RecordId, payload: AdmitIn):
    actor, application = _one(request, application_id, INSTITUTION, Permission.RECORD_CASES)
    admission = _run(
        services_vacancies.vacancy_admit, actor=actor, application=application, **payload.dict()
    )
    application.refresh_from_db()
    return Status(
        201, {"admission_id": admission.pk, "case_id": admission.case_id, "vacancy": application}
    )

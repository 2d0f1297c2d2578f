"""API of the OVC programme: hiv (issue 18). Shared helpers in case_apps/ovc/api.py.

HIV risk screening and its testing and ART referrals, the M&E lists, caregivers' HIV status,
the HIV-exposed infant's test visits and outcome, and the facility registry's search for
the referral facilities (MFL codes). The same services, selectors and policy as the screens.
"""

from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from case_apps.ovc import selectors_hiv, services_care, services_hei
from case_apps.ovc.api import NOT_FOUND, enrolment_for, household_for, ovc_actor, run
from case_apps.ovc.models import HivScreening
from tenants.api_input import (
    MAX_ITEMS,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    Code,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["ovc"])
MflCode = model_text(HivScreening, "test_facility", "")
ScreeningList = Literal["screened", "awaiting_test", "tested", "linked"]


class ScreeningIn(Schema):
    screened_on: date
    status_known: Code
    tested_last_6_months: bool = False
    risks: list[Code] = Field([], max_length=MAX_ITEMS)
    consent_on: date | None = None
    referred_on: date | None = None
    test_facility: str = MflCode
    not_referred_reason: str = model_text(HivScreening, "not_referred_reason", "")


class ResultIn(Schema):
    referral_completed_on: date
    test_result: Code
    referred_on: date | None = None
    test_facility: str = MflCode
    art_referred_on: date | None = None
    art_facility: str = MflCode


class ArtCompletedIn(Schema):
    art_referral_completed_on: date
    art_facility: str = MflCode


class ScreeningOut(Schema):
    id: int
    enrolment_id: int
    screened_on: date
    status_known: str
    tested_last_6_months: bool
    risks: list[str]
    test_required: bool
    referral_state: str
    consent_on: date | None
    referred_on: date | None
    test_facility: str
    not_referred_reason: str
    referral_completed_on: date | None
    test_result: str
    art_referred_on: date | None
    art_facility: str
    art_referral_completed_on: date | None


class ListQuery(Schema):
    date_from: date | None = None
    date_to: date | None = None
    q: str = Field("", max_length=SEARCH_MAX_LENGTH)


class CaregiverStatusIn(Schema):
    member_id: RecordId
    hiv_status: Code
    art_status: Code = ""
    known_on: date


class CaregiverStatusOut(Schema):
    id: int
    member_id: int
    hiv_status: str
    art_status: str
    known_on: date


class HeiTestIn(Schema):
    test: Literal["pcr_6w", "pcr_6m", "pcr_12m", "ab_18m"]
    tested_on: date
    result: Code


class HeiTestOut(Schema):
    id: int
    enrolment_id: int
    test: str
    tested_on: date
    result: str


class HeiOutcomeIn(Schema):
    outcome: Literal["HSTP", "HSTN", "ltfu"]
    decided_on: date
    art_facility: str = MflCode
    art_started_on: date | None = None


class HeiOutcomeOut(Schema):
    id: int
    enrolment_id: int
    outcome: str
    decided_on: date
    art_facility: str
    art_started_on: date | None


class HeiDueOut(Schema):
    enrolment_id: int
    test: str
    due_on: date
    state: str


class HeiScheduleOut(Schema):
    on_hei_path: bool
    schedule: list[HeiDueOut]
    tests: list[HeiTestOut]


class FacilityOut(Schema):
    code: str
    name: str
    county: str

    @staticmethod
    def resolve_county(facility) -> str:
        return facility.county.name


def _due(enrolment_id: int, due: selectors_hiv.HeiDue) -> dict:
    return {
        "enrolment_id": enrolment_id,
        "test": due.test,
        "due_on": due.due_on,
        "state": due.state,
    }


def _screening_of(request: HttpRequest, enrolment_id: int, screening_id: int, permission):
    """The screening of this child, as the caller (404 when not theirs)."""
    actor, enrolment = enrolment_for(request, enrolment_id, permission)
    screening = enrolment.screenings.filter(pk=screening_id).first()
    if screening is None:
        raise HttpError(404, NOT_FOUND)
    return actor, screening


@router.post(
    "/ovc/children/{enrolment_id}/screenings",
    response={201: ScreeningOut},
    summary="Record an HIV risk screening (it says whether a test is required)",
)
def add_screening(request: HttpRequest, enrolment_id: RecordId, payload: ScreeningIn):
    actor, enrolment = enrolment_for(request, enrolment_id, Permission.RECORD_CASES)
    screening = run(
        services_care.hiv_screening_record, actor=actor, enrolment=enrolment, **payload.dict()
    )
    return Status(201, screening)


@router.get(
    "/ovc/children/{enrolment_id}/screenings",
    response=list[ScreeningOut],
    summary="A child's HIV risk screenings, newest first",
)
def list_screenings(request: HttpRequest, enrolment_id: RecordId):
    _actor, enrolment = enrolment_for(request, enrolment_id)
    return list(enrolment.screenings.all())


@router.post(
    "/ovc/children/{enrolment_id}/screenings/{screening_id}/result",
    response=ScreeningOut,
    summary="Close the testing referral with its result (and an ART referral if positive)",
)
def record_result(
    request: HttpRequest, enrolment_id: RecordId, screening_id: RecordId, payload: ResultIn
):
    actor, screening = _screening_of(request, enrolment_id, screening_id, Permission.RECORD_CASES)
    return run(
        services_care.hiv_referral_result_record,
        actor=actor,
        screening=screening,
        **payload.dict(),
    )


@router.post(
    "/ovc/children/{enrolment_id}/screenings/{screening_id}/art-completed",
    response=ScreeningOut,
    summary="The child who tested positive started ART: the ART referral is completed",
)
def complete_art_referral(
    request: HttpRequest, enrolment_id: RecordId, screening_id: RecordId, payload: ArtCompletedIn
):
    actor, screening = _screening_of(request, enrolment_id, screening_id, Permission.RECORD_CASES)
    return run(
        services_care.hiv_art_referral_complete,
        actor=actor,
        screening=screening,
        **payload.dict(),
    )


@router.get(
    "/ovc/hiv/lists/{kind}",
    response=list[ScreeningOut],
    summary="An M&E list of screenings in your caseload: screened, awaiting_test, tested, "
    "linked (date_from/date_to: the period)",
)
@paginate(BoundedLimitOffsetPagination)
def screening_list(request: HttpRequest, kind: ScreeningList, query: Query[ListQuery]):
    actor = ovc_actor(request)
    filters = selectors_hiv.HivListFilters(
        period_from=query.date_from, period_to=query.date_to, search=query.q
    )
    return selectors_hiv.screening_list(actor=actor, kind=kind, filters=filters)


@router.get(
    "/ovc/hiv/hei-due",
    response=list[HeiDueOut],
    summary="HIV-exposed infants in your caseload with a test due or overdue today",
)
@paginate(BoundedLimitOffsetPagination)
def hei_due(request: HttpRequest, q: str = Query("", max_length=SEARCH_MAX_LENGTH)):
    actor = ovc_actor(request)
    rows = selectors_hiv.hei_due_list(actor=actor, today=timezone.localdate(), search=q)
    return [_due(row.enrolment.pk, row.due) for row in rows]


@router.post(
    "/ovc/households/{household_id}/caregiver-hiv-status",
    response={201: CaregiverStatusOut},
    summary="Record a caregiver's HIV and ART status as known on a day",
)
def add_caregiver_status(request: HttpRequest, household_id: RecordId, payload: CaregiverStatusIn):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    data = payload.dict()
    record = run(
        services_care.caregiver_hiv_status_record,
        actor=actor,
        household=household,
        member=data.pop("member_id"),
        **data,
    )
    return Status(201, record)


@router.get(
    "/ovc/households/{household_id}/caregiver-hiv-status",
    response=list[CaregiverStatusOut],
    summary="The caregivers' HIV status history, newest first",
)
def list_caregiver_status(request: HttpRequest, household_id: RecordId):
    _actor, household = household_for(request, household_id)
    return [
        record
        for member in selectors_hiv.caregiver_statuses(household)
        for record in member.hiv_history.all()
    ]


@router.post(
    "/ovc/children/{enrolment_id}/hei-tests",
    response={201: HeiTestOut},
    summary="Record a test of an HIV-exposed infant's schedule",
)
def add_hei_test(request: HttpRequest, enrolment_id: RecordId, payload: HeiTestIn):
    actor, enrolment = enrolment_for(request, enrolment_id, Permission.RECORD_CASES)
    visit = run(services_hei.hei_test_record, actor=actor, enrolment=enrolment, **payload.dict())
    return Status(201, visit)


@router.get(
    "/ovc/children/{enrolment_id}/hei-tests",
    response=HeiScheduleOut,
    summary="An HIV-exposed infant's schedule (due, overdue, done) and tests",
)
def hei_schedule(request: HttpRequest, enrolment_id: RecordId):
    _actor, enrolment = enrolment_for(request, enrolment_id)
    schedule = selectors_hiv.hei_schedule(
        enrolment, enrolment.child.date_of_birth, timezone.localdate()
    )
    return {
        "on_hei_path": selectors_hiv.is_hei_path(enrolment),
        "schedule": [_due(enrolment.pk, due) for due in schedule],
        "tests": list(enrolment.hei_tests.all()),
    }


@router.post(
    "/ovc/children/{enrolment_id}/hei-outcome",
    response={201: HeiOutcomeOut},
    summary="The HIV-exposed infant's final outcome (positive and on ART, negative, lost)",
)
def add_hei_outcome(request: HttpRequest, enrolment_id: RecordId, payload: HeiOutcomeIn):
    actor, enrolment = enrolment_for(request, enrolment_id, Permission.RECORD_CASES)
    outcome = run(
        services_hei.hei_outcome_record, actor=actor, enrolment=enrolment, **payload.dict()
    )
    return Status(201, outcome)


@router.get(
    "/ovc/facilities",
    response=list[FacilityOut],
    summary="Facilities of the national registry by name or MFL code (referral facilities)",
)
def facility_search(request: HttpRequest, q: str = Query(..., max_length=SEARCH_MAX_LENGTH)):
    ovc_actor(request, Permission.RECORD_CASES)
    return selectors_hiv.facility_search(q)

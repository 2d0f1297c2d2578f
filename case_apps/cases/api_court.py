"""API: court sessions, court orders and summons (the same services, selectors and policy as
the screens, case_apps/cases/views/court.py)."""

from datetime import date, time
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from case_apps.cases import selectors_court
from case_apps.cases.api import CreatedOut, _case, _run
from case_apps.cases.models_court import CourtSession, Summons
from case_apps.cases.services import court
from case_apps.cases.services.replays import was_replayed
from tenants.actor import actor_from_request
from tenants.api_errors import api_require
from tenants.api_input import (
    CODE_MAX_LENGTH,
    MAX_ITEMS,
    NAME_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    ClientUuid,
    Code,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["cases"])
NOT_FOUND = "No such record on a case of yours."


class CourtOrderIn(Schema):
    order_code: Code
    starts_on: date | None = None
    ends_on: date | None = None


class CourtSessionIn(Schema):
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this session: a repeat with the same uuid and "
        "content answers 200 and writes nothing; other content is a 422 naming uuid.",
    )
    session_date: date
    court_name: str = model_text(CourtSession, "court_name")
    court_file_number: str = model_text(CourtSession, "court_file_number", "")
    session_type: str = model_text(CourtSession, "session_type")
    plea: str = model_text(CourtSession, "plea", "")
    application_outcome: str = model_text(CourtSession, "application_outcome", "")
    outcome: str = model_text(CourtSession, "outcome")
    adjournment_reason: str = model_text(CourtSession, "adjournment_reason", "")
    next_court_date: date | None = None
    orders: list[CourtOrderIn] = Field([], max_length=MAX_ITEMS)
    notes: str = model_text(CourtSession, "notes", "")


class CourtOrderOut(Schema):
    id: int
    order_code: str
    starts_on: date
    ends_on: date | None
    in_force: bool


class CourtSessionOut(Schema):
    id: int
    uuid: UUID
    case_id: int
    session_date: date
    court_name: str
    court_file_number: str
    session_type: str
    plea: str
    application_outcome: str
    outcome: str
    adjournment_reason: str
    next_court_date: date | None
    orders: list[CourtOrderOut]

    @staticmethod
    def resolve_orders(session: CourtSession) -> list:
        return list(session.orders.all())


class UpcomingOut(Schema):
    session_id: int
    case_id: int
    case_reference: str
    court_name: str
    court_file_number: str
    next_court_date: date
    assigned_officer_id: int

    @staticmethod
    def resolve_session_id(session: CourtSession) -> int:
        return session.pk

    @staticmethod
    def resolve_case_reference(session: CourtSession) -> str:
        return session.case.national_reference

    @staticmethod
    def resolve_assigned_officer_id(session: CourtSession) -> int:
        return session.case.assigned_officer_id


class OrderInForceOut(CourtOrderOut):
    case_id: int
    session_id: int
    case_reference: str

    @staticmethod
    def resolve_case_reference(order) -> str:
        return order.case.national_reference


class SummonsIn(Schema):
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this summons: a repeat with the same uuid and "
        "content answers 200 and writes nothing; other content is a 422 naming uuid.",
    )
    person_name: str = model_text(Summons, "person_name")
    person_role: str = model_text(Summons, "person_role", "")
    issued_on: date
    appear_on: date
    appear_at: str = Field(
        "", max_length=8, pattern=r"^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?)?$", description="HH:MM"
    )
    place: str = model_text(Summons, "place")
    notes: str = model_text(Summons, "notes", "")


class SummonsOut(Schema):
    id: int
    uuid: UUID
    case_id: int
    person_name: str
    person_role: str
    issued_on: date
    appear_on: date | None
    appear_at: time | None
    place: str
    served_on: date | None
    honoured: bool | None
    honoured_on: date | None
    status: str

    @staticmethod
    def resolve_status(summons: Summons) -> str:
        return str(summons.status.value)


class ServedIn(Schema):
    served_on: date


class HonouredIn(Schema):
    honoured: bool
    honoured_on: date | None = None


class CourtListQuery(Schema):
    scope: str = Field(selectors_court.ORGANISATION, max_length=NAME_MAX_LENGTH)
    q: str = Field("", max_length=SEARCH_MAX_LENGTH)
    court: str = Field("", max_length=SEARCH_MAX_LENGTH)
    county: str = Field("", max_length=CODE_MAX_LENGTH)
    date_from: date | None = None
    date_to: date | None = None
    order_code: str = Field("", max_length=CODE_MAX_LENGTH)
    status: str = Field("", max_length=NAME_MAX_LENGTH)


def _filters(request: HttpRequest, query: CourtListQuery) -> selectors_court.CourtFilters:
    county = query.county
    if query.scope == selectors_court.COUNTY and not county:
        county = request.organisation.county_code
    return selectors_court.CourtFilters(
        scope=query.scope,
        search=query.q,
        court=query.court,
        county=county,
        date_from=query.date_from,
        date_to=query.date_to,
        order_code=query.order_code,
        status=query.status,
    )


@router.post(
    "/cases/{case_id}/court-sessions",
    response={201: CourtSessionOut, 200: CourtSessionOut},
    summary="Record a court session with the orders made (200: the same uuid again)",
)
def add_court_session(request: HttpRequest, case_id: RecordId, payload: CourtSessionIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    data = payload.dict(exclude={"orders"})
    orders = [court.CourtOrderInput(**o.dict()) for o in payload.orders]
    session = _run(
        court.court_session_record,
        actor=actor_from_request(request),
        case=case,
        orders=orders,
        **data,
    )
    return Status(200 if was_replayed(session) else 201, session)


@router.get(
    "/cases/{case_id}/court-sessions",
    response=list[CourtSessionOut],
    summary="The court sessions of a case",
)
def list_court_sessions(request: HttpRequest, case_id: RecordId):
    case = _case(request, case_id, Permission.VIEW_CASES)
    return selectors_court.case_court(case).sessions


@router.post(
    "/cases/{case_id}/court-sessions/{session_id}/orders",
    response={201: CreatedOut},
    summary="Add an order made at a session",
)
def add_court_order(
    request: HttpRequest, case_id: RecordId, session_id: RecordId, payload: CourtOrderIn
):
    order = _run(
        court.court_order_record,
        not_found=NOT_FOUND,
        actor=actor_from_request(request),
        case=case_id,
        session_id=session_id,
        **payload.dict(),
    )
    return Status(201, {"id": order.pk})


@router.post(
    "/cases/{case_id}/summons",
    response={201: SummonsOut, 200: SummonsOut},
    summary="Issue a summons (200: the same uuid and content again, nothing written)",
)
def add_summons(request: HttpRequest, case_id: RecordId, payload: SummonsIn):
    case = _case(request, case_id, Permission.RECORD_CASES)
    data = payload.dict()
    data["appear_at"] = time.fromisoformat(data["appear_at"]) if data["appear_at"] else None
    summons = _run(court.summons_issue, actor=actor_from_request(request), case=case, **data)
    return Status(200 if was_replayed(summons) else 201, summons)


@router.get("/cases/{case_id}/summons", response=list[SummonsOut], summary="A case's summons")
def list_case_summons(request: HttpRequest, case_id: RecordId):
    case = _case(request, case_id, Permission.VIEW_CASES)
    return selectors_court.case_court(case).summonses


@router.post(
    "/cases/{case_id}/summons/{summons_id}/served",
    response=SummonsOut,
    summary="Record the day a summons was served",
)
def serve_summons(request: HttpRequest, case_id: RecordId, summons_id: RecordId, payload: ServedIn):
    return _run(
        court.summons_serve,
        not_found=NOT_FOUND,
        actor=actor_from_request(request),
        case=case_id,
        summons_id=summons_id,
        served_on=payload.served_on,
    )


@router.post(
    "/cases/{case_id}/summons/{summons_id}/honoured",
    response=SummonsOut,
    summary="Record whether a summons was honoured",
)
def honour_summons(
    request: HttpRequest, case_id: RecordId, summons_id: RecordId, payload: HonouredIn
):
    return _run(
        court.summons_honour,
        not_found=NOT_FOUND,
        actor=actor_from_request(request),
        case=case_id,
        summons_id=summons_id,
        **payload.dict(),
    )


@router.get(
    "/court/upcoming",
    response=list[UpcomingOut],
    summary="Upcoming court dates on your cases (scope: mine, organisation or county)",
)
@paginate(BoundedLimitOffsetPagination)
def upcoming_court_dates(request: HttpRequest, query: Query[CourtListQuery]):
    api_require(request, Permission.VIEW_CASES)
    return selectors_court.upcoming_court_dates(
        actor=actor_from_request(request), filters=_filters(request, query)
    )


@router.get(
    "/court/orders-in-force",
    response=list[OrderInForceOut],
    summary="Court orders in force today on your cases",
)
@paginate(BoundedLimitOffsetPagination)
def orders_in_force(request: HttpRequest, query: Query[CourtListQuery]):
    api_require(request, Permission.VIEW_CASES)
    return selectors_court.orders_in_force(
        actor=actor_from_request(request), filters=_filters(request, query)
    )


@router.get("/court/summons", response=list[SummonsOut], summary="Summons on your cases")
@paginate(BoundedLimitOffsetPagination)
def summons_list(request: HttpRequest, query: Query[CourtListQuery]):
    api_require(request, Permission.VIEW_CASES)
    return selectors_court.summons_list(
        actor=actor_from_request(request), filters=_filters(request, query)
    )

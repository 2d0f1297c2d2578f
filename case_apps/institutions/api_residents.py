"""API of the institution's residents (issue 19), calling the same services, selectors and policy
as the screens: the register with its filters, the places per sex and age band, and the
institution's population by month (from its facts drained into national statistics)."""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from case_apps.cases.api import _run
from case_apps.institutions import selectors_residents, services_residents
from case_apps.institutions.selectors_residents import ResidentFilters, age_in_years, days_to_exit
from tenants.actor import actor_from_request
from tenants.api_errors import api_invalid, api_require
from tenants.api_input import (
    MAX_ITEMS,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    Code,
    whole_number,
)
from tenants.policy import Permission

router = Router(tags=["institutions"])
MAX_MONTHS = 36
Sex = Literal["", "SMAL", "SFEM", "SINT"]
Band = Literal["", "0-5", "6-10", "11-15", "16-17", "18+"]
PlacesSex = Literal["SMAL", "SFEM"]
PlacesBand = Literal["0-5", "6-10", "11-15", "16-17", "18+"]
MONTH = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"  # 1900-01 to 2099-12: months a date can hold


class ResidentQuery(Schema):
    q: str = Field("", max_length=SEARCH_MAX_LENGTH)
    sex: Sex = ""
    age_band: Band = ""
    admission_type: Code = ""
    when: Literal["", "due", "overstay"] = Field(
        "", description="due: expected exit within 30 days; overstay: past the expected exit"
    )


class ResidentOut(Schema):
    admission_id: int
    case_id: int
    cpims_id: str
    child: str
    sex: str
    age: int | None
    admission_number: str
    admitted_on: date
    admission_type: str
    is_emergency: bool
    expected_exit_on: date | None
    days_to_exit: int | None = Field(None, description="negative: days past the expected exit")


class CapacityOut(Schema):
    sex: str
    age_band: str
    places: int | None
    residents: int
    vacancies: int
    over_by: int


Places = whole_number(0, services_residents.MAX_PLACES)


class PlacesIn(Schema):
    sex: PlacesSex
    age_band: PlacesBand
    places: Places | None = None


class CapacityIn(Schema):
    groups: list[PlacesIn] = Field(..., max_length=MAX_ITEMS)


class CapacityChangedOut(Schema):
    changed: int
    groups: list[CapacityOut]


class GroupFigure(Schema):
    sex: str
    age_band: str
    n: int


class MonthOut(Schema):
    month: str
    residents: int
    admissions: int
    discharges: int
    residents_by_group: list[GroupFigure]


class PopulationQuery(Schema):
    month_from: str = Field(..., max_length=7, pattern=MONTH, description="YYYY-MM")
    month_to: str = Field(..., max_length=7, pattern=MONTH, description="YYYY-MM")


def _require(request: HttpRequest, permission: Permission) -> None:
    """403 without ``permission``; 404 in an organisation that runs no institution."""
    from case_apps.institutions.capabilities import INSTITUTION_KINDS

    organisation = getattr(request, "organisation", None)
    if organisation is not None and organisation.kind not in INSTITUTION_KINDS:
        raise HttpError(404, "This organisation runs no institution.")
    api_require(request, permission)


def _resident(admission, today: date) -> dict:
    child = admission.case.child
    return {
        "admission_id": admission.pk,
        "case_id": admission.case_id,
        "cpims_id": child.cpims_id,
        "child": child.full_name,
        "sex": child.sex,
        "age": age_in_years(child, today),
        "admission_number": admission.admission_number,
        "admitted_on": admission.admitted_on,
        "admission_type": admission.admission_type,
        "is_emergency": admission.is_emergency,
        "expected_exit_on": admission.expected_exit_on,
        "days_to_exit": days_to_exit(admission, today),
    }


class _Rows:
    """The selector's queryset, sliced by the paginator and shaped row by row."""

    def __init__(self, queryset, today: date):
        self.queryset, self.today = queryset, today

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index):
        return [_resident(a, self.today) for a in self.queryset[index]]


@router.get(
    "/institution/residents",
    response=list[ResidentOut],
    summary="The institution's current residents (filters as on the register)",
)
@paginate(BoundedLimitOffsetPagination)
def residents_list(request: HttpRequest, query: Query[ResidentQuery]):
    _require(request, Permission.VIEW_CASES)
    filters = ResidentFilters(
        search=query.q,
        sex=query.sex,
        age_band=query.age_band,
        admission_type=query.admission_type,
        when=query.when,
    )
    rows = _run(
        selectors_residents.residents_open,
        actor=actor_from_request(request),
        filters=filters,
        purpose="residents API",
        request=request,
    )
    return _Rows(rows, filters.today)


def _capacity(request: HttpRequest) -> list[dict]:
    table = _run(selectors_residents.capacity_table, actor=actor_from_request(request))
    return [
        {
            "sex": row.sex,
            "age_band": row.age_band,
            "places": row.places,
            "residents": row.residents,
            "vacancies": row.vacancies,
            "over_by": row.over_by,
        }
        for row in table.rows
    ]


@router.get(
    "/institution/capacity",
    response=list[CapacityOut],
    summary="Places, residents and vacancies per sex and age band",
)
def capacity_read(request: HttpRequest):
    _require(request, Permission.VIEW_CASES)
    return _capacity(request)


@router.put(
    "/institution/capacity",
    response=CapacityChangedOut,
    summary="Set the places of some groups (places null: the group takes no children)",
)
def capacity_write(request: HttpRequest, payload: CapacityIn):
    _require(request, Permission.SUPERVISE_CASES)
    places = {(g.sex, g.age_band): g.places for g in payload.groups}
    changed = _run(
        services_residents.capacity_set, actor=actor_from_request(request), places=places
    )
    return {"changed": changed, "groups": _capacity(request)}


def _month(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


@router.get(
    "/institution/population",
    response=list[MonthOut],
    summary="The institution's residents at each month's end (by sex and age band at "
    "admission), admissions and discharges, from its admissions as they stand",
)
def population(request: HttpRequest, query: Query[PopulationQuery]):
    _require(request, Permission.VIEW_CASES)
    month_from, month_to = _month(query.month_from), _month(query.month_to)
    months = (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1
    if months < 1:
        raise api_invalid(ValidationError({"month_to": ["The last month is before the first."]}))
    if months > MAX_MONTHS:
        raise api_invalid(
            ValidationError({"month_to": [f"At most {MAX_MONTHS} months at a time."]})
        )
    firsts = [
        date(
            month_from.year + (month_from.month - 1 + n) // 12,
            (month_from.month - 1 + n) % 12 + 1,
            1,
        )
        for n in range(months)
    ]
    lines = _run(
        selectors_residents.population_by_month, actor=actor_from_request(request), months=firsts
    )
    return [
        {
            "month": line.month.strftime("%Y-%m"),
            "residents": sum(line.residents.values()),
            "admissions": line.admissions,
            "discharges": line.discharges,
            "residents_by_group": [
                {"sex": sex, "age_band": band, "n": n}
                for (sex, band), n in sorted(line.residents.items())
            ],
        }
        for line in lines
    ]

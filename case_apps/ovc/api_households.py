"""API of the OVC programme: households, their members and enrolled children (issue 18).

The same services, selectors and policy as the screens (case_apps/ovc/views_households.py,
views_enrolment.py); shared helpers in case_apps/ovc/api.py. Persons are named by registry
id with the ``ref`` of the registry search result that showed them (unless the partner
already holds a record on them), as the case API names its child.
"""

from datetime import date
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from case_apps.ovc import selectors, selectors_lists, services
from case_apps.ovc.api import enrolment_for, household_for, ovc_actor, run
from case_apps.ovc.models import Enrolment, Household, HouseholdMember
from case_apps.ovc.selectors_lists import ChildFilters, HouseholdFilters
from tenants.actor import NotFound
from tenants.api_input import (
    CODE_MAX_LENGTH,
    MAX_ITEMS,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    Code,
    Codes,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["ovc"])
REF_MAX_LENGTH = 100
PLACE_CODE_MAX_LENGTH = 8  # the household's county, sub-county and ward columns
RecordIds = list[RecordId]


def _ref_field() -> Field:
    return Field(
        "",
        max_length=REF_MAX_LENGTH,
        description="The ref of the registry search result that showed this person (needed "
        "unless this partner already holds a record on them).",
    )


def _person(request: HttpRequest, actor, person_id: int, ref: str, field: str):
    """The registry person the input names, or a 422 naming ``field``."""
    try:
        return selectors.person_get(actor=actor, person_id=person_id, ref=ref, request=request)
    except NotFound:
        raise HttpError(422, f"{field}: no such person in the registry.") from None


# --- schemas --------------------------------------------------------------------------------
class HouseholdIn(Schema):
    head_id: RecordId
    head_ref: str = _ref_field()
    head_member_type: Code = Field(
        "CGPM", description="The caregiver's relation to the children (ovc_member_type)."
    )
    head_hiv_status: Code = "HSKN"
    county_code: str = Field("", max_length=PLACE_CODE_MAX_LENGTH)
    sub_county_code: str = Field("", max_length=PLACE_CODE_MAX_LENGTH)
    ward_code: str = Field(
        "",
        max_length=PLACE_CODE_MAX_LENGTH,
        description="A ward of the geography lists (a ward alone fills in its sub-county "
        "and county); none of the three: the partner's county and sub-county.",
    )
    village: str = model_text(Household, "village", "")


class HouseholdOut(Schema):
    id: int
    uuid: UUID
    number: str
    head_id: int
    head_name: str
    county_code: str
    sub_county_code: str
    ward_code: str
    village: str
    assigned_officer_id: int | None
    created_at: date

    @staticmethod
    def resolve_head_name(household: Household) -> str:
        return household.head.full_name

    @staticmethod
    def resolve_created_at(household: Household) -> date:
        return household.created_at.date()


class MemberIn(Schema):
    person_id: RecordId
    person_ref: str = _ref_field()
    member_type: Code = Field(
        description="TOVC index child, TBVC other child, or the caregiver's relation code."
    )
    alive: bool = True
    death_cause: Code = ""
    hiv_status: Code = "HSKN"
    caregiver_ids: RecordIds = Field(
        [],
        max_length=MAX_ITEMS,
        description="For a child: the ids of the adult members caring for them (the head "
        "when none is given).",
    )


class MemberOut(Schema):
    id: int
    person_id: int
    cpims_id: str
    name: str
    year_of_birth: int | None
    member_type: str
    is_head: bool
    alive: bool
    death_cause: str
    hiv_status: str
    caregiver_ids: list[int]
    enrolment_id: int | None
    serial: str

    @staticmethod
    def resolve_cpims_id(member: HouseholdMember) -> str:
        return member.person.cpims_id

    @staticmethod
    def resolve_name(member: HouseholdMember) -> str:
        return member.person.full_name

    @staticmethod
    def resolve_year_of_birth(member: HouseholdMember) -> int | None:
        return member.person.year_of_birth

    @staticmethod
    def resolve_caregiver_ids(member: HouseholdMember) -> list[int]:
        carers = getattr(member, "carers", None)
        return [c.pk for c in (carers if carers is not None else member.caregivers.all())]

    @staticmethod
    def resolve_enrolment_id(member: HouseholdMember) -> int | None:
        enrolment = getattr(member, "enrolment", None)
        return enrolment.pk if enrolment else None

    @staticmethod
    def resolve_serial(member: HouseholdMember) -> str:
        enrolment = getattr(member, "enrolment", None)
        return enrolment.serial if enrolment else ""


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(household: Household) -> list:
        return selectors.household_members(household=household)


class EnrolmentIn(Schema):
    child_id: RecordId
    child_ref: str = _ref_field()
    registration_date: date
    eligibility: Codes
    hiv_status: Code
    school_level: Code
    entry_point: Code = "community"
    programme: Code = "POVC"
    first_enrolment: bool = True
    art_status: Code = ""
    facility: str = model_text(Enrolment, "facility", "")
    ccc_number: str = model_text(Enrolment, "ccc_number", "")
    school_class: str = model_text(Enrolment, "school_class", "")
    birth_certificate: bool = False
    disability: bool = False
    immunisation: Code = ""
    caregiver_ids: RecordIds = Field(
        [],
        max_length=MAX_ITEMS,
        description="The ids of the adult members caring for the child (a child new to the "
        "household: the head when none is given).",
    )


class EnrolmentPatch(Schema):
    """The fields to correct; a field left out (or null) keeps its value."""

    programme: Code | None = None
    registration_date: date | None = None
    first_enrolment: bool | None = None
    entry_point: Code | None = None
    eligibility: Codes | None = None
    hiv_status: Code | None = None
    art_status: Code | None = None
    facility: str | None = model_text(Enrolment, "facility", None)
    ccc_number: str | None = model_text(Enrolment, "ccc_number", None)
    school_level: Code | None = None
    school_class: str | None = model_text(Enrolment, "school_class", None)
    birth_certificate: bool | None = None
    disability: bool | None = None
    immunisation: Code | None = None


class ChildOut(Schema):
    id: int
    uuid: UUID
    serial: str
    child_id: int
    cpims_id: str
    name: str
    sex: str
    year_of_birth: int | None
    household_id: int
    household_number: str
    programme: str
    registration_date: date
    first_enrolment: bool
    entry_point: str
    eligibility: list[str]
    hiv_status: str
    art_status: str
    facility: str
    ccc_number: str
    school_level: str
    school_class: str
    birth_certificate: bool
    disability: bool
    immunisation: str
    status: str
    exit_reason: str
    exit_date: date | None

    @staticmethod
    def resolve_cpims_id(enrolment: Enrolment) -> str:
        return enrolment.child.cpims_id

    @staticmethod
    def resolve_name(enrolment: Enrolment) -> str:
        return enrolment.child.full_name

    @staticmethod
    def resolve_sex(enrolment: Enrolment) -> str:
        return enrolment.child.sex

    @staticmethod
    def resolve_year_of_birth(enrolment: Enrolment) -> int | None:
        return enrolment.child.year_of_birth

    @staticmethod
    def resolve_household_number(enrolment: Enrolment) -> str:
        return enrolment.household.number


class RelativeOut(Schema):
    member_id: int
    person_id: int
    name: str
    member_type: str
    enrolment_id: int | None


class ChildDetailOut(ChildOut):
    caregivers: list[RelativeOut]
    siblings: list[RelativeOut]


def _relative(member: HouseholdMember) -> dict:
    enrolment = getattr(member, "enrolment", None)
    return {
        "member_id": member.pk,
        "person_id": member.person_id,
        "name": member.person.full_name,
        "member_type": member.member_type,
        "enrolment_id": enrolment.pk if enrolment else None,
    }


def _child_detail(enrolment: Enrolment) -> Enrolment:
    relations = selectors.child_relations(enrolment=enrolment)
    enrolment.caregivers = [_relative(m) for m in relations.caregivers]
    enrolment.siblings = [_relative(m) for m in relations.siblings]
    return enrolment


class HouseholdQuery(Schema):
    q: str = Field("", max_length=SEARCH_MAX_LENGTH)
    county: str = Field("", max_length=CODE_MAX_LENGTH)
    officer: RecordId | None = None
    enrolled: Literal["", "enrolled", "not_enrolled"] = ""
    registered_from: date | None = None
    registered_to: date | None = None


class ChildQuery(Schema):
    q: str = Field("", max_length=SEARCH_MAX_LENGTH)
    status: Literal["", "active", "exited"] = ""
    programme: Code = ""
    hiv_status: Code = ""
    county: str = Field("", max_length=CODE_MAX_LENGTH)
    registered_from: date | None = None
    registered_to: date | None = None


# --- households -----------------------------------------------------------------------------
@router.get(
    "/ovc/households",
    response=list[HouseholdOut],
    summary="The OVC households in your caseload (search: a member's name, CPIMS ID, "
    "household number, village)",
)
@paginate(BoundedLimitOffsetPagination)
def list_households(request: HttpRequest, query: Query[HouseholdQuery]):
    actor = ovc_actor(request)
    filters = HouseholdFilters(
        search=query.q,
        county=query.county,
        officer=query.officer,
        enrolled=query.enrolled,
        registered_from=query.registered_from,
        registered_to=query.registered_to,
    )
    return selectors_lists.households_list(actor=actor, filters=filters)


@router.post(
    "/ovc/households",
    response={201: HouseholdDetailOut},
    summary="Register a household headed by its caregiver",
)
def register_household(request: HttpRequest, payload: HouseholdIn):
    actor = ovc_actor(request, Permission.RECORD_CASES)
    head = _person(request, actor, payload.head_id, payload.head_ref, "head_id")
    household = run(
        services.household_register,
        actor=actor,
        head=head,
        head_relation=payload.head_member_type,
        head_hiv_status=payload.head_hiv_status,
        village=payload.village,
        ward_code=payload.ward_code,
        county_code=payload.county_code,
        sub_county_code=payload.sub_county_code,
    )
    return Status(201, household)


@router.get(
    "/ovc/households/{household_id}",
    response=HouseholdDetailOut,
    summary="One household with its members, their relations and the children's caregivers",
)
def get_household(request: HttpRequest, household_id: RecordId):
    actor = ovc_actor(request)
    household = run(
        selectors.household_open, actor=actor, household_id=household_id, request=request
    )
    return household


@router.post(
    "/ovc/households/{household_id}/members",
    response={201: MemberOut},
    summary="Add a member: a caregiver with their relation, or a child with their caregivers",
)
def add_member(request: HttpRequest, household_id: RecordId, payload: MemberIn):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    person = _person(request, actor, payload.person_id, payload.person_ref, "person_id")
    data = payload.dict(exclude={"person_id", "person_ref"})
    member = run(
        services.household_member_add,
        actor=actor,
        household=household,
        member=services.MemberInput(person=person, **data),
    )
    return Status(201, member)


@router.post(
    "/ovc/households/{household_id}/enrolments",
    response={201: ChildDetailOut},
    summary="Enrol a child of the household (a registration entered more than 28 days after "
    "its date is refused, naming registration_date)",
)
def enrol_child(request: HttpRequest, household_id: RecordId, payload: EnrolmentIn):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    child = _person(request, actor, payload.child_id, payload.child_ref, "child_id")
    data = payload.dict(exclude={"child_id", "child_ref"})
    enrolment = run(services.child_enrol, actor=actor, household=household, child=child, **data)
    return Status(201, _child_detail(enrolment))


# --- children -------------------------------------------------------------------------------
@router.get(
    "/ovc/children",
    response=list[ChildOut],
    summary="The enrolled children in your caseload (search: OVC serial, name, CPIMS ID, "
    "household number), with the list screen's filters",
)
@paginate(BoundedLimitOffsetPagination)
def list_children(request: HttpRequest, query: Query[ChildQuery]):
    actor = ovc_actor(request)
    filters = ChildFilters(
        search=query.q,
        status=query.status,
        programme=query.programme,
        hiv_status=query.hiv_status,
        county=query.county,
        registered_from=query.registered_from,
        registered_to=query.registered_to,
    )
    return selectors_lists.children_list(actor=actor, filters=filters)


@router.get(
    "/ovc/children/{enrolment_id}",
    response=ChildDetailOut,
    summary="One enrolled child with their caregivers and siblings in the household",
)
def get_child(request: HttpRequest, enrolment_id: RecordId):
    actor = ovc_actor(request)
    enrolment = run(
        selectors.enrolment_open, actor=actor, enrolment_id=enrolment_id, request=request
    )
    return _child_detail(enrolment)


@router.patch(
    "/ovc/children/{enrolment_id}",
    response=ChildDetailOut,
    summary="Correct an active enrolment (the registration date moves at most 28 days)",
)
def correct_enrolment(request: HttpRequest, enrolment_id: RecordId, payload: EnrolmentPatch):
    actor, enrolment = enrolment_for(request, enrolment_id, Permission.RECORD_CASES)
    fields = payload.dict(exclude_none=True)
    enrolment = run(services.enrolment_update, actor=actor, enrolment=enrolment, **fields)
    return _child_detail(enrolment)

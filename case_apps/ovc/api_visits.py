"""API of household visits (issue 21), calling the same service, selectors and policy as the
screen. Shared helpers in case_apps/ovc/api.py."""

from datetime import date
from functools import partial
from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from case_apps.ovc.api import household_for, run
from case_apps.ovc.models_visits import HouseholdVisit
from case_apps.ovc.selectors_visits import household_visits
from case_apps.ovc.services_visits import household_visit_record
from tenants.api_input import (
    MAX_ITEMS,
    BoundedLimitOffsetPagination,
    Code,
    Codes,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["ovc"])


class HouseholdVisitIn(Schema):
    visited_on: date
    outcome: Code = Field(description="met, nobody_home or moved.")
    purposes: Codes = Field(
        default_factory=list,
        description="routine, services, assessment, case_plan, critical_event, referral, "
        "graduation (at least one when the household was met).",
    )
    children_seen: Annotated[list[RecordId], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list, description="Enrolment ids of the household's children seen."
    )
    caregiver_present: bool = False
    observations: str = model_text(HouseholdVisit, "observations", "")
    next_visit_on: date | None = None


class HouseholdVisitOut(Schema):
    id: int
    uuid: UUID
    visited_on: date
    outcome: str
    purposes: list[str]
    children_seen: list[int]
    caregiver_present: bool
    observations: str
    next_visit_on: date | None

    @staticmethod
    def resolve_children_seen(visit: HouseholdVisit) -> list[int]:
        return sorted(e.pk for e in visit.children_seen.all())


@router.get(
    "/ovc/households/{household_id}/visits",
    response=list[HouseholdVisitOut],
    summary="The visits to a household, latest first",
)
@paginate(BoundedLimitOffsetPagination)
def household_visit_list(request: HttpRequest, household_id: RecordId):
    _actor, household = household_for(request, household_id)
    return household_visits(household)


@router.post(
    "/ovc/households/{household_id}/visits",
    response={201: HouseholdVisitOut},
    summary="Record a visit to a household, dated by the day it took place",
)
def household_visit_add(request: HttpRequest, household_id: RecordId, payload: HouseholdVisitIn):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    record = partial(household_visit_record, actor=actor, household=household, **payload.dict())
    return Status(201, run(record))

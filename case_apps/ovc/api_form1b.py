"""API of Form 1B (issue 18): services delivered to a household's caregivers, calling the
same service, selectors and policy as the screen. Shared helpers in case_apps/ovc/api.py."""

from datetime import date
from functools import partial
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from case_apps.ovc.api import household_for, run
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.selectors_form1b import caregiver_services
from case_apps.ovc.services_form1b import caregiver_service_record
from tenants.api_input import BoundedLimitOffsetPagination, Code, RecordId, model_text
from tenants.policy import Permission

router = Router(tags=["ovc"])


class CaregiverServiceIn(Schema):
    caregiver_id: RecordId | None = Field(
        None, description="The household member served (an adult; none: the head)."
    )
    domain: Code
    service: Code = Field(description="A code of the domain's list ovc_form1b_service_<domain>.")
    provider: str = model_text(HouseholdServiceRecord, "provider")
    place: str = model_text(HouseholdServiceRecord, "place", "")
    date: date


class CaregiverServiceOut(Schema):
    id: int
    uuid: UUID
    caregiver_id: int
    domain: str
    service: str
    provider: str
    place: str
    date: date


@router.get(
    "/ovc/households/{household_id}/caregiver-services",
    response=list[CaregiverServiceOut],
    summary="The services delivered to a household's caregivers (Form 1B), latest first",
)
@paginate(BoundedLimitOffsetPagination)
def household_caregiver_services(request: HttpRequest, household_id: RecordId):
    _actor, household = household_for(request, household_id)
    return caregiver_services(household)


@router.post(
    "/ovc/households/{household_id}/caregiver-services",
    response={201: CaregiverServiceOut},
    summary="Record a service (a code of its domain's Form 1B list) delivered to a caregiver",
)
def caregiver_service_add(
    request: HttpRequest, household_id: RecordId, payload: CaregiverServiceIn
):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    record = partial(caregiver_service_record, actor=actor, household=household, **payload.dict())
    return Status(201, run(record))

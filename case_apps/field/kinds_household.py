"""The field forms about a household (case_apps/field/kinds.py lists every kind): Form 1B
services to a caregiver, the household or adolescent wellbeing assessment, the CPARA and the
household visit.
Each is read by its input schema, checked at sync by its service's own checks (nothing is
written) and written, once approved, by the web app's service."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import StringConstraints

from case_apps.ovc.api_form1b import CaregiverServiceIn
from case_apps.ovc.api_visits import HouseholdVisitIn
from case_apps.ovc.models import Household
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.models_visits import HouseholdVisit
from case_apps.ovc.services_assessments import (
    cpara_checks,
    cpara_record,
    wellbeing_checks,
    wellbeing_record,
)
from case_apps.ovc.services_common import recording_enrolment
from case_apps.ovc.services_form1b import caregiver_service_checks, caregiver_service_record
from case_apps.ovc.services_visits import household_visit_checks, household_visit_record
from tenants.actor import Actor, NotFound
from tenants.api_input import MAX_ITEMS, Code, RecordId

ANSWERS_MAX = MAX_ITEMS  # questions of a wellbeing form or benchmarks of a CPARA
QuestionKey = Annotated[str, StringConstraints(max_length=64)]  # codes.WELLBEING_* keys


class WellbeingIn(Schema):
    kind: Code = Field(description="WBG (household) or WBGA (adolescent: names the child).")
    enrolment_id: RecordId | None = None
    answers: dict[QuestionKey, bool] = Field(default_factory=dict, max_length=ANSWERS_MAX)
    notes: str = Field("", max_length=2000)
    assessed_on: date


class CparaIn(Schema):
    answers: dict[int, Code] = Field(default_factory=dict, max_length=ANSWERS_MAX)
    assessed_on: date


def form1b_checks(actor: Actor, target: Household, visit_date: date, values: dict) -> None:
    caregiver_service_checks(
        household=target,
        date=visit_date,
        domain=values["domain"],
        service=values["service"],
        provider=values["provider"],
        caregiver_id=values["caregiver_id"],
    )


def wellbeing_checks_of(actor: Actor, target: Household, visit_date: date, values: dict) -> None:
    enrolment = values.get("enrolment_id")
    if enrolment is not None:
        try:
            enrolment = recording_enrolment(actor, enrolment)
        except NotFound:
            message = gettext("No such household, child or case in your caseload.")
            raise ValidationError({"enrolment_id": [message]}) from None
    wellbeing_checks(
        household=target,
        kind=values["kind"],
        assessed_on=visit_date,
        answers=values["answers"],
        enrolment=enrolment,
    )


def cpara_checks_of(actor: Actor, target: Household, visit_date: date, values: dict) -> None:
    cpara_checks(assessed_on=visit_date, answers=values["answers"])


def visit_checks(actor: Actor, target: Household, visit_date: date, values: dict) -> None:
    household_visit_checks(household=target, visited_on=visit_date, **values)


def form1b(actor: Actor, target: Household, visit_date: date, values: dict, uuid: UUID):
    record = caregiver_service_record(actor=actor, household=target, date=visit_date, **values)
    HouseholdServiceRecord.objects.filter(pk=record.pk).update(uuid=uuid)
    return record


def wellbeing(actor: Actor, target: Household, visit_date: date, values: dict, uuid: UUID):
    values = dict(values)
    enrolment = values.pop("enrolment_id", None)
    return wellbeing_record(
        actor=actor, household=target, assessed_on=visit_date, enrolment=enrolment, **values
    )


def cpara(actor: Actor, target: Household, visit_date: date, values: dict, uuid: UUID):
    return cpara_record(actor=actor, household=target, assessed_on=visit_date, **values)


def visit(actor: Actor, target: Household, visit_date: date, values: dict, uuid: UUID):
    record = household_visit_record(actor=actor, household=target, visited_on=visit_date, **values)
    HouseholdVisit.objects.filter(pk=record.pk).update(uuid=uuid)
    return record


__all__ = ["CaregiverServiceIn", "CparaIn", "HouseholdVisitIn", "WellbeingIn"]

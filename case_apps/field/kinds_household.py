"""The field forms about a household (case_apps/field/kinds.py lists every kind): Form 1B
services to a caregiver, the household or adolescent wellbeing assessment, and the CPARA.
Each is read by its input schema and written, once approved, by the web app's service."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import StringConstraints

from case_apps.ovc.api_form1b import CaregiverServiceIn
from case_apps.ovc.models import Household
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.services_assessments import cpara_record, wellbeing_record
from case_apps.ovc.services_form1b import caregiver_service_record
from tenants.actor import Actor
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


__all__ = ["CaregiverServiceIn", "CparaIn", "WellbeingIn", "cpara", "form1b", "wellbeing"]

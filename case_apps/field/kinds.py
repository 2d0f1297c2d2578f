"""The kinds of field forms: how each reads its payload (the API's own input schema of that
record), which record it is about, and which existing service writes it once approved. A
form is checked at sync by that service's own checks (``checks``: nothing is written), or,
for a kind whose service has none apart, by running the service and rolling it back; either
way the device hears the web app's refusals at once, naming the fields."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from ninja import Schema
from pydantic import ValidationError as SchemaError

from case_apps.cases.models import CaseRecord, FollowUp
from case_apps.cases.selectors import case_get
from case_apps.cases.services.follow_ups import follow_up_record
from case_apps.field import kinds_household as household
from case_apps.field.models import FormKind
from case_apps.ovc import selectors as ovc_selectors
from case_apps.ovc.api_hiv import ScreeningIn
from case_apps.ovc.api_plans import ServiceIn
from case_apps.ovc.models import Cpara, Enrolment, HivScreening, ServiceRecord, WellbeingAssessment
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.models_visits import HouseholdVisit
from case_apps.ovc.services_care import hiv_screening_checks, hiv_screening_record
from case_apps.ovc.services_delivered import service_checks, service_record
from tenants.actor import Actor


class FollowUpIn(Schema):
    follow_up_type: str
    notes: str = ""


@dataclass(frozen=True)
class Kind:
    """One kind of field form: its payload schema without the date, the name the service
    gives the visit date, the record it is about, the writer, and the service's refusals
    without writing (when it has them apart from the write)."""

    schema: type[Schema]
    date_name: str
    about: str  # "enrolment", "household" or "case"
    write: Callable[..., Any]
    checks: Callable[..., Any] | None = None


def _service(actor: Actor, target: Enrolment, visit_date: date, values: dict, uuid: UUID):
    record = service_record(actor=actor, enrolment=target, date=visit_date, **values)
    ServiceRecord.objects.filter(pk=record.pk).update(uuid=uuid)
    return record


def _service_checks(actor: Actor, target: Enrolment, visit_date: date, values: dict) -> None:
    service_checks(
        enrolment=target,
        date=visit_date,
        domain=values["domain"],
        service=values["service"],
        provider=values["provider"],
    )


def _screening_checks(actor: Actor, target: Enrolment, visit_date: date, values: dict) -> None:
    hiv_screening_checks(
        enrolment=target,
        screened_on=visit_date,
        status_known=values["status_known"],
        tested_last_6_months=values["tested_last_6_months"],
        risks=values["risks"],
        referred_on=values["referred_on"],
        test_facility=values["test_facility"],
    )


def _screening(actor: Actor, target: Enrolment, visit_date: date, values: dict, uuid: UUID):
    return hiv_screening_record(actor=actor, enrolment=target, screened_on=visit_date, **values)


def _follow_up(actor: Actor, target: CaseRecord, visit_date: date, values: dict, uuid: UUID):
    return follow_up_record(case=target, actor=actor, date=visit_date, uuid=uuid, **values)


KINDS: dict[str, Kind] = {
    FormKind.SERVICE: Kind(ServiceIn, "date", "enrolment", _service, _service_checks),
    FormKind.HIV_SCREENING: Kind(
        ScreeningIn, "screened_on", "enrolment", _screening, _screening_checks
    ),
    FormKind.FOLLOW_UP: Kind(FollowUpIn, "date", "case", _follow_up),
    FormKind.FORM1B: Kind(
        household.CaregiverServiceIn,
        "date",
        "household",
        household.form1b,
        household.form1b_checks,
    ),
    FormKind.WELLBEING: Kind(
        household.WellbeingIn,
        "assessed_on",
        "household",
        household.wellbeing,
        household.wellbeing_checks_of,
    ),
    FormKind.CPARA: Kind(
        household.CparaIn, "assessed_on", "household", household.cpara, household.cpara_checks_of
    ),
    FormKind.HOUSEHOLD_VISIT: Kind(
        household.HouseholdVisitIn,
        "visited_on",
        "household",
        household.visit,
        household.visit_checks,
    ),
}
AUTHOR_FIELDS = {
    ServiceRecord: "recorded_by",
    HivScreening: "screened_by",
    FollowUp: "officer",
    HouseholdServiceRecord: "recorded_by",
    WellbeingAssessment: "assessed_by",
    Cpara: "assessed_by",
    HouseholdVisit: "visited_by",
}


def payload_values(kind: str, visit_date: date, payload: dict) -> dict:
    """The payload read by the kind's API schema (types and lengths checked), without the
    visit date; a ``ValidationError`` naming the fields otherwise."""
    spec = KINDS[kind]
    data = dict(payload or {}) | {spec.date_name: visit_date.isoformat()}
    try:
        values = spec.schema(**data).dict()
    except SchemaError as error:
        raise ValidationError(
            {".".join(str(p) for p in e["loc"]) or "payload": [e["msg"]] for e in error.errors()}
        ) from None
    values.pop(spec.date_name, None)
    return values


def target_of(kind: str, actor: Actor, target_id: int):
    """The enrolled child, the household or the case the form is about, fetched as
    ``actor`` (``NotFound`` when it is outside their caseload)."""
    about = KINDS[kind].about
    if about == "enrolment":
        return ovc_selectors.enrolment_get(actor=actor, enrolment_id=target_id)
    if about == "household":
        return ovc_selectors.household_get(actor=actor, household_id=target_id)
    return case_get(actor=actor, case_id=target_id)


def stamp(record) -> str:
    """A short fingerprint of a record's stored values: the device sends the one it saw, so a
    change made on the server in the meantime is seen at sync."""
    values = model_to_dict(record)
    text = repr(sorted((k, str(v)) for k, v in values.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write(kind: str, actor: Actor, target, visit_date: date, values: dict, uuid: UUID):
    """Write the form's record with the kind's service, as ``actor``."""
    return KINDS[kind].write(actor, target, visit_date, values, uuid)


class _Checked(Exception):
    """Raised to roll back a trial write that passed."""


def check(kind: str, actor: Actor, target, visit_date: date, values: dict, uuid: UUID) -> None:
    """The kind's refusals as ``actor``, or nothing: its service's checks, or (a service
    without them apart) the service run and rolled back."""
    if KINDS[kind].checks is not None:
        KINDS[kind].checks(actor, target, visit_date, values)
        return
    try:
        with transaction.atomic():
            write(kind, actor, target, visit_date, values, uuid)
            raise _Checked
    except _Checked:
        pass


def credit_author(record, author_id: int) -> None:
    """The record written at approval names the volunteer who captured it."""
    field_name = AUTHOR_FIELDS.get(type(record))
    if field_name:
        type(record).objects.filter(pk=record.pk).update(**{f"{field_name}_id": author_id})

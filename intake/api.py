"""The signed intake API on the platform site (``/api/v1/intake/...``): an intake client
creates reports and reads their status, and nothing else. Requests carry ``X-CPIMS-Key``,
``X-CPIMS-Timestamp`` (unix seconds), ``X-CPIMS-Nonce`` and ``X-CPIMS-Signature: v1=<hex>``
(intake/signing.py); docs/integrations.md."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import APIKeyHeader

from intake import selectors
from intake.models import NAME_MAX_LENGTH, NARRATIVE_MAX_LENGTH, IntakeClient
from intake.services import ReportInput, intake_report_receive
from intake.services_clients import SignatureRefused, intake_client_authenticate
from tenants.api_errors import ErrorOut, InvalidInput, InvalidOut
from tenants.api_input import whole_number

Name = Field("", max_length=NAME_MAX_LENGTH)
SEX = {"male": "SMAL", "female": "SFEM"}
# the service's field names as the body names them
API_FIELDS = {
    "child_first_name": "child.first_name",
    "child_other_names": "child.other_names",
    "child_surname": "child.surname",
    "child_sex": "child.sex",
    "child_age": "child.age",
    "child_date_of_birth": "child.date_of_birth",
    "reporter_name": "reporter.name",
    "reporter_phone": "reporter.phone",
    "reporter_relationship": "reporter.relationship",
    "county_code": "place.county_code",
    "sub_county_code": "place.sub_county_code",
    "ward_code": "place.ward_code",
    "category_code": "category",
}


class IntakeSignature(APIKeyHeader):
    """An intake client's signed request: the client, or 401 (409 for a replayed nonce)."""

    param_name = "X-CPIMS-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> IntakeClient:
        headers = request.headers
        try:
            return intake_client_authenticate(
                key_id=key or "",
                timestamp=headers.get("X-CPIMS-Timestamp", ""),
                nonce=headers.get("X-CPIMS-Nonce", ""),
                signature=headers.get("X-CPIMS-Signature", ""),
                body=request.body,
            )
        except SignatureRefused as refused:
            raise HttpError(refused.status, str(refused)) from None


router = Router(tags=["intake"], auth=IntakeSignature())


ChildAge = whole_number(0, 17)


class ChildIn(Schema):
    first_name: str = Field(..., min_length=1, max_length=NAME_MAX_LENGTH)
    other_names: str = Name
    surname: str = Field(..., min_length=1, max_length=NAME_MAX_LENGTH)
    sex: Literal["male", "female"]
    age: ChildAge | None = None
    date_of_birth: date | None = None


class ReporterIn(Schema):
    name: str = Name
    phone: str = Field("", max_length=32)
    relationship: str = Name


class PlaceIn(Schema):
    county_code: str = Field("", max_length=3)
    sub_county_code: str = Field("", max_length=4)
    ward_code: str = Field("", max_length=5)


class IntakeReportIn(Schema):
    source_reference: str = Field(..., min_length=1, max_length=64)
    reported_on: date
    urgency: Literal["urgent", "normal"]
    category: str = Field(..., min_length=1, max_length=16)
    narrative: str = Field(..., min_length=1, max_length=NARRATIVE_MAX_LENGTH)
    child: ChildIn
    reporter: ReporterIn = ReporterIn()
    place: PlaceIn = PlaceIn()


class IntakeReportOut(Schema):
    id: int
    reference: str
    status: str


class IntakeStatusOut(Schema):
    reference: str
    status: str
    decided_on: date | None = None


def _input(payload: IntakeReportIn) -> ReportInput:
    return ReportInput(
        source_reference=payload.source_reference,
        reported_on=payload.reported_on,
        urgency=payload.urgency,
        category_code=payload.category,
        narrative=payload.narrative,
        child_first_name=payload.child.first_name,
        child_other_names=payload.child.other_names,
        child_surname=payload.child.surname,
        child_sex=SEX[payload.child.sex],
        child_age=payload.child.age,
        child_date_of_birth=payload.child.date_of_birth,
        reporter_name=payload.reporter.name,
        reporter_phone=payload.reporter.phone,
        reporter_relationship=payload.reporter.relationship,
        county_code=payload.place.county_code,
        sub_county_code=payload.place.sub_county_code,
        ward_code=payload.place.ward_code,
    )


@router.post(
    "/intake/reports",
    operation_id="intake_api_report_create",
    response={
        200: IntakeReportOut,
        201: IntakeReportOut,
        401: ErrorOut,
        409: ErrorOut,
        422: InvalidOut,
    },
    summary="Send a report (an intake client); the same source reference again returns it",
)
def report_create(request: HttpRequest, payload: IntakeReportIn):
    try:
        report, created = intake_report_receive(client=request.auth, data=_input(payload))
    except ValidationError as error:
        raise InvalidInput(
            {API_FIELDS.get(name, name): list(msgs) for name, msgs in error.message_dict.items()}
        ) from None
    answer = {"id": report.pk, "reference": report.reference, "status": report.status}
    return Status(201 if created else 200, answer)


@router.get(
    "/intake/reports/{reference}",
    operation_id="intake_api_report_status",
    response={200: IntakeStatusOut, 401: ErrorOut, 404: ErrorOut},
    summary="The status of a report the client sent: no case data",
)
def report_status(request: HttpRequest, reference: str = Path(..., max_length=64)):
    report = selectors.status_for_client(request.auth, reference)
    if report is None:
        raise HttpError(404, "No such report.")
    return report

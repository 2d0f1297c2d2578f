"""Reports in: from a signed client (the API) or typed by a DCS officer, checked, routed to
the office of the place they name and kept once per source reference."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.lists.selectors import list_labels
from intake import routing
from intake.models import (
    NAME_MAX_LENGTH,
    NARRATIVE_MAX_LENGTH,
    ChildSex,
    IntakeClient,
    IntakeReport,
    IntakeReportEvent,
    IntakeStatus,
    SourceKind,
    Urgency,
)
from shared_registry.models import County, SubCounty, Ward
from tenants.actor import Actor
from tenants.api_input import text_problem
from tenants.models import Organisation, OrganisationStatus
from tenants.policy import Permission

EARLIEST_REPORT = date(2000, 1, 1)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass
class ReportInput:
    """What a report says, from the API's body or the officer's form."""

    reported_on: date
    urgency: str
    category_code: str
    narrative: str
    child_first_name: str
    child_surname: str
    child_sex: str
    child_other_names: str = ""
    child_age: int | None = None
    child_date_of_birth: date | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_relationship: str = ""
    county_code: str = ""
    sub_county_code: str = ""
    ward_code: str = ""
    source_reference: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict, repr=False)


TEXT_LIMITS = {
    "narrative": NARRATIVE_MAX_LENGTH,
    "child_first_name": NAME_MAX_LENGTH,
    "child_other_names": NAME_MAX_LENGTH,
    "child_surname": NAME_MAX_LENGTH,
    "reporter_name": NAME_MAX_LENGTH,
    "reporter_phone": 32,
    "reporter_relationship": NAME_MAX_LENGTH,
    "source_reference": 64,
}


def _add(data: ReportInput, name: str, message: str) -> None:
    data.errors.setdefault(name, []).append(message)


def report_check(data: ReportInput) -> None:
    """Every problem of the report, by field (ValidationError); the place is completed from
    the geography (a ward gives its sub-county, a sub-county its county)."""
    data.errors = {}
    today = timezone.localdate()
    for name, limit in TEXT_LIMITS.items():
        value = getattr(data, name) or ""
        setattr(data, name, value.strip())
        if len(value) > limit:
            _add(data, name, gettext("Keep this under %(n)s characters.") % {"n": limit + 1})
        elif problem := text_problem(value):
            _add(data, name, problem)
    if not data.narrative:
        _add(data, "narrative", gettext("Say what was reported."))
    if not data.child_first_name:
        _add(data, "child_first_name", gettext("Give the child's first name."))
    if not data.child_surname:
        _add(data, "child_surname", gettext("Give the child's surname."))
    if data.child_sex not in ChildSex.values:
        _add(data, "child_sex", gettext("Choose the child's sex."))
    if data.urgency not in Urgency.values:
        _add(data, "urgency", gettext("Choose urgent or normal."))
    if data.category_code not in list_labels("case_category"):
        _add(data, "category", gettext("Choose a national case category."))
    if data.reported_on > today:
        _add(data, "reported_on", gettext("The date reported cannot be in the future."))
    elif data.reported_on < EARLIEST_REPORT:
        _add(data, "reported_on", gettext("This date is too far in the past."))
    birth = data.child_date_of_birth
    if birth and (birth > today or birth > data.reported_on):
        _add(data, "child_date_of_birth", gettext("The date of birth is after the report."))
    elif birth and (data.reported_on - birth).days > 18 * 366:
        _add(data, "child_date_of_birth", gettext("A child is under 18."))
    if data.child_age is not None and not 0 <= data.child_age <= 17:
        _add(data, "child_age", gettext("A child's age is 0 to 17."))
    _place_complete(data)
    if data.errors:
        raise ValidationError(data.errors)


def _place_complete(data: ReportInput) -> None:
    if data.ward_code:
        ward = Ward.objects.filter(code=data.ward_code).select_related("sub_county").first()
        if ward is None:
            _add(data, "ward_code", gettext("Unknown ward code."))
        elif data.sub_county_code and ward.sub_county.code != data.sub_county_code:
            _add(data, "ward_code", gettext("This ward is not in the sub-county."))
        else:
            data.sub_county_code = ward.sub_county.code
    if data.sub_county_code:
        sub = SubCounty.objects.filter(code=data.sub_county_code).select_related("county").first()
        if sub is None:
            _add(data, "sub_county_code", gettext("Unknown sub-county code."))
        elif data.county_code and sub.county.code != data.county_code:
            _add(data, "sub_county_code", gettext("This sub-county is not in the county."))
        else:
            data.county_code = sub.county.code
    if data.county_code and not County.objects.filter(code=data.county_code).exists():
        _add(data, "county_code", gettext("Unknown county code."))


def offices_for_routing() -> list[routing.Office]:
    """Every active DCS county and sub-county office."""
    rows = Organisation.objects.filter(
        kind__in=routing.OFFICE_KINDS, status=OrganisationStatus.ACTIVE
    ).values_list("pk", "kind", "county_code", "sub_county_code")
    return [routing.Office(*row) for row in rows]


def office_for(data: ReportInput) -> Organisation | None:
    place = routing.Place(data.county_code, data.sub_county_code, data.ward_code)
    office_id = routing.route(place, offices_for_routing())
    return Organisation.objects.get(pk=office_id) if office_id else None


def reference_new(on: date) -> str:
    token = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"IN{on:%y}-{token}"


def _fields(data: ReportInput) -> dict:
    names = [n for n in ReportInput.__dataclass_fields__ if n != "errors"]
    return {name: getattr(data, name) for name in names}


def _create(data: ReportInput, **extra) -> IntakeReport:
    office = extra.pop("office", None) or office_for(data)
    report = IntakeReport.objects.create(
        reference=reference_new(timezone.localdate()), office=office, **_fields(data), **extra
    )
    IntakeReportEvent.objects.create(
        report=report,
        action="received" if office else "unrouted",
        actor=extra.get("typed_by"),
        office=office,
    )
    return report


def intake_report_receive(*, client: IntakeClient, data: ReportInput) -> tuple[IntakeReport, bool]:
    """A report from a signed client, routed; the same source reference again returns the
    report already kept (and False), never a second one."""
    if existing := _by_source_reference(client, data.source_reference):
        return existing, False
    report_check(data)
    try:
        with transaction.atomic():
            return _create(data, client=client, source_kind=client.source_kind), True
    except IntegrityError:  # the same report sent twice at once: the other one won
        if existing := _by_source_reference(client, data.source_reference):
            return existing, False
        raise


def _by_source_reference(client: IntakeClient, source_reference: str) -> IntakeReport | None:
    source_reference = (source_reference or "").strip()
    if not source_reference:
        return None
    return IntakeReport.objects.filter(client=client, source_reference=source_reference).first()


@transaction.atomic
def intake_report_type(*, actor: Actor, data: ReportInput, source_kind: str) -> IntakeReport:
    """A report an officer types at their office (a call, a visit): checked as the API's,
    routed by its place, and kept by the typing office when the place has no office."""
    actor.require(Permission.TRIAGE_INTAKE)
    if source_kind not in SourceKind.values:
        data.errors = {"source_kind": [gettext("Choose the source.")]}
        raise ValidationError(data.errors)
    data.source_reference = ""
    report_check(data)
    office = office_for(data) or actor.organisation
    return _create(data, source_kind=source_kind, typed_by=actor.user, office=office)


@transaction.atomic
def intake_report_route(*, actor: Actor, report: IntakeReport, office: Organisation) -> None:
    """DCS headquarters routes an unrouted report to a DCS office by hand."""
    actor.require(Permission.MANAGE_INTAKE)
    report = IntakeReport.objects.select_for_update().get(pk=report.pk)
    if report.office_id is not None or report.status != IntakeStatus.RECEIVED:
        raise ValidationError({"office": [gettext("This report is routed already.")]})
    if office.kind not in routing.OFFICE_KINDS or office.status != OrganisationStatus.ACTIVE:
        raise ValidationError({"office": [gettext("Choose an active DCS office.")]})
    report.office = office
    report.save(update_fields=["office"])
    IntakeReportEvent.objects.create(
        report=report, action="routed", actor=actor.user, office=office
    )

"""The case record sheet: opening a case (intake) and correcting it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts, selectors
from case_apps.cases.models import (
    CaseCaregiver,
    CaseCategory,
    CaseRecord,
    CaseStatus,
    HowReported,
    Perpetrator,
)
from case_apps.cases.services.common import (
    CaseConflict,
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    record_event,
    require_open,
)
from case_apps.cases.services.replays import replay
from case_apps.cases.services.serials import (
    case_reference,
    national_reference,  # noqa: F401 (re-exported by case_apps/cases/services/__init__.py)
    organisation_serial_next,
)
from case_apps.cases.services.sheet_fields import check_sheet_fields
from shared_registry.models import Person
from shared_registry.plausibility import implausible_date
from shared_registry.services import person_link_record
from tenants.actor import Actor
from tenants.models import Organisation, User
from tenants.policy import Permission


@dataclass
class CategoryInput:
    category_code: str
    sub_category_codes: list[str] = field(default_factory=list)
    date_of_event: date | None = None
    place_of_event: str = ""
    nature: str = ""


@dataclass
class PerpetratorInput:
    status: str
    name: str = ""
    sex: str = ""
    relationship_code: str = ""


@dataclass
class CaregiverInput:
    person: Person
    relationship_code: str


# the sheet's own fields: what a repeat with the client's uuid must carry again to be the
# same case record sheet, and what a correction may change (EDITABLE_FIELDS)
REPLAYED_FIELDS = (
    "date_reported",
    "how_reported",
    "reporter_type",
    "risk_level",
    "reporter_name",
    "reporter_phone",
    "reporter_relationship",
    "occurrence_county_code",
    "occurrence_sub_county_code",
    "occurrence_ward_code",
    "occurrence_village",
    "is_emergency",
    "immediate_needs",
    "long_term_needs",
    "intake_intervention",
    "narrative",
    "police_station",
    "ob_number",
    "court_name",
    "court_file_number",
    "summons_issued",
    "summons_issued_on",
    "residence_county_code",
    "residence_sub_county_code",
    "residence_ward_code",
    "residence_village",
)
LIST_FIELDS = ("immediate_needs", "long_term_needs")


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    organisation: Organisation | None = None,
    child: Person,
    date_reported: date,
    how_reported: str,
    reporter_type: str,
    risk_level: str,
    categories: list[CategoryInput],
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_relationship: str = "",
    occurrence_county_code: str = "",
    occurrence_sub_county_code: str = "",
    occurrence_ward_code: str = "",
    occurrence_village: str = "",
    police_station: str = "",
    ob_number: str = "",
    court_name: str = "",
    court_file_number: str = "",
    summons_issued: bool = False,
    summons_issued_on: date | None = None,
    residence_county_code: str = "",
    residence_sub_county_code: str = "",
    residence_ward_code: str = "",
    residence_village: str = "",
    is_emergency: bool = False,
    immediate_needs: list[str] | None = None,
    long_term_needs: list[str] | None = None,
    intake_intervention: str = "",
    narrative: str = "",
    perpetrators: list[PerpetratorInput] | None = None,
    caregivers: list[CaregiverInput] | None = None,
    assigned_officer: User | None = None,
    transferred_in: bool = False,
    uuid: UUID | None = None,
) -> CaseRecord:
    """Record a case record sheet: one child, one or more case categories (a case opened by
    accepting a transfer is counted as a transfer in, not a new case). Needs the right to
    record cases. With the client's ``uuid``, a repeat returns the case it created
    (case_apps/cases/services/replays.py)."""
    given = {name: value for name, value in locals().items() if name in REPLAYED_FIELDS}
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    actor.require(Permission.RECORD_CASES)
    wanted = {
        name: sorted(value or []) if name in LIST_FIELDS else value for name, value in given.items()
    }
    wanted["child_id"] = child.pk
    wanted["category_codes"] = sorted({c.category_code for c in categories})
    if existing := replay(selectors.cases_visible_to(actor=actor), uuid, wanted):
        return existing
    codes = Codes(
        "reporter_type",
        "risk_level",
        "case_category",
        "case_sub_category",
        "place_of_event",
        "case_nature",
        "immediate_need",
        "long_term_need",
        "intervention",
        "perpetrator_status",
        "perpetrator_relationship",
        "caregiver_relationship",
    )
    if how_reported not in HowReported.values:
        codes.add("how_reported", gettext("Choose how the case was reported."))
    codes.check("reporter_type", "reporter_type", reporter_type)
    codes.check("risk_level", "risk_level", risk_level)
    if date_reported > timezone.localdate():
        codes.add("date_reported", gettext("The date reported cannot be in the future."))
    if problem := implausible_date(date_reported, child):
        codes.add("date_reported", problem)
    if not categories:
        codes.add("categories", gettext("Add at least one case category."))
    for category in categories:
        codes.check("categories", "case_category", category.category_code)
        codes.check_many("categories", "case_sub_category", category.sub_category_codes)
        codes.check("categories", "place_of_event", category.place_of_event, required=False)
        codes.check("categories", "case_nature", category.nature, required=False)
        if category.date_of_event and category.date_of_event > date_reported:
            codes.add(
                "categories", gettext("The date of the event cannot be after the date reported.")
            )
        if category.date_of_event and (problem := implausible_date(category.date_of_event, child)):
            codes.add("categories", problem)
    codes.check_many("immediate_needs", "immediate_need", immediate_needs or [])
    codes.check_many("long_term_needs", "long_term_need", long_term_needs or [])
    codes.check("intake_intervention", "intervention", intake_intervention, required=False)
    check_sheet_fields(codes, {**given, "child": child}, date_reported)
    for perpetrator in perpetrators or []:
        codes.check("perpetrators", "perpetrator_status", perpetrator.status)
        codes.check(
            "perpetrators",
            "perpetrator_relationship",
            perpetrator.relationship_code,
            required=False,
        )
    for caregiver in caregivers or []:
        codes.check("caregivers", "caregiver_relationship", caregiver.relationship_code)
    codes.raise_if_any()

    year = date_reported.year
    serial = organisation_serial_next(year)
    case = CaseRecord.objects.create(
        serial_number=serial,
        year=year,
        national_reference=case_reference(
            organisation,
            year,
            serial,
            occurrence_county_code=occurrence_county_code,
            occurrence_sub_county_code=occurrence_sub_county_code,
        ),
        child=child,
        date_reported=date_reported,
        how_reported=how_reported,
        reporter_type=reporter_type,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        reporter_relationship=reporter_relationship,
        occurrence_county_code=occurrence_county_code,
        occurrence_sub_county_code=occurrence_sub_county_code,
        occurrence_ward_code=occurrence_ward_code,
        occurrence_village=occurrence_village,
        police_station=police_station.strip(),
        ob_number=ob_number.strip(),
        court_name=court_name.strip(),
        court_file_number=court_file_number.strip(),
        summons_issued=summons_issued,
        summons_issued_on=summons_issued_on,
        residence_county_code=residence_county_code,
        residence_sub_county_code=residence_sub_county_code,
        residence_ward_code=residence_ward_code,
        residence_village=residence_village.strip(),
        risk_level=risk_level,
        is_emergency=is_emergency,
        immediate_needs=immediate_needs or [],
        long_term_needs=long_term_needs or [],
        intake_intervention=intake_intervention,
        narrative=narrative,
        category_codes=sorted({c.category_code for c in categories}),
        assigned_officer=assigned_officer or actor.user,
        created_by=actor.user,
        **({"uuid": uuid} if uuid is not None else {}),
    )
    CaseCategory.objects.bulk_create(
        CaseCategory(case=case, **vars(category)) for category in categories
    )
    Perpetrator.objects.bulk_create(Perpetrator(case=case, **vars(p)) for p in perpetrators or [])
    CaseCaregiver.objects.bulk_create(
        CaseCaregiver(case=case, person=c.person, relationship_code=c.relationship_code)
        for c in caregivers or []
    )
    record_event(case, actor, "opened", to_status=CaseStatus.OPEN)
    facts.case_opened_facts(case, organisation, transferred_in=transferred_in)
    person_link_record(person=child, organisation=organisation)
    for caregiver in caregivers or []:
        person_link_record(person=caregiver.person, organisation=organisation)
    return case


# what a correction may change: every field of the sheet a repeat must carry again
EDITABLE_FIELDS = REPLAYED_FIELDS


# A change of these restates every fact of the case (their date, age band or place).
RESTATING_FIELDS = (
    "date_reported",
    "occurrence_county_code",
    "occurrence_sub_county_code",
    "occurrence_ward_code",
)


@transaction.atomic
def case_update(
    *,
    case: CaseRecord | int,
    actor: Actor,
    expected_version: int,
    organisation: Organisation | None = None,
    **changes,
) -> CaseRecord:
    """Change the case record sheet; refused with CaseConflict if someone saved in between.
    A corrected date reported or place restates the case's facts. Needs the right to record
    cases on a case the actor sees; ``case`` is refreshed."""
    given = case
    actor = as_actor(actor, organisation)
    case = case_for(actor, case)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    require_open(case)
    codes = Codes("reporter_type", "risk_level", "immediate_need", "long_term_need", "intervention")
    if "reporter_type" in changes:
        codes.check("reporter_type", "reporter_type", changes["reporter_type"])
    if "risk_level" in changes:
        codes.check("risk_level", "risk_level", changes["risk_level"])
    if "how_reported" in changes and changes["how_reported"] not in HowReported.values:
        codes.add("how_reported", gettext("Choose how the case was reported."))
    codes.check_many("immediate_needs", "immediate_need", changes.get("immediate_needs", []))
    codes.check_many("long_term_needs", "long_term_need", changes.get("long_term_needs", []))
    codes.check(
        "intake_intervention",
        "intervention",
        changes.get("intake_intervention", ""),
        required=False,
    )
    if changes.get("date_reported") and changes["date_reported"] > timezone.localdate():
        codes.add("date_reported", gettext("The date reported cannot be in the future."))
    if changes.get("date_reported") and (
        problem := implausible_date(changes["date_reported"], case.child)
    ):
        codes.add("date_reported", problem)
    sheet = {name: changes.get(name, getattr(case, name)) for name in EDITABLE_FIELDS}
    check_sheet_fields(
        codes, {**sheet, "child": case.child}, changes.get("date_reported", case.date_reported)
    )
    codes.raise_if_any()
    updated = CaseRecord.objects.filter(pk=case.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise CaseConflict(CaseRecord.objects.get(pk=case.pk))
    restates = any(
        name in changes and changes[name] != getattr(case, name) for name in RESTATING_FIELDS
    )
    case.refresh_from_db()
    if isinstance(given, CaseRecord):
        given.refresh_from_db()
    record_event(case, actor, "updated", reason=", ".join(sorted(changes)))
    if restates:
        facts.case_facts_restate(case=case, organisation=acting_organisation(actor, organisation))
    return case

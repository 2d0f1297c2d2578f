"""Writes on cases: each one validates, changes state, records who/when/why and the
outbox event in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts, selectors
from case_apps.cases.facts import PROGRAMME, age_band  # noqa: F401 (their home before facts.py)
from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    Attachment,
    BursaryAward,
    CaseCaregiver,
    CaseCategory,
    CaseEvent,
    CasePlan,
    CaseRecord,
    CaseSerialCounter,
    CaseStatus,
    FollowUp,
    HowReported,
    Perpetrator,
    Placement,
    Referral,
    ReferralStatus,
)
from case_apps.lists.selectors import list_labels_bulk
from shared_registry.models import County, Person, SubCounty
from shared_registry.plausibility import implausible_date
from shared_registry.services import person_link_record
from tenants.actor import Actor, Forbidden
from tenants.models import Organisation, User
from tenants.policy import Permission


class CaseConflict(Exception):
    """The case changed since the form was opened: the save is refused, nothing is lost."""

    def __init__(self, current: CaseRecord):
        super().__init__(gettext("This case was changed by someone else since you opened it."))
        self.current = current


class CaseStateError(ValidationError):
    """The case is not in a state that allows this action."""


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


class _Codes:
    """Checks coded fields against the national lists, collecting errors per field."""

    def __init__(self, *list_names: str):
        self.labels = list_labels_bulk(list_names)
        self.errors: dict[str, list[str]] = {}

    def check(self, field_name: str, list_name: str, code: str, *, required: bool = True) -> None:
        if not code:
            if required:
                self.errors.setdefault(field_name, []).append(gettext("This field is required."))
            return
        if code not in self.labels.get(list_name, {}):
            self.errors.setdefault(field_name, []).append(
                gettext("Unknown code “%(code)s”.") % {"code": code}
            )

    def check_many(self, field_name: str, list_name: str, codes: list[str]) -> None:
        for code in codes:
            self.check(field_name, list_name, code)

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_geography(codes: _Codes, county_code: str, sub_county_code: str) -> None:
    """The place of occurrence must be a real county, and the sub-county one of its own."""
    if county_code and not County.objects.filter(code=county_code).exists():
        codes.add(
            "occurrence_county_code",
            gettext("Unknown county code “%(code)s”.") % {"code": county_code},
        )
    if sub_county_code:
        sub_county = SubCounty.objects.filter(code=sub_county_code).select_related("county").first()
        if sub_county is None:
            codes.add(
                "occurrence_sub_county_code",
                gettext("Unknown sub-county code “%(code)s”.") % {"code": sub_county_code},
            )
        elif county_code and sub_county.county.code != county_code:
            codes.add(
                "occurrence_sub_county_code",
                gettext("This sub-county is not in the chosen county."),
            )


def as_actor(actor: Actor | User, organisation: Organisation | None = None) -> Actor:
    """The acting member. A bare user (from a caller not yet converted to actors) acts with
    their active membership of ``organisation``, else of the workspace whose schema is in
    use: the policy is asked all the same."""
    if isinstance(actor, Actor):
        other = organisation is not None and actor.organisation is not None
        if other and organisation.pk != actor.organisation.pk:
            raise Forbidden("another organisation")
        return actor
    return Actor(user=actor, organisation=organisation or connection.tenant)


def _organisation(actor: Actor, organisation: Organisation | None) -> Organisation:
    return organisation or actor.organisation or connection.tenant


def case_for(
    actor: Actor, case: CaseRecord | int, permission: Permission = Permission.RECORD_CASES
) -> CaseRecord:
    """The case as the actor, fresh from the database (``NotFound``/``Forbidden``)."""
    case_id = case.pk if isinstance(case, CaseRecord) else case
    return selectors.case_get(actor=actor, case_id=case_id, permission=permission)


def _fact_dimensions(case: CaseRecord, organisation: Organisation, **extra: str) -> dict:
    return facts.dimensions(case, organisation, **extra)


def _event(
    case: CaseRecord,
    actor: Actor,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
) -> None:
    CaseEvent.objects.create(
        case=case,
        actor=actor.user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def _next_serial(year: int) -> int:
    counter, _ = CaseSerialCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_serial = F("last_serial") + 1
    counter.save(update_fields=["last_serial"])
    counter.refresh_from_db(fields=["last_serial"])
    return counter.last_serial


def national_reference(organisation: Organisation, year: int, serial: int) -> str:
    """``CPIMS/<county>/<WORKSPACE>/<serial>/<year>``: unique nationally, readable on paper."""
    county = organisation.county_code or "000"
    return f"CPIMS/{county}/{organisation.slug.upper()}/{serial:05d}/{year}"


@transaction.atomic
def case_open(
    *,
    actor: Actor | User,
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
    is_emergency: bool = False,
    immediate_needs: list[str] | None = None,
    long_term_needs: list[str] | None = None,
    intake_intervention: str = "",
    narrative: str = "",
    perpetrators: list[PerpetratorInput] | None = None,
    caregivers: list[CaregiverInput] | None = None,
    assigned_officer: User | None = None,
    transferred_in: bool = False,
) -> CaseRecord:
    """Record a case record sheet: one child, one or more case categories (a case opened by
    accepting a transfer is counted as a transfer in, not a new case). Needs the right to
    record cases."""
    actor = as_actor(actor, organisation)
    organisation = _organisation(actor, organisation)
    actor.require(Permission.RECORD_CASES)
    codes = _Codes(
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
    _check_geography(codes, occurrence_county_code, occurrence_sub_county_code)
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
    serial = _next_serial(year)
    case = CaseRecord.objects.create(
        serial_number=serial,
        year=year,
        national_reference=national_reference(organisation, year, serial),
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
        risk_level=risk_level,
        is_emergency=is_emergency,
        immediate_needs=immediate_needs or [],
        long_term_needs=long_term_needs or [],
        intake_intervention=intake_intervention,
        narrative=narrative,
        category_codes=sorted({c.category_code for c in categories}),
        assigned_officer=assigned_officer or actor.user,
        created_by=actor.user,
    )
    CaseCategory.objects.bulk_create(
        CaseCategory(case=case, **vars(category)) for category in categories
    )
    Perpetrator.objects.bulk_create(Perpetrator(case=case, **vars(p)) for p in perpetrators or [])
    CaseCaregiver.objects.bulk_create(
        CaseCaregiver(case=case, person=c.person, relationship_code=c.relationship_code)
        for c in caregivers or []
    )
    _event(case, actor, "opened", to_status=CaseStatus.OPEN)
    facts.case_opened_facts(case, organisation, transferred_in=transferred_in)
    person_link_record(person=child, organisation=organisation)
    for caregiver in caregivers or []:
        person_link_record(person=caregiver.person, organisation=organisation)
    return case


EDITABLE_FIELDS = (
    "date_reported",
    "how_reported",
    "reporter_type",
    "reporter_name",
    "reporter_phone",
    "reporter_relationship",
    "occurrence_county_code",
    "occurrence_sub_county_code",
    "occurrence_ward_code",
    "occurrence_village",
    "risk_level",
    "is_emergency",
    "immediate_needs",
    "long_term_needs",
    "intake_intervention",
    "narrative",
)


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
    case: CaseRecord,
    actor: Actor | User,
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
    _require_open(case)
    codes = _Codes(
        "reporter_type", "risk_level", "immediate_need", "long_term_need", "intervention"
    )
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
    _check_geography(
        codes,
        changes.get("occurrence_county_code", case.occurrence_county_code),
        changes.get("occurrence_sub_county_code", case.occurrence_sub_county_code),
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
    given.refresh_from_db()
    _event(case, actor, "updated", reason=", ".join(sorted(changes)))
    if restates:
        facts.case_facts_restate(case=case, organisation=_organisation(actor, organisation))
    return case


def _require_open(case: CaseRecord) -> None:
    if not case.is_open:
        raise CaseStateError(
            gettext("The case is %(status)s.") % {"status": case.get_status_display().lower()}
        )


@transaction.atomic
def follow_up_record(
    *,
    case: CaseRecord,
    actor: Actor | User,
    organisation: Organisation | None = None,
    follow_up_type: str,
    date: date,
    notes: str = "",
    **details,
) -> FollowUp:
    """Record a follow-up: a service, visit, court session, summons... (the right to record
    cases, on a case the actor sees)."""
    actor = as_actor(actor, organisation)
    organisation = _organisation(actor, organisation)
    case = case_for(actor, case)
    _require_open(case)
    codes = _Codes(
        "follow_up_type", "court_session_type", "court_outcome", "adjournment_reason", "court_order"
    )
    codes.check("follow_up_type", "follow_up_type", follow_up_type)
    if date > timezone.localdate():
        codes.add("date", gettext("A follow-up cannot be recorded for a future date."))
    if date < case.date_reported:
        codes.add("date", gettext("A follow-up cannot be before the date the case was reported."))
    if follow_up_type == "CRTS":
        codes.check(
            "court_session_type", "court_session_type", details.get("court_session_type", "")
        )
        codes.check("court_outcome", "court_outcome", details.get("court_outcome", ""))
        if details.get("court_outcome") == "CADJ":
            codes.check(
                "adjournment_reason", "adjournment_reason", details.get("adjournment_reason", "")
            )
            if not details.get("next_court_date"):
                codes.add("next_court_date", gettext("An adjournment needs the next court date."))
        codes.check("court_order", "court_order", details.get("court_order", ""), required=False)
    if follow_up_type == "SUMM" and not details.get("summons_issued_on"):
        codes.add("summons_issued_on", gettext("Give the date the summons was issued."))
    served, honoured_on = details.get("summons_served_on"), details.get("summons_honoured_on")
    issued = details.get("summons_issued_on")
    if issued and served and served < issued:
        codes.add("summons_served_on", gettext("A summons cannot be served before it is issued."))
    if honoured_on and not details.get("summons_honoured"):
        codes.add(
            "summons_honoured", gettext("Tick 'honoured' when you give the date it was honoured.")
        )
    codes.raise_if_any()
    follow_up = FollowUp.objects.create(
        case=case,
        follow_up_type=follow_up_type,
        date=date,
        notes=notes,
        officer=actor.user,
        **{k: v for k, v in details.items() if v not in (None, "")},
    )
    facts.follow_up_fact(case, organisation, follow_up)
    return follow_up


@transaction.atomic
def referral_record(
    *,
    case: CaseRecord,
    actor: Actor | User,
    organisation: Organisation | None = None,
    actor_type: str,
    destination: str,
    reason: str,
    referred_on: date,
    destination_name: str = "",
) -> Referral:
    """Refer the child to a service, on the case record sheet (the right to record cases)."""
    actor = as_actor(actor, organisation)
    organisation = _organisation(actor, organisation)
    case = case_for(actor, case)
    _require_open(case)
    codes = _Codes("referral_actor", "referral_destination", "referral_reason")
    codes.check("actor", "referral_actor", actor_type)
    codes.check("destination", "referral_destination", destination)
    codes.check("reason", "referral_reason", reason)
    if referred_on > timezone.localdate():
        codes.add("referred_on", gettext("A referral cannot be dated in the future."))
    if problem := implausible_date(referred_on, case.child):
        codes.add("referred_on", problem)
    codes.raise_if_any()
    referral = Referral.objects.create(
        case=case,
        actor=actor_type,
        destination=destination,
        destination_name=destination_name,
        reason=reason,
        referred_on=referred_on,
        officer=actor.user,
    )
    facts.referral_fact(case, organisation, referral)
    return referral


@transaction.atomic
def referral_complete(
    *, referral: Referral, actor: Actor | User, completed: bool, completed_on: date, outcome: str
) -> Referral:
    """Record what came of a referral (status PENDING -> COMPLETED / NOT_COMPLETED); the
    referral is read afresh as the actor (the right to record cases on its case) and the
    one given refreshed."""
    given, actor = referral, as_actor(actor)
    referral = selectors.referral_get(
        actor=actor, case_id=referral.case_id, referral_id=referral.pk
    )
    if referral.status != ReferralStatus.PENDING:
        raise CaseStateError(gettext("This referral already has an outcome."))
    errors = {}
    if completed_on < referral.referred_on:
        errors["completed_on"] = [gettext("The outcome cannot be before the referral.")]
    if completed_on > timezone.localdate():
        errors["completed_on"] = [gettext("The outcome cannot be dated in the future.")]
    if not outcome.strip():
        errors["outcome"] = [gettext("Say what came of the referral.")]
    if errors:
        raise ValidationError(errors)
    referral.status = ReferralStatus.COMPLETED if completed else ReferralStatus.NOT_COMPLETED
    referral.completed_on, referral.outcome = completed_on, outcome.strip()
    referral.save(update_fields=["status", "completed_on", "outcome"])
    given.refresh_from_db()
    _event(referral.case, actor, "referral_outcome", reason=outcome.strip())
    return referral


@transaction.atomic
def placement_record(
    *,
    case: CaseRecord,
    actor: Actor | User,
    organisation: Organisation | None = None,
    care_type: str,
    placed_with: str,
    admitted_on: date,
    **details,
) -> Placement:
    """Institutional placement or alternative family care (the right to record cases)."""
    actor = as_actor(actor, organisation)
    organisation = _organisation(actor, organisation)
    case = case_for(actor, case)
    _require_open(case)
    codes = _Codes("alternative_care_type", "admission_type", "admission_reason")
    codes.check("care_type", "alternative_care_type", care_type)
    codes.check(
        "admission_type", "admission_type", details.get("admission_type", ""), required=False
    )
    codes.check(
        "admission_reason", "admission_reason", details.get("admission_reason", ""), required=False
    )
    if not placed_with.strip():
        codes.add("placed_with", gettext("Name the institution or family."))
    if admitted_on > timezone.localdate():
        codes.add("admitted_on", gettext("A placement cannot start in the future."))
    if problem := implausible_date(admitted_on, case.child):
        codes.add("admitted_on", problem)
    expected = details.get("expected_exit_on")
    if expected and expected < admitted_on:
        codes.add("expected_exit_on", gettext("The expected exit cannot be before admission."))
    codes.raise_if_any()
    placement = Placement.objects.create(
        case=case,
        care_type=care_type,
        placed_with=placed_with.strip(),
        admitted_on=admitted_on,
        officer=actor.user,
        **{k: v for k, v in details.items() if v not in (None, "")},
    )
    facts.placement_fact(case, organisation, placement)
    return placement


@transaction.atomic
def placement_discharge(
    *, placement: Placement, actor: Actor | User, discharged_on: date, notes: str = ""
) -> Placement:
    """End a placement; it is read afresh as the actor (the right to record cases)."""
    given, actor = placement, as_actor(actor)
    placement = selectors.placement_get(
        actor=actor, case_id=placement.case_id, placement_id=placement.pk
    )
    if placement.discharged_on:
        raise CaseStateError(gettext("This placement has already ended."))
    if discharged_on < placement.admitted_on or discharged_on > timezone.localdate():
        raise ValidationError(
            {"discharged_on": [gettext("Give a date between admission and today.")]}
        )
    placement.discharged_on, placement.discharge_notes = discharged_on, notes
    placement.save(update_fields=["discharged_on", "discharge_notes"])
    given.refresh_from_db()
    _event(placement.case, actor, "discharged", reason=notes)
    return placement


BURSARY_TYPES = ("CDF", "Presidential", "USG", "Bank", "Charity", "County")


@transaction.atomic
def bursary_award_record(
    *,
    case: CaseRecord,
    actor: Actor | User,
    organisation: Organisation | None = None,
    bursary_type: str,
    amount_kes,
    year: int,
    awarded_on: date,
    term: int | None = None,
) -> BursaryAward:
    """An education bursary awarded to the child (CDF, Presidential, USG, bank, charity...)."""
    actor = as_actor(actor, organisation)
    organisation = _organisation(actor, organisation)
    case = case_for(actor, case)
    _require_open(case)
    errors: dict[str, list[str]] = {}
    if bursary_type not in BURSARY_TYPES:
        errors["bursary_type"] = [gettext("Choose the kind of bursary.")]
    if amount_kes is None or amount_kes <= 0:
        errors["amount_kes"] = [gettext("The amount must be more than zero.")]
    if term is not None and term not in (1, 2, 3):
        errors["term"] = [gettext("A school term is 1, 2 or 3.")]
    if awarded_on > timezone.localdate():
        errors["awarded_on"] = [gettext("An award cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    award = BursaryAward.objects.create(
        case=case,
        bursary_type=bursary_type,
        amount_kes=amount_kes,
        year=year,
        term=term,
        awarded_on=awarded_on,
    )
    facts.bursary_fact(case, organisation, award)
    _event(case, actor, "bursary_awarded", reason=f"{bursary_type} {amount_kes}")
    return award


@transaction.atomic
def case_plan_submit(
    *,
    case: CaseRecord,
    actor: Actor | User,
    goals: str,
    services: str,
    responsible: str,
    due_on: date,
    needs: str = "",
) -> CasePlan:
    """Draft a case plan and ask a supervisor to approve it (the right to record cases)."""
    actor = as_actor(actor)
    case = case_for(actor, case)
    _require_open(case)
    errors = {}
    for name, value in (("goals", goals), ("services", services), ("responsible", responsible)):
        if not value.strip():
            errors[name] = [gettext("This field is required.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [gettext("The due date cannot be in the past.")]
    if ApprovalRequest.objects.filter(
        case=case, kind=ApprovalKind.CASE_PLAN, status=ApprovalStatus.PENDING
    ).exists():
        errors["goals"] = [gettext("A case plan is already waiting for approval.")]
    if errors:
        raise ValidationError(errors)
    plan = CasePlan.objects.create(
        case=case,
        goals=goals.strip(),
        needs=needs.strip(),
        services=services.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
        created_by=actor.user,
    )
    ApprovalRequest.objects.create(
        case=case, kind=ApprovalKind.CASE_PLAN, case_plan=plan, requested_by=actor.user
    )
    _event(case, actor, "case_plan_submitted")
    return plan


@transaction.atomic
def closure_request(
    *, case: CaseRecord, actor: Actor | User, closure_reason: str, notes: str
) -> ApprovalRequest:
    """Ask a supervisor to close the case (the right to record cases)."""
    actor = as_actor(actor)
    case = case_for(actor, case)
    case = CaseRecord.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise CaseStateError(
            gettext("The case is %(status)s.") % {"status": case.get_status_display().lower()}
        )
    codes = _Codes("closure_reason")
    codes.check("closure_reason", "closure_reason", closure_reason)
    if closure_reason == "COTR":
        codes.add(
            "closure_reason", gettext("Transfers to another organisation go through a referral.")
        )
    if not notes.strip():
        codes.add("notes", gettext("Explain why the case can be closed."))
    codes.raise_if_any()
    approval = ApprovalRequest.objects.create(
        case=case,
        kind=ApprovalKind.CLOSURE,
        closure_reason=closure_reason,
        notes=notes.strip(),
        requested_by=actor.user,
    )
    CaseRecord.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSURE_REQUESTED, version=F("version") + 1
    )
    _event(
        case,
        actor,
        "closure_requested",
        from_status=case.status,
        to_status=CaseStatus.CLOSURE_REQUESTED,
        reason=notes.strip(),
    )
    return approval


@transaction.atomic
def approval_decide(
    *,
    approval: ApprovalRequest,
    actor: Actor | User,
    organisation: Organisation | None = None,
    approve: bool,
    reason: str = "",
) -> ApprovalRequest:
    """A supervisor approves or rejects; a rejection goes back with the reason. Needs the
    right to supervise cases, on a case the actor sees."""
    actor = as_actor(actor, organisation)
    organisation = _organisation(actor, organisation)
    case_for(actor, approval.case_id, Permission.SUPERVISE_CASES)
    approval = ApprovalRequest.objects.select_for_update().get(pk=approval.pk)
    if approval.status != ApprovalStatus.PENDING:
        raise CaseStateError(gettext("This request has already been decided."))
    if approval.requested_by_id == actor.user_id:
        raise ValidationError({"reason": [gettext("Someone else must approve your own request.")]})
    if not approve and not reason.strip():
        raise ValidationError({"reason": [gettext("Give the reason for sending it back.")]})
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by, approval.decided_at = actor.user, timezone.now()
    approval.decision_reason = reason.strip()
    approval.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    case = CaseRecord.objects.select_for_update().get(pk=approval.case_id)
    if approval.kind == ApprovalKind.CLOSURE:
        new_status = CaseStatus.CLOSED if approve else CaseStatus.OPEN
        changes = {"status": new_status, "version": F("version") + 1}
        if approve:
            changes.update(
                closure_reason=approval.closure_reason,
                closure_notes=approval.notes,
                closed_at=timezone.now(),
            )
        CaseRecord.objects.filter(pk=case.pk).update(**changes)
        _event(
            case,
            actor,
            "closure_approved" if approve else "closure_rejected",
            from_status=case.status,
            to_status=new_status,
            reason=reason.strip(),
        )
        if approve:
            case.refresh_from_db()
            facts.closure_fact(case, organisation)
    else:
        if approve:
            CasePlan.objects.filter(pk=approval.case_plan_id).update(is_approved=True)
        _event(
            case,
            actor,
            "case_plan_approved" if approve else "case_plan_rejected",
            reason=reason.strip(),
        )
    return approval


@transaction.atomic
def case_reassign(
    *, case: CaseRecord, actor: Actor | User, officer: User, reason: str
) -> CaseRecord:
    """Transfer a case to another officer of the same organisation (the right to supervise
    cases, on a case the actor sees); ``case`` is refreshed."""
    given = case
    actor = as_actor(actor)
    case = case_for(actor, case, Permission.SUPERVISE_CASES)
    _require_open(case)
    if not reason.strip():
        raise ValidationError({"reason": [gettext("Say why the case moves to another officer.")]})
    previous = case.assigned_officer_id
    CaseRecord.objects.filter(pk=case.pk).update(assigned_officer=officer, version=F("version") + 1)
    case.refresh_from_db()
    given.refresh_from_db()
    _event(case, actor, "reassigned", reason=f"{previous} -> {officer.pk}: {reason.strip()}")
    return case


ALLOWED_ATTACHMENT_TYPES = {
    # extension: (content type, leading bytes)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attachment_add(
    *,
    case: CaseRecord,
    actor: Actor | User,
    title: str,
    uploaded,
    organisation: Organisation | None = None,
) -> Attachment:
    """Store a document for a case in the organisation's own folder; type and size checked
    from the content, not only the name (the right to record cases)."""
    import uuid

    from django.core.files.storage import default_storage

    actor = as_actor(actor, organisation)
    organisation = _organisation(actor, organisation)
    case = case_for(actor, case)

    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    errors = {}
    if extension not in ALLOWED_ATTACHMENT_TYPES:
        errors["file"] = [gettext("Upload a PDF, PNG or JPEG file.")]
    elif uploaded.size > MAX_ATTACHMENT_BYTES:
        errors["file"] = [gettext("The file is larger than 10 MB.")]
    else:
        head = uploaded.read(16)
        uploaded.seek(0)
        if not head.startswith(ALLOWED_ATTACHMENT_TYPES[extension][1]):
            errors["file"] = [gettext("The file's content does not match its type.")]
    if not title.strip():
        errors["title"] = [gettext("Give the document a title.")]
    if errors:
        raise ValidationError(errors)
    path = f"attachments/{organisation.schema_name}/{case.pk}/{uuid.uuid4().hex}.{extension}"
    stored = default_storage.save(path, uploaded)
    attachment = Attachment.objects.create(
        case=case,
        file=stored,
        title=title.strip(),
        content_type=ALLOWED_ATTACHMENT_TYPES[extension][0],
        size_bytes=uploaded.size,
        uploaded_by=actor.user,
    )
    _event(case, actor, "attachment_added", reason=title.strip())
    return attachment

"""Writes of the OVC programme: each validates per field (nothing saved on errors), then
changes state and records the de-identified outbox event in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from case_apps.lists.checks import CodeChecks
from case_apps.lists.data_ovc import OVC_LISTS
from case_apps.ovc import codes, scoring
from case_apps.ovc.facts import (  # noqa: F401 (mer_age_band, _ref, person_sources: used here before)
    _enrolment_day_restate,
    _fact,
    _ref,
    mer_age_band,
    person_sources,
)
from case_apps.ovc.models import (
    CasePlanItem,
    Cpara,
    Enrolment,
    EnrolmentStatus,
    HivManagementVisit,
    HivScreening,
    Household,
    HouseholdMember,
    ReferralState,
    ServiceRecord,
    WellbeingAssessment,
)
from shared_registry.models import Person
from shared_registry.plausibility import implausible_date
from shared_registry.services import person_link_record
from tenants.models import Organisation, User

EXIT_MAX_DAYS_BACK = 90
SUPPRESSION_THRESHOLD = 1000  # copies/ml
SUPPRESSION_WINDOW_DAYS = 365
RECENT_TEST_DAYS = 183


def _checks() -> CodeChecks:
    """The code checks of every OVC list (one cached read of the national lists)."""
    return CodeChecks(*OVC_LISTS)


def _today() -> date:
    return timezone.localdate()


def _not_future(errors: CodeChecks, field_name: str, value: date | None) -> None:
    if value and value > _today():
        errors.add(field_name, gettext("This date cannot be in the future."))


def _plausible(
    errors: CodeChecks, field_name: str, value: date | None, child: Person | None
) -> None:
    """No date before 1990, none before the child's birth (shared_registry/plausibility.py,
    the rule case records follow too)."""
    if value and (problem := implausible_date(value, child)):
        errors.add(field_name, problem)


def _child_of(enrolment: Enrolment) -> Person:
    return Person.objects.get(pk=enrolment.child_id)


# --- households ----------------------------------------------------------------------------
@dataclass
class MemberInput:
    person: Person
    member_type: str
    alive: bool = True
    death_cause: str = ""
    hiv_status: str = "HSKN"


def _check_member(errors: CodeChecks, member: MemberInput, field_prefix: str = "") -> None:
    errors.check(field_prefix + "member_type", "ovc_member_type", member.member_type)
    errors.check(field_prefix + "hiv_status", "ovc_hiv_status", member.hiv_status)
    if member.alive and member.death_cause:
        errors.add(
            field_prefix + "death_cause", gettext("Only a member who died has a cause of death.")
        )
    errors.check(
        field_prefix + "death_cause", "ovc_death_cause", member.death_cause, required=False
    )


@transaction.atomic
def household_register(
    *,
    organisation: Organisation,
    actor: User,
    head: Person,
    head_relation: str = "CGPM",
    head_hiv_status: str = "HSKN",
    village: str = "",
    ward_code: str = "",
    county_code: str = "",
    sub_county_code: str = "",
) -> Household:
    """Register a household with its caregiver as head (one household per caregiver)."""
    errors = _checks()
    head_member = MemberInput(person=head, member_type=head_relation, hiv_status=head_hiv_status)
    _check_member(errors, head_member, "head_")
    if head_relation in ("TOVC", "TBVC"):
        errors.add(
            "head_member_type", gettext("The head of a household is its caregiver, not a child.")
        )
    if Household.objects.filter(head=head).exists():
        errors.add("head", gettext("This caregiver already heads a household."))
    errors.raise_if_any()
    household = Household.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:24]}",
        head=head,
        village=village.strip(),
        ward_code=ward_code,
        county_code=county_code or organisation.county_code or "",
        sub_county_code=sub_county_code or organisation.sub_county_code or "",
        created_by=actor,
    )
    household.number = f"HH/{organisation.slug.upper()}/{household.pk:06d}"
    household.save(update_fields=["number"])
    HouseholdMember.objects.create(
        household=household,
        person=head,
        member_type=head_relation,
        is_head=True,
        hiv_status=head_hiv_status,
    )
    person_link_record(person=head, organisation=organisation)
    return household


@transaction.atomic
def household_member_add(
    *, organisation: Organisation, household: Household, member: MemberInput
) -> HouseholdMember:
    errors = _checks()
    _check_member(errors, member)
    if household.members.filter(person=member.person).exists():
        errors.add("person", gettext("This person is already a member of the household."))
    errors.raise_if_any()
    row = HouseholdMember.objects.create(
        household=household,
        person=member.person,
        member_type=member.member_type,
        alive=member.alive,
        death_cause=member.death_cause,
        hiv_status=member.hiv_status,
    )
    person_link_record(person=member.person, organisation=organisation)
    return row


# --- enrolment -----------------------------------------------------------------------------
def _check_enrolment(
    *,
    child: Person,
    programme: str,
    registration_date: date | None,
    entry_point: str,
    eligibility: list[str],
    hiv_status: str,
    art_status: str,
    facility: str,
    school_level: str,
    immunisation: str,
) -> CodeChecks:
    """The enrolment's own rules (codes, eligibility, ART, registration date)."""
    errors = _checks()
    errors.check("programme", "ovc_programme", programme)
    errors.check("entry_point", "ovc_entry_point", entry_point)
    errors.check("hiv_status", "ovc_hiv_status", hiv_status)
    errors.check("school_level", "ovc_school_level", school_level)
    errors.check("immunisation", "ovc_immunisation", immunisation, required=False)
    errors.check("art_status", "ovc_art_status", art_status, required=False)
    if not eligibility:
        errors.add("eligibility", gettext("Choose at least one eligibility criterion."))
    for code in eligibility:
        errors.check("eligibility", "ovc_eligibility", code)
    if hiv_status in ("HSTP", "HHEI") and not art_status:
        errors.add(
            "art_status", gettext("Say whether a child living with or exposed to HIV is on ART.")
        )
    if art_status == "ARAR" and not facility:
        errors.add("facility", gettext("Name the ART facility."))
    if registration_date is None:
        errors.add("registration_date", gettext("This field is required."))
    else:
        _not_future(errors, "registration_date", registration_date)
        _plausible(errors, "registration_date", registration_date, child)
    return errors


@transaction.atomic
def child_enrol(
    *,
    organisation: Organisation,
    actor: User,
    household: Household,
    child: Person,
    registration_date: date,
    eligibility: list[str],
    hiv_status: str,
    school_level: str,
    entry_point: str = "community",
    programme: str = "POVC",
    first_enrolment: bool = True,
    art_status: str = "",
    facility: str = "",
    ccc_number: str = "",
    school_class: str = "",
    birth_certificate: bool = False,
    disability: bool = False,
    immunisation: str = "",
) -> Enrolment:
    """Enrol a child of the household against the eligibility criteria."""
    errors = _check_enrolment(
        child=child,
        programme=programme,
        registration_date=registration_date,
        entry_point=entry_point,
        eligibility=eligibility,
        hiv_status=hiv_status,
        art_status=art_status,
        facility=facility,
        school_level=school_level,
        immunisation=immunisation,
    )
    if Enrolment.objects.filter(child=child, status=EnrolmentStatus.ACTIVE).exists():
        errors.add("child", gettext("This child is already enrolled."))
    errors.raise_if_any()
    member = household.members.filter(person=child).first()
    if member is None:
        HouseholdMember.objects.create(
            household=household, person=child, member_type="TOVC", hiv_status=hiv_status
        )
    else:
        member.member_type, member.hiv_status = "TOVC", hiv_status
        member.save(update_fields=["member_type", "hiv_status"])
    enrolment = Enrolment.objects.create(
        child=child,
        household=household,
        programme=programme,
        registration_date=registration_date,
        first_enrolment=first_enrolment,
        entry_point=entry_point,
        eligibility=sorted(set(eligibility)),
        hiv_status=hiv_status,
        art_status=art_status,
        facility=facility,
        ccc_number=ccc_number,
        school_level=school_level,
        school_class=school_class,
        birth_certificate=birth_certificate,
        disability=disability,
        immunisation=immunisation,
        created_by=actor,
    )
    person_link_record(person=child, organisation=organisation)
    day = registration_date
    _fact("ovc_enrolled", organisation, enrolment, day, what="enrolled")
    _fact("ovc_hiv_status", organisation, enrolment, day, _hivstat(enrolment), what="hiv:enrolment")
    _fact("ovc_school_status", organisation, enrolment, day, school_level, what="school:enrolment")
    return enrolment


REGISTRATION_DATE_MAX_MOVE_DAYS = 28
ENROLMENT_EDITABLE = (
    "programme",
    "registration_date",
    "first_enrolment",
    "entry_point",
    "eligibility",
    "hiv_status",
    "art_status",
    "facility",
    "ccc_number",
    "school_level",
    "school_class",
    "birth_certificate",
    "disability",
    "immunisation",
)


@transaction.atomic
def enrolment_update(
    *,
    organisation: Organisation,
    enrolment: Enrolment,
    may_override_hiv_status: bool = False,
    **fields,
) -> Enrolment:
    """Correct an active enrolment: the registration date moves at most 28 days, and a
    positive HIV status is never edited back (unless ``may_override_hiv_status``)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    unknown = set(fields) - set(ENROLMENT_EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    values = {name: fields.get(name, getattr(enrolment, name)) for name in ENROLMENT_EDITABLE}
    errors = _check_enrolment(
        child=Person.objects.get(pk=enrolment.child_id),
        **{
            k: values[k]
            for k in (
                "programme",
                "registration_date",
                "entry_point",
                "eligibility",
                "hiv_status",
                "art_status",
                "facility",
                "school_level",
                "immunisation",
            )
        },
    )
    if not enrolment.is_active:
        errors.add("__all__", gettext("An exited enrolment cannot be changed."))
    moved = values["registration_date"] and abs(
        (values["registration_date"] - enrolment.registration_date).days
    )
    if moved and moved > REGISTRATION_DATE_MAX_MOVE_DAYS:
        errors.add(
            "registration_date",
            gettext("The registration date moves at most %(days)s days.")
            % {"days": REGISTRATION_DATE_MAX_MOVE_DAYS},
        )
    if (
        enrolment.hiv_status == "HSTP"
        and values["hiv_status"] != "HSTP"
        and not may_override_hiv_status
    ):
        errors.add("hiv_status", gettext("A positive HIV status cannot be changed back."))
    errors.raise_if_any()
    status_changed = values["hiv_status"] != enrolment.hiv_status or (
        values["art_status"] != enrolment.art_status
    )
    school_changed = values["school_level"] != enrolment.school_level
    date_moved = values["registration_date"] != enrolment.registration_date
    for name, value in values.items():
        setattr(enrolment, name, sorted(set(value)) if name == "eligibility" else value)
    enrolment.save()
    if status_changed:
        enrolment.household.members.filter(person=enrolment.child_id).update(
            hiv_status=enrolment.hiv_status
        )
        _fact(
            "ovc_hiv_status",
            organisation,
            enrolment,
            _today(),
            _hivstat(enrolment),
            what=f"hiv:{timezone.now():%Y%m%d%H%M%S%f}",
        )
    if school_changed:  # OVC_SERV leaves out actives of 18 and over who are out of school
        _fact(
            "ovc_school_status",
            organisation,
            enrolment,
            _today(),
            enrolment.school_level,
            what=f"school:{timezone.now():%Y%m%d%H%M%S%f}",
        )
    if date_moved:
        _enrolment_day_restate(organisation, enrolment)
    return enrolment


def _hivstat(enrolment: Enrolment) -> str:
    """OVC_HIVSTAT disaggregate of the child's current status (at most 16 characters: the
    facts' category column)."""
    if enrolment.hiv_status == "HSTP":
        return "positive_on_art" if enrolment.art_status == "ARAR" else "positive_no_art"
    if enrolment.hiv_status == "HSTN":
        return "negative"
    return "unknown"


# --- services ------------------------------------------------------------------------------
@transaction.atomic
def service_record(
    *,
    organisation: Organisation,
    actor: User,
    enrolment: Enrolment,
    domain: str,
    service: str,
    provider: str,
    date: date,
    place: str = "",
) -> ServiceRecord:
    errors = _checks()
    errors.check("domain", "ovc_domain", domain)
    if not service.strip():
        errors.add("service", gettext("This field is required."))
    if not provider.strip():
        errors.add("provider", gettext("This field is required."))
    if date is None:
        errors.add("date", gettext("This field is required."))
    else:
        _not_future(errors, "date", date)
        _plausible(errors, "date", date, _child_of(enrolment))
        if date < enrolment.registration_date:
            errors.add("date", gettext("The service date is before the child's enrolment."))
    if not enrolment.is_active:
        errors.add("__all__", gettext("This child has exited the programme."))
    errors.raise_if_any()
    record = ServiceRecord.objects.create(
        enrolment=enrolment,
        domain=domain,
        service=service.strip(),
        provider=provider.strip(),
        place=place.strip(),
        date=date,
        recorded_by=actor,
    )
    _fact("ovc_service", organisation, enrolment, date, domain, what=f"service:{record.pk}")
    return record


# --- CPARA ---------------------------------------------------------------------------------
@transaction.atomic
def cpara_record(
    *, actor: User, household: Household, assessed_on: date, answers: dict[int, str]
) -> Cpara:
    """Record a CPARA with its score per domain and the pathway."""
    errors = _checks()
    if assessed_on is None:
        errors.add("assessed_on", gettext("This field is required."))
    _not_future(errors, "assessed_on", assessed_on)
    _plausible(errors, "assessed_on", assessed_on, None)
    for number in scoring.BENCHMARKS:
        if answers.get(number) not in (scoring.YES, scoring.NO, scoring.NOT_APPLICABLE):
            errors.add(f"benchmark_{number}", gettext("Answer yes, no or not applicable."))
    errors.raise_if_any()
    score = scoring.cpara_score(answers)
    return Cpara.objects.create(
        household=household,
        assessed_on=assessed_on,
        answers={str(n): a for n, a in sorted(answers.items())},
        total=score.total,
        pathway=score.pathway,
        assessed_by=actor,
        **score.by_domain,
    )


# --- case plan -----------------------------------------------------------------------------
@transaction.atomic
def case_plan_item_add(
    *,
    actor: User,
    household: Household,
    domain: str,
    need: str,
    goal: str,
    services: str,
    responsible: str,
    due_date: date,
    enrolment: Enrolment | None = None,
) -> CasePlanItem:
    errors = _checks()
    errors.check("domain", "ovc_domain", domain)
    errors.check("responsible", "ovc_responsible", responsible)
    for name, value in (("need", need), ("goal", goal), ("services", services)):
        if not (value or "").strip():
            errors.add(name, gettext("This field is required."))
    if due_date is None:
        errors.add("due_date", gettext("This field is required."))
    if enrolment is not None and enrolment.household_id != household.pk:
        errors.add("enrolment", gettext("This child is not in the household."))
    errors.raise_if_any()
    return CasePlanItem.objects.create(
        household=household,
        enrolment=enrolment,
        domain=domain,
        need=need.strip(),
        goal=goal.strip(),
        services=services.strip(),
        responsible=responsible,
        due_date=due_date,
        recorded_by=actor,
    )


@transaction.atomic
def case_plan_item_complete(
    *, item: CasePlanItem, completed_on: date, achieved: bool, result_notes: str = ""
) -> CasePlanItem:
    errors = _checks()
    if completed_on is None:
        errors.add("completed_on", gettext("This field is required."))
    _not_future(errors, "completed_on", completed_on)
    if not achieved and not result_notes.strip():
        errors.add("result_notes", gettext("Say why the goal was not achieved."))
    errors.raise_if_any()
    item.completed_on, item.achieved, item.result_notes = completed_on, achieved, result_notes
    item.save(update_fields=["completed_on", "achieved", "result_notes"])
    return item


# --- HIV risk screening --------------------------------------------------------------------
RISK_KEYS = frozenset(key for key, _label, _who in codes.RISK_QUESTIONS)


def hiv_test_required(*, status_known: str, tested_last_6_months: bool, risks: list[str]) -> bool:
    """A test is required when any risk answer is yes and the status is not recently known
    (a known positive is never re-tested; a negative counts only if tested in 6 months)."""
    if not risks:
        return False
    if status_known == "HSTP":
        return False
    return not (status_known == "HSTN" and tested_last_6_months)


@transaction.atomic
def hiv_screening_record(
    *,
    organisation: Organisation,
    actor: User,
    enrolment: Enrolment,
    screened_on: date,
    status_known: str,
    tested_last_6_months: bool,
    risks: list[str],
    consent_on: date | None = None,
    referred_on: date | None = None,
    not_referred_reason: str = "",
) -> HivScreening:
    errors = _checks()
    errors.check("status_known", "ovc_hiv_status", status_known)
    if screened_on is None:
        errors.add("screened_on", gettext("This field is required."))
    _not_future(errors, "screened_on", screened_on)
    _not_future(errors, "referred_on", referred_on)
    unknown = set(risks) - RISK_KEYS
    if unknown:
        errors.add(
            "risks",
            gettext("Unknown risk questions: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
        )
    required = hiv_test_required(
        status_known=status_known, tested_last_6_months=tested_last_6_months, risks=risks
    )
    if referred_on and not required:
        errors.add("referred_on", gettext("No test is required: there is nothing to refer."))
    if referred_on and screened_on and referred_on < screened_on:
        errors.add("referred_on", gettext("The referral cannot be before the screening."))
    errors.raise_if_any()
    if not required:
        state = ReferralState.NOT_NEEDED
    elif referred_on:
        state = ReferralState.REFERRED
    elif not_referred_reason.strip():
        state = ReferralState.NOT_DONE
    else:
        state = ReferralState.NEEDED
    screening = HivScreening.objects.create(
        enrolment=enrolment,
        screened_on=screened_on,
        status_known=status_known,
        tested_last_6_months=tested_last_6_months,
        risks=sorted(set(risks)),
        test_required=required,
        referral_state=state,
        consent_on=consent_on,
        referred_on=referred_on,
        not_referred_reason=not_referred_reason.strip(),
        screened_by=actor,
    )
    if not required:
        _fact(
            "ovc_hiv_test_not_required",
            organisation,
            enrolment,
            screened_on,
            what=f"screening:{screening.pk}",
        )
    return screening


@transaction.atomic
def hiv_referral_result_record(
    *,
    organisation: Organisation,
    screening: HivScreening,
    referral_completed_on: date,
    test_result: str,
    referred_on: date | None = None,
    art_referred_on: date | None = None,
    art_facility: str = "",
) -> HivScreening:
    """Close a testing referral with its result; a positive result updates the child's
    status (and is never edited back)."""
    errors = _checks()
    if not screening.test_required:
        errors.add("__all__", gettext("This screening did not require a test."))
    referred_on = referred_on or screening.referred_on
    if referred_on is None:
        errors.add("referred_on", gettext("Record when the referral was made."))
    if referral_completed_on is None:
        errors.add("referral_completed_on", gettext("This field is required."))
    else:
        _not_future(errors, "referral_completed_on", referral_completed_on)
        if referred_on and referral_completed_on < referred_on:
            errors.add("referral_completed_on", gettext("The test cannot be before the referral."))
    if test_result not in ("HSTP", "HSTN"):
        errors.add("test_result", gettext("The result is positive or negative."))
    if test_result == "HSTP" and art_facility and not art_referred_on:
        errors.add("art_referred_on", gettext("Record when the ART referral was made."))
    errors.raise_if_any()
    screening.referred_on = referred_on
    screening.referral_completed_on = referral_completed_on
    screening.test_result = test_result
    screening.art_referred_on = art_referred_on
    screening.art_facility = art_facility
    screening.referral_state = ReferralState.COMPLETED
    screening.save()
    enrolment = screening.enrolment
    if enrolment.hiv_status != "HSTP":
        enrolment.hiv_status = test_result
        enrolment.save(update_fields=["hiv_status"])
        enrolment.household.members.filter(person=enrolment.child_id).update(hiv_status=test_result)
        _fact(
            "ovc_hiv_status",
            organisation,
            enrolment,
            referral_completed_on,
            _hivstat(enrolment),
            what=f"hivtest:{screening.pk}",
        )
    return screening


# --- HIV management ------------------------------------------------------------------------
def virally_suppressed(
    viral_load: int | None, viral_load_date: date | None, on: date
) -> bool | None:
    """Suppressed = at most 1,000 copies/ml measured within the 12 months before ``on``;
    None when there is no result in that window."""
    if viral_load is None or viral_load_date is None:
        return None
    if not on - timedelta(days=SUPPRESSION_WINDOW_DAYS) <= viral_load_date <= on:
        return None
    return viral_load <= SUPPRESSION_THRESHOLD


@transaction.atomic
def hiv_management_visit_record(
    *,
    actor: User,
    enrolment: Enrolment,
    visit_date: date,
    adherence: str,
    current_regimen: str = "",
    viral_load: int | None = None,
    viral_load_date: date | None = None,
    treatment_supporter: str = "",
    next_appointment: date | None = None,
    notes: str = "",
) -> HivManagementVisit:
    errors = _checks()
    if enrolment.hiv_status != "HSTP":
        errors.add("__all__", gettext("HIV management is for children living with HIV."))
    errors.check("adherence", "ovc_adherence", adherence)
    if visit_date is None:
        errors.add("visit_date", gettext("This field is required."))
    _not_future(errors, "visit_date", visit_date)
    _not_future(errors, "viral_load_date", viral_load_date)
    if (viral_load is None) != (viral_load_date is None):
        errors.add("viral_load_date", gettext("Give both the viral load and its date, or neither."))
    if next_appointment and visit_date and next_appointment <= visit_date:
        errors.add("next_appointment", gettext("The next appointment comes after the visit."))
    errors.raise_if_any()
    return HivManagementVisit.objects.create(
        enrolment=enrolment,
        visit_date=visit_date,
        adherence=adherence,
        current_regimen=current_regimen,
        viral_load=viral_load,
        viral_load_date=viral_load_date,
        treatment_supporter=treatment_supporter,
        next_appointment=next_appointment,
        notes=notes,
        recorded_by=actor,
    )


# --- exit ----------------------------------------------------------------------------------
@transaction.atomic
def enrolment_exit(
    *,
    organisation: Organisation,
    actor: User,
    enrolment: Enrolment,
    exit_reason: str,
    exit_date: date,
    exit_notes: str = "",
) -> Enrolment:
    """Exit a child: graduation only when the household's latest CPARA meets every
    benchmark; exit date not future, at most 90 days back, not before enrolment."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    errors = _checks()
    errors.check("exit_reason", "ovc_exit_reason", exit_reason)
    if not enrolment.is_active:
        errors.add("__all__", gettext("This child has already exited the programme."))
    if exit_date is None:
        errors.add("exit_date", gettext("This field is required."))
    else:
        _not_future(errors, "exit_date", exit_date)
        _plausible(errors, "exit_date", exit_date, _child_of(enrolment))
        if exit_date < _today() - timedelta(days=EXIT_MAX_DAYS_BACK):
            errors.add(
                "exit_date",
                gettext("The exit date is at most %(days)s days back.")
                % {"days": EXIT_MAX_DAYS_BACK},
            )
        if exit_date < enrolment.registration_date:
            errors.add("exit_date", gettext("The exit date is before the enrolment."))
    if exit_reason == codes.GRADUATION:
        latest = enrolment.household.cparas.order_by("-assessed_on", "-id").first()
        if latest is None:
            errors.add("exit_reason", gettext("Graduation needs a CPARA of the household."))
        elif not latest.all_met:
            errors.add(
                "exit_reason",
                gettext(
                    "Graduation needs every benchmark met; the latest CPARA (%(date)s) "
                    "scores %(total)s/9."
                )
                % {"date": date_format(latest.assessed_on, "d M Y"), "total": latest.total},
            )
    errors.raise_if_any()
    enrolment.status = EnrolmentStatus.EXITED
    enrolment.exit_reason, enrolment.exit_date = exit_reason, exit_date
    enrolment.exit_notes = exit_notes
    enrolment.save(update_fields=["status", "exit_reason", "exit_date", "exit_notes"])
    if exit_reason == "ERDE":
        enrolment.household.members.filter(person=enrolment.child_id).update(alive=False)
    kind = "ovc_graduated" if exit_reason == codes.GRADUATION else "ovc_exited"
    _fact(kind, organisation, enrolment, exit_date, exit_reason, what="exit")
    return enrolment


# --- wellbeing -----------------------------------------------------------------------------
def wellbeing_questions(kind: str) -> list[tuple[str, str, str]]:
    return codes.WELLBEING_ADOLESCENT if kind == "WBGA" else codes.WELLBEING_HOUSEHOLD


@transaction.atomic
def wellbeing_record(
    *,
    actor: User,
    household: Household,
    kind: str,
    assessed_on: date,
    answers: dict[str, bool],
    enrolment: Enrolment | None = None,
    notes: str = "",
) -> WellbeingAssessment:
    """Record a wellbeing assessment; every question answered, scored per domain."""
    errors = _checks()
    errors.check("kind", "ovc_wellbeing_kind", kind)
    if assessed_on is None:
        errors.add("assessed_on", gettext("This field is required."))
    _not_future(errors, "assessed_on", assessed_on)
    _plausible(
        errors, "assessed_on", assessed_on, _child_of(enrolment) if enrolment is not None else None
    )
    if kind == "WBGA" and enrolment is None:
        errors.add("enrolment", gettext("The adolescent form is about one enrolled child."))
    if enrolment is not None and enrolment.household_id != household.pk:
        errors.add("enrolment", gettext("This child is not in the household."))
    questions = wellbeing_questions(kind)
    for key, _domain, _label in questions:
        if not isinstance(answers.get(key), bool):
            errors.add(f"q_{key}", gettext("Answer yes or no."))
    unknown = set(answers) - {key for key, _d, _l in questions}
    if unknown:
        errors.add(
            "__all__",
            gettext("Unknown questions: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
        )
    errors.raise_if_any()
    scores: dict[str, list[int]] = {}
    for key, domain, _label in questions:
        yes, total = scores.get(domain, [0, 0])
        scores[domain] = [yes + int(answers[key]), total + 1]
    return WellbeingAssessment.objects.create(
        household=household,
        enrolment=enrolment,
        kind=kind,
        assessed_on=assessed_on,
        answers=answers,
        scores=scores,
        notes=notes,
        assessed_by=actor,
    )

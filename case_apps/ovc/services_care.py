"""HIV care of an enrolled child: HIV risk screening with its testing referral and result
(facilities from the national registry, by MFL code), the ART referral of a positive
result, HIV management visits; and the caregivers' HIV and ART status history."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext

from case_apps.ovc import codes, selectors_hiv
from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.facts import _fact
from case_apps.ovc.models import (
    Enrolment,
    HivManagementVisit,
    HivScreening,
    Household,
    HouseholdMember,
    ReferralState,
)
from case_apps.ovc.models_hiv import CaregiverHivStatus
from case_apps.ovc.services_common import (
    checks,
    child_of,
    not_future,
    plausible,
    recording_enrolment,
    recording_household,
    within_days_back,
)
from case_apps.ovc.services_enrolment import _hivstat
from shared_registry.models import Person
from tenants.actor import Actor, NotFound

SUPPRESSION_THRESHOLD = 1000  # copies/ml
SUPPRESSION_WINDOW_DAYS = 365
RECENT_TEST_DAYS = 183


def _screening(actor: Actor, screening: HivScreening | int) -> HivScreening:
    """A screening, fetched as the actor through its child's household."""
    screening_id = screening.pk if isinstance(screening, HivScreening) else screening
    found = HivScreening.objects.filter(pk=screening_id).first()
    if found is None:
        raise NotFound
    recording_enrolment(actor, found.enrolment_id)
    return found


RISK_KEYS = frozenset(key for key, _label, _who in codes.RISK_QUESTIONS)


def facility_check(errors, field_name: str, code: str) -> None:
    """A referral facility is an MFL code of the national facility registry."""
    if code and not selectors_hiv.facility_exists(code):
        errors.add(field_name, gettext("No facility with this MFL code in the registry."))


def hiv_test_required(*, status_known: str, tested_last_6_months: bool, risks: list[str]) -> bool:
    """A test is required when any risk answer is yes and the status is not recently known
    (a known positive is never re-tested; a negative counts only if tested in 6 months)."""
    if not risks:
        return False
    if status_known == "HSTP":
        return False
    return not (status_known == "HSTN" and tested_last_6_months)


def hiv_screening_checks(
    *,
    enrolment: Enrolment,
    screened_on: date | None,
    status_known: str,
    tested_last_6_months: bool,
    risks: list[str],
    referred_on: date | None = None,
    test_facility: str = "",
) -> bool:
    """The refusals of a screening for an enrolled child already fetched as the recording
    actor, naming the fields (nothing is written); whether a test is required otherwise."""
    errors = checks()
    if selectors_hiv.is_hei_path(enrolment):
        errors.add(
            "__all__",
            gettext("An HIV-exposed infant follows the HEI testing schedule, not risk screening."),
        )
    errors.check("status_known", "ovc_hiv_status", status_known)
    if screened_on is None:
        errors.add("screened_on", gettext("This field is required."))
    not_future(errors, "screened_on", screened_on)
    within_days_back(errors, "screened_on", screened_on, EVENT_MAX_DAYS_BACK)
    not_future(errors, "referred_on", referred_on)
    plausible(errors, "screened_on", screened_on, child_of(enrolment))
    facility_check(errors, "test_facility", test_facility)
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
    if test_facility and not referred_on:
        errors.add("test_facility", gettext("A testing facility goes with a referral."))
    errors.raise_if_any()
    return required


@transaction.atomic
def hiv_screening_record(
    *,
    actor: Actor,
    enrolment: Enrolment | int,
    screened_on: date,
    status_known: str,
    tested_last_6_months: bool,
    risks: list[str],
    consent_on: date | None = None,
    referred_on: date | None = None,
    not_referred_reason: str = "",
    test_facility: str = "",
) -> HivScreening:
    """Record an HIV risk screening; it says whether a test is required. An HIV-exposed
    infant on the HEI schedule is not risk-screened (services_hei.py)."""
    enrolment = recording_enrolment(actor, enrolment)
    required = hiv_screening_checks(
        enrolment=enrolment,
        screened_on=screened_on,
        status_known=status_known,
        tested_last_6_months=tested_last_6_months,
        risks=risks,
        referred_on=referred_on,
        test_facility=test_facility,
    )
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
        test_facility=test_facility,
        screened_by=actor.user,
    )
    if not required:
        _fact(
            "ovc_hiv_test_not_required",
            actor.organisation,
            enrolment,
            screened_on,
            what=f"screening:{screening.pk}",
        )
    return screening


@transaction.atomic
def hiv_referral_result_record(
    *,
    actor: Actor,
    screening: HivScreening | int,
    referral_completed_on: date,
    test_result: str,
    referred_on: date | None = None,
    art_referred_on: date | None = None,
    art_facility: str = "",
    test_facility: str = "",
) -> HivScreening:
    """Close a testing referral with its result; a positive result updates the child's
    status (and is never edited back) and may be referred for ART at a registry facility."""
    screening = _screening(actor, screening)
    errors = checks()
    facility_check(errors, "test_facility", test_facility)
    facility_check(errors, "art_facility", art_facility)
    if not screening.test_required:
        errors.add("__all__", gettext("This screening did not require a test."))
    referred_on = referred_on or screening.referred_on
    if referred_on is None:
        errors.add("referred_on", gettext("Record when the referral was made."))
    if referral_completed_on is None:
        errors.add("referral_completed_on", gettext("This field is required."))
    else:
        not_future(errors, "referral_completed_on", referral_completed_on)
        if referred_on and referral_completed_on < referred_on:
            errors.add("referral_completed_on", gettext("The test cannot be before the referral."))
    if test_result not in ("HSTP", "HSTN"):
        errors.add("test_result", gettext("The result is positive or negative."))
    if test_result == "HSTP" and art_facility and not art_referred_on:
        errors.add("art_referred_on", gettext("Record when the ART referral was made."))
    if test_result != "HSTP" and (art_facility or art_referred_on):
        errors.add("art_referred_on", gettext("Only a positive result is referred for ART."))
    not_future(errors, "art_referred_on", art_referred_on)
    if art_referred_on and referral_completed_on and art_referred_on < referral_completed_on:
        errors.add("art_referred_on", gettext("The ART referral cannot be before the test."))
    errors.raise_if_any()
    screening.test_facility = test_facility or screening.test_facility
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
            actor.organisation,
            enrolment,
            referral_completed_on,
            _hivstat(enrolment),
            what=f"hivtest:{screening.pk}",
        )
    return screening


@transaction.atomic
def hiv_art_referral_complete(
    *,
    actor: Actor,
    screening: HivScreening | int,
    art_referral_completed_on: date,
    art_facility: str = "",
) -> HivScreening:
    """The child who tested positive reached ART: the referral is completed and the child
    is on ART (the OVC_HIVSTAT fact turns to positive on ART)."""
    screening = _screening(actor, screening)
    errors = checks()
    facility_check(errors, "art_facility", art_facility)
    if screening.test_result != "HSTP":
        errors.add("__all__", gettext("Only a positive result is referred for ART."))
    elif screening.art_referred_on is None:
        errors.add("__all__", gettext("Record the ART referral first."))
    elif screening.art_referral_completed_on:
        errors.add("__all__", gettext("This ART referral is already completed."))
    if art_referral_completed_on is None:
        errors.add("art_referral_completed_on", gettext("This field is required."))
    not_future(errors, "art_referral_completed_on", art_referral_completed_on)
    within_days_back(
        errors, "art_referral_completed_on", art_referral_completed_on, EVENT_MAX_DAYS_BACK
    )
    if (
        art_referral_completed_on
        and screening.art_referred_on
        and art_referral_completed_on < screening.art_referred_on
    ):
        errors.add(
            "art_referral_completed_on",
            gettext("The referral cannot be completed before it was made."),
        )
    errors.raise_if_any()
    screening.art_referral_completed_on = art_referral_completed_on
    screening.art_facility = art_facility or screening.art_facility
    screening.save(update_fields=["art_referral_completed_on", "art_facility"])
    enrolment = screening.enrolment
    if enrolment.art_status != "ARAR":
        enrolment.art_status = "ARAR"
        enrolment.save(update_fields=["art_status"])
        _fact(
            "ovc_hiv_status",
            actor.organisation,
            enrolment,
            art_referral_completed_on,
            _hivstat(enrolment),
            what=f"art:{screening.pk}",
        )
    return screening


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
    actor: Actor,
    enrolment: Enrolment | int,
    visit_date: date,
    adherence: str,
    current_regimen: str = "",
    viral_load: int | None = None,
    viral_load_date: date | None = None,
    treatment_supporter: str = "",
    next_appointment: date | None = None,
    notes: str = "",
) -> HivManagementVisit:
    """Record an HIV management and adherence visit of a child living with HIV."""
    enrolment = recording_enrolment(actor, enrolment)
    errors = checks()
    if enrolment.hiv_status != "HSTP":
        errors.add("__all__", gettext("HIV management is for children living with HIV."))
    errors.check("adherence", "ovc_adherence", adherence)
    if visit_date is None:
        errors.add("visit_date", gettext("This field is required."))
    not_future(errors, "visit_date", visit_date)
    not_future(errors, "viral_load_date", viral_load_date)
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
        recorded_by=actor.user,
    )


@transaction.atomic
def caregiver_hiv_status_record(
    *,
    actor: Actor,
    household: Household | int,
    member: HouseholdMember | int,
    hiv_status: str,
    known_on: date,
    art_status: str = "",
) -> CaregiverHivStatus:
    """Record a caregiver's HIV (and ART) status as known on a day; the latest known status
    becomes the member's. The day is when the status became known, which may be long before
    the visit: it may not be in the future nor before the caregiver's birth. A positive
    status is not edited back (an earlier negative may still be added to the history)."""
    household = recording_household(actor, household)
    member_id = member.pk if isinstance(member, HouseholdMember) else member
    found = household.members.filter(pk=member_id).first()
    errors = checks()
    if found is None:
        errors.add("member", gettext("Choose a member of this household."))
    elif found.member_type in selectors_hiv.CHILD_MEMBER_TYPES:
        errors.add("member", gettext("Children's HIV care is recorded on their own page."))
    errors.check("hiv_status", "ovc_hiv_status", hiv_status)
    if hiv_status == "HHEI":
        errors.add("hiv_status", gettext("A caregiver is not an HIV-exposed infant."))
    errors.check("art_status", "ovc_art_status", art_status, required=False)
    if art_status and hiv_status != "HSTP":
        errors.add("art_status", gettext("ART is recorded for a caregiver living with HIV."))
    if known_on is None:
        errors.add("known_on", gettext("This field is required."))
    not_future(errors, "known_on", known_on)
    if found is not None:
        plausible(errors, "known_on", known_on, Person.objects.filter(pk=found.person_id).first())
        if found.hiv_status == "HSTP" and hiv_status != "HSTP" and known_on:
            positive_since = (
                found.hiv_history.filter(hiv_status="HSTP")
                .order_by("known_on")
                .values_list("known_on", flat=True)
                .first()
            )
            if positive_since is None or known_on >= positive_since:
                errors.add("hiv_status", gettext("A positive status is not edited back."))
    errors.raise_if_any()
    record = CaregiverHivStatus.objects.create(
        member=found,
        hiv_status=hiv_status,
        art_status=art_status,
        known_on=known_on,
        recorded_by=actor.user,
    )
    latest = found.hiv_history.order_by("-known_on", "-id").first()
    if found.hiv_status != latest.hiv_status:
        found.hiv_status = latest.hiv_status
        found.save(update_fields=["hiv_status"])
    return record

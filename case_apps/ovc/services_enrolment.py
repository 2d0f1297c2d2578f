"""Enrolment of a child in the programme and its corrections, with their outbox facts."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.lists.checks import CodeChecks
from case_apps.ovc.date_rules import REGISTRATION_MAX_DAYS_BACK
from case_apps.ovc.facts import _enrolment_day_restate, _fact
from case_apps.ovc.models import Enrolment, EnrolmentStatus, Household, HouseholdMember
from case_apps.ovc.models_serials import COUNTER_NAME, ChildSerial, SerialCounter, serial_text
from case_apps.ovc.services_common import (
    checks,
    not_future,
    plausible,
    recording_enrolment,
    recording_household,
    today,
    within_days_back,
)
from case_apps.ovc.services_households import check_caregivers
from shared_registry.models import Person
from shared_registry.services import person_link_record
from tenants.actor import Actor
from tenants.models import Organisation
from tenants.policy import Permission


def lip_code(organisation: Organisation) -> str:
    """The partner's code in its OVC serials: the workspace slug in capitals
    (unique among organisations), as in its household numbers."""
    return organisation.slug.upper()


def child_serial(organisation: Organisation, child: Person) -> str:
    """The child's OVC serial in this partner: the one drawn at an earlier enrolment, else the
    next number of the partner's counter (its row locked until the enrolment commits, so
    numbers are drawn one at a time and none is lost)."""
    found = ChildSerial.objects.filter(child=child).first()
    if found is not None:
        return found.serial
    counter, _created = SerialCounter.objects.get_or_create(name=COUNTER_NAME)
    counter = SerialCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    serial = serial_text(lip_code(organisation), counter.last)
    ChildSerial.objects.create(child=child, number=counter.last, serial=serial)
    return serial


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
    errors = checks()
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
        not_future(errors, "registration_date", registration_date)
        plausible(errors, "registration_date", registration_date, child)
    return errors


@transaction.atomic
def child_enrol(
    *,
    actor: Actor,
    household: Household | int,
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
    caregiver_ids: list[int] | None = None,
) -> Enrolment:
    """Enrol a child of the household against the eligibility criteria; ``caregiver_ids``
    names the adult members caring for them (a child new to the household: the head when
    none are named; one already a member keeps theirs)."""
    household = recording_household(actor, household)
    organisation = actor.organisation
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
    # at first entry the registration date is at most 28 days back (corrections move it)
    within_days_back(errors, "registration_date", registration_date, REGISTRATION_MAX_DAYS_BACK)
    if Enrolment.objects.filter(child=child, status=EnrolmentStatus.ACTIVE).exists():
        errors.add("child", gettext("This child is already enrolled."))
    caregivers = check_caregivers(errors, household, "TOVC", caregiver_ids)
    errors.raise_if_any()
    member = household.members.filter(person=child).first()
    if member is None:
        member = HouseholdMember.objects.create(
            household=household, person=child, member_type="TOVC", hiv_status=hiv_status
        )
        member.caregivers.set(caregivers or household.members.filter(is_head=True))
    elif caregivers:
        member.caregivers.set(caregivers)
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
        serial=child_serial(organisation, child),
        created_by=actor.user,
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
    actor: Actor,
    enrolment: Enrolment | int,
    **fields,
) -> Enrolment:
    """Correct an active enrolment: the registration date moves at most 28 days, and a
    positive HIV status is never edited back, except by those who may supervise cases (a
    status entered in error)."""
    enrolment = recording_enrolment(actor, enrolment)
    organisation = actor.organisation
    may_override_hiv_status = actor.may(Permission.SUPERVISE_CASES)
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
            today(),
            _hivstat(enrolment),
            what=f"hiv:{timezone.now():%Y%m%d%H%M%S%f}",
        )
    if school_changed:  # OVC_SERV leaves out actives of 18 and over who are out of school
        _fact(
            "ovc_school_status",
            organisation,
            enrolment,
            today(),
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

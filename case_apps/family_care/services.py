"""Recording alternative family care (issue 19): the care record on a case, its carers, its
follow-ups, its end; and the discharge from an institution to family-based care in one
transaction.

Dates are the days things happened: not in the future, not before the case was reported,
not before the child was born (the back-dating rule of case follow-ups). A certificate
expires after the care began; foster care needs its certificate number and expiry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from case_apps.cases.models import CaseCaregiver, CaseRecord
from case_apps.cases.services.common import (
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    record_event,
    require_open,
)
from case_apps.family_care.models import (
    ADOPTION,
    FAMILY_CARE_TYPES,
    FOSTER_CARE,
    AdoptionKind,
    AlternativeCare,
    AlternativeCareCarer,
    CareFollowUp,
)
from case_apps.family_care.selectors import care_get
from shared_registry.models import Person
from shared_registry.plausibility import implausible_date
from shared_registry.services import person_link_record, person_register_checked
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

INSTITUTION_KINDS = ("statutory_institution", "cci")
CARE_FIELDS = (
    "care_type",
    "adoption_kind",
    "certificate_number",
    "certificate_expires_on",
    "court_name",
    "court_file_number",
    "agency",
    "notes",
)


@dataclass
class CarerInput:
    """A carer named on a form: a registry person already found (``person``), or one to
    register (``new_person``: the registry's fields, with ``registered_anyway_reason`` when
    the registry holds someone probably the same)."""

    relationship_code: str
    person: Person | None = None
    new_person: dict = field(default_factory=dict)


def _day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def _check_day_done(codes: Codes, name: str, day: date | None, case: CaseRecord, what: str):
    """Not in the future, not before the case was reported, not before the child was born."""
    if day is None:
        codes.add(name, gettext("Give the date."))
    elif day > timezone.localdate():
        codes.add(name, gettext("%(what)s cannot be in the future.") % {"what": what})
    elif day < case.date_reported:
        codes.add(
            name,
            gettext("%(what)s cannot be before the date the case was reported (%(d)s).")
            % {"what": what, "d": _day(case.date_reported)},
        )
    elif problem := implausible_date(day, case.child):
        codes.add(name, problem)


def _care_check(codes: Codes, case: CaseRecord, data: dict) -> None:
    care_type = data["care_type"]
    codes.check("care_type", "alternative_care_type", care_type)
    if care_type and care_type not in FAMILY_CARE_TYPES and "care_type" not in codes.errors:
        codes.add(
            "care_type",
            gettext(
                "Only family-based care is recorded here (foster care, guardianship, kinship, "
                "kafaala, adoption, supported independent living)."
            ),
        )
    if data["adoption_kind"] and data["adoption_kind"] not in AdoptionKind.values:
        codes.add("adoption_kind", gettext("Unknown kind of adoption."))
    elif care_type == ADOPTION and not data["adoption_kind"]:
        codes.add("adoption_kind", gettext("Say which kind of adoption."))
    elif care_type != ADOPTION and data["adoption_kind"]:
        codes.add("adoption_kind", gettext("Only for an adoption."))
    started_on, expires_on = data["started_on"], data["certificate_expires_on"]
    _check_day_done(codes, "started_on", started_on, case, gettext("Care"))
    if care_type == FOSTER_CARE:
        if not data["certificate_number"]:
            codes.add("certificate_number", gettext("Foster care needs its certificate number."))
        if expires_on is None:
            codes.add(
                "certificate_expires_on", gettext("Foster care needs its certificate expiry.")
            )
    if expires_on is not None and started_on is not None and expires_on <= started_on:
        codes.add(
            "certificate_expires_on",
            gettext("The certificate must expire after the care began."),
        )


def _care_data(**values) -> dict:
    data = {name: values.get(name) for name in CARE_FIELDS}
    for name in CARE_FIELDS:
        if name != "certificate_expires_on":
            data[name] = (data[name] or "").strip()
    data["started_on"] = values.get("started_on")
    return data


def _care_create(actor: Actor, case: CaseRecord, data: dict, admission=None) -> AlternativeCare:
    care = AlternativeCare.objects.create(
        case=case, officer=actor.user, admission=admission, **data
    )
    what = f"{care.pk} {care.care_type} from {care.started_on}"
    if care.certificate_number:
        what += f"; certificate {care.certificate_number} until {care.certificate_expires_on}"
    record_event(case, actor, "family_care_began", reason=what, on=care.started_on)
    return care


@transaction.atomic
def care_record(*, actor: Actor, case: CaseRecord | int, **values) -> AlternativeCare:
    """Record the child's family-based care on an open case (the right to record cases)."""
    actor = as_actor(actor)
    case = case_for(actor, case)
    require_open(case)
    data = _care_data(**values)
    codes = Codes("alternative_care_type")
    _care_check(codes, case, data)
    codes.raise_if_any()
    return _care_create(actor, case, data)


def _caregiver_for(case: CaseRecord, person: Person, relationship_code: str) -> CaseCaregiver:
    """The case's caregiver row of this person, made or given this relationship."""
    caregiver = CaseCaregiver.objects.filter(case=case, person_id=person.pk).first()
    if caregiver is None:
        return CaseCaregiver.objects.create(
            case=case, person=person, relationship_code=relationship_code
        )
    if caregiver.relationship_code != relationship_code:
        caregiver.relationship_code = relationship_code
        caregiver.save(update_fields=["relationship_code"])
    return caregiver


def _carer_link(
    actor: Actor, care: AlternativeCare, person: Person, relationship_code: str, *, prefix: str = ""
) -> AlternativeCareCarer:
    case = care.case
    codes = Codes("caregiver_relationship")
    codes.check(f"{prefix}relationship_code", "caregiver_relationship", relationship_code)
    if person.pk == case.child_id:
        codes.add(f"{prefix}person", gettext("The child cannot be their own carer."))
    codes.raise_if_any()
    caregiver = _caregiver_for(case, person, relationship_code)
    if AlternativeCareCarer.objects.filter(care=care, caregiver=caregiver).exists():
        raise ValidationError(
            {f"{prefix}person": [gettext("This person is already a carer of this care.")]}
        )
    carer = AlternativeCareCarer.objects.create(care=care, caregiver=caregiver)
    person_link_record(person=person, organisation=acting_organisation(actor, None))
    record_event(
        case,
        actor,
        "family_carer_added",
        reason=f"{care.pk} {person.cpims_id} {relationship_code}",
    )
    return carer


def _care_for_update(actor: Actor, care: AlternativeCare | int) -> AlternativeCare:
    care_id = care if isinstance(care, int) else care.pk
    care = care_get(actor=actor, care_id=care_id, permission=Permission.RECORD_CASES)
    care = AlternativeCare.objects.select_for_update().select_related("case").get(pk=care.pk)
    care.case = case_for(actor, care.case_id)
    require_open(care.case)
    return care


@transaction.atomic
def carer_add(
    *, actor: Actor, care: AlternativeCare | int, person: Person, relationship_code: str
) -> AlternativeCareCarer:
    """Link a registry person to the care as a carer (and as a caregiver of the case, with
    their relationship to the child); the child is never their own carer."""
    actor = as_actor(actor)
    care = _care_for_update(actor, care)
    return _carer_link(actor, care, person, relationship_code)


@transaction.atomic
def carer_remove(*, actor: Actor, care: AlternativeCare | int, carer_id: int) -> None:
    """Unlink a carer from the care (the person stays a caregiver named on the case)."""
    actor = as_actor(actor)
    care = _care_for_update(actor, care)
    carer = (
        AlternativeCareCarer.objects.select_related("caregiver")
        .filter(pk=carer_id, care=care)
        .first()
    )
    if carer is None:
        raise NotFound
    carer.delete()
    record_event(
        care.case,
        actor,
        "family_carer_removed",
        reason=f"{care.pk} person {carer.caregiver.person_id}",
    )


@transaction.atomic
def care_end(
    *, actor: Actor, care: AlternativeCare | int, ended_on: date, notes: str = ""
) -> AlternativeCare:
    """Record the day the care ended: not in the future, not before it began."""
    actor = as_actor(actor)
    care = _care_for_update(actor, care)
    codes = Codes()
    if care.ended_on is not None:
        codes.add("ended_on", gettext("This care has already ended."))
    elif ended_on is None:
        codes.add("ended_on", gettext("Give the date."))
    elif ended_on > timezone.localdate():
        codes.add("ended_on", gettext("Care cannot end in the future."))
    elif ended_on < care.started_on:
        codes.add("ended_on", gettext("Care cannot end before it began."))
    codes.raise_if_any()
    care.ended_on, care.end_notes = ended_on, (notes or "").strip()
    care.save(update_fields=["ended_on", "end_notes"])
    record_event(care.case, actor, "family_care_ended", reason=f"{care.pk} on {ended_on}")
    return care


@transaction.atomic
def care_follow_up_record(
    *,
    actor: Actor,
    care: AlternativeCare | int,
    kind: str,
    visited_on: date,
    wellbeing: str,
    findings: str = "",
    next_visit_on: date | None = None,
) -> CareFollowUp:
    """Record a visit or review of the care: not in the future, not before the care began;
    the next visit, when given, after it."""
    actor = as_actor(actor)
    care = _care_for_update(actor, care)
    codes = Codes("family_care_follow_up", "family_care_wellbeing")
    codes.check("kind", "family_care_follow_up", kind)
    codes.check("wellbeing", "family_care_wellbeing", wellbeing)
    _check_day_done(codes, "visited_on", visited_on, care.case, gettext("A follow-up"))
    if "visited_on" not in codes.errors:
        if visited_on < care.started_on:
            codes.add("visited_on", gettext("A follow-up cannot be before the care began."))
        elif care.ended_on and visited_on > care.ended_on:
            codes.add("visited_on", gettext("A follow-up cannot be after the care ended."))
        if next_visit_on is not None and next_visit_on <= visited_on:
            codes.add("next_visit_on", gettext("The next visit must be after this one."))
    codes.raise_if_any()
    follow_up = CareFollowUp.objects.create(
        care=care,
        kind=kind,
        visited_on=visited_on,
        wellbeing=wellbeing,
        findings=(findings or "").strip(),
        next_visit_on=next_visit_on,
        officer=actor.user,
    )
    record_event(
        care.case,
        actor,
        "family_care_follow_up",
        reason=f"{care.pk} {kind} {wellbeing} on {visited_on}",
        on=visited_on,
    )
    return follow_up


def _carer_person(actor: Actor, carer: CarerInput, prefix: str) -> Person:
    if carer.person is not None:
        return carer.person
    try:
        return person_register_checked(
            **carer.new_person,
            created_by=actor.user,
            organisation=acting_organisation(actor, None),
        )
    except ValidationError as error:
        messages = getattr(error, "message_dict", {"person": error.messages})
        raise ValidationError({f"{prefix}{k}": v for k, v in messages.items()}) from None


@transaction.atomic
def discharge_to_care(
    *,
    actor: Actor,
    admission,
    discharged_on: date,
    discharge_type: str = "",
    carers: Sequence[CarerInput] = (),
    **values,
) -> AlternativeCare:
    """A resident leaves the institution for family-based care: the residence ends (status
    "placed in family-based care") and the care is recorded on the same case from the day of
    discharge, with its carers (found in the registry or registered here), all in one
    transaction: any refusal changes nothing. Institutions only."""
    from case_apps.institutions.models import Admission, ResidentialStatus
    from case_apps.institutions.services_admissions import resident_discharge

    actor = as_actor(actor)
    organisation = acting_organisation(actor, None)
    if organisation is None or organisation.kind not in INSTITUTION_KINDS:
        raise NotFound
    admission_id = admission if isinstance(admission, int) else admission.pk
    admission = Admission.objects.filter(pk=admission_id).first()
    if admission is None:
        raise NotFound
    case = case_for(actor, admission.case_id)
    data = _care_data(**values, started_on=discharged_on)
    codes = Codes("alternative_care_type", "caregiver_relationship")
    _care_check(codes, case, data)
    if "started_on" in codes.errors:
        codes.errors["discharged_on"] = codes.errors.pop("started_on")
    for index, carer in enumerate(carers):
        codes.check(
            f"carers.{index}.relationship_code", "caregiver_relationship", carer.relationship_code
        )
    codes.raise_if_any()
    admission = resident_discharge(
        actor=actor,
        admission=admission,
        discharged_on=discharged_on,
        status=ResidentialStatus.FAMILY_CARE,
        discharge_type=discharge_type,
        notes=data["notes"],
    )
    care = _care_create(actor, case, data, admission=admission)
    care.case = case
    for index, carer in enumerate(carers):
        prefix = f"carers.{index}."
        person = _carer_person(actor, carer, prefix)
        _carer_link(actor, care, person, carer.relationship_code, prefix=prefix)
    return care

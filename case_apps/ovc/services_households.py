"""Households and their members: one household per caregiver (its head), each member a
registry person linked to the organisation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from case_apps.lists.checks import CodeChecks
from case_apps.ovc import selectors
from case_apps.ovc.models import Household, HouseholdMember
from case_apps.ovc.services_common import checks, recording_household
from shared_registry.models import County, Person, SubCounty, Ward
from shared_registry.services import person_link_record
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

CHILD_MEMBER_TYPES = ("TOVC", "TBVC")  # the index child, another child of the household


@dataclass
class MemberInput:
    person: Person
    member_type: str
    alive: bool = True
    death_cause: str = ""
    hiv_status: str = "HSKN"
    caregiver_ids: tuple[int, ...] | list[int] = ()  # for a child: the members caring for them


def check_household_place(
    errors: CodeChecks, county_code: str, sub_county_code: str, ward_code: str
) -> tuple[str, str, str]:
    """County, sub-county and ward from the geography lists, each inside the one above (a
    ward alone fills in its sub-county and county); a typed unknown code is refused with
    its field named. Returns the three codes to keep."""
    county, sub_county, ward = (
        str(c or "").strip() for c in (county_code, sub_county_code, ward_code)
    )
    if ward:
        found = Ward.objects.select_related("sub_county__county").filter(code=ward).first()
        if found is None:
            errors.add("ward_code", gettext("Choose a ward from the list."))
        elif sub_county and found.sub_county.code != sub_county:
            errors.add("ward_code", gettext("This ward is not in the chosen sub-county."))
        else:
            sub_county = found.sub_county.code
    if sub_county:
        found = SubCounty.objects.select_related("county").filter(code=sub_county).first()
        if found is None:
            errors.add(
                "sub_county_code",
                gettext("Unknown sub-county code “%(code)s”.") % {"code": sub_county},
            )
        elif county and found.county.code != county:
            errors.add("sub_county_code", gettext("This sub-county is not in the chosen county."))
        else:
            county = found.county.code
    if county and not County.objects.filter(code=county).exists():
        errors.add("county_code", gettext("Unknown county code “%(code)s”.") % {"code": county})
    return county, sub_county, ward


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


def check_caregivers(
    errors: CodeChecks, household: Household, member_type: str, caregiver_ids
) -> list[HouseholdMember]:
    """A child's caregivers are adult members of the same household (not children)."""
    ids = list(dict.fromkeys(caregiver_ids or ()))
    if not ids:
        return []
    if member_type not in CHILD_MEMBER_TYPES:
        errors.add("caregiver_ids", gettext("Only a child has caregivers in the household."))
        return []
    found = list(household.members.filter(pk__in=ids).exclude(member_type__in=CHILD_MEMBER_TYPES))
    if len(found) != len(ids):
        errors.add(
            "caregiver_ids",
            gettext("Choose caregivers among the adult members of the household."),
        )
    return found


@transaction.atomic
def household_register(
    *,
    actor: Actor,
    head: Person,
    head_relation: str = "CGPM",
    head_hiv_status: str = "HSKN",
    village: str = "",
    ward_code: str = "",
    county_code: str = "",
    sub_county_code: str = "",
) -> Household:
    """Register a household with its caregiver as head (one household per caregiver); the
    registering officer follows it. The place comes from the geography lists; with none
    given, the organisation's county and sub-county."""
    actor.require(Permission.RECORD_CASES)
    organisation = actor.organisation
    errors = checks()
    head_member = MemberInput(person=head, member_type=head_relation, hiv_status=head_hiv_status)
    _check_member(errors, head_member, "head_")
    if head_relation in CHILD_MEMBER_TYPES:
        errors.add(
            "head_member_type", gettext("The head of a household is its caregiver, not a child.")
        )
    if Household.objects.filter(head=head).exists():
        errors.add("head", gettext("This caregiver already heads a household."))
    if county_code or sub_county_code or ward_code:
        county_code, sub_county_code, ward_code = check_household_place(
            errors, county_code, sub_county_code, ward_code
        )
    else:
        county_code = organisation.county_code or ""
        sub_county_code = organisation.sub_county_code or ""
    errors.raise_if_any()
    household = Household.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:24]}",
        head=head,
        village=village.strip(),
        ward_code=ward_code,
        county_code=county_code,
        sub_county_code=sub_county_code,
        created_by=actor.user,
        assigned_officer=actor.user,
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
    *, actor: Actor, household: Household | int, member: MemberInput
) -> HouseholdMember:
    """Add a member with their relation: a caregiver (relation code) or a child (index
    child, other child) with the members who care for them (the head when none is named)."""
    household = recording_household(actor, household)
    errors = checks()
    _check_member(errors, member)
    caregivers = check_caregivers(errors, household, member.member_type, member.caregiver_ids)
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
    if member.member_type in CHILD_MEMBER_TYPES:
        row.caregivers.set(caregivers or household.members.filter(is_head=True))
    person_link_record(person=member.person, organisation=actor.organisation)
    return row


@transaction.atomic
def member_caregivers_set(
    *, actor: Actor, household: Household | int, member_id: int, caregiver_ids: list[int]
) -> HouseholdMember:
    """Say who in the household cares for one of its children (none: nobody named)."""
    household = recording_household(actor, household)
    child = household.members.filter(pk=selectors._int(member_id)).first()
    if child is None:
        raise NotFound
    errors = checks()
    caregivers = check_caregivers(errors, household, child.member_type, caregiver_ids)
    errors.raise_if_any()
    child.caregivers.set(caregivers)
    return child


@transaction.atomic
def household_assign(*, actor: Actor, household: Household | int, officer_id: int) -> Household:
    """Give the household to another officer of the organisation (supervisors and admins):
    it then shows in that officer's caseload."""
    actor.require(Permission.SUPERVISE_CASES)
    household = recording_household(actor, household)
    errors = checks()
    if officer_id not in dict(selectors.officer_choices(actor=actor)):
        errors.add("officer", gettext("Choose an officer of this organisation."))
    errors.raise_if_any()
    household.assigned_officer_id = officer_id
    household.save(update_fields=["assigned_officer"])
    return household

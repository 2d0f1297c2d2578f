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
from shared_registry.models import Person
from shared_registry.services import person_link_record
from tenants.actor import Actor
from tenants.policy import Permission


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
    registering officer follows it."""
    actor.require(Permission.RECORD_CASES)
    organisation = actor.organisation
    errors = checks()
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
    household = recording_household(actor, household)
    errors = checks()
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
    person_link_record(person=member.person, organisation=actor.organisation)
    return row


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

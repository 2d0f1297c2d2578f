"""Form 1B: services delivered to a household's caregiver, coded from the domain's Form 1B
list (``ovc_form1b_service_<domain>``). No ``ovc_service`` fact is written: MER counts the
children's services (Form 1A) only."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from case_apps.lists.data_ovc_plans import FORM1B_KIND
from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.models import Household, HouseholdMember
from case_apps.ovc.models_form1b import HouseholdServiceRecord
from case_apps.ovc.services_case_plans import check_in_domain, plan_checks
from case_apps.ovc.services_common import (
    not_future,
    plausible,
    recording_household,
    within_days_back,
)
from shared_registry.models import Person
from tenants.actor import Actor

CHILD_MEMBER_TYPES = ("TOVC", "TBVC")  # the index child, another child: not caregivers


def _caregiver(errors, household: Household, member_id: int | None) -> HouseholdMember | None:
    """The caregiver member of the household (its head when none is chosen)."""
    members = household.members.all()
    if member_id is None:
        found = members.filter(is_head=True).first()
    else:
        found = members.filter(pk=member_id).first() if str(member_id).isdigit() else None
    if found is None:
        errors.add("caregiver_id", gettext("This person is not a member of the household."))
    elif found.member_type in CHILD_MEMBER_TYPES:
        errors.add("caregiver_id", gettext("A child cannot be the caregiver of a Form 1B service."))
    elif not found.alive:
        errors.add("caregiver_id", gettext("This caregiver has died."))
    return found


def caregiver_service_checks(
    *,
    household: Household,
    domain: str,
    service: str,
    provider: str,
    date: date | None,
    caregiver_id: int | None = None,
) -> HouseholdMember | None:
    """The refusals of a Form 1B service for a household already fetched as the recording
    actor, naming the fields (nothing is written); the caregiver served otherwise."""
    errors = plan_checks()
    errors.check("domain", "ovc_domain", domain)
    check_in_domain(errors, "service", FORM1B_KIND, domain, service)
    member = _caregiver(errors, household, caregiver_id)
    if not (provider or "").strip():
        errors.add("provider", gettext("This field is required."))
    if date is None:
        errors.add("date", gettext("This field is required."))
    else:
        not_future(errors, "date", date)
        person = Person.objects.filter(pk=member.person_id).first() if member else None
        plausible(errors, "date", date, person)  # not before the caregiver's birth
        within_days_back(errors, "date", date, EVENT_MAX_DAYS_BACK)
    errors.raise_if_any()
    return member


@transaction.atomic
def caregiver_service_record(
    *,
    actor: Actor,
    household: Household | int,
    domain: str,
    service: str,
    provider: str,
    date: date,
    place: str = "",
    caregiver_id: int | None = None,
) -> HouseholdServiceRecord:
    """Record a service delivered to a caregiver of the household (Form 1B): a code of the
    domain's Form 1B list; the caregiver is the head unless another adult member is named."""
    household = recording_household(actor, household)
    member = caregiver_service_checks(
        household=household,
        domain=domain,
        service=service,
        provider=provider,
        date=date,
        caregiver_id=caregiver_id,
    )
    return HouseholdServiceRecord.objects.create(
        household=household,
        caregiver=member,
        domain=domain,
        service=service,
        provider=provider.strip(),
        place=(place or "").strip(),
        date=date,
        recorded_by=actor.user,
    )

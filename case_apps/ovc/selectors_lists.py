"""Search and filters of the OVC lists (issue 17, *screens at a glance*): the households and
the enrolled children an officer follows, always within the actor's caseload scope
(``selectors.households_visible_to``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from audit.services import access_record
from case_apps.ovc.models import Enrolment, EnrolmentStatus, Household
from case_apps.ovc.models_serials import SERIAL_DIGITS
from case_apps.ovc.selectors import household_list, households_visible_to
from shared_registry import names
from shared_registry.models import Person
from tenants.actor import Actor
from tenants.policy import Permission

SERIAL_PATTERN = re.compile(rf"^[\w-]+/\d{{{SERIAL_DIGITS}}}$")

# Households by whom they have enrolled (the programme's status of a household).
HOUSEHOLD_ENROLLED = "enrolled"  # at least one child active in the programme
HOUSEHOLD_NOT_ENROLLED = "not_enrolled"  # no child active (none yet, or all exited)


@dataclass(frozen=True)
class HouseholdFilters:
    """What the officer narrowed the households to (blank: every household they see)."""

    search: str = ""
    county: str = ""
    officer: int | None = None
    enrolled: str = ""
    registered_from: date | None = None
    registered_to: date | None = None


def _registered(queryset: QuerySet, field: str, start: date | None, end: date | None):
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def households_list(
    *, actor: Actor, filters: HouseholdFilters | None = None
) -> QuerySet[Household]:
    """The actor's households, newest first, narrowed by the search of ``household_list``
    (number, village, CPIMS ID, a member's name), the county, the officer who follows
    them, whether a child is active in the programme, and the day they were registered."""
    filters = filters or HouseholdFilters()
    households = household_list(actor=actor, search=filters.search)
    if filters.county:
        households = households.filter(county_code=filters.county)
    if filters.officer:
        households = households.filter(assigned_officer_id=filters.officer)
    active = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE).values("household_id")
    if filters.enrolled == HOUSEHOLD_ENROLLED:
        households = households.filter(pk__in=active)
    elif filters.enrolled == HOUSEHOLD_NOT_ENROLLED:
        households = households.exclude(pk__in=active)
    return _registered(
        households, "created_at__date", filters.registered_from, filters.registered_to
    )


@dataclass(frozen=True)
class ChildFilters:
    """What the officer narrowed the enrolled children to (blank: all they see)."""

    search: str = ""
    status: str = ""
    programme: str = ""
    hiv_status: str = ""
    county: str = ""
    registered_from: date | None = None
    registered_to: date | None = None


def _serial_search(term: str, compact: str) -> Q:
    """The OVC serial as printed (``BETA/00042``, any case) or its number alone (``42``)."""
    found = Q(serial__iexact=term)
    if "/" in term:
        found |= Q(serial__icontains=term)
    if compact.isdigit() and len(compact) <= SERIAL_DIGITS:
        found |= Q(serial__endswith=f"/{int(compact):0{SERIAL_DIGITS}d}")
    return found


def _child_search(term: str) -> Q:
    """An OVC serial, a CPIMS ID, a household number, or the child's names (each word
    anywhere in the registry's normalised name, or the same phonetic key, as the registry
    forgives)."""
    if SERIAL_PATTERN.match(term):  # a whole serial names one child
        return Q(serial__iexact=term)
    compact = term.replace("-", "").replace(" ", "")
    serial = _serial_search(term, compact)
    if compact.isdigit():
        return serial | Q(child__cpims_id=compact) | Q(household__number__icontains=term)
    words = names.tokens(term)
    if not words:
        return serial | Q(household__number__icontains=term)
    people = Person.objects.all()
    for word in words:
        people = people.filter(
            Q(search_name__contains=word) | Q(name_keys__contains=[names.phonetic_key(word)])
        )
    return serial | Q(child__in=people.values("pk")) | Q(household__number__icontains=term)


def children_list(*, actor: Actor, filters: ChildFilters | None = None) -> QuerySet[Enrolment]:
    """The children enrolled in the households the actor sees, newest registration first,
    narrowed by name, OVC serial, CPIMS ID or household number, status (active, exited),
    programme, HIV status, the household's county and the registration date."""
    filters = filters or ChildFilters()
    children = Enrolment.objects.filter(household__in=households_visible_to(actor)).select_related(
        "child", "household"
    )
    term = filters.search.strip()[:100]
    if term:
        children = children.filter(_child_search(term))
    if filters.status:
        children = children.filter(status=filters.status)
    if filters.programme:
        children = children.filter(programme=filters.programme)
    if filters.hiv_status:
        children = children.filter(hiv_status=filters.hiv_status)
    if filters.county:
        children = children.filter(household__county_code=filters.county)
    children = _registered(
        children, "registration_date", filters.registered_from, filters.registered_to
    )
    return children.order_by("-registration_date", "-id")


def children_export_read(
    *,
    actor: Actor,
    filters: ChildFilters,
    export_format: str,
    purpose: str,
    request: HttpRequest | None = None,
) -> QuerySet[Enrolment]:
    """The rows of a children export (the list as filtered, nothing more), the export
    logged in the access log with what selected it."""
    actor.require(Permission.VIEW_CASES)
    children = children_list(actor=actor, filters=filters)
    access_record(
        actor=actor.user,
        record_kind="ovc_children_export",
        record_id=export_format,
        purpose=purpose[:200] or "OVC children export",
        membership=actor.membership,
        request=request,
    )
    return children

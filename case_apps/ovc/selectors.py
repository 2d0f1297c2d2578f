"""Reads of the OVC programme, always as an actor: a household is seen under the caseload
scope cases use (``tenants.policy.case_scope``), an enrolled child with its household.

Case workers and data clerks see the households assigned to them or registered by them,
supervisors also their team's, organisation admins and viewers all. A household or child
outside the actor's scope is not found, exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest

from audit.services import access_record
from case_apps.cases.models import Supervision
from case_apps.cases.selectors import team_officer_ids
from case_apps.ovc.models import Cpara, Enrolment, Household, HouseholdMember
from case_apps.registry_person import registry_person_read
from shared_registry import names
from shared_registry.models import Person
from tenants.actor import Actor, NotFound
from tenants.models import Membership, Role
from tenants.policy import CaseScope, Permission, case_scope, may_see_case


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def households_visible_to(actor: Actor) -> QuerySet[Household]:
    """The households this actor may see: the caseload rule of tenants.policy as a filter."""
    households = Household.objects.all()
    if not actor.may(Permission.VIEW_CASES):
        return households.none()
    scope = case_scope(actor.membership)
    if scope is CaseScope.ALL:
        return households
    own = Q(assigned_officer=actor.user) | Q(created_by=actor.user)
    if scope is CaseScope.OWN:
        return households.filter(own)
    if scope is CaseScope.TEAM:
        team = Supervision.objects.filter(supervisor=actor.user).values("officer_id")
        return households.filter(own | Q(assigned_officer__in=team) | Q(created_by__in=team))
    return households.none()


def _sees(actor: Actor, household: Household) -> bool:
    """The policy's caseload rule for one household (the same rule as the list filter)."""
    return actor.may(Permission.VIEW_CASES) and may_see_case(
        actor.user,
        actor.membership,
        assigned_officer_id=household.assigned_officer_id,
        created_by_id=household.created_by_id,
        team_officer_ids=team_officer_ids(actor.user),
    )


def household_list(*, actor: Actor, search: str = "") -> QuerySet[Household]:
    """The actor's households, newest first; search by household number, village, CPIMS ID
    or the name of the head or of any member."""
    households = households_visible_to(actor).select_related("head")
    term = (search or "").strip()[:100]
    if not term:
        return households
    compact = term.replace("-", "").replace(" ", "")
    if compact.isdigit():
        people = Person.objects.filter(cpims_id=compact).values("pk")
    else:
        words = names.tokens(term)
        people = Person.objects.all() if words else Person.objects.none()
        for word in words:
            people = people.filter(search_name__contains=word)
        people = people.values("pk")
    return households.filter(
        Q(number__icontains=term) | Q(village__icontains=term) | Q(members__person__in=people)
    ).distinct()


def household_get(*, actor: Actor, household_id) -> Household:
    """The household as this actor sees it; ``NotFound`` when missing or out of scope."""
    if isinstance(household_id, Household):
        household_id = household_id.pk
    pk = _int(household_id)
    household = (
        None
        if pk is None
        else Household.objects.select_related("head", "assigned_officer").filter(pk=pk).first()
    )
    if household is None or not _sees(actor, household):
        raise NotFound
    return household


def household_open(*, actor: Actor, household_id, request: HttpRequest | None = None) -> Household:
    """The household page's read: fetched as the actor and logged in the access log."""
    household = household_get(actor=actor, household_id=household_id)
    access_record(
        actor=actor.user,
        record_kind="ovc_household",
        record_id=household.pk,
        purpose="household page",
        membership=actor.membership,
        request=request,
    )
    return household


def enrolment_get(*, actor: Actor, enrolment_id) -> Enrolment:
    """An enrolled child as this actor sees it (through the household's scope); ``NotFound``
    when missing or out of scope."""
    if isinstance(enrolment_id, Enrolment):
        enrolment_id = enrolment_id.pk
    pk = _int(enrolment_id)
    enrolment = (
        None
        if pk is None
        else Enrolment.objects.select_related("child", "household", "household__head")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None or not _sees(actor, enrolment.household):
        raise NotFound
    return enrolment


def enrolment_open(*, actor: Actor, enrolment_id, request: HttpRequest | None = None) -> Enrolment:
    """The child's page's read: fetched as the actor and logged in the access log."""
    enrolment = enrolment_get(actor=actor, enrolment_id=enrolment_id)
    access_record(
        actor=actor.user,
        record_kind="ovc_child",
        record_id=enrolment.pk,
        purpose="enrolled child's page",
        membership=actor.membership,
        request=request,
    )
    return enrolment


def officer_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """The organisation's active members who can follow households: (user id, name)."""
    roles = [Role.CASE_WORKER, Role.DATA_CLERK, Role.SUPERVISOR]
    members = (
        Membership.objects.filter(
            organisation=actor.organisation, is_active=True, roles__overlap=roles
        )
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return [(m.user_id, m.user.full_name or m.user.email) for m in members]


def person_get(
    *, actor: Actor, person_id, ref: str = "", request: HttpRequest | None = None
) -> Person:
    """The registry person an OVC form is about (a caregiver, member or child being added),
    as the actor: only for those who may record (the policy decides), and only a person
    their organisation holds a record on or one a registry search just showed them
    (``ref``). ``NotFound`` otherwise; the read is logged (case_apps/registry_person.py)."""
    if not actor.may(Permission.RECORD_CASES):
        raise NotFound
    return registry_person_read(
        actor=actor, person_id=person_id, ref=ref, purpose="person of an OVC form", request=request
    )


def cpara_latest(*, household: Household) -> Cpara | None:
    return household.cparas.order_by("-assessed_on", "-id").first()


CHILD_MEMBER_TYPES = ("TOVC", "TBVC")


def household_members(*, household: Household) -> list[HouseholdMember]:
    """The members, head first, each with their person and, for a child, their caregivers
    (``m.carers``) and enrolment in the programme (``m.enrolment``, the latest)."""
    members = list(
        household.members.select_related("person").prefetch_related(
            Prefetch("caregivers", queryset=HouseholdMember.objects.select_related("person"))
        )
    )
    enrolments = {}
    for enrolment in household.enrolments.order_by("registration_date", "id"):
        enrolments[enrolment.child_id] = enrolment
    for member in members:
        member.is_child = member.member_type in CHILD_MEMBER_TYPES
        member.carers = list(member.caregivers.all()) if member.is_child else []
        member.enrolment = enrolments.get(member.person_id)
    return members


@dataclass(frozen=True)
class ChildRelations:
    """An enrolled child among the household's members: who cares for them, their siblings."""

    member: HouseholdMember | None
    caregivers: list[HouseholdMember]
    siblings: list[HouseholdMember]  # the other children of the household


def child_relations(*, enrolment: Enrolment) -> ChildRelations:
    """The child's caregivers and the other children of the household (siblings)."""
    members = household_members(household=enrolment.household)
    own = next((m for m in members if m.person_id == enrolment.child_id), None)
    siblings = [m for m in members if m.is_child and m.person_id != enrolment.child_id]
    return ChildRelations(own, own.carers if own else [], siblings)


def caregiver_choices(*, household: Household) -> list[tuple[int, str]]:
    """The adult members who may care for a child of the household: (member id, name)."""
    members = household.members.select_related("person").exclude(member_type__in=CHILD_MEMBER_TYPES)
    return [(m.pk, m.person.full_name) for m in members]


def household_child_member(*, household: Household, member_id) -> HouseholdMember:
    """A child member of this household (``NotFound`` for anyone else)."""
    member = (
        household.members.select_related("person")
        .filter(pk=_int(member_id), member_type__in=CHILD_MEMBER_TYPES)
        .first()
    )
    if member is None:
        raise NotFound
    return member

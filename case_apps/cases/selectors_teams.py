"""Reads of teams (who supervises whom) and the routing of approvals to supervisors.

Routing, in one place: an approval goes to the supervisors of the officer who asked for it
and of the officer the case is assigned to; when neither has a supervisor who could decide
(none named, the only one is the requester, or those named have left the organisation or may
no longer supervise), it goes to every member who may supervise. Never to nobody. An
organisation administrator sees and may decide every approval; nobody decides their own
request (tenants/policy.py: ``may_supervise``, ``sees_every_approval``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from case_apps.cases.models import ApprovalRequest, ApprovalStatus, Supervision
from case_apps.cases.models_teams import SupervisionChange
from tenants.actor import Actor, NotFound
from tenants.models import Membership, Organisation, Role, User
from tenants.policy import (
    Permission,
    may_hold_caseload,
    may_supervise,
    sees_every_approval,
    supervising_roles,
)

SEARCH_MAX = 100


# --- who may supervise -------------------------------------------------------------------
def supervisor_memberships(organisation: Organisation) -> QuerySet[Membership]:
    """The active members of ``organisation`` who may supervise (the policy's roles)."""
    return Membership.objects.filter(
        organisation=organisation,
        is_active=True,
        user__is_active=True,
        roles__overlap=supervising_roles(),
    )


def _effective_links(organisation: Organisation) -> QuerySet[Supervision]:
    """Links whose supervisor can still decide: an active member who may supervise."""
    return Supervision.objects.filter(
        supervisor_id__in=supervisor_memberships(organisation).values("user_id")
    )


def approvers_for(
    *, organisation: Organisation, requested_by_id: int, officer_id: int | None
) -> list[User]:
    """Who an approval requested by ``requested_by_id`` on a case assigned to
    ``officer_id`` goes to: their supervisors, or any supervisor when they have none who
    could decide; never the requester."""
    officers = {requested_by_id} | ({officer_id} if officer_id else set())
    named = (
        _effective_links(organisation)
        .filter(officer_id__in=officers)
        .exclude(supervisor_id=requested_by_id)
        .values("supervisor_id")
    )
    users = User.objects.filter(pk__in=named)
    if not users.exists():
        users = User.objects.filter(
            pk__in=supervisor_memberships(organisation).values("user_id")
        ).exclude(pk=requested_by_id)
    return list(users.order_by("full_name", "email"))


def _routed_to(user_id: int, organisation: Organisation) -> Q:
    """The routing rule as a filter on ApprovalRequest: routed to ``user_id``."""
    officers = Q(officer_id=OuterRef("requested_by_id")) | Q(
        officer_id=OuterRef("case__assigned_officer_id")
    )
    effective = _effective_links(organisation).filter(officers)
    mine = Exists(effective.filter(supervisor_id=user_id))
    someone = Exists(effective.exclude(supervisor_id=OuterRef("requested_by_id")))
    return Q(mine) | ~Q(someone)


def approvals_routed_to(*, actor: Actor) -> QuerySet[ApprovalRequest]:
    """Pending approvals waiting for this actor: all of the organisation's for an
    administrator, those routed to them for a supervisor, none for anyone else; never
    their own requests."""
    pending = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).exclude(
        requested_by_id=actor.user_id
    )
    membership = actor_membership(actor)
    if actor.organisation is None or not may_supervise(membership):
        return pending.none()
    if sees_every_approval(membership):
        return pending
    return pending.filter(_routed_to(actor.user_id, actor.organisation))


def approval_routed_get(*, actor: Actor, approval_id: int) -> ApprovalRequest:
    """A pending approval routed to the actor (``NotFound`` otherwise: missing, decided,
    their own, or routed to others)."""
    approval = approvals_routed_to(actor=actor).filter(pk=approval_id).first()
    if approval is None:
        raise NotFound
    return approval


def approval_routing_check(
    *, actor: Actor, approval: ApprovalRequest, organisation: Organisation | None = None
) -> None:
    """Whether the actor may decide ``approval``: the right to supervise cases
    (``Forbidden``) and the approval routed to them (``NotFound``: to them it does not
    exist); an administrator decides any. Their own request is left to the service to
    refuse with its reason."""
    actor.require(Permission.SUPERVISE_CASES)
    membership = actor_membership(actor)
    if approval.requested_by_id == actor.user_id or sees_every_approval(membership):
        return
    routed = ApprovalRequest.objects.filter(pk=approval.pk).filter(
        _routed_to(actor.user_id, organisation or actor.organisation)
    )
    if not routed.exists():
        raise NotFound


def actor_membership(actor: Actor) -> Membership | None:
    """The actor's membership of their organisation (loaded when the actor has none)."""
    if actor.membership is not None or actor.organisation is None:
        return actor.membership
    return Membership.objects.filter(user=actor.user, organisation=actor.organisation).first()


# --- the Team screen ---------------------------------------------------------------------
@dataclass
class TeamMember:
    membership: Membership
    may_supervise: bool
    holds_caseload: bool
    supervisors: list[Supervision] = field(default_factory=list)
    officers: list[Supervision] = field(default_factory=list)

    @property
    def user(self) -> User:
        return self.membership.user


@dataclass
class TeamFilters:
    search: str = ""
    role: str = ""
    unsupervised: bool = False


def team_members(*, actor: Actor, filters: TeamFilters | None = None) -> list[TeamMember]:
    """The organisation's active members with their supervisors and the officers they
    supervise (a supervisor who has left shows, marked, until removed); ``unsupervised``:
    only officers who hold cases and have no supervisor who can decide. Needs the right to
    manage teams."""
    actor.require(Permission.MANAGE_TEAMS)
    filters = filters or TeamFilters()
    members = Membership.objects.filter(
        organisation=actor.organisation, is_active=True
    ).select_related("user")
    search = filters.search.strip()[:SEARCH_MAX]
    if search:
        members = members.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    if filters.role in Role.values:
        members = members.filter(roles__contains=[filters.role])
    members = list(members.order_by("user__full_name", "user__email"))
    links = list(supervision_links(actor=actor))
    rows = []
    for membership in members:
        row = TeamMember(
            membership=membership,
            may_supervise=may_supervise(membership),
            holds_caseload=may_hold_caseload(membership),
            supervisors=[s for s in links if s.officer_id == membership.user_id],
            officers=[s for s in links if s.supervisor_id == membership.user_id],
        )
        if filters.unsupervised and (
            not row.holds_caseload or any(s.supervisor_active for s in row.supervisors)
        ):
            continue
        rows.append(row)
    return rows


def supervision_links(*, actor: Actor) -> list[Supervision]:
    """Every supervision link of the organisation, each with its two users, whether the
    supervisor can still decide (``supervisor_active``) and when and by whom it was added
    (``added``: the last SupervisionChange that added it, or None for older links)."""
    actor.require(Permission.MANAGE_TEAMS)
    links = list(Supervision.objects.select_related("supervisor", "officer").order_by("id"))
    active = set(supervisor_memberships(actor.organisation).values_list("user_id", flat=True))
    added: dict[tuple[int, int], SupervisionChange] = {}
    for change in SupervisionChange.objects.filter(kind="added").select_related("changed_by"):
        added.setdefault((change.supervisor_id, change.officer_id), change)  # newest first
    for link in links:
        link.supervisor_active = link.supervisor_id in active
        link.added = added.get((link.supervisor_id, link.officer_id))
    return links


def supervision_get(*, actor: Actor, supervision_id: int) -> Supervision:
    """One link of the actor's organisation (``NotFound`` otherwise)."""
    actor.require(Permission.MANAGE_TEAMS)
    link = (
        Supervision.objects.filter(pk=supervision_id)
        .select_related("supervisor", "officer")
        .first()
    )
    if link is None:
        raise NotFound
    return link


def supervision_history(*, actor: Actor, limit: int = 20) -> list[SupervisionChange]:
    """The latest changes of the organisation's teams: who changed what, when."""
    actor.require(Permission.MANAGE_TEAMS)
    return list(
        SupervisionChange.objects.select_related("supervisor", "officer", "changed_by")[:limit]
    )


def supervisor_choices(*, actor: Actor) -> list[User]:
    """The members a link may name as supervisor (active, may supervise)."""
    actor.require(Permission.MANAGE_TEAMS)
    return [
        m.user
        for m in supervisor_memberships(actor.organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def officer_choices(*, actor: Actor) -> list[User]:
    """The members a link may name as officer (active members who hold a caseload)."""
    actor.require(Permission.MANAGE_TEAMS)
    members = Membership.objects.filter(
        organisation=actor.organisation, is_active=True, user__is_active=True
    ).select_related("user")
    return [
        m.user for m in members.order_by("user__full_name", "user__email") if may_hold_caseload(m)
    ]

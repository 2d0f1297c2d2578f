"""Who may do what: the one policy module that views, API endpoints and exports ask."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tenants.capabilities import installed_capabilities, permission_values, role_table
from tenants.models import PlatformRole, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tenants.models import Membership, Organisation, User


# The permissions, and the roles that hold them, are declared by the apps that use them (each
# app's capabilities.py; tenants/capabilities.py): this module only assembles them.
_CAPABILITIES = installed_capabilities()
Permission = StrEnum(
    "Permission",
    [(value.upper(), value) for value in permission_values(_CAPABILITIES)],
    module=__name__,
)
Permission.__doc__ = "Every permission an installed app declares (Permission.RECORD_CASES, ...)."

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    role: frozenset(Permission(value) for value in values)
    for role, values in role_table(_CAPABILITIES, Role).items()
}
PLATFORM_ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    role: frozenset(Permission(value) for value in values)
    for role, values in role_table(_CAPABILITIES, PlatformRole, platform=True).items()
    if values
}
WORKSPACE_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


def membership_permissions(membership: Membership | None) -> frozenset[Permission]:
    if membership is None or not membership.is_active:
        return frozenset()
    return frozenset().union(
        *(ROLE_PERMISSIONS.get(role, frozenset()) for role in membership.roles)
    )


def platform_permissions(user: User | AnonymousUser) -> frozenset[Permission]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = getattr(user, "platform_roles", None) or []
    return frozenset().union(*(PLATFORM_ROLE_PERMISSIONS.get(role, frozenset()) for role in roles))


def may(
    user: User | AnonymousUser,
    permission: Permission,
    *,
    organisation: Organisation | None = None,
    membership: Membership | None = None,
) -> bool:
    """Whether ``user`` may do ``permission``, in ``organisation`` for workspace permissions.

    Workspace permissions come only from an active membership of that very
    organisation in an active organisation; platform roles never open a
    workspace (DCS reads other organisations' data only through sharing).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if permission in WORKSPACE_PERMISSIONS:
        if organisation is None or not organisation.is_active:
            return False
        if membership is None:
            from tenants.selectors import membership_get_active

            membership = membership_get_active(user=user, organisation=organisation)
        if membership is None or membership.organisation_id != organisation.pk:
            return False
        return permission in membership_permissions(membership)
    return permission in platform_permissions(user)


# --- Cases: which cases a member sees --------------------------------------------------------
class CaseScope(StrEnum):
    ALL = "all"  # organisation admins; viewers (read-only, e.g. M&E)
    TEAM = "team"  # supervisors: their own cases and their officers'
    OWN = "own"  # case workers and data clerks: cases assigned to them or recorded by them
    NONE = "none"


def case_scope(membership: Membership | None) -> CaseScope:
    roles = set(membership.roles) if membership is not None and membership.is_active else set()
    if roles & {Role.ORGANISATION_ADMIN, Role.VIEWER}:
        return CaseScope.ALL
    if Role.SUPERVISOR in roles:
        return CaseScope.TEAM
    if roles & {Role.CASE_WORKER, Role.DATA_CLERK}:
        return CaseScope.OWN
    return CaseScope.NONE


def may_see_case(
    user: User,
    membership: Membership | None,
    *,
    assigned_officer_id: int,
    created_by_id: int,
    team_officer_ids: frozenset[int] = frozenset(),
) -> bool:
    """Whether a member may open a case, from the case's owners (the same rule the caseload
    list applies as a query filter)."""
    scope = case_scope(membership)
    if scope is CaseScope.ALL:
        return True
    owners = {assigned_officer_id, created_by_id}
    if scope is CaseScope.OWN:
        return user.pk in owners
    if scope is CaseScope.TEAM:
        return user.pk in owners or bool(owners & team_officer_ids)
    return False


def may_on_case(
    user: User,
    membership: Membership | None,
    permission: Permission,
    *,
    assigned_officer_id: int,
    created_by_id: int,
    team_officer_ids: frozenset[int] = frozenset(),
) -> bool:
    """A workspace permission on one case: the role must grant it and the case be visible."""
    return permission in membership_permissions(membership) and may_see_case(
        user,
        membership,
        assigned_officer_id=assigned_officer_id,
        created_by_id=created_by_id,
        team_officer_ids=team_officer_ids,
    )


# --- Accounts: who must sign in with a second factor -------------------------------------------
MFA_ROLES = frozenset({Role.ORGANISATION_ADMIN})


def mfa_required(user: User | AnonymousUser) -> bool:
    """DCS headquarters roles and organisation admins must use multi-factor sign-in (issue 7);
    it is optional for everyone else."""
    if not user.is_authenticated:
        return False
    if getattr(user, "platform_roles", None):
        return True
    from tenants.models import Membership

    return Membership.objects.filter(
        user=user, is_active=True, roles__overlap=sorted(MFA_ROLES)
    ).exists()


# --- Sharing: who receives referrals and approves agreements (issue 16) ---
# Organisation roles told of a referral sent to their organisation (and of its withdrawal or
# completion): they decide on it.
REFERRAL_RECEIVER_ROLES = frozenset({Role.ORGANISATION_ADMIN, Role.SUPERVISOR})


def referral_receiver_roles() -> list[str]:
    """The roles of an organisation told of referrals sent to it."""
    return sorted(REFERRAL_RECEIVER_ROLES)


def sharing_manager_roles() -> list[str]:
    """The organisation roles that manage its agreements (told of each step of them)."""
    return sorted(r for r, ps in ROLE_PERMISSIONS.items() if Permission.MANAGE_SHARING in ps)


def agreement_approver_roles() -> list[str]:
    """The platform roles whose holders approve agreements (DCS headquarters)."""
    return sorted(
        r for r, ps in PLATFORM_ROLE_PERMISSIONS.items() if Permission.APPROVE_SHARING in ps
    )


def may_for_organisation(
    user: User,
    permission: Permission,
    organisation: Organisation,
    *,
    acting_in: Organisation | None = None,
    membership: Membership | None = None,
) -> bool:
    """A workspace permission for ``organisation`` (a side of an agreement or a referral).
    A user acting inside a workspace (``acting_in``) acts only for that organisation; acting
    outside one (the console, a task), their membership of ``organisation`` decides."""
    if acting_in is not None:
        if acting_in.pk != organisation.pk:
            return False
        return may(user, permission, organisation=organisation, membership=membership)
    return may(user, permission, organisation=organisation)


# --- Cases: who can hold a caseload (issue 16) ---
CASELOAD_ROLES = frozenset(
    {Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN, Role.DATA_CLERK}
)


def caseload_roles() -> frozenset[str]:
    """The roles whose members can be assigned cases: the officers a case can move to."""
    return CASELOAD_ROLES


def may_hold_caseload(membership: Membership | None) -> bool:
    """Whether a member can be assigned cases (an active membership with a caseload role)."""
    return (
        membership is not None
        and membership.is_active
        and bool(set(membership.roles) & CASELOAD_ROLES)
    )


# --- Cases: teams and who decides an approval (issue 17) ---
def supervising_roles() -> list[str]:
    """The organisation roles whose members may supervise officers (and decide approvals)."""
    return sorted(r for r, ps in ROLE_PERMISSIONS.items() if Permission.SUPERVISE_CASES in ps)


def may_supervise(membership: Membership | None) -> bool:
    """Whether a member may be named someone's supervisor: an active membership whose role
    grants the right to supervise cases."""
    return Permission.SUPERVISE_CASES in membership_permissions(membership)


def sees_every_approval(membership: Membership | None) -> bool:
    """Organisation administrators see and may decide every approval of their organisation
    (someone else's: nobody approves their own request); supervisors only those routed to
    them (case_apps/cases/selectors_teams.py)."""
    return (
        membership is not None
        and membership.is_active
        and Role.ORGANISATION_ADMIN in membership.roles
        and may_supervise(membership)
    )

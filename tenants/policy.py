"""Who may do what: the one policy module that views, API endpoints and exports ask."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tenants.models import PlatformRole, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tenants.models import Membership, Organisation, User


class Permission(StrEnum):
    # inside an organisation's workspace
    ENTER_WORKSPACE = "enter_workspace"
    VIEW_CASES = "view_cases"
    RECORD_CASES = "record_cases"
    SUPERVISE_CASES = "supervise_cases"
    MANAGE_MEMBERS = "manage_members"
    VIEW_ORGANISATION_AUDIT_LOG = "view_organisation_audit_log"
    # on the platform site (DCS headquarters)
    USE_CONSOLE = "use_console"
    VERIFY_ORGANISATIONS = "verify_organisations"
    APPROVE_SHARING = "approve_sharing"
    VIEW_NATIONAL_STATISTICS = "view_national_statistics"
    VIEW_PLATFORM_AUDIT_LOG = "view_platform_audit_log"
    MANAGE_REFERENCE_LISTS = "manage_reference_lists"
    # the shared person registry (issue 4)
    SEARCH_REGISTRY = "search_registry"  # workspace: minimal-disclosure search
    REGISTER_PERSONS = "register_persons"  # workspace: register or link a person
    MANAGE_REGISTRY = "manage_registry"  # platform: search, merge, directories, imports
    REVIEW_DUPLICATES = "review_duplicates"  # platform: the registry manager's desk (issue 15)
    # governed sharing (issue 6)
    MANAGE_SHARING = "manage_sharing"  # workspace: request, accept, decline, revoke agreements
    # data protection (issue 7): data subject requests and retention (platform)
    HANDLE_DATA_SUBJECT_REQUESTS = "handle_data_subject_requests"
    MANAGE_RETENTION = "manage_retention"
    SEND_REFERRALS = "send_referrals"  # workspace: refer or transfer a child to another org
    RECEIVE_REFERRALS = "receive_referrals"  # workspace: see, accept or decline referrals in
    # national figures (issue 12): small counts unsuppressed on screen, and internal exports
    # unsuppressed with a stated, logged reason (DCS national analysts)
    VIEW_UNSUPPRESSED_STATISTICS = "view_unsuppressed_statistics"


P = Permission
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.VIEWER: frozenset({P.ENTER_WORKSPACE, P.VIEW_CASES}),
    Role.DATA_CLERK: frozenset({P.ENTER_WORKSPACE, P.VIEW_CASES, P.RECORD_CASES}),
    Role.CASE_WORKER: frozenset({P.ENTER_WORKSPACE, P.VIEW_CASES, P.RECORD_CASES}),
    Role.SUPERVISOR: frozenset(
        {P.ENTER_WORKSPACE, P.VIEW_CASES, P.RECORD_CASES, P.SUPERVISE_CASES}
    ),
    Role.ORGANISATION_ADMIN: frozenset(
        {
            P.ENTER_WORKSPACE,
            P.VIEW_CASES,
            P.RECORD_CASES,
            P.SUPERVISE_CASES,
            P.MANAGE_MEMBERS,
            P.VIEW_ORGANISATION_AUDIT_LOG,
        }
    ),
}
PLATFORM_ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    PlatformRole.NATIONAL_ADMINISTRATOR: frozenset(
        {
            P.USE_CONSOLE,
            P.VERIFY_ORGANISATIONS,
            P.VIEW_PLATFORM_AUDIT_LOG,
            P.VIEW_NATIONAL_STATISTICS,
            P.MANAGE_REFERENCE_LISTS,
        }
    ),
    PlatformRole.SHARING_APPROVER: frozenset(
        {P.USE_CONSOLE, P.APPROVE_SHARING, P.VIEW_PLATFORM_AUDIT_LOG}
    ),
    PlatformRole.ANALYST: frozenset({P.USE_CONSOLE, P.VIEW_NATIONAL_STATISTICS}),
    # the registry manager's desk (issue 15): the duplicates queue, merges and their undo,
    # sibling decisions; not the national administrator's job
    PlatformRole.REGISTRY_MANAGER: frozenset({P.MANAGE_REGISTRY, P.REVIEW_DUPLICATES}),
}
# the shared registry (issue 4): every role that records cases registers and searches
# persons; viewers search only; national administrators manage the registry
for _role in (Role.DATA_CLERK, Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {P.SEARCH_REGISTRY, P.REGISTER_PERSONS}
ROLE_PERMISSIONS[Role.VIEWER] = ROLE_PERMISSIONS[Role.VIEWER] | {P.SEARCH_REGISTRY}
# governed sharing (issue 6): organisation admins manage their organisation's agreements
ROLE_PERMISSIONS[Role.ORGANISATION_ADMIN] = ROLE_PERMISSIONS[Role.ORGANISATION_ADMIN] | {
    P.MANAGE_SHARING
}
# referral and transfer between organisations (issue 6): case workers, supervisors and
# admins send them from cases they see, and accept or decline those sent to their organisation
for _role in (Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {P.SEND_REFERRALS, P.RECEIVE_REFERRALS}
PLATFORM_ROLE_PERMISSIONS[PlatformRole.NATIONAL_ADMINISTRATOR] = PLATFORM_ROLE_PERMISSIONS[
    PlatformRole.NATIONAL_ADMINISTRATOR
] | {P.MANAGE_REGISTRY}
# data protection (issue 7): national administrators answer data subject requests (export
# across organisations through the sharing gateway) and set retention periods
PLATFORM_ROLE_PERMISSIONS[PlatformRole.NATIONAL_ADMINISTRATOR] = PLATFORM_ROLE_PERMISSIONS[
    PlatformRole.NATIONAL_ADMINISTRATOR
] | {P.HANDLE_DATA_SUBJECT_REQUESTS, P.MANAGE_RETENTION}
# national figures (issue 12): analysts read aggregates as they are; every other platform role
# sees other organisations' figures with small counts suppressed
PLATFORM_ROLE_PERMISSIONS[PlatformRole.ANALYST] = PLATFORM_ROLE_PERMISSIONS[
    PlatformRole.ANALYST
] | {P.VIEW_UNSUPPRESSED_STATISTICS}
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

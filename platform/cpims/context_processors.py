from django.http import HttpRequest

from tenants.policy import Permission, may


def workspace(request: HttpRequest) -> dict:
    """The organisation of this host and the user's membership, for navigation."""
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return {
        "organisation": organisation,
        "membership": membership,
        "on_platform_site": organisation is None,
        "can_supervise": bool(
            organisation is not None
            and membership is not None
            and may(
                user, Permission.SUPERVISE_CASES, organisation=organisation, membership=membership
            )
        ),
        "can_view_national_statistics": bool(
            user is not None
            and organisation is None
            and may(user, Permission.VIEW_NATIONAL_STATISTICS)
        ),
        "can_manage_members": bool(
            organisation is not None
            and membership is not None
            and may(
                user, Permission.MANAGE_MEMBERS, organisation=organisation, membership=membership
            )
        ),
        "can_manage_registry": bool(
            user is not None and organisation is None and may(user, Permission.MANAGE_REGISTRY)
        ),
        "can_view_audit_log": bool(
            organisation is not None
            and membership is not None
            and may(
                user,
                Permission.VIEW_ORGANISATION_AUDIT_LOG,
                organisation=organisation,
                membership=membership,
            )
        ),
        "can_view_platform_audit_log": bool(
            user is not None
            and organisation is None
            and may(user, Permission.VIEW_PLATFORM_AUDIT_LOG)
        ),
        "can_use_console": bool(
            user is not None and organisation is None and may(user, Permission.USE_CONSOLE)
        ),
        "can_approve_sharing": bool(
            user is not None and organisation is None and may(user, Permission.APPROVE_SHARING)
        ),
        "can_manage_sharing": bool(
            organisation is not None
            and membership is not None
            and may(
                user, Permission.MANAGE_SHARING, organisation=organisation, membership=membership
            )
        ),
    }

from django.http import HttpRequest

from tenants.policy import Permission, may

# Template flag -> the permission it shows: workspace permissions on an organisation's
# host (through the member's membership), platform permissions on the platform site.
WORKSPACE_FLAGS = {
    "can_supervise": Permission.SUPERVISE_CASES,
    "can_manage_members": Permission.MANAGE_MEMBERS,
    "can_view_audit_log": Permission.VIEW_ORGANISATION_AUDIT_LOG,
    "can_manage_sharing": Permission.MANAGE_SHARING,
    "can_receive_referrals": Permission.RECEIVE_REFERRALS,
}
PLATFORM_FLAGS = {
    "can_view_national_statistics": Permission.VIEW_NATIONAL_STATISTICS,
    "can_manage_registry": Permission.MANAGE_REGISTRY,
    "can_review_duplicates": Permission.REVIEW_DUPLICATES,
    "can_view_platform_audit_log": Permission.VIEW_PLATFORM_AUDIT_LOG,
    "can_use_console": Permission.USE_CONSOLE,
    "can_approve_sharing": Permission.APPROVE_SHARING,
    "can_handle_data_requests": Permission.HANDLE_DATA_SUBJECT_REQUESTS,
    "can_manage_retention": Permission.MANAGE_RETENTION,
}


def workspace(request: HttpRequest) -> dict:
    """The organisation of this host, the user's membership, and what navigation may show
    (asked of tenants.policy; no query beyond the membership the door already loaded)."""
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    context = {
        "organisation": organisation,
        "membership": membership,
        "on_platform_site": organisation is None,
    }
    in_workspace = organisation is not None and membership is not None
    for flag, permission in WORKSPACE_FLAGS.items():
        context[flag] = in_workspace and may(
            user, permission, organisation=organisation, membership=membership
        )
    on_platform = user is not None and organisation is None
    for flag, permission in PLATFORM_FLAGS.items():
        context[flag] = on_platform and may(user, permission)
    return context

"""What governed sharing brings: agreements, consent, referrals and transfers between
organisations, and data subject requests (tenants/capabilities.py)."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import PLATFORM, ApiRouter, Capability, Grant, Mount, NavEntry
from tenants.models import PlatformRole, Role

REFERRING_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN)

CAPABILITY = Capability(
    app="sharing",
    permissions=(
        # issue 6: organisation admins request, accept, decline and revoke agreements
        Grant("manage_sharing", roles=(Role.ORGANISATION_ADMIN,), flag="can_manage_sharing"),
        Grant(
            "approve_sharing",
            platform_roles=(PlatformRole.SHARING_APPROVER,),
            flag="can_approve_sharing",
        ),
        # issue 7: national administrators answer data subject requests (an export across
        # organisations through the sharing gateway)
        Grant(
            "handle_data_subject_requests",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR,),
            flag="can_handle_data_requests",
        ),
        # issue 6: case workers, supervisors and admins refer or transfer a child from cases
        # they see, and accept or decline those sent to their organisation
        Grant("send_referrals", roles=REFERRING_ROLES),
        Grant("receive_referrals", roles=REFERRING_ROLES, flag="can_receive_referrals"),
    ),
    navigation=(
        NavEntry(_("Sharing"), "sharing:agreements", permission="manage_sharing", order=90),
        NavEntry(_("Sharing"), "sharing_console:queue", PLATFORM, "approve_sharing", order=20),
        NavEntry(
            _("Data protection"),
            "data_requests:export",
            PLATFORM,
            "handle_data_subject_requests",
            order=40,
        ),
    ),
    urls=(
        Mount("sharing/", "sharing.urls_workspace"),
        Mount("console/sharing/", "sharing.urls_console", PLATFORM),
        Mount("console/data-requests/", "sharing.urls_dsr", PLATFORM),
    ),
    api_routers=(
        ApiRouter("sharing.api.router"),
        ApiRouter("sharing.api.platform_router", PLATFORM),
    ),
)

"""What the audit app brings: the audit logs, API tokens and retention (tenants/capabilities.py)."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import (
    PLATFORM,
    ApiRouter,
    Capability,
    Grant,
    Mount,
    NavEntry,
    PeriodicTask,
)
from tenants.models import PlatformRole, Role

CAPABILITY = Capability(
    app="audit",
    permissions=(
        Grant(
            "view_organisation_audit_log",
            roles=(Role.ORGANISATION_ADMIN,),
            flag="can_view_audit_log",
        ),
        Grant(
            "view_platform_audit_log",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR, PlatformRole.SHARING_APPROVER),
            flag="can_view_platform_audit_log",
        ),
        # data protection (issue 7): national administrators set retention periods
        Grant(
            "manage_retention",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR,),
            flag="can_manage_retention",
        ),
    ),
    navigation=(
        NavEntry(
            _("Audit log"), "audit:changes", permission="view_organisation_audit_log", order=60
        ),
        NavEntry(_("API tokens"), "audit:tokens", order=70),
        NavEntry(
            _("Platform audit log"),
            "platform_audit:changes",
            PLATFORM,
            "view_platform_audit_log",
            order=30,
        ),
    ),
    urls=(
        Mount("", "audit.urls_workspace"),
        Mount("console/audit/", "audit.urls_console", PLATFORM),
    ),
    api_routers=(ApiRouter("audit.api.router", prefix="/audit/"),),
    periodic_tasks=(
        # docs/security.md: link queued audit rows into their chains
        PeriodicTask("seal-audit-chains", "audit.seal_chains", 2, "CPIMS_AUDIT_SEAL_SECONDS"),
        # docs/security.md: alert on a broken chain
        PeriodicTask(
            "verify-audit-chains", "audit.verify_chains", 86400, "CPIMS_AUDIT_VERIFY_SECONDS"
        ),
        # retention (docs/security.md): one task per organisation
        PeriodicTask(
            "dispose-expired-records", "audit.dispose_expired", 86400, "CPIMS_RETENTION_SECONDS"
        ),
    ),
)

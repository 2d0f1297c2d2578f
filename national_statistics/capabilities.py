"""What national statistics brings: dashboards, reports and exports of the national facts
(tenants/capabilities.py)."""

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
from tenants.models import PlatformRole

CAPABILITY = Capability(
    app="national_statistics",
    permissions=(
        Grant(
            "view_national_statistics",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR, PlatformRole.ANALYST),
            flag="can_view_national_statistics",
        ),
        # issue 12: analysts read aggregates as they are (small counts unsuppressed on screen,
        # internal exports with a stated, logged reason); other platform roles see other
        # organisations' figures with small counts suppressed
        Grant("view_unsuppressed_statistics", platform_roles=(PlatformRole.ANALYST,)),
    ),
    navigation=(
        NavEntry(_("Statistics"), "statistics:organisation", order=50),
        NavEntry(
            _("Statistics"), "statistics:national", PLATFORM, "view_national_statistics", order=50
        ),
    ),
    urls=(
        Mount("statistics/", "national_statistics.urls_workspace"),
        Mount("statistics/", "national_statistics.urls", PLATFORM),
    ),
    api_routers=(
        ApiRouter("national_statistics.api.workspace_router"),
        ApiRouter("national_statistics.api.platform_router", PLATFORM),
    ),
    access_kinds=("national_statistics.access_kinds.STATISTICS_EXPORT",),
    periodic_tasks=(
        PeriodicTask(
            "drain-outboxes-into-national-facts",
            "national_statistics.drain_all",
            60,
            "CPIMS_DRAIN_SECONDS",
        ),
    ),
)

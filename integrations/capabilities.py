"""What the integrations bring (issue 20): national figures pushed to DHIS2
(tenants/capabilities.py)."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import PLATFORM, Capability, Grant, Mount, NavEntry, PeriodicTask
from tenants.models import PlatformRole

CAPABILITY = Capability(
    app="integrations",
    permissions=(
        # national administrators configure the systems around the platform and push to them
        Grant(
            "manage_integrations",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR,),
            flag="can_manage_integrations",
        ),
    ),
    navigation=(
        NavEntry(
            _("Integrations"), "integrations_console:dhis2", PLATFORM, "manage_integrations", 70
        ),
    ),
    urls=(Mount("console/integrations/", "integrations.urls_console", PLATFORM),),
    periodic_tasks=(
        # pushes that waited for DHIS2 to come back are tried again
        PeriodicTask(
            "dhis2-pushes-due",
            "integrations.dhis2_pushes_due",
            120,
            "CPIMS_DHIS2_RETRY_SECONDS",
        ),
        # facilities (KMHFL) and schools (NEMIS) brought up to date, unverified UPIs retried
        PeriodicTask(
            "reference-data-sync",
            "integrations.reference_sync_all",
            86400,
            "CPIMS_REFERENCE_SYNC_SECONDS",
        ),
    ),
)

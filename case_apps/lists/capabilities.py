"""What the reference lists bring: their console pages (tenants/capabilities.py)."""

from tenants.capabilities import PLATFORM, Capability, Grant, Mount
from tenants.models import PlatformRole

CAPABILITY = Capability(
    app="case_apps.lists",
    permissions=(
        Grant("manage_reference_lists", platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR,)),
    ),
    urls=(Mount("console/lists/", "case_apps.lists.urls", PLATFORM),),
)

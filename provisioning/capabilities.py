"""What provisioning brings: sign-up, the applications desk, members and invitations
(tenants/capabilities.py)."""

from tenants.capabilities import PLATFORM, Capability, Mount

CAPABILITY = Capability(
    app="provisioning",
    urls=(
        Mount("", "provisioning.urls_workspace"),
        Mount("console/applications/", "provisioning.urls_console", PLATFORM),
        Mount("join/", "provisioning.urls", PLATFORM),
    ),
)

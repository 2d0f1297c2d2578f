"""What provisioning brings: sign-up, the applications desk, members and invitations
(tenants/capabilities.py)."""

from tenants.capabilities import (
    PLATFORM,
    Capability,
    HomeWaiting,
    Mount,
    PeriodicTask,
    Waiting,
    waiting_count,
)

CAPABILITY = Capability(
    app="provisioning",
    urls=(
        Mount("", "provisioning.urls_workspace"),
        Mount("console/applications/", "provisioning.urls_console", PLATFORM),
        Mount("join/", "provisioning.urls", PLATFORM),
    ),
    home_waiting=(
        HomeWaiting(
            "provisioning.capabilities.applications_to_verify",
            "verify_organisations",
            PLATFORM,
            order=20,
        ),
    ),
    # docs/onboarding.md: schemas ready for the next approvals
    periodic_tasks=(
        PeriodicTask(
            "refill-workspace-pool", "provisioning.refill_pool", 300, "CPIMS_POOL_REFILL_SECONDS"
        ),
    ),
)


def applications_to_verify(request) -> list[Waiting]:
    """A national administrator's home: organisations' applications awaiting verification."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from tenants.models import Organisation, OrganisationStatus

    count = Organisation.objects.filter(status=OrganisationStatus.PENDING).count()
    message = ngettext(
        "%(n)s organisation application awaits verification",
        "%(n)s organisation applications await verification",
        count,
    )
    url = reverse("onboarding_console:applications")
    return waiting_count(count, message, url, shown_when_none=True)

"""What the intake queue brings (tenants/capabilities.py): the signed intake API, DCS
offices' triage of reports, and DCS headquarters' intake clients and unrouted reports."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import (
    PLATFORM,
    ApiRouter,
    Capability,
    Grant,
    HomeWaiting,
    Mount,
    NavEntry,
    PeriodicTask,
    Waiting,
    waiting_count,
)
from tenants.models import OrganisationKind, PlatformRole, Role

CAPABILITY = Capability(
    app="intake",
    permissions=(
        # issue 20: members of a DCS office who record cases triage the reports sent to it
        Grant(
            "triage_intake",
            roles=(Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN),
            flag="can_triage_intake",
        ),
        # national administrators manage intake clients and route unrouted reports
        Grant(
            "manage_intake",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR,),
            flag="can_manage_intake",
        ),
    ),
    navigation=(
        NavEntry(_("Intake"), "intake:queue", permission="triage_intake", order=15),
        NavEntry(_("Intake"), "intake_console:unrouted", PLATFORM, "manage_intake", order=35),
    ),
    organisation_kinds=frozenset(
        {OrganisationKind.DCS_COUNTY_OFFICE, OrganisationKind.DCS_SUB_COUNTY_OFFICE}
    ),
    urls=(
        Mount("intake/", "intake.urls_workspace"),
        Mount("console/intake/", "intake.urls_console", PLATFORM),
    ),
    api_routers=(ApiRouter("intake.api.router", PLATFORM),),
    home_waiting=(
        HomeWaiting("intake.capabilities.reports_waiting", "triage_intake", order=5),
        HomeWaiting("intake.capabilities.unrouted_waiting", "manage_intake", PLATFORM, order=22),
    ),
    periodic_tasks=(
        PeriodicTask(
            "intake-tell-supervisors",
            "intake.tell_supervisors",
            900,
            "CPIMS_INTAKE_TELL_SECONDS",
        ),
        PeriodicTask("intake-prune-nonces", "intake.prune_nonces", 3600),
    ),
)


def reports_waiting(request) -> list[Waiting]:
    """An office member's home: intake reports waiting for a decision."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from intake.models import IntakeReport
    from intake.selectors import OPEN_STATUSES

    count = IntakeReport.objects.filter(
        office=request.organisation, status__in=OPEN_STATUSES
    ).count()
    message = ngettext(
        "%(n)s intake report waits for triage", "%(n)s intake reports wait for triage", count
    )
    return waiting_count(count, message, reverse("intake:queue"))


def unrouted_waiting(request) -> list[Waiting]:
    """DCS headquarters' home: reports no office was found for."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from intake.selectors import unrouted_reports

    count = unrouted_reports().count()
    message = ngettext(
        "%(n)s intake report has no office: route it",
        "%(n)s intake reports have no office: route them",
        count,
    )
    return waiting_count(count, message, reverse("intake_console:unrouted"))

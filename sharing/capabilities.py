"""What governed sharing brings: agreements, consent, referrals and transfers between
organisations, and data subject requests (tenants/capabilities.py)."""

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
    waiting_label,
)
from tenants.models import PlatformRole, Role

REFERRING_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN)

CAPABILITY = Capability(
    app="sharing",
    access_kinds=("sharing.access_kinds.ACCESS_KINDS",),
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
        # issue 17: case workers and supervisors draft a request for access from a registry
        # search result; their organisation's admins submit or discard it
        Grant(
            "draft_access_requests",
            roles=(Role.CASE_WORKER, Role.SUPERVISOR),
            flag="can_draft_access_requests",
        ),
        # issue 19: DCS headquarters confirms or declines the vacancy applications of county
        # and sub-county children offices for places in statutory institutions
        Grant(
            "confirm_vacancies",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR,),
            flag="can_confirm_vacancies",
        ),
    ),
    navigation=(
        NavEntry(_("Sharing"), "sharing:agreements", permission="manage_sharing", order=90),
        NavEntry(_("Sharing"), "sharing_console:queue", PLATFORM, "approve_sharing", order=20),
        NavEntry(
            _("Vacancies"), "sharing_console:vacancies", PLATFORM, "confirm_vacancies", order=30
        ),
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
        ApiRouter("sharing.api_vacancies.platform_router", PLATFORM),
    ),
    home_waiting=(
        HomeWaiting("sharing.capabilities.requests_waiting", "manage_sharing", order=10),
        HomeWaiting("sharing.capabilities.access_drafts_waiting", "manage_sharing", order=15),
        HomeWaiting(
            "sharing.capabilities.agreements_awaiting_approval",
            "approve_sharing",
            PLATFORM,
            order=10,
        ),
        HomeWaiting(
            "sharing.capabilities.vacancies_awaiting_decision",
            "confirm_vacancies",
            PLATFORM,
            order=20,
        ),
    ),
    periodic_tasks=(
        # agreements in force on their start date, expired after their end
        PeriodicTask(
            "refresh-sharing-agreements",
            "sharing.refresh_agreements",
            3600,
            "CPIMS_SHARING_REFRESH_SECONDS",
        ),
    ),
)


def requests_waiting(request) -> list[Waiting]:
    """An organisation admin's home: agreements asked of the organisation, to decide."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from sharing.models import AgreementStatus
    from sharing.selectors import agreements_of_organisation

    count = agreements_of_organisation(
        organisation=request.organisation, direction="incoming", status=AgreementStatus.SUBMITTED
    ).count()
    message = ngettext(
        "%(n)s request waits for your decision.", "%(n)s requests wait for your decision.", count
    )
    url = reverse("sharing:agreements") + "?direction=incoming&status=submitted"
    return waiting_count(count, message, url)


def access_drafts_waiting(request) -> list[Waiting]:
    """An organisation admin's home: access requests its members drafted, to submit or
    discard (the oldest five named)."""
    from django.urls import reverse
    from django.utils.translation import gettext, ngettext

    from sharing.models import AgreementStatus
    from sharing.selectors_access_drafts import access_drafts_waiting as waiting

    drafts = waiting(organisation=request.organisation)
    count = drafts.count()
    if not count:
        return []
    items = tuple(
        (
            waiting_label(
                gettext("Request #%(n)s to %(provider)s, drafted by %(name)s"),
                n=draft.pk,
                provider=draft.provider.name,
                name=draft.created_by.full_name or draft.created_by.email,
            ),
            reverse("sharing:agreement", args=[draft.pk]),
        )
        for draft in drafts[:5]
    )
    message = ngettext(
        "%(n)s access request drafted by your members waits for you to submit it",
        "%(n)s access requests drafted by your members wait for you to submit them",
        count,
    )
    url = reverse("sharing:agreements") + f"?direction=outgoing&status={AgreementStatus.DRAFT}"
    return waiting_count(count, message, url, items)


def agreements_awaiting_approval(request) -> list[Waiting]:
    """A sharing approver's home: accepted agreements awaiting approval, the oldest five."""
    from django.urls import reverse
    from django.utils.translation import gettext, ngettext

    from sharing.selectors import approval_queue

    queue = approval_queue()
    count = queue.count()
    agreements = tuple(
        (
            waiting_label(
                gettext("Agreement #%(n)s: %(requester)s asks %(provider)s"),
                n=agreement.pk,
                requester=agreement.requester.name,
                provider=agreement.provider.name,
            ),
            reverse("sharing_console:agreement", args=[agreement.pk]),
        )
        for agreement in queue[:5]
    )
    message = ngettext(
        "%(n)s data sharing agreement awaits your approval",
        "%(n)s data sharing agreements await your approval",
        count,
    )
    url = reverse("sharing_console:queue")
    return waiting_count(count, message, url, agreements, shown_when_none=True)


def vacancies_awaiting_decision(request) -> list[Waiting]:
    """DCS headquarters' home: vacancy applications waiting for a decision."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from sharing.selectors_vacancies import vacancy_queue

    count = vacancy_queue().count()
    message = ngettext(
        "%(n)s vacancy application waits for your decision",
        "%(n)s vacancy applications wait for your decision",
        count,
    )
    return waiting_count(count, message, reverse("sharing_console:vacancies"))

"""What case management brings to the platform (tenants/capabilities.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tenants.capabilities import (
    ApiRouter,
    Capability,
    EventType,
    Grant,
    HomeWaiting,
    Mount,
    NavEntry,
    Waiting,
    waiting_count,
)
from tenants.models import Role

CAPABILITY = Capability(
    app="case_apps.cases",
    # which cases a member sees is the caseload scope of tenants/policy.py (case_scope)
    permissions=(
        Grant("view_cases", roles=tuple(Role)),
        Grant(
            "record_cases",
            roles=(Role.DATA_CLERK, Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN),
        ),
        Grant(
            "supervise_cases",
            roles=(Role.SUPERVISOR, Role.ORGANISATION_ADMIN),
            flag="can_supervise",
        ),
        # issue 17: organisation admins say who supervises whom (the Team screen)
        Grant("manage_teams", roles=(Role.ORGANISATION_ADMIN,), flag="can_manage_teams"),
        # the sub-county children officer's sign-off and the committee's decision on a
        # bursary application (case_apps/cases/services/bursaries.py)
        Grant("approve_bursaries", roles=(Role.SUPERVISOR, Role.ORGANISATION_ADMIN)),
    ),
    navigation=(
        NavEntry(_("Cases"), "cases:caseload", order=10),
        NavEntry(_("Court"), "cases:court_dates", permission="view_cases", order=25),
        NavEntry(_("Approvals"), "cases:approvals", permission="supervise_cases", order=30),
        NavEntry(_("Team"), "cases:team", permission="manage_teams", order=35),
        NavEntry(_("Bursaries"), "cases:bursaries", permission="approve_bursaries", order=36),
        NavEntry(_("Referrals in"), "cases:referrals_in", permission="receive_referrals", order=40),
    ),
    urls=(Mount("cases/", "case_apps.cases.urls"),),
    api_routers=(
        ApiRouter("case_apps.cases.api.router"),
        ApiRouter("case_apps.cases.api_referrals.router"),
        ApiRouter("case_apps.cases.api_court.router"),
        ApiRouter("case_apps.cases.api_interventions.router"),
        ApiRouter("case_apps.cases.api_bursaries.router"),
        ApiRouter("case_apps.cases.api_teams.router"),
    ),
    # a child's case summary, shareable through the sharing gateway
    shareable_kinds=("case_apps.cases.sharing.CASE_SUMMARY_KIND",),
    person_access=("case_apps.cases.sharing.child_in_caseload",),
    # everything held on a person, for data subject requests
    subject_readers=("case_apps.cases.subject_access.CASE_RECORDS_READER",),
    # closed cases' retention period
    retention_kinds=("case_apps.cases.retention.CASE_RECORDS_KIND",),
    # its reads in the access log by name
    access_kinds=("case_apps.cases.access_kinds.ACCESS_KINDS",),
    # a case links its organisation to the child and caregivers
    link_holders=("case_apps.cases.links.persons_with_cases",),
    # a merge restates the child's facts
    person_sources=("case_apps.cases.facts.person_sources",),
    # the facts it writes (case_apps/cases/facts.py); headline figures of the dashboard
    event_types=(
        EventType("case_opened", gettext_noop("Cases opened"), order=10),
        EventType("case_activated", gettext_noop("Cases made active"), order=15),
        EventType("case_closed", gettext_noop("Cases closed"), order=20),
        EventType("follow_up", gettext_noop("Follow-ups"), order=30),
        EventType("referral", gettext_noop("Referrals"), order=40),
        EventType("placement", gettext_noop("Placements"), order=50),
        EventType("intervention", gettext_noop("Interventions"), order=55),
        EventType("case_reopened", gettext_noop("Cases reopened"), order=25),
        EventType("transfer_in", gettext_noop("Transfers in"), order=80),
        EventType("transfer_out", gettext_noop("Transfers out"), order=90),
        EventType("case_category_added"),
        EventType("court_session"),  # case_apps/cases/facts_court.py
        EventType("court_order"),
        EventType("bursary_approved"),
    ),
    # the case page's timeline: its entries, and how each kind reads (presenters.py)
    timeline_sources=(
        "case_apps.cases.selectors.case_timeline",
        "case_apps.cases.selectors_court.court_timeline",
        "case_apps.cases.selectors_interventions.interventions_timeline",
    ),
    timeline_presenters=(
        "case_apps.cases.presenters.TIMELINE_PRESENTERS",
        "case_apps.cases.presenters_court.COURT_TIMELINE_PRESENTERS",
    ),
    # the home page: referrals sent to the organisation, to accept or decline
    home_waiting=(
        HomeWaiting(
            "case_apps.cases.capabilities.referrals_waiting", "receive_referrals", order=20
        ),
    ),
)


def referrals_waiting(request) -> list[Waiting]:
    """A member's home: referrals sent to the organisation that wait for an answer."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from sharing.selectors import referrals_waiting as waiting

    count = waiting(organisation=request.organisation)
    message = ngettext(
        "%(n)s referral waits for your answer", "%(n)s referrals wait for your answer", count
    )
    return waiting_count(count, message, reverse("cases:referrals_in"))

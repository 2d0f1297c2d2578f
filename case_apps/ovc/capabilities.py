"""What the OVC programme brings to the platform (tenants/capabilities.py). Only implementing
partners run it: ``OVC_ORGANISATION_KINDS`` decides, for the screens and the navigation."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tenants.capabilities import ApiRouter, Capability, EventType, HomeWaiting, Mount, NavEntry

OVC_ORGANISATION_KINDS = ("ip", "lip")  # implementing partners, local implementing partners

CAPABILITY = Capability(
    app="case_apps.ovc",
    organisation_kinds=frozenset(OVC_ORGANISATION_KINDS),
    navigation=(NavEntry(_("OVC programme"), "ovc:households", order=20),),
    urls=(Mount("ovc/", "case_apps.ovc.urls"),),
    # issue 18: one router per subject, under /api/ovc/ (case_apps/ovc/api.py)
    api_routers=(
        ApiRouter("case_apps.ovc.api_households.router"),
        ApiRouter("case_apps.ovc.api_plans.router"),
        ApiRouter("case_apps.ovc.api_hiv.router"),
        ApiRouter("case_apps.ovc.api_graduation.router"),
        ApiRouter("case_apps.ovc.api_transfers.router"),
        ApiRouter("case_apps.ovc.api_form1b.router"),
        ApiRouter("case_apps.ovc.api_visits.router"),
    ),
    subject_readers=("case_apps.ovc.subject_access.OVC_RECORDS_READER",),
    # exited enrolments, then households left without enrolments (a run's order)
    retention_kinds=("case_apps.ovc.retention.RETENTION_KINDS",),
    access_kinds=("case_apps.ovc.access_kinds.ACCESS_KINDS",),
    link_holders=("case_apps.ovc.links.persons_with_ovc_records",),
    person_sources=("case_apps.ovc.facts.person_sources",),
    # the facts it writes (case_apps/ovc/facts.py); headline figures of the dashboard
    event_types=(
        EventType("ovc_enrolled", gettext_noop("OVC enrolled"), order=60),
        EventType("ovc_service", gettext_noop("OVC services delivered"), order=70),
        EventType("ovc_exited"),
        EventType("ovc_graduated"),
        EventType("ovc_school_status"),
        EventType("ovc_hiv_status"),
        EventType("ovc_hiv_test_not_required"),
    ),
    # the home page: OVC transfers sent to the organisation, to accept or decline
    home_waiting=(
        HomeWaiting("case_apps.ovc.views_transfers.transfers_waiting", "record_cases", order=25),
    ),
)

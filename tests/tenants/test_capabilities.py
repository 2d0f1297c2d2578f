"""Capabilities declare themselves (issue 16): the policy, the navigation, the URLs and the
registries are built from each installed app's capabilities.py, and give what the central
tables gave before."""

from __future__ import annotations

import re
import types
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import path, resolve

from cpims.context_processors import PLATFORM_FLAGS, WORKSPACE_FLAGS, navigation_links
from tenants import policy
from tenants.capabilities import (
    PLATFORM,
    WORKSPACE,
    Capability,
    CapabilityError,
    Grant,
    HomeWaiting,
    NavEntry,
    PeriodicTask,
    Waiting,
    beat_schedule,
    capabilities_of,
    capability_of,
    installed_capabilities,
    navigation,
    permission_flags,
    permission_values,
    role_table,
    urlpatterns_for,
    waiting_for,
)
from tenants.models import OrganisationKind, PlatformRole, Role
from tests.conftest import client_on

# The tables as tenants/policy.py wrote them before the apps declared them (literally).
RECORDERS = {"search_registry", "register_persons"}
REFERRERS = {"send_referrals", "receive_referrals"}
ROLES_BEFORE = {
    "viewer": {"enter_workspace", "view_cases", "search_registry"},
    "data_clerk": {"enter_workspace", "view_cases", "record_cases"} | RECORDERS,
    "case_worker": {"enter_workspace", "view_cases", "record_cases"}
    | RECORDERS
    | REFERRERS
    | {"draft_access_requests"}  # request access from a registry search result (issue 17)
    | {"triage_intake"},  # intake reports sent to a DCS office (issue 20)
    "supervisor": {
        "enter_workspace",
        "view_cases",
        "record_cases",
        "supervise_cases",
        "approve_bursaries",  # the bursary chain's sign-offs (issue 17)
    }
    | RECORDERS
    | REFERRERS
    | {"draft_access_requests"}
    | {"triage_intake"},  # issue 20
    "organisation_admin": {
        "enter_workspace",
        "view_cases",
        "record_cases",
        "supervise_cases",
        "manage_members",
        "view_organisation_audit_log",
        "manage_sharing",
        "read_event_stream",  # the event stream (issue 16), added after the table was frozen
        "manage_teams",  # who supervises whom (issue 17)
        "approve_bursaries",  # the bursary chain's sign-offs (issue 17)
        "manage_webhooks",  # outbound webhooks (issue 20)
    }
    | RECORDERS
    | REFERRERS
    | {"triage_intake"},  # issue 20
}
PLATFORM_ROLES_BEFORE = {
    "national_administrator": {
        "use_console",
        "verify_organisations",
        "view_platform_audit_log",
        "view_national_statistics",
        "manage_reference_lists",
        "manage_registry",
        "handle_data_subject_requests",
        "manage_retention",
        "confirm_vacancies",  # statutory institution vacancies (issue 19)
        "manage_integrations",  # DHIS2 push and the systems around us (issue 20)
        "manage_intake",  # intake clients and unrouted reports (issue 20)
    },
    "sharing_approver": {"use_console", "approve_sharing", "view_platform_audit_log"},
    "analyst": {"use_console", "view_national_statistics", "view_unsuppressed_statistics"},
    "registry_manager": {"manage_registry", "review_duplicates"},
}
PERMISSIONS_BEFORE = {
    "ENTER_WORKSPACE": "enter_workspace",
    "VIEW_CASES": "view_cases",
    "RECORD_CASES": "record_cases",
    "SUPERVISE_CASES": "supervise_cases",
    "MANAGE_MEMBERS": "manage_members",
    "VIEW_ORGANISATION_AUDIT_LOG": "view_organisation_audit_log",
    "USE_CONSOLE": "use_console",
    "VERIFY_ORGANISATIONS": "verify_organisations",
    "APPROVE_SHARING": "approve_sharing",
    "VIEW_NATIONAL_STATISTICS": "view_national_statistics",
    "VIEW_PLATFORM_AUDIT_LOG": "view_platform_audit_log",
    "MANAGE_REFERENCE_LISTS": "manage_reference_lists",
    "SEARCH_REGISTRY": "search_registry",
    "REGISTER_PERSONS": "register_persons",
    "MANAGE_REGISTRY": "manage_registry",
    "REVIEW_DUPLICATES": "review_duplicates",
    "MANAGE_SHARING": "manage_sharing",
    "HANDLE_DATA_SUBJECT_REQUESTS": "handle_data_subject_requests",
    "MANAGE_RETENTION": "manage_retention",
    "SEND_REFERRALS": "send_referrals",
    "RECEIVE_REFERRALS": "receive_referrals",
    "VIEW_UNSUPPRESSED_STATISTICS": "view_unsuppressed_statistics",
    "READ_EVENT_STREAM": "read_event_stream",  # the event stream (issue 16)
    "MANAGE_TEAMS": "manage_teams",  # who supervises whom (issue 17)
    "DRAFT_ACCESS_REQUESTS": "draft_access_requests",  # issue 17
    "APPROVE_BURSARIES": "approve_bursaries",  # the bursary chain (issue 17)
    "CONFIRM_VACANCIES": "confirm_vacancies",  # statutory institution vacancies (issue 19)
    "MANAGE_INTEGRATIONS": "manage_integrations",  # issue 20
    "MANAGE_WEBHOOKS": "manage_webhooks",  # outbound webhooks (issue 20)
    "TRIAGE_INTAKE": "triage_intake",  # issue 20
    "MANAGE_INTAKE": "manage_intake",  # issue 20
}
FLAGS_BEFORE = {
    "can_supervise": "supervise_cases",
    "can_manage_members": "manage_members",
    "can_view_audit_log": "view_organisation_audit_log",
    "can_manage_sharing": "manage_sharing",
    "can_receive_referrals": "receive_referrals",
    "can_manage_teams": "manage_teams",  # issue 17
    "can_draft_access_requests": "draft_access_requests",  # issue 17
    "can_manage_webhooks": "manage_webhooks",  # issue 20
    "can_triage_intake": "triage_intake",  # issue 20
}
PLATFORM_FLAGS_BEFORE = {
    "can_view_national_statistics": "view_national_statistics",
    "can_manage_registry": "manage_registry",
    "can_review_duplicates": "review_duplicates",
    "can_view_platform_audit_log": "view_platform_audit_log",
    "can_use_console": "use_console",
    "can_approve_sharing": "approve_sharing",
    "can_handle_data_requests": "handle_data_subject_requests",
    "can_manage_retention": "manage_retention",
    "can_confirm_vacancies": "confirm_vacancies",  # issue 19
    "can_manage_integrations": "manage_integrations",  # issue 20
    "can_manage_intake": "manage_intake",  # issue 20
}


def _as_values(table) -> dict[str, set[str]]:
    return {str(role): {str(p) for p in permissions} for role, permissions in table.items()}


def test_the_built_policy_gives_every_role_what_the_central_table_gave():
    assert _as_values(policy.ROLE_PERMISSIONS) == ROLES_BEFORE
    assert _as_values(policy.PLATFORM_ROLE_PERMISSIONS) == PLATFORM_ROLES_BEFORE
    assert {str(p) for p in policy.WORKSPACE_PERMISSIONS} == set().union(*ROLES_BEFORE.values())
    assert {m.name: m.value for m in policy.Permission} == PERMISSIONS_BEFORE
    assert policy.Permission.RECORD_CASES == "record_cases"
    assert policy.Permission("record_cases") is policy.Permission.RECORD_CASES


def test_the_template_flags_are_the_ones_templates_used_before():
    assert {f: str(p) for f, p in WORKSPACE_FLAGS.items()} == FLAGS_BEFORE
    assert {f: str(p) for f, p in PLATFORM_FLAGS.items()} == PLATFORM_FLAGS_BEFORE


def _nav_of(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)


@pytest.mark.django_db
def test_the_navigation_shows_the_same_links_to_the_same_people(world):
    worker_in_cci = _nav_of(client_on(world.acme, world.acme_worker).get("/"))
    assert worker_in_cci == [
        ("/", "Home"),
        ("/cases/", "Cases"),
        ("/institution/", "Residents"),  # a CCI runs its residents (issue 19)
        ("/family-care/", "Family care"),
        ("/cases/court/", "Court"),
        ("/cases/referrals-in/", "Referrals in"),
        ("/statistics/", "Statistics"),
        ("/account/tokens/", "API tokens"),
        ("/registry/", "Registry"),
    ]
    worker_in_partner = _nav_of(client_on(world.beta, world.beta_worker).get("/"))
    assert worker_in_partner[2] == ("/ovc/", "OVC programme")  # partners run OVC, after Cases
    admin = [label for _url, label in _nav_of(client_on(world.acme, world.acme_admin).get("/"))]
    assert admin == [
        "Home",
        "Cases",
        "Residents",
        "Family care",
        "Court",
        "Approvals",
        "Field forms",  # synced field forms to approve (issue 21)
        "Field devices",  # the field app's devices, to revoke one (issue 21)
        "Team",
        "Bursaries",
        "Referrals in",
        "Statistics",
        "Audit log",
        "API tokens",
        "Registry",
        "Sharing",
        "Webhooks",  # outbound webhooks (issue 20)
    ]
    national = [label for _url, label in _nav_of(client_on(None, world.hq_admin).get("/"))]
    assert national == [
        "Platform",
        "Console",
        "Platform audit log",
        "Vacancies",  # statutory institution vacancies to confirm (issue 19)
        "Intake",  # unrouted intake reports and intake clients (issue 20)
        "Data protection",
        "Statistics",
        "Registry",
        "Integrations",  # DHIS2 push (issue 20)
    ]
    assert [label for _url, label in _nav_of(client_on(None).get("/"))] == ["Platform"]


def test_whether_an_organisation_runs_ovc_is_decided_by_the_ovc_declaration_once():
    from case_apps.ovc.capabilities import OVC_ORGANISATION_KINDS
    from case_apps.ovc.views import runs_ovc

    ovc = capability_of("case_apps.ovc")
    for kind in OrganisationKind:
        organisation = SimpleNamespace(kind=kind.value)
        assert ovc.serves(organisation) is runs_ovc(organisation)
        assert runs_ovc(organisation) is (kind.value in OVC_ORGANISATION_KINDS)
    assert runs_ovc(SimpleNamespace(kind="ip")) and not runs_ovc(SimpleNamespace(kind="cci"))


def test_the_registries_hold_what_the_case_apps_declare():
    from audit.access_kinds import access_kind_label
    from audit.retention import disposable_kinds
    from case_apps.cases.facts import person_sources as case_sources
    from case_apps.outbox.services import outbox_persons_restate  # noqa: F401
    from shared_registry.links import link_holders
    from sharing.registry import person_in_caseload, record_kind_get, record_kinds  # noqa: F401
    from sharing.subject_access import subject_readers
    from tenants.capabilities import declared

    assert [k.name for k in record_kinds()] == ["case_summary"]
    assert record_kind_get("case_summary").record_reader is not None
    assert [k.name for k in subject_readers()] == ["case_records", "ovc_records"]
    # a run disposes of closed cases, then exited enrolments, then the emptied households
    assert [k.name for k in disposable_kinds()] == [
        "case_records",
        "ovc_enrolments",
        "ovc_households",
    ]
    assert access_kind_label("case") == "case"
    assert access_kind_label("caseload_export") == "caseload export"
    assert access_kind_label("statistics_export") == "statistics export"
    assert access_kind_label("ovc_household") == "OVC household"
    assert len(link_holders()) == 2
    assert case_sources in declared("person_sources") and len(declared("person_sources")) == 2
    assert len(declared("person_access")) == 1


# --- An app's declaration alone -------------------------------------------------------------
def _with_test_app() -> tuple[Capability, ...]:
    """The installed declarations and a test-only app's (tests/capability_app/)."""
    return installed_capabilities() + capabilities_of(["tests.capability_app"])


def test_an_apps_declaration_alone_gives_its_permission_to_its_roles():
    capabilities = _with_test_app()
    assert "file_field_reports" in permission_values(capabilities)
    table = role_table(capabilities, Role)
    assert "file_field_reports" in table[Role.CASE_WORKER]
    assert "file_field_reports" not in table[Role.VIEWER]
    assert _as_values(role_table(installed_capabilities(), Role)) == ROLES_BEFORE
    assert permission_flags(capabilities)["can_file"] == "file_field_reports"


def test_an_apps_declaration_alone_mounts_its_urls_and_shows_its_navigation():
    capabilities = _with_test_app()
    urlconf = types.ModuleType("capability_test_urls")
    urlconf.urlpatterns = [
        path("", lambda request: None, name="home"),
        *urlpatterns_for(WORKSPACE, capabilities),
    ]
    match = resolve("/field-reports/", urlconf=urlconf)
    assert match.view_name == "field_reports:index"
    assert "field-reports/" not in [str(p.pattern) for p in urlpatterns_for(PLATFORM, capabilities)]

    table = role_table(capabilities, Role)

    def links(kind: str, role: str) -> list[tuple[str, str]]:
        found = navigation_links(
            [c for c in capabilities if c.app in {"tenants", "tests.capability_app"}],
            WORKSPACE,
            SimpleNamespace(kind=kind),
            lambda permission: permission in table[role],
            urlconf=urlconf,
        )
        return [(str(link.label), link.url) for link in found]

    assert links("ip", Role.CASE_WORKER) == [("Home", "/"), ("Field reports", "/field-reports/")]
    assert links("ip", Role.VIEWER) == [("Home", "/")]  # without the permission
    assert links("cci", Role.CASE_WORKER) == [("Home", "/")]  # a kind the app does not serve


def test_contradicting_declarations_are_refused():
    twice = (
        Capability(app="a", permissions=(Grant("view_cases"),)),
        Capability(app="b", permissions=(Grant("view_cases"),)),
    )
    with pytest.raises(CapabilityError, match="view_cases is declared by a and b"):
        permission_values(twice)
    unknown = (Capability(app="a", navigation=(NavEntry("X", "x", permission="nowhere"),)),)
    with pytest.raises(CapabilityError, match="undeclared permission nowhere"):
        permission_values(unknown)
    with pytest.raises(CapabilityError, match="unknown role"):
        role_table((Capability(app="a", permissions=(Grant("p", roles=("king",)),)),), Role)
    assert set(role_table((), PlatformRole, platform=True)) == set(PlatformRole)


def test_the_dashboard_headlines_are_the_declared_event_types_in_the_order_before():
    from national_statistics.selectors import HEADLINE_KINDS

    assert list(HEADLINE_KINDS.items()) == [
        ("case_opened", "Cases opened"),
        ("case_activated", "Cases made active"),
        ("case_closed", "Cases closed"),
        ("case_reopened", "Cases reopened"),
        ("follow_up", "Follow-ups"),
        ("referral", "Referrals"),
        ("placement", "Placements"),
        ("intervention", "Interventions"),
        ("ovc_enrolled", "OVC enrolled"),
        ("ovc_service", "OVC services delivered"),
        ("transfer_in", "Transfers in"),
        ("transfer_out", "Transfers out"),
    ]


def test_every_event_kind_the_statistics_read_is_declared_by_an_installed_app():
    from national_statistics import definitions, mer, selectors
    from tenants.capabilities import event_types

    declared_kinds = {event.name for event in event_types()}
    read = {selectors.CASE_OPENED, selectors.CATEGORY_ADDED, *mer.OVC_KINDS}
    read |= {definitions.CASES_OPENED.event_kind}
    for report in definitions.REPORTS.values():
        read |= set(getattr(report, "event_kinds", ()))
    assert len(read) > 10
    assert read <= declared_kinds, read - declared_kinds


def test_every_declared_navigation_entry_opens_a_page_of_its_site():
    from django.urls import reverse

    urlconfs = {WORKSPACE: "cpims.urls_tenant", PLATFORM: "cpims.urls_public"}
    for site, urlconf in urlconfs.items():
        for entry, capability in navigation(installed_capabilities(), site):
            url = reverse(entry.url_name, urlconf=urlconf)
            assert resolve(url, urlconf=urlconf).view_name == entry.url_name, capability.app


@pytest.mark.django_db
def test_an_apps_declaration_alone_adds_its_entries_to_the_case_timeline(world):
    from case_apps.cases.presenters import present_timeline
    from tenants.schema import workspace_context
    from tests.case_apps.conftest import open_case

    case = open_case(world.acme, world.acme_worker)
    with workspace_context(world.acme):
        installed = present_timeline(case)
        with_app = present_timeline(case, capabilities=_with_test_app())
    assert "field_report" not in [item.kind for item in installed]
    # the app's entry, in its place in time: after the day the case was reported
    assert [item.kind for item in with_app] == ["opened", "field_report"]
    report = with_app[1]
    assert (report.on, report.title, report.lines) == (
        case.date_reported + timedelta(days=1),
        "Field report",
        ["open"],
    )
    assert with_app[0] == installed[0]


def test_an_apps_declaration_alone_adds_a_line_to_the_home_page():
    capabilities = [c for c in _with_test_app() if c.app == "tests.capability_app"]
    table = role_table(_with_test_app(), Role)

    def waiting(kind: str, role: str, site: str = WORKSPACE) -> list[Waiting]:
        request = SimpleNamespace(organisation=SimpleNamespace(kind=kind, name="Beta OVC"))
        return waiting_for(request, site, lambda p: p in table[role], capabilities)

    line = Waiting("Reports to file for Beta OVC", "/field-reports/", 1)
    assert waiting("ip", Role.CASE_WORKER) == [line]
    assert waiting("ip", Role.VIEWER) == []  # without the permission
    assert waiting("cci", Role.CASE_WORKER) == []  # a kind the app does not serve
    assert waiting("ip", Role.CASE_WORKER, PLATFORM) == []  # not a line of the platform's home


def test_the_home_pages_lines_are_declared_by_their_apps_in_order():
    from tenants.capabilities import home_waiting

    def lines(site: str) -> list[tuple[str, str]]:
        return [(c.app, line.permission) for line, c in home_waiting(site)]

    assert lines(WORKSPACE) == [
        ("intake", "triage_intake"),  # intake reports waiting for triage (issue 20)
        ("sharing", "manage_sharing"),
        ("tenants", "manage_members"),  # a CCI's licence or gazettement expiring (issue 19)
        ("sharing", "manage_sharing"),  # drafted access requests (issue 17)
        ("case_apps.cases", "receive_referrals"),
        ("case_apps.institutions", "view_cases"),  # residents due out, overstays (issue 19)
        ("case_apps.ovc", "record_cases"),  # OVC transfers to answer (issue 18)
        ("case_apps.field", "supervise_cases"),  # field forms to approve (issue 21)
        ("case_apps.field", "record_cases"),  # the member's field forms waiting (issue 21)
        ("case_apps.institutions", "record_cases"),  # expected admissions (issue 19)
    ]
    assert lines(PLATFORM) == [
        ("sharing", "approve_sharing"),
        ("provisioning", "verify_organisations"),
        ("sharing", "confirm_vacancies"),  # vacancy applications to decide (issue 19)
        ("intake", "manage_intake"),  # intake reports with no office to route (issue 20)
        ("tenants", "use_console"),  # CCI licences and gazettements expiring (issue 19)
        ("shared_registry", "review_duplicates"),
    ]
    wrong = (Capability(app="a", home_waiting=(HomeWaiting("a.count", "nowhere"),)),)
    with pytest.raises(CapabilityError, match="undeclared permission nowhere"):
        permission_values(wrong)


# The beat schedule as platform/cpims/settings.py wrote it before (without the environment).
SCHEDULE_BEFORE = {
    "seal-audit-chains": {"task": "audit.seal_chains", "schedule": 2.0},
    "verify-audit-chains": {"task": "audit.verify_chains", "schedule": 86400.0},
    "drain-outboxes-into-national-facts": {
        "task": "national_statistics.drain_all",
        "schedule": 60.0,
    },
    "refresh-sharing-agreements": {"task": "sharing.refresh_agreements", "schedule": 3600.0},
    "dispose-expired-records": {"task": "audit.dispose_expired", "schedule": 86400.0},
    "refill-workspace-pool": {"task": "provisioning.refill_pool", "schedule": 300.0},
    # issue 19: CCI licences and gazettements expiring, warned once per threshold
    "licence-expiry-warnings": {"task": "tenants.licence_expiry_warnings", "schedule": 86400.0},
    # issue 20: DHIS2 pushes that waited for DHIS2 to come back
    "dhis2-pushes-due": {"task": "integrations.dhis2_pushes_due", "schedule": 120.0},
    "reference-data-sync": {"task": "integrations.reference_sync_all", "schedule": 86400.0},
    # issue 20: webhook deliveries due for a retry (and any whose first task was lost)
    "webhook-deliveries": {"task": "webhooks.sweep", "schedule": 15.0},
    # issue 20: supervisors told of intake reports waiting a day; replay nonces forgotten
    "intake-tell-supervisors": {"task": "intake.tell_supervisors", "schedule": 900.0},
    "intake-prune-nonces": {"task": "intake.prune_nonces", "schedule": 3600.0},
}


def test_the_beat_schedule_is_the_declared_periodic_tasks(monkeypatch):
    from django.conf import settings

    for name in ("AUDIT_SEAL", "AUDIT_VERIFY", "DRAIN", "SHARING_REFRESH", "RETENTION"):
        monkeypatch.delenv(f"CPIMS_{name}_SECONDS", raising=False)
    monkeypatch.delenv("CPIMS_POOL_REFILL_SECONDS", raising=False)
    monkeypatch.delenv("CPIMS_LICENCE_EXPIRY_SECONDS", raising=False)
    monkeypatch.delenv("CPIMS_DHIS2_RETRY_SECONDS", raising=False)
    monkeypatch.delenv("CPIMS_REFERENCE_SYNC_SECONDS", raising=False)
    monkeypatch.delenv("CPIMS_WEBHOOKS_SWEEP_SECONDS", raising=False)
    monkeypatch.delenv("CPIMS_INTAKE_TELL_SECONDS", raising=False)
    assert dict(settings.CELERY_BEAT_SCHEDULE) == SCHEDULE_BEFORE
    monkeypatch.setenv("CPIMS_DRAIN_SECONDS", "5")
    assert settings.CELERY_BEAT_SCHEDULE["drain-outboxes-into-national-facts"]["schedule"] == 5.0

    with_app = beat_schedule(_with_test_app())
    assert with_app["ping-field-reports"] == {"task": "cpims.ping", "schedule": 600.0}
    twice = (Capability(app="a", periodic_tasks=(PeriodicTask("x", "t", 1),) * 2),)
    with pytest.raises(CapabilityError, match="periodic task x twice"):
        beat_schedule(twice)

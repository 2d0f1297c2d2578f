"""Capabilities: what each installed app brings to the platform, declared in one place.

Every app that adds something to the platform has a module ``<app>/capabilities.py`` with a
``CAPABILITY``: its permissions and the roles that hold them, its navigation entries, the
organisation kinds it serves, the URLs it mounts on the workspace and platform sites, its API
routers, what it adds to the registries of other apps (shareable record kinds, subject access
readers, retention kinds, access log kinds, registry link holders, person sources of the
outbox, the case timeline's sources and presenters), the kinds of outbox events it writes, the
lines of the home pages' "Waiting for you" and its periodic tasks. The policy
(``tenants/policy.py``), the navigation (``platform/cpims/context_processors.py``), the URL
configurations (``platform/cpims/urls_tenant.py``, ``platform/cpims/urls_public.py``), the APIs
(``platform/cpims/api.py``), the statistics dashboard's headline figures, the home pages
(``platform/cpims/views.py``), the beat schedule (``CELERY_BEAT_SCHEDULE``) and those
registries are built from these declarations, so adding an app touches no central file but
the list of installed apps.

A declaration is read when ``tenants.policy`` is first imported, so it stays light: it names
permissions by their value, URL modules, API routers and registry items by dotted path; the
registries import those items on first use (``declared``).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.module_loading import import_string

WORKSPACE = "workspace"  # an organisation's host
PLATFORM = "platform"  # the bare base domain (DCS headquarters, sign-up, registry desk)
SITES = (WORKSPACE, PLATFORM)


@dataclass(frozen=True)
class Grant:
    """A permission (by its value, e.g. "record_cases": ``Permission.RECORD_CASES``), the
    workspace and platform roles that hold it, and the template flag that shows it."""

    permission: str
    roles: tuple[str, ...] = ()  # tenants.models.Role values
    platform_roles: tuple[str, ...] = ()  # tenants.models.PlatformRole values
    flag: str = ""  # e.g. "can_supervise": True in templates when the viewer holds it


@dataclass(frozen=True)
class NavEntry:
    """A link of the main navigation: shown on ``site`` to those who hold ``permission``
    (None: every member of a workspace, everyone on the platform site), in ``order``."""

    label: Any  # lazily translated
    url_name: str
    site: str = WORKSPACE
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Mount:
    """A URL module included under ``prefix`` on ``site``."""

    prefix: str
    urls: str  # dotted module path
    site: str = WORKSPACE


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router (dotted path) added to the API of ``site`` under ``prefix``."""

    router: str
    site: str = WORKSPACE
    prefix: str = "/"


@dataclass(frozen=True)
class EventType:
    """A kind of outbox event (a national fact) the app writes; ``headline`` names the kinds
    the statistics dashboard totals as headline figures (a ``gettext_noop`` label), in
    ``order``."""

    name: str
    headline: str = ""
    order: int = 100


@dataclass(frozen=True)
class HomeWaiting:
    """A line of "Waiting for you" on the home page of ``site``, for those who hold
    ``permission``: ``counter`` (dotted path) takes the request and returns the lines
    (``Waiting``), none when nothing waits; in ``order``."""

    counter: str
    permission: str
    site: str = WORKSPACE
    order: int = 100


@dataclass(frozen=True)
class Waiting:
    """What a home page shows: a translated ``label`` linking to ``url``, the ``count`` it
    states, and a few items (label, url) below it."""

    label: str
    url: str
    count: int
    items: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PeriodicTask:
    """A Celery task (by name) run every ``seconds``; the environment variable ``env``, when
    set, gives another interval."""

    name: str  # the beat schedule's key
    task: str
    seconds: float
    env: str = ""

    def interval(self) -> float:
        return float(os.environ.get(self.env, self.seconds)) if self.env else float(self.seconds)


# The registries other apps keep, each fed by the declarations' dotted paths (an item, or a
# list or tuple of items): field of Capability -> what each item is.
REGISTRIES = {
    "shareable_kinds": "sharing.registry.RecordKind",
    "person_access": "a check (user, membership, person_id) -> bool (sharing.registry)",
    "subject_readers": "sharing.subject_access.SubjectKind",
    "retention_kinds": "audit.retention.DisposableKind",
    "access_kinds": "audit.access_kinds.AccessKind",
    "link_holders": "a holder (person_ids) -> held ids (shared_registry.links)",
    "person_sources": "a finder (person_ids or None) -> [(source prefix, person id, case ref)]",
    "timeline_sources": "a reader (case) -> [case_apps.cases.selectors.TimelineEntry]",
    "timeline_presenters": "case_apps.cases.presenters.TimelinePresenter",
}


@dataclass(frozen=True)
class Capability:
    """What one app brings; see the module's docstring and docs/architecture.md."""

    app: str  # the app's module name, e.g. "case_apps.ovc"
    permissions: tuple[Grant, ...] = ()
    navigation: tuple[NavEntry, ...] = ()
    # organisation kinds (tenants.models.OrganisationKind values) whose workspaces the app
    # serves; None: every organisation
    organisation_kinds: frozenset[str] | None = None
    urls: tuple[Mount, ...] = ()
    api_routers: tuple[ApiRouter, ...] = ()
    shareable_kinds: tuple[str, ...] = ()
    person_access: tuple[str, ...] = ()
    subject_readers: tuple[str, ...] = ()
    retention_kinds: tuple[str, ...] = ()
    access_kinds: tuple[str, ...] = ()
    link_holders: tuple[str, ...] = ()
    person_sources: tuple[str, ...] = ()
    event_types: tuple[EventType, ...] = ()
    # the case page's timeline: what happened on a case, and how each kind of entry reads
    timeline_sources: tuple[str, ...] = ()
    timeline_presenters: tuple[str, ...] = ()
    home_waiting: tuple[HomeWaiting, ...] = ()
    periodic_tasks: tuple[PeriodicTask, ...] = ()

    def serves(self, organisation) -> bool:
        """Whether the app runs in ``organisation``'s workspace (by its kind)."""
        if organisation is None:
            return False
        return self.organisation_kinds is None or organisation.kind in self.organisation_kinds


class CapabilityError(Exception):
    """Declarations that contradict each other (a permission declared twice, a navigation
    entry naming an undeclared permission)."""


def capabilities_of(app_names: Iterable[str]) -> tuple[Capability, ...]:
    """The declarations of these apps (those that have a ``capabilities`` module), in order."""
    found = []
    for name in app_names:
        module_name = f"{name}.capabilities"
        if importlib.util.find_spec(module_name) is None:
            continue
        capability = importlib.import_module(module_name).CAPABILITY
        if capability.app != name:
            raise CapabilityError(f"{module_name} declares the app {capability.app!r}")
        found.append(capability)
    return tuple(found)


@cache
def installed_capabilities() -> tuple[Capability, ...]:
    """Every installed app's declaration, in the order of INSTALLED_APPS."""
    from django.apps import apps

    return capabilities_of(config.name for config in apps.get_app_configs())


def capability_of(app: str) -> Capability | None:
    return next((c for c in installed_capabilities() if c.app == app), None)


# --- Permissions ------------------------------------------------------------------------------
def permission_values(capabilities: Sequence[Capability]) -> list[str]:
    """Every declared permission, in declaration order; each is declared by one app only."""
    seen: dict[str, str] = {}
    for capability in capabilities:
        for grant in capability.permissions:
            if grant.permission in seen:
                raise CapabilityError(
                    f"{grant.permission} is declared by {seen[grant.permission]} "
                    f"and {capability.app}"
                )
            seen[grant.permission] = capability.app
    _check_references(capabilities, set(seen))
    return list(seen)


def _check_references(capabilities: Sequence[Capability], permissions: set[str]) -> None:
    for capability in capabilities:
        for entry in capability.navigation:
            if entry.permission is not None and entry.permission not in permissions:
                raise CapabilityError(
                    f"{capability.app}: navigation to {entry.url_name} needs the undeclared "
                    f"permission {entry.permission}"
                )
            if entry.site not in SITES:
                raise CapabilityError(f"{capability.app}: unknown site {entry.site}")
        for line in capability.home_waiting:
            if line.permission not in permissions:
                raise CapabilityError(
                    f"{capability.app}: {line.counter} needs the undeclared permission "
                    f"{line.permission}"
                )
            if line.site not in SITES:
                raise CapabilityError(f"{capability.app}: unknown site {line.site}")


def role_table(
    capabilities: Sequence[Capability], roles: Iterable[str], *, platform: bool = False
) -> dict[str, frozenset[str]]:
    """Role -> the values of the permissions it holds (every role of ``roles`` a key)."""
    table: dict[str, set[str]] = {role: set() for role in roles}
    for capability in capabilities:
        for grant in capability.permissions:
            for role in grant.platform_roles if platform else grant.roles:
                if role not in table:
                    raise CapabilityError(f"{capability.app}: unknown role {role}")
                table[role].add(grant.permission)
    return {role: frozenset(values) for role, values in table.items()}


def permission_flags(capabilities: Sequence[Capability]) -> dict[str, str]:
    """Template flag -> the permission value it shows."""
    return {
        grant.flag: grant.permission
        for capability in capabilities
        for grant in capability.permissions
        if grant.flag
    }


# --- Navigation, URLs and APIs ----------------------------------------------------------------
def navigation(capabilities: Sequence[Capability], site: str) -> list[tuple[NavEntry, Capability]]:
    """The navigation entries of ``site``, in order, each with the capability declaring it."""
    entries = [
        (entry, capability)
        for capability in capabilities
        for entry in capability.navigation
        if entry.site == site
    ]
    return sorted(entries, key=lambda pair: pair[0].order)


def url_mounts(capabilities: Sequence[Capability], site: str) -> list[Mount]:
    """The URL modules of ``site``: longer prefixes first (so ``console/lists/`` is tried
    before ``console/``), then in the order of INSTALLED_APPS."""
    mounts = [m for c in capabilities for m in c.urls if m.site == site]
    return sorted(mounts, key=lambda mount: -len(mount.prefix))


def urlpatterns_for(site: str, capabilities: Sequence[Capability] | None = None) -> list:
    """``path(prefix, include(module))`` for every declared mount of ``site``."""
    from django.urls import include, path

    if capabilities is None:
        capabilities = installed_capabilities()
    return [path(m.prefix, include(m.urls)) for m in url_mounts(capabilities, site)]


def api_routers(site: str, capabilities: Sequence[Capability] | None = None) -> list[ApiRouter]:
    if capabilities is None:
        capabilities = installed_capabilities()
    return [r for c in capabilities for r in c.api_routers if r.site == site]


def event_types(capabilities: Sequence[Capability] | None = None) -> list[EventType]:
    """Every declared event type, in order (then in the order of INSTALLED_APPS)."""
    if capabilities is None:
        capabilities = installed_capabilities()
    found = [event for c in capabilities for event in c.event_types]
    return sorted(found, key=lambda event: event.order)


def home_waiting(
    site: str, capabilities: Sequence[Capability] | None = None
) -> list[tuple[HomeWaiting, Capability]]:
    """The "Waiting for you" lines of ``site``'s home page, in order, each with its app."""
    if capabilities is None:
        capabilities = installed_capabilities()
    lines = [(line, c) for c in capabilities for line in c.home_waiting if line.site == site]
    return sorted(lines, key=lambda pair: pair[0].order)


def waiting_for(
    request, site: str, may_open, capabilities: Sequence[Capability] | None = None
) -> list[Waiting]:
    """What waits for the viewer of ``site``'s home page: every declared line whose app serves
    the organisation (on a workspace) and whose permission ``may_open`` grants."""
    found: list[Waiting] = []
    for line, capability in home_waiting(site, capabilities):
        if site == WORKSPACE and not capability.serves(request.organisation):
            continue
        if may_open(line.permission):
            found.extend(import_string(line.counter)(request))
    return found


def waiting_label(message: str, **values) -> str:
    """A translated ``message`` with its ``%(name)s`` values filled in as a template's
    ``blocktranslate`` fills them (escaped and localised; the message itself is not)."""
    from django.utils.formats import localize
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    filled = {name: conditional_escape(localize(value)) for name, value in values.items()}
    return mark_safe(message % filled)  # noqa: S308 (every value is escaped above)


def waiting_count(
    count: int, message: str, url: str, items: tuple = (), *, shown_when_none: bool = False
) -> list[Waiting]:
    """A home page's line stating ``count`` (``message``, already chosen by ``ngettext``,
    holds ``%(n)s``) and linking to ``url``: none when nothing waits, unless
    ``shown_when_none``."""
    if not count and not shown_when_none:
        return []
    return [Waiting(waiting_label(message, n=count), url, count, tuple(items))]


# --- Periodic tasks -----------------------------------------------------------------------
def beat_schedule(capabilities: Sequence[Capability] | None = None) -> dict[str, dict]:
    """Celery's beat schedule (name -> task and interval in seconds) from the declarations."""
    if capabilities is None:
        capabilities = installed_capabilities()
    schedule: dict[str, dict] = {}
    for capability in capabilities:
        for job in capability.periodic_tasks:
            if job.name in schedule:
                raise CapabilityError(f"{capability.app}: the periodic task {job.name} twice")
            schedule[job.name] = {"task": job.task, "schedule": job.interval()}
    return schedule


class DeclaredBeatSchedule(Mapping):
    """``settings.CELERY_BEAT_SCHEDULE``: the settings load before the apps, so the schedule
    is built from the installed apps' declarations when first read (by Celery's beat, the
    launcher's in-process beat or a test), after Django has started."""

    def _schedule(self) -> dict[str, dict]:
        return beat_schedule()

    def __getitem__(self, name: str) -> dict:
        return self._schedule()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._schedule())

    def __len__(self) -> int:
        return len(self._schedule())

    def __repr__(self) -> str:
        return "DeclaredBeatSchedule()"


# --- Registries -------------------------------------------------------------------------------
def resolve_items(paths: Iterable[str]) -> list:
    """The objects the dotted paths name; a path naming a list or tuple gives its items."""
    items: list = []
    for dotted in paths:
        found = import_string(dotted)
        items.extend(found if isinstance(found, (list, tuple)) else [found])
    return items


@cache
def declared(registry: str) -> tuple:
    """Every installed app's items for ``registry`` (a key of REGISTRIES), in app order;
    imported on first use."""
    return declared_in(registry, installed_capabilities())


def declared_in(registry: str, capabilities: Sequence[Capability]) -> tuple:
    """The items these apps declare for ``registry``, in their order (not kept)."""
    if registry not in REGISTRIES:
        raise KeyError(registry)
    return tuple(resolve_items(path for c in capabilities for path in getattr(c, registry)))


def _forget(**kwargs) -> None:
    if kwargs.get("setting") == "INSTALLED_APPS":
        installed_capabilities.cache_clear()
        declared.cache_clear()


def _connect() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_forget, dispatch_uid="tenants-capabilities-forget")


_connect()


# --- The tenancy core's own declaration -------------------------------------------------------
def _core() -> Capability:
    from django.utils.translation import gettext_lazy as _

    from tenants.models import PlatformRole, Role

    hq_console = (
        PlatformRole.NATIONAL_ADMINISTRATOR,
        PlatformRole.SHARING_APPROVER,
        PlatformRole.ANALYST,
    )
    return Capability(
        app="tenants",
        permissions=(
            # inside an organisation's workspace: every member enters; admins manage members
            Grant("enter_workspace", roles=tuple(Role)),
            Grant("manage_members", roles=(Role.ORGANISATION_ADMIN,), flag="can_manage_members"),
            # on the platform site (DCS headquarters): the console, and verifying sign-ups
            Grant("use_console", platform_roles=hq_console, flag="can_use_console"),
            Grant("verify_organisations", platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR,)),
        ),
        navigation=(
            NavEntry(_("Home"), "home", order=0),
            NavEntry(_("Platform"), "home", site=PLATFORM, order=0),
            NavEntry(_("Console"), "console:organisations", PLATFORM, "use_console", order=10),
        ),
        urls=(
            Mount("console/", "tenants.urls_console", PLATFORM),
            Mount("organisation/", "tenants.urls_workspace"),
        ),
        api_routers=(
            ApiRouter("tenants.api.workspace_router"),
            ApiRouter("tenants.api.platform_router", PLATFORM),
        ),
        home_waiting=(
            # a CCI's licence or gazettement expiring: its admins, and DCS headquarters
            HomeWaiting("tenants.capabilities.own_licence_expiring", "manage_members", order=15),
            HomeWaiting(
                "tenants.capabilities.licences_expiring", "use_console", PLATFORM, order=25
            ),
        ),
        periodic_tasks=(
            PeriodicTask(
                "licence-expiry-warnings",
                "tenants.licence_expiry_warnings",
                86400,
                "CPIMS_LICENCE_EXPIRY_SECONDS",
            ),
        ),
    )


def own_licence_expiring(request) -> list[Waiting]:
    """A CCI admin's home: the organisation's licence or gazettement expiring or expired."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from tenants.expiry import expiries

    if request.organisation is None or request.organisation.kind != "cci":
        return []
    found = expiries(organisation=request.organisation)
    lines = []
    for expiry in found:
        if expiry.expired:
            message = gettext("Your %(document)s %(number)s expired on %(date)s: renew it")
        else:
            message = gettext("Your %(document)s %(number)s expires on %(date)s: renew it")
        label = waiting_label(
            message,
            document=str(expiry.label).lower(),
            number=expiry.number or "—",
            date=expiry.expires_on,
        )
        lines.append(Waiting(label, reverse("organisation:detail"), 1))
    return lines


def licences_expiring(request) -> list[Waiting]:
    """DCS headquarters' home: CCI licences and gazettements expiring or expired."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from tenants.expiry import expiries

    count = len(expiries())
    message = ngettext(
        "%(n)s CCI licence or gazettement expiring or expired",
        "%(n)s CCI licences and gazettements expiring or expired",
        count,
    )
    return waiting_count(count, message, reverse("console:expiring"))


def __getattr__(name: str):
    # tenants' CAPABILITY is made on first use: it needs the models' role lists
    if name == "CAPABILITY":
        return _core()
    raise AttributeError(name)

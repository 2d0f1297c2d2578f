"""Capabilities: what each installed app brings to the platform, declared in one place.

Every app that adds something to the platform has a module ``<app>/capabilities.py`` with a
``CAPABILITY``: its permissions and the roles that hold them, its navigation entries, the
organisation kinds it serves, the URLs it mounts on the workspace and platform sites, its API
routers, what it adds to the registries of other apps (shareable record kinds, subject access
readers, retention kinds, access log kinds, registry link holders, person sources of the
outbox) and the kinds of outbox events it writes. The policy (``tenants/policy.py``), the
navigation (``platform/cpims/context_processors.py``), the URL configurations
(``platform/cpims/urls_tenant.py``, ``platform/cpims/urls_public.py``), the APIs
(``platform/cpims/api.py``), the
statistics dashboard's headline figures and those registries are built from these
declarations, so adding an app touches no central file but the list of installed apps.

A declaration is read when ``tenants.policy`` is first imported, so it stays light: it names
permissions by their value, URL modules, API routers and registry items by dotted path; the
registries import those items on first use (``declared``).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Sequence
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
    if registry not in REGISTRIES:
        raise KeyError(registry)
    return tuple(
        resolve_items(path for c in installed_capabilities() for path in getattr(c, registry))
    )


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
        urls=(Mount("console/", "tenants.urls_console", PLATFORM),),
    )


def __getattr__(name: str):
    # tenants' CAPABILITY is made on first use: it needs the models' role lists
    if name == "CAPABILITY":
        return _core()
    raise AttributeError(name)

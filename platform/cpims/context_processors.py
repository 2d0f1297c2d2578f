from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.http import HttpRequest
from django.urls import reverse

from tenants.capabilities import (
    PLATFORM,
    WORKSPACE,
    Capability,
    installed_capabilities,
    navigation,
    permission_flags,
)
from tenants.policy import WORKSPACE_PERMISSIONS, Permission, may

# Template flag -> the permission it shows, as the apps declare them (tenants/capabilities.py):
# workspace permissions on an organisation's host (through the member's membership), platform
# permissions on the platform site.
_FLAGS = permission_flags(installed_capabilities())
WORKSPACE_FLAGS = {
    flag: Permission(value) for flag, value in _FLAGS.items() if value in WORKSPACE_PERMISSIONS
}
PLATFORM_FLAGS = {
    flag: Permission(value) for flag, value in _FLAGS.items() if flag not in WORKSPACE_FLAGS
}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def navigation_links(
    capabilities: Sequence[Capability],
    site: str,
    organisation,
    allowed: Callable[[str], bool],
    urlconf: str | None = None,
) -> list[NavLink]:
    """The site's navigation entries this viewer may open, in order: an entry of an app that
    does not serve this organisation's kind, or whose permission the viewer lacks, is left
    out."""
    links = []
    for entry, capability in navigation(capabilities, site):
        if site == WORKSPACE and not capability.serves(organisation):
            continue
        if entry.permission is not None and not allowed(entry.permission):
            continue
        links.append(NavLink(entry.label, reverse(entry.url_name, urlconf=urlconf)))
    return links


def workspace(request: HttpRequest) -> dict:
    """The organisation of this host, the user's membership, and what navigation may show
    (asked of tenants.policy; no query beyond the membership the door already loaded)."""
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    context = {
        "organisation": organisation,
        "membership": membership,
        "on_platform_site": organisation is None,
    }
    in_workspace = organisation is not None and membership is not None
    for flag, permission in WORKSPACE_FLAGS.items():
        context[flag] = in_workspace and may(
            user, permission, organisation=organisation, membership=membership
        )
    on_platform = user is not None and organisation is None
    for flag, permission in PLATFORM_FLAGS.items():
        context[flag] = on_platform and may(user, permission)
    # the links, worked out only when a template shows the main navigation
    if in_workspace:
        context["main_navigation"] = partial(
            navigation_links,
            installed_capabilities(),
            WORKSPACE,
            organisation,
            lambda p: may(user, p, organisation=organisation, membership=membership),
        )
    elif organisation is None:
        context["main_navigation"] = partial(
            navigation_links,
            installed_capabilities(),
            PLATFORM,
            None,
            lambda p: on_platform and may(user, p),
        )
    else:
        context["main_navigation"] = []
    return context

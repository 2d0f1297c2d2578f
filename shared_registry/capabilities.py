"""What the shared person registry brings: search and registration in workspaces, the
registry desk on the platform (tenants/capabilities.py)."""

from django.utils.translation import gettext_lazy as _

from tenants.capabilities import (
    PLATFORM,
    ApiRouter,
    Capability,
    Grant,
    HomeWaiting,
    Mount,
    NavEntry,
    Waiting,
    waiting_count,
)
from tenants.models import PlatformRole, Role

RECORDING_ROLES = (Role.DATA_CLERK, Role.CASE_WORKER, Role.SUPERVISOR, Role.ORGANISATION_ADMIN)

CAPABILITY = Capability(
    app="shared_registry",
    permissions=(
        # issue 4: every role that records cases registers and searches persons; viewers
        # search only (minimal disclosure)
        Grant("search_registry", roles=(*RECORDING_ROLES, Role.VIEWER)),
        Grant("register_persons", roles=RECORDING_ROLES),
        # platform: search, merge, directories, imports
        Grant(
            "manage_registry",
            platform_roles=(PlatformRole.NATIONAL_ADMINISTRATOR, PlatformRole.REGISTRY_MANAGER),
            flag="can_manage_registry",
        ),
        # the registry manager's desk (issue 15): duplicates queue, merges and their undo,
        # sibling decisions; not the national administrator's job
        Grant(
            "review_duplicates",
            platform_roles=(PlatformRole.REGISTRY_MANAGER,),
            flag="can_review_duplicates",
        ),
    ),
    navigation=(
        NavEntry(_("Registry"), "registry:search", order=80),
        NavEntry(_("Registry"), "registry:search", PLATFORM, "manage_registry", order=60),
    ),
    urls=(
        Mount("registry/", "shared_registry.urls_workspace"),
        Mount("registry/", "shared_registry.urls", PLATFORM),
    ),
    api_routers=(
        ApiRouter("shared_registry.api.workspace_router"),
        ApiRouter("shared_registry.api_places.workspace_places_router"),
        ApiRouter("shared_registry.api.platform_router", PLATFORM),
        ApiRouter("shared_registry.api_places.platform_places_router", PLATFORM),
    ),
    home_waiting=(
        HomeWaiting(
            "shared_registry.capabilities.duplicates_to_review",
            "review_duplicates",
            PLATFORM,
            order=30,
        ),
    ),
)


def duplicates_to_review(request) -> list[Waiting]:
    """The registry manager's home: the open pairs of the duplicates queue."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from shared_registry.selectors import potential_duplicates_open

    count = potential_duplicates_open().count()
    message = ngettext(
        "%(n)s possible duplicate person to review",
        "%(n)s possible duplicate persons to review",
        count,
    )
    return waiting_count(count, message, reverse("registry:duplicates"), shown_when_none=True)

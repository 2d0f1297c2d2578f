"""Registry endpoints (django-ninja): ``workspace_router`` on every workspace API and
``platform_router`` on the platform API (shared_registry/capabilities.py names them here).
The endpoints live by subject: persons (api_persons), the registry manager's desk
(api_desk) and the directory (api_directory); each is a thin adapter over a selector or
service that takes the actor, asks tenants.policy and writes the access log."""

from __future__ import annotations

from shared_registry import api_desk, api_directory, api_persons  # noqa: F401 (endpoints)
from shared_registry.api_common import platform_router, workspace_router

__all__ = ["platform_router", "workspace_router"]

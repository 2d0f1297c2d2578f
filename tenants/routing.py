"""Host name to organisation, with a small in-process cache.

STACK-NOTES: django-tenants' stock middleware costs three queries per request;
here a host is looked up once per ``TENANT_ROUTE_CACHE_SECONDS`` per process,
and the cache is cleared in-process whenever an organisation or domain changes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings

from tenants.models import Domain, Organisation


@dataclass(frozen=True)
class Route:
    """Where a host goes: the platform site (organisation None) or a workspace."""

    organisation: Organisation | None

    @property
    def is_platform_site(self) -> bool:
        return self.organisation is None


PLATFORM_SITE = Route(organisation=None)


class _RouteCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Route | None]] = {}
        self._lock = threading.Lock()

    def get(self, hostname: str) -> tuple[bool, Route | None]:
        entry = self._entries.get(hostname)
        if entry is None or entry[0] < time.monotonic():
            return False, None
        return True, entry[1]

    def put(self, hostname: str, route: Route | None) -> None:
        ttl = settings.TENANT_ROUTE_CACHE_SECONDS
        with self._lock:
            if len(self._entries) > 10_000:  # unbounded hosts must not grow memory
                self._entries.clear()
            self._entries[hostname] = (time.monotonic() + ttl, route)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


route_cache = _RouteCache()


def hostname_of(host: str) -> str:
    """``Acme.localhost:8000`` -> ``acme.localhost``."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):  # IPv6 literal
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def workspace_slug_of(hostname: str) -> str | None:
    """The slug in ``<slug>.<base domain>`` or ``<slug>.localhost``, else None."""
    for suffix in {f".{settings.BASE_DOMAIN}", ".localhost"}:
        if hostname.endswith(suffix):
            label = hostname[: -len(suffix)]
            return label if label and "." not in label else None
    return None


def _lookup(hostname: str) -> Route | None:
    if hostname in settings.PUBLIC_HOSTS:
        return PLATFORM_SITE
    slug = workspace_slug_of(hostname)
    if slug is not None:
        organisation = Organisation.objects.filter(slug=slug).first()
    else:
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        organisation = domain.tenant if domain else None
    return Route(organisation=organisation) if organisation else None


def resolve_host(host: str, *, fresh: bool = False) -> Route | None:
    """The route for a Host header (as sent, port included), or None when no
    organisation lives there. Cached by the raw header, so a hit parses nothing; ``fresh``
    reads the database whatever the cache holds (and refreshes it)."""
    hit, route = (False, None) if fresh else route_cache.get(host)
    if hit:
        return route
    route = _lookup(hostname_of(host))
    route_cache.put(host, route)
    return route


def workspace_url(organisation: Organisation, request_port: str | None = None) -> str:
    """The address of an organisation's workspace on this platform."""
    port = f":{request_port}" if request_port and request_port not in {"80", "443"} else ""
    scheme = "https" if settings.SECURE else "http"
    return f"{scheme}://{organisation.slug}.{settings.BASE_DOMAIN}{port}/"

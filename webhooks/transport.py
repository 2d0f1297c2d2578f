"""The HTTP side of a delivery: which URLs may be called, and one POST with no redirects.

Only http(s) URLs; a host that is (or resolves to) a private, loopback, link-local or
otherwise non-public address is refused unless ``CPIMS_WEBHOOKS_ALLOW_PRIVATE`` is true
(tests, DEBUG and the demo's local stand-in). ``urllib`` (the standard library) is the
client: ``requests`` is not a dependency of the project.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 5  # CPIMS_WEBHOOKS_TIMEOUT_SECONDS overrides it (the tests wait less)
URL_MAX_LENGTH = 500


def timeout_seconds() -> float:
    return float(getattr(settings, "CPIMS_WEBHOOKS_TIMEOUT_SECONDS", TIMEOUT_SECONDS))


def private_allowed() -> bool:
    return bool(getattr(settings, "CPIMS_WEBHOOKS_ALLOW_PRIVATE", False))


def _public(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_global
    except ValueError:
        return False


def url_check(url: str) -> str:
    """``url`` if a subscription may call it; ValidationError naming ``url`` otherwise (a
    host name is resolved only when sending: see ``target_check``)."""
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": [_("Give the URL to call.")]})
    if len(url) > URL_MAX_LENGTH:
        raise ValidationError({"url": [_("The URL is too long.")]})
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": [_("Give an http:// or https:// URL with a host.")]})
    if parts.username or parts.password:
        raise ValidationError({"url": [_("The URL may not carry a user name or password.")]})
    try:
        parts.port  # noqa: B018 - an invalid port raises here
    except ValueError as error:
        raise ValidationError({"url": [_("The URL's port is not valid.")]}) from error
    host = parts.hostname
    literal = host == "localhost" or host.endswith(".localhost")
    try:
        ipaddress.ip_address(host)
        literal = literal or not _public(host)
    except ValueError:
        pass
    if literal and not private_allowed():
        raise ValidationError({"url": [_("Private and local addresses cannot be called.")]})
    return url


def target_check(url: str) -> str:
    """An error (empty when none) if ``url``'s host resolves to an address we may not call."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if private_allowed():
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError:
        return "host not found"
    if not infos or not all(_public(str(info[4][0])) for info in infos):
        return "private or local address refused"
    return ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None  # a 3xx answer is the answer (not followed)


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


@dataclass(frozen=True)
class Answer:
    status_code: int | None  # None: no answer (refused, timed out, ...)
    duration_ms: int
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url``: the answer's status code, or what went wrong."""
    refused = target_check(url)
    if refused:
        return Answer(None, 0, refused)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    timeout = timeout_seconds()
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(1024)
            return Answer(response.status, took())
    except urllib.error.HTTPError as error:
        error.close()
        return Answer(error.code, took(), f"HTTP {error.code}")
    except TimeoutError:
        return Answer(None, took(), f"timed out after {timeout:g} s")
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return Answer(None, took(), f"timed out after {timeout:g} s")
        return Answer(None, took(), str(reason)[:200])
    except (OSError, ValueError) as error:
        return Answer(None, took(), str(error)[:200] or type(error).__name__)

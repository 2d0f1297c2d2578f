"""Responses that differ for htmx say so, so no cache hands a fragment to a page load."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from whitenoise.middleware import WhiteNoiseMiddleware


class HtmxVaryMiddleware:
    """Every response varies on HX-Request, and htmx fragments are never stored.

    A list filtered with htmx pushes its URL into the history while the response for that
    URL is only the table rows; without this, Back (or a reload) could show the cached bare
    fragment instead of the page (docs/ui.md, "Lists").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        if request.headers.get("HX-Request") == "true":
            add_never_cache_headers(response)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise, with files under hashed names cached for a year (immutable)."""

    FOREVER = 365 * 24 * 60 * 60

"""``Idempotency-Key`` on every POST of the workspace and platform APIs, in one place.

A client that may send a create twice (a retry after a lost answer, an offline app syncing)
sends a key of its own (1-255 printable characters, e.g. a UUID) in the ``Idempotency-Key``
header. The first request with that key runs; its answer (status and body; not a 5xx,
a 401 or a 429) is kept for ``KEPT_FOR`` under the user and the key, where the request's
data lives: a workspace's in its organisation's schema (``outbox.IdempotentRequest``), the
platform site's in public (``cpims.IdempotentRequest``). Kept answers are not audited
changes (the request's own service audits what it wrote), so they are written with
``bulk_create``. A
repeat with the same method, path and body gets that answer again (with
``Idempotent-Replayed: true``) and writes nothing; the same key with another request is a
422 naming the header. Two requests with one key at the same moment run one after the other
(a PostgreSQL advisory lock on the key, cpims.locks), so the second replays the first.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from cpims.locks import held_lock
from tenants.api_errors import invalid_body

HEADER = "Idempotency-Key"
KEY_MAX = 255
KEPT_FOR = timedelta(hours=24)
NOT_KEPT = {401, 429}  # answers about the caller, not the request: a repeat runs again
API_PREFIX = "/api/"


def lock_name(schema_name: str, user_id: int, key: str) -> str:
    """The advisory lock's name of one key (``hashtextextended`` of it is the lock)."""
    return f"idempotency:{schema_name}:{user_id}:{key}"


def _refused(message: str) -> JsonResponse:
    return JsonResponse(invalid_body({HEADER: [message]}), status=422)


def _key_problem(key: str) -> str | None:
    if not key or len(key) > KEY_MAX:
        return f"Give 1 to {KEY_MAX} characters."
    if not all(" " < character < "\x7f" for character in key):
        return "Use printable characters without spaces (a UUID, for example)."
    return None


def _fingerprint(request: HttpRequest, body: bytes) -> str:
    digest = hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n".encode())
    digest.update(body)
    return digest.hexdigest()


class IdempotencyMiddleware:
    """After authentication (a token's user is known) and the workspace door."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        problem = _key_problem(key)
        if problem:
            return _refused(problem)
        if not request.user.is_authenticated:
            return self.get_response(request)  # refused by the API's authentication
        try:
            body = request.body
        except RequestDataTooBig:
            return self.get_response(request)  # answered 413 by the API
        organisation = getattr(request, "organisation", None)
        schema_name = organisation.schema_name if organisation is not None else "public"
        name = lock_name(schema_name, request.user.pk, key)
        with held_lock(name, wait=True):  # cpims.locks: holds through a transaction pooler
            return self._once(request, schema_name, key, _fingerprint(request, body))

    def _once(self, request: HttpRequest, schema_name: str, key: str, fingerprint: str):
        if schema_name == "public":
            from cpims.models import IdempotentRequest
        else:
            from case_apps.outbox.models import IdempotentRequest

        kept = IdempotentRequest.objects.filter(user_id=request.user.pk, key=key).first()
        expired = None
        if kept is not None and kept.created_at < timezone.now() - KEPT_FOR:
            expired, kept = kept, None  # a new request: its answer replaces the old one
        if kept is not None:
            if kept.fingerprint != fingerprint:
                return _refused(
                    "This key was used with another request: use a new key for a new request."
                )
            response = HttpResponse(
                bytes(kept.body), status=kept.status, content_type=kept.content_type or None
            )
            response["Idempotent-Replayed"] = "true"
            return response
        response = self.get_response(request)
        keep = response.status_code < 500 and response.status_code not in NOT_KEPT
        if keep and not getattr(response, "streaming", False):
            answer = {
                "fingerprint": fingerprint,
                "status": response.status_code,
                "content_type": response.get("Content-Type", ""),
                "body": response.content,
            }
            if expired is not None:
                IdempotentRequest.objects.filter(pk=expired.pk).update(
                    **answer, created_at=timezone.now()
                )
            else:
                kept = IdempotentRequest(user_id=request.user.pk, key=key, **answer)
                IdempotentRequest.objects.bulk_create([kept])
        return response

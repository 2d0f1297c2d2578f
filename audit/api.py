"""API access: bearer personal access tokens (or the session with CSRF), API rate limits, and
the audit endpoints mounted on the workspace API."""

from __future__ import annotations

import datetime
from contextlib import nullcontext

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from audit import selectors, services
from audit.models import ApiRequestCount
from audit.security import live
from cpims.request_transaction import commit_point, request_block_only
from tenants.actor import NotFound, actor_from_request
from tenants.api_errors import api_call
from tenants.api_input import MAX_LIMIT, MAX_OFFSET, RecordId, Search, Word
from tenants.policy import Permission, may


def _bearer(request: HttpRequest) -> str | None:
    value = request.headers.get("Authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class ApiGuardMiddleware:
    """For /api/ paths (after authentication, before the workspace door): a bearer token signs
    its user in for this request only, and only on its own organisation's host; every API
    caller is held to API_REQUESTS_PER_MINUTE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.auth_token = None
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        raw = _bearer(request)
        if raw is not None:
            organisation = getattr(request, "organisation", None)
            token = (
                services.token_authenticate(raw=raw, organisation=organisation)
                if organisation is not None
                else None
            )
            if token is None:
                return JsonResponse({"detail": "Invalid, expired or revoked token"}, status=401)
            request.auth_token = token
            request.user = token.user
            request._dont_enforce_csrf_checks = True  # no cookie involved
            caller = f"token:{token.pk}"
        elif request.user.is_authenticated:
            caller = f"user:{request.user.pk}"
        else:
            caller = f"ip:{request.META.get('REMOTE_ADDR', '')}"
        limit = None
        for rate_caller in _rate_callers():  # a machine caller with its own limit (intake)
            found = rate_caller(request)
            if found is not None:
                caller, limit = found
                break
        if over_rate_limit(caller, limit=limit):
            return JsonResponse({"detail": "Too many requests"}, status=429)
        return self.get_response(request)


def _rate_callers():
    """The functions (``CPIMS_API_RATE_CALLERS``) that recognise a machine caller of the API
    and give its own bucket and limit, ``(caller, per minute)``, or None (the app that owns
    such callers declares them; audit knows none of them)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return [import_string(path) for path in getattr(settings, "CPIMS_API_RATE_CALLERS", ())]


def over_rate_limit(
    caller: str, *, now: datetime.datetime | None = None, limit: int | None = None
) -> bool:
    """Count one API request of ``caller``; True when it is over the minute's limit
    (``API_REQUESTS_PER_MINUTE`` unless ``limit`` is given). Counted in the database (one
    upsert), so every process and every worker share the limit."""
    limit = live("API_REQUESTS_PER_MINUTE") if limit is None else limit
    if not limit:
        return False
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    table = connection.ops.quote_name(ApiRequestCount._meta.db_table)
    # Outside a caller's transaction the count commits on its own without waiting for the
    # disk: a count lost in a database crash costs nothing, a WAL flush per call would.
    own = not connection.in_atomic_block
    # In a read request's one transaction behind the pooler (cpims.request_transaction) the
    # count commits at once too (a commit point): its row lock must not last the request, or
    # one caller's API reads would wait for each other.
    in_request = request_block_only(connection)
    with transaction.atomic() if own else nullcontext(), connection.cursor() as cursor:
        if own or in_request:
            cursor.execute("SET LOCAL synchronous_commit TO off")
        cursor.execute(
            f"INSERT INTO public.{table} AS t (key, window_start, count) "  # noqa: S608
            "VALUES (%s, %s, 1) ON CONFLICT (key, window_start) "
            "DO UPDATE SET count = t.count + 1 RETURNING count",
            [caller[:120], minute],
        )
        count = cursor.fetchone()[0]
        if count == 1:  # the first request of a minute tidies this caller's older minutes
            cursor.execute(
                f"DELETE FROM public.{table} WHERE key = %s AND window_start < %s",  # noqa: S608
                [caller[:120], minute],
            )
    if in_request:
        commit_point(connection)
    return count > limit


class PersonalAccessTokenAuth(HttpBearer):
    """Ninja auth: the token ApiGuardMiddleware accepted for this request's organisation."""

    def authenticate(self, request: HttpRequest, token: str):
        accepted = getattr(request, "auth_token", None)
        if accepted is not None and accepted.digest == services.token_digest(token):
            return accepted
        organisation = getattr(request, "organisation", None)
        if organisation is None:
            return None
        found = services.token_authenticate(raw=token, organisation=organisation)
        if found is not None:
            request.user = found.user
        return found


token_auth = PersonalAccessTokenAuth()
# For NinjaAPI(auth=...): a bearer token, or the browser's session (CSRF checked on writes).
TOKEN_OR_SESSION = [token_auth, django_auth]


# --- Endpoints on the workspace API ---------------------------------------------------------------
router = Router(tags=["audit"])


class AccessEntryOut(Schema):
    id: int
    occurred_at: datetime.datetime
    actor_email: str
    record_kind: str
    record_id: str
    purpose: str
    membership_id: int | None
    agreement_id: int | None


class ErrorOut(Schema):
    detail: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None


@router.get(
    "/access-log",
    response={200: list[AccessEntryOut], 403: ErrorOut},
    summary="This organisation's access log",
)
def api_access_log(
    request: HttpRequest,
    q: Search = "",
    record_kind: Word = "",
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    if not may(
        request.user,
        Permission.VIEW_ORGANISATION_AUDIT_LOG,
        organisation=request.organisation,
        membership=request.membership,
    ):
        raise HttpError(403, "Organisation admins only")
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    entries = selectors.access_entries(search=q[:100], record_kind=record_kind[:64])
    return list(entries[offset : offset + limit])


@router.get("/tokens", response=list[TokenOut], summary="My API tokens in this organisation")
def api_tokens(request: HttpRequest):
    return list(selectors.tokens_of(user=request.user, organisation=request.organisation))


@router.delete(
    "/tokens/{token_id}", response={204: None, 404: ErrorOut}, summary="Revoke one of my tokens"
)
def api_token_revoke(request: HttpRequest, token_id: RecordId):
    try:
        api_call(services.token_revoke, actor=actor_from_request(request), token_id=token_id)
    except NotFound:
        raise HttpError(404, "No such token") from None
    return Status(204, None)

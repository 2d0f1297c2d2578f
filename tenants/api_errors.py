"""How the workspace and platform APIs (django-ninja) answer a refusal or bad input, one way
for all: the policy's refusal is 403, a service's PermissionDenied 403 with its message, bad
input 422 naming the fields (nothing was changed), and every other error under ``/api/`` JSON.

A 422 always has the same shape (``InvalidOut``): ``detail`` (a message, or ninja's list of
checks) and ``errors`` ({field: [messages]}).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tenants.api_input import text_problem
from tenants.policy import Permission, may

NOT_ALLOWED = "Your role does not allow this."
API_PREFIX = "/api/"
KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "Allow")
logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """A refused input: a message naming each field, and the fields with their messages."""

    detail: str | list[dict[str, Any]]
    errors: dict[str, list[str]] = {}


class InvalidInput(Exception):
    """Bad input, by field: the API answers 422 with ``InvalidOut``."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def invalid_body(errors: dict[str, list[str]], detail: Any = None) -> dict[str, Any]:
    """The body of every 422."""
    message = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    return {"detail": message if detail is None else detail, "errors": errors}


def api_require(request: HttpRequest, permission: Permission) -> None:
    """403 unless the caller's membership of this organisation allows ``permission``."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or not may(
        request.user,
        permission,
        organisation=organisation,
        membership=getattr(request, "membership", None),
    ):
        raise HttpError(403, NOT_ALLOWED)


def error_fields(error: ValidationError) -> dict[str, list[str]]:
    """A ``ValidationError`` as {field: [messages]} (``__all__`` for one about no field)."""
    detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {field: [str(m) for m in messages] for field, messages in detail.items()}


def api_invalid(error: ValidationError) -> InvalidInput:
    """A 422 naming each field and what is wrong with it."""
    return InvalidInput(error_fields(error))


def api_too_many() -> HttpError:
    """A 429: the caller made too many look-ups of this kind in a short time."""
    return HttpError(429, "Too many look-ups: wait a minute and try again.")


def api_call(service: Callable[..., Any], **arguments: Any) -> Any:
    """Run a service: its refusals become 403, its validation errors 422."""
    try:
        return service(**arguments)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or NOT_ALLOWED) from None
    except ValidationError as error:
        raise api_invalid(error) from None


def _field_name(location: list | tuple) -> str:
    """ninja's error location as the caller's field: ("body", "payload", "a", 0) -> "a.0"."""
    parts = [str(part) for part in location]
    parts = parts[2:] if parts[:1] == ["body"] and len(parts) > 2 else parts[1:]
    return ".".join(parts) or "__all__"


def _ninja_invalid(request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg")))
    return api.create_response(request, invalid_body(errors, detail=exc.errors), status=422)


def install_error_handlers(api: NinjaAPI) -> None:
    """Give an API the shared answers for bad input and oversized bodies."""
    api.add_exception_handler(NinjaValidationError, lambda r, e: _ninja_invalid(r, e, api))
    api.add_exception_handler(
        InvalidInput, lambda r, e: api.create_response(r, invalid_body(e.errors), status=422)
    )
    api.add_exception_handler(
        RequestDataTooBig,
        lambda r, e: api.create_response(r, {"detail": "The request is too large."}, status=413),
    )


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _refused_address(request: HttpRequest) -> dict[str, list[str]]:
    """Text no field may hold (NUL, unpaired surrogates) in the path or query, by field."""
    errors: dict[str, list[str]] = {}
    problem = text_problem(request.path)
    if problem:
        errors["path"] = [problem]
    for key, values in request.GET.lists():
        for value in [key, *values]:
            problem = text_problem(value)
            if problem:
                errors.setdefault(key, []).append(problem)
    return errors


def _refused_text(request: HttpRequest) -> dict[str, list[str]]:
    """Text no field may hold, by field, anywhere in an API request (address and JSON body)."""
    errors = _refused_address(request)
    if request.body and request.content_type == "application/json":
        try:
            document = json.loads(request.body)
        except ValueError:
            return errors  # the API answers unparseable JSON itself
        _walk(document, [], errors)
    return errors


def _walk(value: Any, path: list[str], errors: dict[str, list[str]]) -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            errors.setdefault(".".join(path) or "body", []).append(problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, [*path, str(key)], errors)
            _walk(item, [*path, str(key)], errors)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, [*path, str(index)], errors)


class ApiAnswersJsonMiddleware:
    """First in the stack: under ``/api/`` refuses text no field may hold with a 422 naming
    the field, and turns every other answer that is not JSON (404, 500, a status page, a
    CSRF refusal) into JSON with the same status. On pages, such text in the address (a
    search, a filter) is a 400; forms refuse it in their fields themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            if _refused_address(request):
                return render(request, "400.html", status=400)
            return self.get_response(request)
        try:
            refused = _refused_text(request)
        except RequestDataTooBig:
            return JsonResponse({"detail": "The request is too large."}, status=413)
        if refused:
            return JsonResponse(invalid_body(refused), status=422)
        response = self.get_response(request)
        if response.status_code < 400 or _is_json(response):
            return response
        answer = JsonResponse(
            {"detail": HTTPStatus(response.status_code).phrase}, status=response.status_code
        )
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer


def api_require_platform(request: HttpRequest, permission: Permission) -> None:
    """403 unless the caller's platform role (DCS headquarters) allows ``permission``."""
    if not may(request.user, permission):
        raise HttpError(403, NOT_ALLOWED)

"""How the workspace APIs (django-ninja) answer a refusal or bad input, one way for all:
the policy's refusal is 403, a service's PermissionDenied 403 with its message, a service's
ValidationError 422 naming the fields (nothing was changed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja.errors import HttpError

from tenants.policy import Permission, may

NOT_ALLOWED = "Your role does not allow this."


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


def api_invalid(error: ValidationError) -> HttpError:
    """A 422 naming each field and what is wrong with it."""
    detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in detail.items()))


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

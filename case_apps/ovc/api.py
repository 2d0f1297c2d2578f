"""API of the OVC programme (issue 18): what every OVC endpoint shares.

The endpoints live one subject module each (``api_households.py``, ``api_plans.py``,
``api_hiv.py``, ``api_graduation.py``, ``api_transfers.py``) and call the same services,
selectors and policy as the screens. Only implementing partners run the programme: in any
other workspace every OVC path answers 404, as the screens do.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja.errors import HttpError

from case_apps.ovc import selectors
from case_apps.ovc.models import Enrolment, Household
from case_apps.ovc.views_common import runs_ovc
from tenants.actor import Actor, Forbidden, NotFound, actor_from_request
from tenants.api_errors import NOT_ALLOWED, api_invalid, api_require
from tenants.policy import Permission

NOT_FOUND = "No such household or child in your caseload."


def ovc_actor(request: HttpRequest, permission: Permission = Permission.VIEW_CASES) -> Actor:
    """The caller as an actor of an implementing partner: 404 elsewhere, 403 without
    ``permission``."""
    if not runs_ovc(getattr(request, "organisation", None)):
        raise HttpError(404, "This workspace does not run the OVC programme.")
    api_require(request, permission)
    return actor_from_request(request)


def run(service, *, not_found: str = NOT_FOUND, **arguments):
    """Call a service as the caller: not found is 404, a refusal 403, bad input 422."""
    try:
        return service(**arguments)
    except NotFound:
        raise HttpError(404, not_found) from None
    except Forbidden:
        raise HttpError(403, NOT_ALLOWED) from None
    except ValidationError as error:
        raise api_invalid(error) from None


def household_for(
    request: HttpRequest, household_id: int, permission: Permission = Permission.VIEW_CASES
) -> tuple[Actor, Household]:
    """The household as the caller: 404 when missing or outside the caller's caseload;
    a read (``VIEW_CASES``) is written to the access log as the page's read is."""
    actor = ovc_actor(request, permission)
    if permission == Permission.VIEW_CASES:
        return actor, run(
            selectors.household_open, actor=actor, household_id=household_id, request=request
        )
    return actor, run(selectors.household_get, actor=actor, household_id=household_id)


def enrolment_for(
    request: HttpRequest, enrolment_id: int, permission: Permission = Permission.VIEW_CASES
) -> tuple[Actor, Enrolment]:
    """The enrolled child as the caller: 404 when missing or outside the caller's caseload;
    a read (``VIEW_CASES``) is written to the access log as the page's read is."""
    actor = ovc_actor(request, permission)
    if permission == Permission.VIEW_CASES:
        return actor, run(
            selectors.enrolment_open, actor=actor, enrolment_id=enrolment_id, request=request
        )
    return actor, run(selectors.enrolment_get, actor=actor, enrolment_id=enrolment_id)

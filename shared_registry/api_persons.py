"""Registry endpoints for persons: search with minimal disclosure, candidates before
registering, registration and one person's record, in workspaces and on the platform site.
Thin adapters: the actor, one selector or service (which asks the policy and writes the
access log), the answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Status

from shared_registry import selectors_lookups, services_desk
from shared_registry.api_common import (
    ErrorsOut,
    InvalidOut,
    LikelyMatchesOut,
    PersonDetailOut,
    PersonIn,
    PersonSummaryOut,
    answered,
    person_detail,
    platform_actor,
    platform_router,
    workspace_actor,
    workspace_router,
)
from tenants.actor import Actor
from tenants.api_errors import api_invalid
from tenants.api_input import CpimsId, Search, Word, Year
from tenants.client_ids import was_replayed

LIKELY_DETAIL = (
    "Someone is probably the same child: record on that person, or repeat "
    "with confirm_new=true and registered_anyway_reason."
)


def _search(actor: Actor, request: HttpRequest, *, q: str, sex: str, year, county: str, refs):
    with answered():
        try:
            return selectors_lookups.registry_search(
                actor=actor,
                query=q,
                sex=sex,
                birth_year=year,
                county_code=county or None,
                request=request,
                refuse_mistyped_id=True,
                refs=refs,
                empty_is_a_lookup=True,
            )
        except ValidationError as error:
            raise api_invalid(error) from None


def _create(actor: Actor, request: HttpRequest, payload: PersonIn):
    """Matching before creating: 409 with the likely matches unless confirm_new; 422 with
    the errors per field; 201 with the person's details."""
    with answered():
        try:
            person = services_desk.registration_submit(
                actor=actor,
                values=payload.service_values(),
                registered_anyway_reason=payload.registered_anyway_reason,
                confirm_new=payload.confirm_new,
                request=request,
                uuid=payload.uuid,
            )
        except services_desk.LikelyMatches as likely:
            return Status(409, {"detail": LIKELY_DETAIL, "candidates": likely.candidates})
        except ValidationError as exc:
            return Status(422, {"errors": exc.message_dict})
        read = selectors_lookups.person_registered_read(actor=actor, person=person)
    status = 200 if was_replayed(person) else 201
    return Status(status, person_detail(read) | {"uuid": person.uuid})


# --- workspace ---------------------------------------------------------------------------
@workspace_router.get(
    "/registry/persons",
    response={200: list[PersonSummaryOut], 422: InvalidOut},
    summary="Search the person registry (minimal disclosure)",
    operation_id="shared_registry_api_workspace_search",
)
def workspace_search(
    request: HttpRequest, q: Search, sex: Word = "", year: Year | None = None, county: Word = ""
):
    actor = workspace_actor(request)
    return _search(actor, request, q=q, sex=sex, year=year, county=county, refs=True)


@workspace_router.post(
    "/registry/matches",
    response=list[PersonSummaryOut],
    summary="Ranked candidates before registering, with reasons",
    operation_id="shared_registry_api_workspace_match",
)
def workspace_match(request: HttpRequest, payload: PersonIn):
    actor = workspace_actor(request)
    with answered():
        return selectors_lookups.candidates_read(
            actor=actor, values=payload.service_values(), request=request
        )


@workspace_router.post(
    "/registry/persons",
    response={201: PersonDetailOut, 200: PersonDetailOut, 409: LikelyMatchesOut, 422: ErrorsOut},
    summary="Register a new person and link it to this organisation (200: the same uuid again)",
    operation_id="shared_registry_api_workspace_create",
)
def workspace_create(request: HttpRequest, payload: PersonIn):
    return _create(workspace_actor(request), request, payload)


@workspace_router.get(
    "/registry/persons/{cpims_id}",
    response=PersonDetailOut,
    summary="One person: a person this organisation holds a record on, or one a search "
    "just showed the caller (ref); details only if this organisation holds a record",
    operation_id="shared_registry_api_workspace_read",
)
def workspace_read(request: HttpRequest, cpims_id: CpimsId, ref: Search = ""):
    actor = workspace_actor(request)
    with answered():
        read = selectors_lookups.person_read(
            actor=actor, cpims_id=cpims_id, ref=ref, request=request
        )
    return person_detail(read)


# No endpoint links a person: a link comes only from a record the organisation holds
# (shared_registry/links.py).


# --- platform (registry managers) -----------------------------------------------------------
@platform_router.get(
    "/registry/persons",
    response={200: list[PersonSummaryOut], 422: InvalidOut},
    summary="Search the person registry",
    operation_id="shared_registry_api_platform_search",
)
def platform_search(
    request: HttpRequest, q: Search, sex: Word = "", year: Year | None = None, county: Word = ""
):
    actor = platform_actor(request)
    return _search(actor, request, q=q, sex=sex, year=year, county=county, refs=False)


@platform_router.post(
    "/registry/persons",
    response={201: PersonDetailOut, 200: PersonDetailOut, 409: LikelyMatchesOut, 422: ErrorsOut},
    summary="Register a new person (200: the same uuid and names again)",
    operation_id="shared_registry_api_platform_create",
)
def platform_create(request: HttpRequest, payload: PersonIn):
    return _create(platform_actor(request), request, payload)


@platform_router.get(
    "/registry/persons/{cpims_id}",
    response=PersonDetailOut,
    summary="One person, with registry details",
    operation_id="shared_registry_api_platform_read",
)
def platform_read(request: HttpRequest, cpims_id: CpimsId):
    actor = platform_actor(request)
    with answered():
        read = selectors_lookups.person_read(actor=actor, cpims_id=cpims_id, request=request)
    return person_detail(read)

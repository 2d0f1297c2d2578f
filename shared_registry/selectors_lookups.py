"""Registry look-ups as an actor (issue 16): search, candidates before registering, a
person's record and the directory. Each asks the policy, counts the member's look-up
(shared_registry/access.py) and writes its access-log entry itself.

A workspace actor (a member, ``actor.organisation`` set) needs ``search_registry`` or
``register_persons``; a platform actor (no organisation) is a registry manager with
``manage_registry``. A person the actor may not open is ``NotFound``, like an unknown ID.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from shared_registry import access, checkdigit, matching, selectors
from shared_registry.models import DirectoryEntry, Person, PersonIdentifier, PersonMerge
from tenants.actor import Actor, NotFound
from tenants.policy import Permission

MISTYPED_ID = "Invalid CPIMS ID: it failed its check character."
MATCH_FIELDS = (
    "first_name",
    "other_names",
    "surname",
    "also_known_as",
    "mother_name",
    "sex",
    "date_of_birth",
    "birth_year",
    "birth_date_estimated",
    "county_code",
    "sub_county_code",
    "ward_code",
    "identifiers",
)


def registry_require(actor: Actor, workspace_permission: Permission) -> None:
    """The policy for a registry action: ``workspace_permission`` for a member in their
    workspace, ``manage_registry`` for a registry manager on the platform site
    (``Forbidden`` otherwise)."""
    platform = actor.organisation is None
    actor.require(Permission.MANAGE_REGISTRY if platform else workspace_permission)


def _log_search(
    actor: Actor, summaries, *, query: str, request: HttpRequest | None, refs: bool = True
) -> list[dict]:
    access.log_search(request, query=query, found=[s.cpims_id for s in summaries], user=actor.user)
    if not refs:
        return [dict(vars(s)) for s in summaries]
    return access.summaries_with_refs_for(actor.user, actor.organisation, summaries)


def registry_search(
    *,
    actor: Actor,
    query: str,
    sex: str = "",
    birth_year: int | None = None,
    county_code: str | None = None,
    request: HttpRequest | None = None,
    refuse_mistyped_id: bool = False,
    refs: bool = True,
    empty_is_a_lookup: bool = False,
) -> list[dict]:
    """Search the registry with minimal disclosure (the card), as the actor: the look-up
    counted (``TooManyLookups``), the search logged, each result with the ``ref`` that opens
    the person's page for this member. An empty query finds nobody; it is counted and
    logged only with ``empty_is_a_lookup`` (the API). ``refuse_mistyped_id``: a CPIMS ID
    that fails its check is a ValidationError on ``q`` (nothing searched or logged)."""
    registry_require(actor, Permission.SEARCH_REGISTRY)
    query = (query or "").strip()[:200]
    if not query and not empty_is_a_lookup:
        return []
    access.lookup_counted(actor)
    if refuse_mistyped_id and selectors.cpims_id_fails_check(query):
        raise ValidationError({"q": [MISTYPED_ID]})
    results = selectors.person_search(
        query=query,
        sex=sex,
        birth_year=birth_year,
        county_code=county_code,
        exclude_organisation=actor.organisation,
    )
    return _log_search(actor, results, query=query, request=request, refs=refs)


def candidates_read(
    *,
    actor: Actor,
    values: Mapping[str, Any],
    request: HttpRequest | None = None,
    likely_only: bool = False,
    count_lookup: bool = True,
    permission: Permission = Permission.REGISTER_PERSONS,
) -> list[dict]:
    """Ranked candidates before registering (``values`` as for registration), as the actor
    shows them: the search logged (the names typed, the CPIMS IDs shown), each with its
    ``ref``. ``likely_only``: only those probably the same child."""
    registry_require(actor, permission)
    if count_lookup:
        access.lookup_counted(actor)
    found = selectors.person_match_candidates(
        **{k: v for k, v in values.items() if k in MATCH_FIELDS}
    )
    if likely_only:
        found = [c for c in found if c.level == matching.LIKELY]
    if likely_only and not found:
        return []
    summaries = selectors.person_summaries(
        [c.person for c in found],
        exclude_organisation=actor.organisation,
        scores={c.person.pk: c for c in found},
    )
    names = (values.get("first_name", ""), values.get("surname", ""))
    query = " ".join(n for n in names if n).strip()
    return _log_search(actor, summaries, query=query, request=request)


@dataclass(frozen=True)
class PersonRead:
    """A person's record as the actor may see it: details only when the actor's organisation
    holds a record on the person (or for a registry manager)."""

    person: Person
    summary: selectors.PersonSummary
    linked: bool
    show_details: bool
    identifiers: list[PersonIdentifier] = field(default_factory=list)
    merges: list[PersonMerge] = field(default_factory=list)


def person_read(
    *, actor: Actor, cpims_id: str, ref: str = "", request: HttpRequest | None = None
) -> PersonRead:
    """One person, as the actor: a registry manager reaches anyone; a member only a person
    their organisation holds a record on, or one a search just showed them (``ref``, signed
    for that member and ID, an hour); anyone else is ``NotFound``, like an unknown ID, and
    nothing is logged. The read is in the access log."""
    registry_require(actor, Permission.SEARCH_REGISTRY)
    access.lookup_counted(actor)
    full = actor.organisation is None
    person = selectors.person_get_by_cpims_id(cpims_id)
    if person is None or not (
        full
        or access.person_reachable(
            person,
            user=actor.user,
            organisation=actor.organisation,
            ref=(ref or "")[:100],
            cpims_id=checkdigit.normalise(cpims_id),
        )
    ):
        raise NotFound
    linked = access.person_linked(person, actor.organisation)
    show_details = full or linked
    summary = selectors.person_summaries([person], exclude_organisation=actor.organisation)[0]
    access.log_person_read(request, person, details=show_details, user=actor.user)
    return PersonRead(
        person=person,
        summary=summary,
        linked=linked,
        show_details=show_details,
        identifiers=list(selectors.person_identifiers(person)) if show_details else [],
        merges=list(selectors.person_merges(person)) if full else [],
    )


def directory_entries(
    *, actor: Actor, query: str = "", kind: str = "", county_code: str = "", limit: int = 100
) -> QuerySet[DirectoryEntry]:
    """The directory of organisations (referrals and placements name these), as the actor."""
    registry_require(actor, Permission.SEARCH_REGISTRY)
    return selectors.directory_search(query=query[:100], kind=kind, county_code=county_code)[:limit]


def person_registered_read(*, actor: Actor, person: Person) -> PersonRead:
    """The person the actor has just registered, with its details (they hold the record;
    the registration itself is the record of it, so no read is logged)."""
    registry_require(actor, Permission.REGISTER_PERSONS)
    if actor.organisation is not None and not access.person_linked(person, actor.organisation):
        raise NotFound
    return PersonRead(
        person=person,
        summary=selectors.person_summaries([person], exclude_organisation=actor.organisation)[0],
        linked=actor.organisation is not None,
        show_details=True,
        identifiers=list(selectors.person_identifiers(person)),
    )

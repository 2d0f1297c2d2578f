"""Registry endpoints (django-ninja): ``workspace_router`` on every workspace API and
``platform_router`` on the platform API. Each endpoint asks tenants.policy, calls one
selector or service, and answers with minimal-disclosure schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from shared_registry import access, checkdigit, selectors, services
from shared_registry.models import (
    County,
    Person,
    PersonIdentifier,
    PersonMerge,
    SubCounty,
    Ward,
)
from tenants.api_errors import api_invalid, api_too_many
from tenants.api_input import (
    MAX_ITEMS,
    Code,
    CpimsId,
    Reason,
    RecordId,
    Search,
    Word,
    Year,
    model_text,
)
from tenants.policy import Permission, may

workspace_router = Router(tags=["registry"])
platform_router = Router(tags=["registry"], auth=django_auth)


class IdentifierIn(Schema):
    type: str = model_text(
        PersonIdentifier,
        "identifier_type",
        description="IdentifierType code, e.g. ISOV, INTL, INEM, ISHA",
    )
    value: str = model_text(PersonIdentifier, "value")


class PersonIn(Schema):
    first_name: str = model_text(Person, "first_name")
    surname: str = model_text(Person, "surname")
    sex: str = model_text(Person, "sex", description="SMAL, SFEM or SINT")
    other_names: str = model_text(Person, "other_names", "")
    also_known_as: str = model_text(Person, "also_known_as", "")
    date_of_birth: dt.date | None = None
    birth_year: Year | None = None
    birth_date_estimated: bool = False
    county_code: str | None = model_text(County, "code", None)
    sub_county_code: str | None = model_text(SubCounty, "code", None)
    ward_code: str | None = model_text(Ward, "code", None)
    identifiers: list[IdentifierIn] = Field([], max_length=MAX_ITEMS)
    confirm_new: bool = Field(
        False, description="Register even though likely matches exist (after review)"
    )
    registered_anyway_reason: str = Field(
        "",
        max_length=1000,
        description="Why this is a different child: required with confirm_new when someone "
        "is probably the same child (it goes to the duplicates queue with the pair)",
    )

    def service_values(self) -> dict:
        values = self.dict(exclude={"identifiers", "confirm_new", "registered_anyway_reason"})
        values["identifiers"] = [(i.type, i.value) for i in self.identifiers]
        return values


class PersonSummaryOut(Schema):
    cpims_id: str
    name: str
    sex: str
    year_of_birth: str = Field(description='"2014", or "about 2014" when estimated')
    county: str
    sub_county: str
    known_to_others: int
    score: int | None = None
    reasons: list[str] = []
    ref: str = Field(
        "",
        description="Opens this person's record (GET /registry/persons/{cpims_id}?ref=) for "
        "the member who searched, for an hour",
    )
    level: str | None = Field(
        None,
        description='"likely": probably the same child; "similar": other persons with '
        "similar names (candidates only)",
    )


class IdentifierOut(Schema):
    type: str
    value: str


class PersonDetailOut(PersonSummaryOut):
    details_disclosed: bool
    also_known_as: str | None = None
    date_of_birth: dt.date | None = None
    birth_year: int | None = None
    birth_date_estimated: bool | None = None
    county_code: str | None = None
    sub_county_code: str | None = None
    ward_code: str | None = None
    identifiers: list[IdentifierOut] = []


class InvalidOut(Schema):
    """A refused input: the message names the field (ninja's own checks give a list)."""

    detail: str | list[dict[str, Any]]


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class LikelyMatchesOut(Schema):
    detail: str
    candidates: list[PersonSummaryOut]


def _summaries(request: HttpRequest, found, *, query: str) -> list[dict]:
    """Candidates as shown to this member: the search logged, each with the ref that opens
    the person's page."""
    summaries = selectors.person_summaries(
        [c.person for c in found],
        exclude_organisation=getattr(request, "organisation", None),
        scores={c.person.pk: c for c in found},
    )
    access.log_search(request, query=query, found=[s.cpims_id for s in summaries])
    return access.summaries_with_refs(request, summaries)


def _likely_matches(request: HttpRequest, payload: PersonIn) -> dict | None:
    """Matching before creating: someone probably the same child stops a registration
    until the caller confirms a new person (confirm_new, with a reason)."""
    if payload.confirm_new:
        return None
    values = payload.service_values()
    services.person_validate(**values)  # bad input answers 422 before any matching
    found = services.person_likely_matches(**values)
    if not found:
        return None
    return {
        "detail": "Someone is probably the same child: record on that person, or repeat "
        "with confirm_new=true and registered_anyway_reason.",
        "candidates": _summaries(
            request, found, query=f"{payload.first_name} {payload.surname}".strip()
        ),
    }


def _register(payload: PersonIn, **extra):
    return services.person_register_checked(
        **payload.service_values(),
        registered_anyway_reason=payload.registered_anyway_reason,
        **extra,
    )


class MergeIn(Schema):
    survivor: CpimsId = Field(description="CPIMS ID kept")
    merged: CpimsId = Field(description="CPIMS ID merged away")
    reason: Reason = ""


class MergeOut(Schema):
    id: int
    survivor: str
    merged: str
    undone: bool


def _summary(person, organisation) -> dict:
    return selectors.person_summaries([person], exclude_organisation=organisation)[0].__dict__


def _detail(person, organisation, *, disclose: bool) -> dict:
    out = _summary(person, organisation) | {"details_disclosed": disclose}
    if disclose:
        out |= {
            "also_known_as": person.also_known_as,
            "date_of_birth": person.date_of_birth,
            "birth_year": person.birth_year,
            "birth_date_estimated": person.birth_date_estimated,
            "county_code": person.county.code if person.county_id else None,
            "sub_county_code": person.sub_county.code if person.sub_county_id else None,
            "ward_code": person.ward.code if person.ward_id else None,
            "identifiers": [
                {"type": i.identifier_type, "value": i.value}
                for i in selectors.person_identifiers(person)
            ],
        }
    return out


def _person_or_404(cpims_id: str):
    person = selectors.person_get_by_cpims_id(cpims_id)
    if person is None:
        raise HttpError(404, "Not found")
    return person


def _count_lookup(request: HttpRequest) -> None:
    if not access.lookup_allowed(request):
        raise api_too_many()


# --- workspace ---------------------------------------------------------------------------
def _require(request: HttpRequest, permission: Permission) -> None:
    organisation = getattr(request, "organisation", None)
    if organisation is None or not may(
        request.user,
        permission,
        organisation=organisation,
        membership=getattr(request, "membership", None),
    ):
        raise HttpError(403, "Forbidden")


def _check_cpims_id(q: str) -> None:
    if selectors.cpims_id_fails_check(q):
        raise api_invalid(
            ValidationError({"q": ["Invalid CPIMS ID: it failed its check character."]})
        )


@workspace_router.get(
    "/registry/persons",
    response={200: list[PersonSummaryOut], 422: InvalidOut},
    summary="Search the person registry (minimal disclosure)",
)
def workspace_search(
    request: HttpRequest, q: Search, sex: Word = "", year: Year | None = None, county: Word = ""
):
    _require(request, Permission.SEARCH_REGISTRY)
    _count_lookup(request)
    _check_cpims_id(q)
    results = selectors.person_search(
        query=q[:200],
        sex=sex,
        birth_year=year,
        county_code=county or None,
        exclude_organisation=request.organisation,
    )
    access.log_search(request, query=q[:200], found=[r.cpims_id for r in results])
    return access.summaries_with_refs(request, results)


@workspace_router.post(
    "/registry/matches",
    response=list[PersonSummaryOut],
    summary="Ranked candidates before registering, with reasons",
)
def workspace_match(request: HttpRequest, payload: PersonIn):
    _require(request, Permission.REGISTER_PERSONS)
    _count_lookup(request)
    found = selectors.person_match_candidates(**payload.service_values())
    return _summaries(request, found, query=f"{payload.first_name} {payload.surname}".strip())


@workspace_router.post(
    "/registry/persons",
    response={201: PersonDetailOut, 409: LikelyMatchesOut, 422: ErrorsOut},
    summary="Register a new person and link it to this organisation",
)
def workspace_create(request: HttpRequest, payload: PersonIn):
    _require(request, Permission.REGISTER_PERSONS)
    try:
        conflict = _likely_matches(request, payload)
        if conflict:
            return Status(409, conflict)
        person = _register(payload, created_by=request.user, organisation=request.organisation)
    except ValidationError as exc:
        return Status(422, {"errors": exc.message_dict})
    return Status(201, _detail(person, request.organisation, disclose=True))


@workspace_router.get(
    "/registry/persons/{cpims_id}",
    response=PersonDetailOut,
    summary="One person: a person this organisation holds a record on, or one a search "
    "just showed the caller (ref); details only if this organisation holds a record",
)
def workspace_read(request: HttpRequest, cpims_id: CpimsId, ref: Search = ""):
    _require(request, Permission.SEARCH_REGISTRY)
    _count_lookup(request)
    person = selectors.person_get_by_cpims_id(cpims_id)
    if person is None or not access.person_reachable(
        person,
        user=request.user,
        organisation=request.organisation,
        ref=ref[:100],
        cpims_id=checkdigit.normalise(cpims_id),
    ):
        raise HttpError(404, "Not found")
    linked = access.person_linked(person, request.organisation)
    access.log_person_read(request, person, details=linked)
    return _detail(person, request.organisation, disclose=linked)


# No endpoint links a person: a link comes only from a record the organisation holds
# (shared_registry/links.py).


# --- platform (registry managers) -----------------------------------------------------------
def _require_manager(
    request: HttpRequest, permission: Permission = Permission.MANAGE_REGISTRY
) -> None:
    if getattr(request, "organisation", None) is not None or not may(request.user, permission):
        raise HttpError(403, "Forbidden")


@platform_router.get(
    "/registry/persons",
    response={200: list[PersonSummaryOut], 422: InvalidOut},
    summary="Search the person registry",
)
def platform_search(
    request: HttpRequest, q: Search, sex: Word = "", year: Year | None = None, county: Word = ""
):
    _require_manager(request)
    _check_cpims_id(q)
    results = selectors.person_search(
        query=q[:200], sex=sex, birth_year=year, county_code=county or None
    )
    access.log_search(request, query=q[:200], found=[r.cpims_id for r in results])
    return [r.__dict__ for r in results]


@platform_router.post(
    "/registry/persons",
    response={201: PersonDetailOut, 409: LikelyMatchesOut, 422: ErrorsOut},
    summary="Register a new person",
)
def platform_create(request: HttpRequest, payload: PersonIn):
    _require_manager(request)
    try:
        conflict = _likely_matches(request, payload)
        if conflict:
            return Status(409, conflict)
        person = _register(payload, created_by=request.user)
    except ValidationError as exc:
        return Status(422, {"errors": exc.message_dict})
    return Status(201, _detail(person, None, disclose=True))


@platform_router.get(
    "/registry/persons/{cpims_id}",
    response=PersonDetailOut,
    summary="One person, with registry details",
)
def platform_read(request: HttpRequest, cpims_id: CpimsId):
    _require_manager(request)
    person = _person_or_404(cpims_id)
    access.log_person_read(request, person, details=True)
    return _detail(person, None, disclose=True)


def _merge_out(merge: PersonMerge) -> dict:
    return {
        "id": merge.pk,
        "survivor": merge.survivor.cpims_id,
        "merged": merge.merged.cpims_id,
        "undone": merge.undone_at is not None,
    }


@platform_router.post(
    "/registry/merges",
    response={201: MergeOut, 422: ErrorsOut},
    summary="Merge two persons (the merged ID resolves to the survivor)",
)
def platform_merge(request: HttpRequest, payload: MergeIn):
    _require_manager(request, Permission.REVIEW_DUPLICATES)
    survivor, merged = _person_or_404(payload.survivor), _person_or_404(payload.merged)
    try:
        merge = services.person_merge(
            survivor=survivor, merged=merged, merged_by=request.user, reason=payload.reason
        )
    except ValidationError as exc:
        return Status(422, {"errors": exc.message_dict})
    return Status(201, _merge_out(merge))


@platform_router.post(
    "/registry/merges/{merge_id}/undo",
    response={200: MergeOut, 422: ErrorsOut},
    summary="Undo a merge",
)
def platform_unmerge(request: HttpRequest, merge_id: RecordId):
    _require_manager(request, Permission.REVIEW_DUPLICATES)
    merge = PersonMerge.objects.filter(pk=merge_id).first()
    if merge is None:
        raise HttpError(404, "Not found")
    try:
        merge = services.person_unmerge(merge=merge, undone_by=request.user)
    except ValidationError as exc:
        return Status(422, {"errors": exc.message_dict})
    return Status(200, _merge_out(merge))


class QueuePersonOut(Schema):
    cpims_id: str
    name: str
    sex: str
    year_of_birth: int | None
    county: str


class PotentialDuplicateOut(Schema):
    id: int
    score: int
    reasons: list[str]
    status: str
    person_a: QueuePersonOut
    person_b: QueuePersonOut
    registered_anyway_reason: str
    decision_reason: str


class QueueOut(Schema):
    total: int
    by_county: dict[str, int] = Field(description="open pairs per county code ('' = none)")
    pairs: list[PotentialDuplicateOut]


class DecisionIn(Schema):
    action: Code = Field(description="merge, dismiss (not the same person) or siblings")
    keep: Code = Field("", description="merge: a or b, the person kept")
    kind: Code = Field("", description="siblings: sibling or twin")
    reason: Reason = Field("", description="required to merge")


def _queue_person(person) -> dict:
    return {
        "cpims_id": person.cpims_id,
        "name": person.full_name,
        "sex": person.sex,
        "year_of_birth": person.year_of_birth,
        "county": person.county.name if person.county_id else "",
    }


def _pair_out(pair) -> dict:
    return {
        "id": pair.pk,
        "score": pair.score,
        "reasons": pair.reasons,
        "status": pair.status,
        "person_a": _queue_person(pair.person_a),
        "person_b": _queue_person(pair.person_b),
        "registered_anyway_reason": pair.registered_anyway_reason,
        "decision_reason": pair.decision_reason,
    }


@platform_router.get(
    "/registry/duplicates",
    response=QueueOut,
    summary="The duplicates queue, strongest evidence first, with counts by county",
)
def platform_queue(request: HttpRequest, county: Code = ""):
    _require_manager(request, Permission.REVIEW_DUPLICATES)
    by_county = selectors.potential_duplicates_by_county()
    pairs = selectors.potential_duplicates_open(county_code=county[:3])[:100]
    return {
        "total": sum(n for _code, _name, n in by_county),
        "by_county": {code: n for code, _name, n in by_county},
        "pairs": [_pair_out(p) for p in pairs],
    }


@platform_router.post(
    "/registry/duplicates/{pair_id}/decision",
    response={200: PotentialDuplicateOut, 422: ErrorsOut},
    summary="Decide a pair: merge (with a reason), not the same person, or siblings/twins",
)
def platform_decide(request: HttpRequest, pair_id: RecordId, payload: DecisionIn):
    _require_manager(request, Permission.REVIEW_DUPLICATES)
    pair = selectors.potential_duplicate_get(pair_id)
    if pair is None:
        raise HttpError(404, "Not found")
    try:
        if payload.action == "merge":
            services.potential_duplicate_merge(
                duplicate=pair, keep=payload.keep, decided_by=request.user, reason=payload.reason
            )
        elif payload.action == "dismiss":
            services.potential_duplicate_dismiss(
                duplicate=pair, decided_by=request.user, reason=payload.reason
            )
        elif payload.action == "siblings":
            services.potential_duplicate_mark_siblings(
                duplicate=pair, kind=payload.kind, decided_by=request.user, reason=payload.reason
            )
        else:
            raise ValidationError({"action": ["Choose merge, dismiss or siblings."]})
    except ValidationError as exc:
        return Status(422, {"errors": exc.message_dict})
    return _pair_out(selectors.potential_duplicate_get(pair_id))


class DirectoryEntryOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    county_code: str
    sub_county_code: str | None
    capacity: int | None
    min_age: int | None
    max_age: int | None
    sexes_admitted: str
    phone: str
    email: str
    has_workspace: bool


def _directory_out(entry) -> dict:
    return {
        "code": entry.code,
        "name": entry.name,
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "county_code": entry.county.code,
        "sub_county_code": entry.sub_county.code if entry.sub_county_id else None,
        "capacity": entry.capacity,
        "min_age": entry.min_age,
        "max_age": entry.max_age,
        "sexes_admitted": entry.sexes_admitted,
        "phone": entry.phone,
        "email": entry.email,
        "has_workspace": entry.organisation_id is not None,
    }


@workspace_router.get(
    "/registry/directory",
    response=list[DirectoryEntryOut],
    summary="The directory of organisations (referrals and placements name these)",
)
def workspace_directory(request: HttpRequest, q: Search = "", kind: Word = "", county: Word = ""):
    _require(request, Permission.SEARCH_REGISTRY)
    entries = selectors.directory_search(query=q[:100], kind=kind, county_code=county)[:100]
    return [_directory_out(e) for e in entries]


@platform_router.get(
    "/registry/directory",
    response=list[DirectoryEntryOut],
    summary="The directory of organisations",
)
def platform_directory(request: HttpRequest, q: Search = "", kind: Word = "", county: Word = ""):
    _require_manager(request)
    entries = selectors.directory_search(query=q[:100], kind=kind, county_code=county)[:100]
    return [_directory_out(e) for e in entries]

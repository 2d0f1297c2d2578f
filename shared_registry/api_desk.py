"""Registry endpoints of the registry manager's desk (platform API): merges and their undo,
the duplicates queue and decisions on it. Thin adapters over shared_registry/selectors_desk.py
and services_desk.py, which ask the policy (``review_duplicates``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema, Status

from shared_registry import selectors_desk, services_desk
from shared_registry.api_common import ErrorsOut, answered, platform_actor, platform_router
from shared_registry.models import PersonMerge
from tenants.api_input import Code, CpimsId, Reason, RecordId


class MergeIn(Schema):
    survivor: CpimsId = Field(description="CPIMS ID kept")
    merged: CpimsId = Field(description="CPIMS ID merged away")
    reason: Reason = ""


class MergeOut(Schema):
    id: int
    survivor: str
    merged: str
    undone: bool


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


def _merge_out(merge: PersonMerge) -> dict:
    return {
        "id": merge.pk,
        "survivor": merge.survivor.cpims_id,
        "merged": merge.merged.cpims_id,
        "undone": merge.undone_at is not None,
    }


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


@platform_router.post(
    "/registry/merges",
    response={201: MergeOut, 422: ErrorsOut},
    summary="Merge two persons (the merged ID resolves to the survivor)",
    operation_id="shared_registry_api_platform_merge",
)
def platform_merge(request: HttpRequest, payload: MergeIn):
    actor = platform_actor(request)
    with answered():
        try:
            merge = services_desk.merge_record(
                actor=actor,
                survivor_id=payload.survivor,
                merged_id=payload.merged,
                reason=payload.reason,
            )
        except ValidationError as exc:
            return Status(422, {"errors": exc.message_dict})
    return Status(201, _merge_out(merge))


@platform_router.post(
    "/registry/merges/{merge_id}/undo",
    response={200: MergeOut, 422: ErrorsOut},
    summary="Undo a merge",
    operation_id="shared_registry_api_platform_unmerge",
)
def platform_unmerge(request: HttpRequest, merge_id: RecordId):
    actor = platform_actor(request)
    with answered():
        try:
            merge = services_desk.merge_undo(actor=actor, merge_id=merge_id)
        except ValidationError as exc:
            return Status(422, {"errors": exc.message_dict})
    return Status(200, _merge_out(merge))


@platform_router.get(
    "/registry/duplicates",
    response=QueueOut,
    summary="The duplicates queue, strongest evidence first, with counts by county",
    operation_id="shared_registry_api_platform_queue",
)
def platform_queue(request: HttpRequest, county: Code = ""):
    actor = platform_actor(request)
    with answered():
        queue = selectors_desk.duplicates_queue(actor=actor, county_code=county)
    return {
        "total": queue.total,
        "by_county": {code: n for code, _name, n in queue.by_county},
        "pairs": [_pair_out(p) for p in queue.pairs],
    }


@platform_router.post(
    "/registry/duplicates/{pair_id}/decision",
    response={200: PotentialDuplicateOut, 422: ErrorsOut},
    summary="Decide a pair: merge (with a reason), not the same person, or siblings/twins",
    operation_id="shared_registry_api_platform_decide",
)
def platform_decide(request: HttpRequest, pair_id: RecordId, payload: DecisionIn):
    actor = platform_actor(request)
    with answered():
        try:
            services_desk.duplicate_decide(
                actor=actor,
                pair_id=pair_id,
                action=payload.action,
                keep=payload.keep,
                kind=payload.kind,
                reason=payload.reason,
            )
        except ValidationError as exc:
            return Status(422, {"errors": exc.message_dict})
        return _pair_out(selectors_desk.duplicate_get(actor=actor, pair_id=pair_id))

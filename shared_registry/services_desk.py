"""Registry writes as an actor (issue 16): registration from a screen or the API, the
registry manager's decisions (merge, undo, not the same person, siblings) and the directory
imports. Each asks the policy itself and then calls the registry's own services
(shared_registry/services.py, services_queue.py), which case apps also call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shared_registry import selectors, services
from shared_registry.importers import IMPORTERS, ImportReport
from shared_registry.models import Person, PersonMerge, PotentialDuplicate, SiblingLink
from shared_registry.selectors_desk import desk_require, duplicate_get
from shared_registry.selectors_lookups import candidates_read, registry_require
from tenants.actor import Actor, NotFound
from tenants.client_ids import replay
from tenants.policy import Permission

DECISIONS = ("merge", "dismiss", "siblings")


class LikelyMatches(Exception):
    """Someone is probably the same child: the registration waits for the caller to confirm
    a new person with a reason. ``candidates`` are the cards shown (logged, with refs)."""

    def __init__(self, candidates: list[dict]):
        super().__init__("likely matches")
        self.candidates = candidates


def registration_submit(
    *,
    actor: Actor,
    values: Mapping[str, Any],
    registered_anyway_reason: str = "",
    confirm_new: bool = True,
    request: HttpRequest | None = None,
    uuid: UUID | None = None,
) -> Person:
    """Register a new person as the actor (``register_persons`` in a workspace, where the
    organisation's link is recorded; ``manage_registry`` on the platform site). Without
    ``confirm_new``, someone probably the same child stops it with ``LikelyMatches`` (bad
    input is a ValidationError first); with it, a reason is still required when someone
    is (services.person_register_checked). With the client's ``uuid``, a repeat returns the
    person this organisation (or the platform site) registered under it, before any
    matching: the record would otherwise match itself (tenants/client_ids.py)."""
    registry_require(actor, Permission.REGISTER_PERSONS)
    values = dict(values)
    if uuid is None:
        return _register(actor, values, registered_anyway_reason, confirm_new, request)
    with transaction.atomic():  # the uuid's lock is held until the person is registered
        registered_here = Person.objects.filter(created_in=actor.organisation)
        if existing := replay(registered_here, uuid, _stored_names(values)):
            return existing
        return _register(
            actor, values | {"uuid": uuid}, registered_anyway_reason, confirm_new, request
        )


def _stored_names(values: Mapping[str, Any]) -> dict[str, Any]:
    """What a replay compares: the person's names, sex and birth as the registry stores them."""
    born = values.get("date_of_birth")
    return {
        "first_name": (values.get("first_name") or "").strip().upper(),
        "other_names": (values.get("other_names") or "").strip().upper(),
        "surname": (values.get("surname") or "").strip().upper(),
        "also_known_as": (values.get("also_known_as") or "").strip().upper(),
        "sex": values.get("sex"),
        "date_of_birth": born,
        "birth_year": born.year if born else values.get("birth_year"),
    }


def _register(
    actor: Actor,
    values: dict[str, Any],
    registered_anyway_reason: str,
    confirm_new: bool,
    request: HttpRequest | None,
) -> Person:
    uuid = values.pop("uuid", None)
    if not confirm_new:
        services.person_validate(**values)
        likely = candidates_read(
            actor=actor, values=values, request=request, likely_only=True, count_lookup=False
        )
        if likely:
            raise LikelyMatches(likely)
    extra = {"organisation": actor.organisation} if actor.organisation is not None else {}
    if uuid is not None:
        extra["uuid"] = uuid
    return services.person_register_checked(
        **values,
        registered_anyway_reason=registered_anyway_reason,
        created_by=actor.user,
        **extra,
    )


def duplicate_decide(
    *,
    actor: Actor,
    pair_id: int,
    action: str,
    keep: str = "",
    kind: str = "",
    reason: str = "",
) -> PersonMerge | PotentialDuplicate | SiblingLink:
    """The registry manager's decision on a pair: ``merge`` (keeping ``a`` or ``b``, with a
    reason), ``dismiss`` (not the same person: the pair leaves the queue for good) or
    ``siblings`` (``kind`` sibling or twin)."""
    pair = duplicate_get(actor=actor, pair_id=pair_id)
    if action == "merge":
        return services.potential_duplicate_merge(
            duplicate=pair, keep=keep, decided_by=actor.user, reason=reason
        )
    if action == "dismiss":
        return services.potential_duplicate_dismiss(
            duplicate=pair, decided_by=actor.user, reason=reason
        )
    if action == "siblings":
        return services.potential_duplicate_mark_siblings(
            duplicate=pair, kind=kind, decided_by=actor.user, reason=reason
        )
    raise ValidationError({"action": [_("Choose merge, dismiss or siblings.")]})


def merge_record(
    *, actor: Actor, survivor_id: str, merged_id: str, reason: str = ""
) -> PersonMerge:
    """Merge two persons by CPIMS ID (``NotFound`` for an unknown ID)."""
    desk_require(actor)
    survivor = selectors.person_get_by_cpims_id(survivor_id)
    merged = selectors.person_get_by_cpims_id(merged_id)
    if survivor is None or merged is None:
        raise NotFound
    return services.person_merge(
        survivor=survivor, merged=merged, merged_by=actor.user, reason=reason
    )


def merge_undo(*, actor: Actor, merge_id: int) -> PersonMerge:
    """Undo a merge (``NotFound`` for an unknown one; a ValidationError when a later merge
    must be undone first or it was undone already)."""
    desk_require(actor)
    merge = selectors.person_merges().filter(pk=merge_id).first()
    if merge is None:
        raise NotFound
    return services.person_unmerge(merge=merge, undone_by=actor.user)


def directory_import(
    *, actor: Actor, kind: str, text: str, import_valid_rows: bool = False
) -> ImportReport:
    """A CSV import into a national directory (directory, KMHFL facilities, NEMIS schools)."""
    desk_require(actor, Permission.MANAGE_REGISTRY)
    if kind not in IMPORTERS:
        raise ValidationError({"kind": [_("Choose what to import and a CSV file.")]})
    return IMPORTERS[kind](text=text, import_valid_rows=import_valid_rows)

"""Reads of the registry manager's desk as an actor (issue 15, issue 16): the duplicates
queue, a pair side by side, and the merges. Only a platform actor with
``review_duplicates`` (the registry manager) reads them: a member inside a workspace, or a
national administrator, is ``Forbidden``; a pair or merge that does not exist is
``NotFound``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shared_registry import selectors
from shared_registry.models import PersonMerge, PotentialDuplicate
from tenants.actor import Actor, Forbidden, NotFound
from tenants.policy import Permission


def desk_require(actor: Actor, permission: Permission = Permission.REVIEW_DUPLICATES) -> None:
    """A platform permission, on the platform site only (``Forbidden`` inside a workspace)."""
    if actor.organisation is not None:
        raise Forbidden(permission)
    actor.require(permission)


@dataclass(frozen=True)
class Queue:
    """The open pairs (strongest evidence first) and how many each county holds."""

    pairs: list[PotentialDuplicate]
    by_county: list[tuple[str, str, int]]

    @property
    def total(self) -> int:
        return sum(n for _code, _name, n in self.by_county)


def duplicates_queue(
    *, actor: Actor, county_code: str = "", name: str = "", limit: int = 100
) -> Queue:
    """The duplicates queue, optionally of one county or with a name in either person."""
    desk_require(actor)
    rows = selectors.potential_duplicates_open(county_code=county_code[:3])
    if name:
        rows = rows.filter(
            Q(person_a__search_name__icontains=name.lower())
            | Q(person_b__search_name__icontains=name.lower())
        )
    return Queue(pairs=list(rows[:limit]), by_county=selectors.potential_duplicates_by_county())


def duplicates_open_count(*, actor: Actor) -> int | None:
    """How many pairs wait in the queue, for an actor who reviews them (else None)."""
    if actor.organisation is not None or not actor.may(Permission.REVIEW_DUPLICATES):
        return None
    return selectors.potential_duplicates_open().count()


def duplicate_get(*, actor: Actor, pair_id: int) -> PotentialDuplicate:
    """One pair of the queue (``NotFound`` for an unknown one)."""
    desk_require(actor)
    pair = selectors.potential_duplicate_get(pair_id)
    if pair is None:
        raise NotFound
    return pair


def duplicate_compare(
    *, actor: Actor, pair_id: int
) -> tuple[PotentialDuplicate, selectors.ComparedPerson, selectors.ComparedPerson]:
    """A pair and its two persons side by side."""
    pair = duplicate_get(actor=actor, pair_id=pair_id)
    side_a, side_b = selectors.duplicate_comparison(pair)
    return pair, side_a, side_b


def merges_list(*, actor: Actor, cpims_id_start: str = "", limit: int = 100) -> list[PersonMerge]:
    """Every merge (newest first as the model orders them), optionally by the start of
    either person's CPIMS ID."""
    desk_require(actor)
    rows: QuerySet[PersonMerge] = selectors.person_merges()
    if cpims_id_start:
        rows = rows.filter(survivor__cpims_id__startswith=cpims_id_start) | rows.filter(
            merged__cpims_id__startswith=cpims_id_start
        )
    return list(rows[:limit])

"""Why an organisation is linked to a registry person: only because it holds a record on them.

A ``PersonLink`` is made by the service that creates the record (a case, an OVC enrolment, a
household membership, the case an accepted referral or transfer opens, a registration the
organisation made) and removed by ``person_links_release`` when the last such record goes.
There is no other way to make one: no endpoint or screen links a person on request.

The registry knows no case model, so case apps declare a **holder** per kind of record
(``link_holders`` in their capabilities.py): a function that, run inside an organisation's
schema, answers which of the given registry person ids that organisation holds a record on
(the same declaration shape as ``sharing/registry.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import transaction

from shared_registry.models import Person, PersonLink
from tenants.capabilities import declared
from tenants.models import Organisation
from tenants.schema import current_schema_name

Holder = Callable[[Sequence[int]], set[int]]

_holders: dict[str, Holder] = {}


def register_link_holder(name: str, holds: Holder) -> None:
    """Add at run time a kind of record that links its organisation to a person:
    ``holds(person_ids)`` returns the ids held, in the current schema."""
    _holders[name] = holds


def link_holders() -> dict[str, Holder]:
    """The declared holders (by their function's dotted name), then those added at run time."""
    holders = {f"{h.__module__}.{h.__qualname__}": h for h in declared("link_holders")}
    holders.update(_holders)
    return holders


def _survivor_id(person_id: int) -> int:
    seen: set[int] = set()
    pk = person_id
    while pk not in seen:
        seen.add(pk)
        nxt = Person.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
        if nxt is None:
            break
        pk = nxt
    return pk


def persons_held(*, organisation: Organisation, person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` (survivors) the organisation holds a record on: one it
    registered, or a record of any registered holder under the person or an id merged into
    them. Runs inside the organisation's schema."""
    if current_schema_name() != organisation.schema_name:
        raise RuntimeError("Records are checked inside the organisation's own schema.")
    survivors = set(person_ids)
    if not survivors:
        return set()
    held = set(
        Person.objects.filter(pk__in=survivors, created_in=organisation).values_list(
            "pk", flat=True
        )
    )
    merged = dict(
        Person.objects.filter(merged_into_id__in=survivors).values_list("pk", "merged_into_id")
    )
    owner = {pk: pk for pk in survivors} | merged
    for holds in link_holders().values():
        remaining = [pk for pk, survivor in owner.items() if survivor not in held]
        if not remaining:
            break
        held |= {owner[pk] for pk in holds(remaining)}
    return held


@transaction.atomic
def person_links_release(
    *, person_ids: Iterable[int], organisation: Organisation | None = None
) -> int:
    """Remove the organisation's links to those of ``person_ids`` it no longer holds any
    record on (call it, inside the organisation's schema, after deleting records).
    Returns how many links went."""
    if organisation is None:
        organisation = Organisation.objects.get(schema_name=current_schema_name())
    survivors = {_survivor_id(pk) for pk in set(person_ids)}
    linked = set(
        PersonLink.objects.filter(organisation=organisation, person_id__in=survivors).values_list(
            "person_id", flat=True
        )
    )
    gone = linked - persons_held(organisation=organisation, person_ids=linked)
    if not gone:
        return 0
    deleted, _rows = PersonLink.objects.filter(
        organisation=organisation, person_id__in=gone
    ).delete()
    return deleted

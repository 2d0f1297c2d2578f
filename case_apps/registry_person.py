"""The registry person a new record is about (the child of a new case, a caregiver, member or
child being added to an OVC household), read as the actor.

A form names the person by registry id; the id alone opens nobody. The person opens only
when the actor's organisation already holds a record on them, or the request carries the
``ref`` a registry search result gave this member (signed for them, their organisation and
the CPIMS ID, valid for an hour: ``shared_registry.access.person_reachable``). Anyone else
is ``NotFound``, exactly like an id nobody holds. Each read is logged in the access log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.services import access_record
from shared_registry.access import RECORD_KIND_PERSON, person_reachable
from shared_registry.models import Person
from tenants.actor import Actor, NotFound

if TYPE_CHECKING:
    from django.http import HttpRequest


def _survivor(person: Person | None) -> Person | None:
    """A merged-away person resolves to the one they were merged into."""
    seen: set[int] = set()
    while person is not None and person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.filter(pk=person.merged_into_id).first()
    return person


def registry_person_read(
    *,
    actor: Actor,
    person_id,
    ref: str = "",
    purpose: str,
    request: HttpRequest | None = None,
) -> Person:
    """The person behind ``person_id`` if the actor may open them (``NotFound`` otherwise),
    the read logged with ``purpose``."""
    if not isinstance(actor, Actor):
        raise TypeError(f"a registry person is read by an Actor, not {type(actor).__name__}")
    try:
        followed = Person.objects.filter(pk=int(person_id)).first()
    except (TypeError, ValueError):
        raise NotFound from None
    person = _survivor(followed)
    if person is None or not person_reachable(
        person,
        user=actor.user,
        organisation=actor.organisation,
        ref=str(ref or ""),
        cpims_id=followed.cpims_id,
    ):
        raise NotFound
    access_record(
        actor=actor.user,
        record_kind=RECORD_KIND_PERSON,
        record_id=person.cpims_id,
        purpose=purpose,
        membership=actor.membership,
        request=request,
    )
    return person

"""Registering a person and asking the matcher about one, as the scoring tests do; each test
file fixes its own defaults (sex, date or year of birth, county) with ``functools.partial``."""

from shared_registry.matching import Candidate
from shared_registry.models import Person
from shared_registry.selectors import person_match_candidates
from shared_registry.services import person_register


def registered(first: str, other: str, surname: str, **values) -> Person:
    """A person registered under these names (no pair queued as a duplicate unless asked)."""
    values.setdefault("queue_duplicates", False)
    return person_register(first_name=first, other_names=other, surname=surname, **values)


def candidates(first: str, other: str, surname: str, **values) -> list[Candidate]:
    """What the matcher offers for a registration typed with these names."""
    return person_match_candidates(first_name=first, other_names=other, surname=surname, **values)


def candidate_for(person: Person, first: str, other: str, surname: str, **values):
    """The matcher's candidate for ``person`` when asked about these names (None: not offered)."""
    return {c.person.pk: c for c in candidates(first, other, surname, **values)}.get(person.pk)

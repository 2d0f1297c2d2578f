"""Matching before creating: candidate generation in PostgreSQL, scoring with reasons.

Candidates come from three indexed lookups: exact identifiers, any two names sharing
phonetic keys (GIN on ``name_keys``: reordered names, missing middle names, spelling
variants) and pg_trgm similarity of the alphabetically sorted name (typing errors the
phonetic key does not absorb). Each candidate is then scored 0..100 in Python, every
point with its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import jellyfish
from django.db import connection
from django.db.models import Q

from shared_registry import names
from shared_registry.identifiers import IdentifierType, identifier_normalise
from shared_registry.models import Person, PersonIdentifier

NAME_POINTS = 50
SHOW_THRESHOLD = 30  # candidates below this are not shown
DUPLICATE_THRESHOLD = 70  # a new person this close to another is queued for review
CANDIDATE_POOL = 60


@dataclass
class MatchQuery:
    first_name: str = ""
    other_names: str = ""
    surname: str = ""
    also_known_as: str = ""
    sex: str = ""
    date_of_birth: dt.date | None = None
    birth_year: int | None = None
    county_id: int | None = None
    sub_county_id: int | None = None
    ward_id: int | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name_parts(self) -> tuple[str, ...]:
        return (self.first_name, self.other_names, self.surname, self.also_known_as)

    @property
    def year(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year


@dataclass
class Candidate:
    person: Person
    score: int
    reasons: list[str]


def _token_similarity(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, "exact"
    if names.phonetic_key(a) == names.phonetic_key(b):
        return 0.9, "variant"
    jw = jellyfish.jaro_winkler_similarity(a, b)
    if jw >= 0.88:
        return 0.8, "typo"
    return 0.0, ""


def _name_score(query: MatchQuery, person: Person) -> tuple[int, list[str]]:
    q_first = names.tokens(query.first_name)
    q_tokens = names.tokens(*query.name_parts)
    p_first = names.tokens(person.first_name)
    p_tokens = names.tokens(
        person.first_name, person.other_names, person.surname, person.also_known_as
    )
    if not q_tokens or not p_tokens:
        return 0, []
    reasons: list[str] = []
    total = 0.0
    used: set[str] = set()
    variants: list[str] = []
    for qt in q_tokens:
        best, kind, best_pt = 0.0, "", ""
        for pt in p_tokens:
            if pt in used:
                continue
            sim, how = _token_similarity(qt, pt)
            if sim > best:
                best, kind, best_pt = sim, how, pt
        if best:
            used.add(best_pt)
            total += best
            if kind in ("variant", "typo"):
                variants.append(f"{qt} ~ {best_pt}")
    matched = len(used)
    denominator = max(2, min(len(q_tokens), len(p_tokens)))
    fraction = min(1.0, total / denominator)
    if matched == 0:
        return 0, []
    points = round(NAME_POINTS * fraction)
    if matched >= min(len(q_tokens), len(p_tokens)) and not variants:
        reasons.append(f"names match (+{points})")
    else:
        reasons.append(f"{matched} of {len(q_tokens)} names match (+{points})")
    if variants:
        reasons.append("spelling variants: " + ", ".join(variants))
    if q_first and p_first and q_first[0] not in p_first and q_first[0] in used:
        reasons.append("names in a different order")
    if len(q_tokens) != len(p_tokens) and matched == min(len(q_tokens), len(p_tokens)):
        reasons.append("a middle name or alias is missing on one side")
    return points, reasons


def _birth_score(query: MatchQuery, person: Person) -> tuple[int, list[str]]:
    qd, pd = query.date_of_birth, person.date_of_birth
    if qd and pd:
        if qd == pd:
            return 25, ["same date of birth (+25)"]
        if qd.year == pd.year and qd.day == pd.month and qd.month == pd.day:
            return 18, ["date of birth with day and month swapped (+18)"]
    qy, py = query.year, person.year_of_birth
    if qy is None or py is None:
        return 0, []
    gap = abs(qy - py)
    if gap == 0:
        return 12, ["same year of birth (+12)"]
    if gap == 1:
        return 6, ["year of birth one year apart (+6)"]
    return -15, [f"born {gap} years apart (-15)"]


def score(query: MatchQuery, person: Person, *, identifier_hits: set[int]) -> Candidate:
    points, reasons = 0, []
    if person.pk in identifier_hits:
        points += 60
        reasons.append("same identifier number (+60)")
    name_points, name_reasons = _name_score(query, person)
    points += name_points
    reasons += name_reasons
    birth_points, birth_reasons = _birth_score(query, person)
    points += birth_points
    reasons += birth_reasons
    if query.sex and person.sex:
        if query.sex == person.sex:
            points += 5
            reasons.append("same sex (+5)")
        else:
            points -= 20
            reasons.append("different sex (-20)")
    if query.county_id and person.county_id == query.county_id:
        points += 10
        reasons.append("lives in the same county (+10)")
        if query.ward_id and person.ward_id == query.ward_id:
            points += 5
            reasons.append("same ward (+5)")
        elif query.sub_county_id and person.sub_county_id == query.sub_county_id:
            points += 3
            reasons.append("same sub-county (+3)")
    return Candidate(person=person, score=max(0, min(100, points)), reasons=reasons)


def _identifier_person_ids(identifiers: list[tuple[str, str]]) -> set[int]:
    condition = Q()
    for identifier_type, value in identifiers:
        if identifier_type in IdentifierType.values and value:
            condition |= Q(identifier_type=identifier_type, value=identifier_normalise(value))
    if not condition:
        return set()
    return set(PersonIdentifier.objects.filter(condition).values_list("person_id", flat=True))


_RANKED = (
    "SELECT id FROM public.shared_registry_person WHERE merged_into_id IS NULL AND {where} "
    "ORDER BY similarity(search_name, %s) DESC LIMIT %s"
)


def _ranked_ids(where: str, params: list, sorted_name: str, pool: int) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(_RANKED.format(where=where), [*params, sorted_name, pool])
        return {row[0] for row in cursor.fetchall()}


def candidate_ids(query: MatchQuery, *, pool: int = CANDIDATE_POOL) -> tuple[set[int], set[int]]:
    """(all candidate person ids, those found by an identifier).

    1. exact identifiers;
    2. anyone sharing two names by phonetic key (reordered names, a missing middle
       name, spelling variants, and a typo in one of three names), best trigram
       similarity first;
    3. anyone sharing one name by phonetic key, another name's first letter and a year
       of birth within one year (a typo in one of two names), best similarity first.
    pg_trgm only ranks the rows an index lookup found, so the cost does not grow with
    how common the trigrams of a name are.
    """
    by_identifier = _identifier_person_ids(query.identifiers)
    ids = set(by_identifier)
    keys = names.name_keys(*query.name_parts)
    pairs = [k for k in keys if "|" in k]
    singles = [k for k in keys if "|" not in k]
    sorted_name = names.sorted_name(*query.name_parts)
    if pairs:
        ids |= _ranked_ids("name_keys && %s::varchar[]", [pairs], sorted_name, pool)
    year = query.year
    if year and len(singles) > 1:
        typo_keys = names.query_typo_keys(*query.name_parts, year=year)
        ids |= _ranked_ids("name_keys && %s::varchar[]", [typo_keys], sorted_name, pool)
    elif singles and not pairs and query.county_id:
        where = "name_keys && %s::varchar[] AND county_id = %s"
        ids |= _ranked_ids(where, [singles, query.county_id], sorted_name, pool)
    return ids, by_identifier


def match(
    query: MatchQuery,
    *,
    limit: int = 10,
    threshold: int = SHOW_THRESHOLD,
    exclude_ids: set[int] | None = None,
) -> list[Candidate]:
    ids, by_identifier = candidate_ids(query)
    if exclude_ids:
        ids -= exclude_ids
    if not ids:
        return []
    persons = Person.objects.filter(pk__in=ids).select_related("county")
    scored = [score(query, p, identifier_hits=by_identifier) for p in persons]
    scored = [c for c in scored if c.score >= threshold]
    scored.sort(key=lambda c: (-c.score, c.person.pk))
    return scored[:limit]

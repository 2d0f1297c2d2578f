"""Matching before creating: candidate generation in PostgreSQL, scoring with reasons.

Candidates come from three indexed lookups: exact identifiers, any two names sharing
phonetic keys (GIN on ``name_keys``: reordered names, missing middle names, spelling
variants) and pg_trgm similarity of the alphabetically sorted name (typing errors the
phonetic key does not absorb). Each candidate is then scored 0..100 in Python, every
point with its reason, by rules that know families (docs/registry.md): all names of both
persons count, a given name twice a family name; the "probably the same child" level
needs the given names to agree unless an identifier matches, so twins and siblings who
share a surname, a middle name or their father's and grandfather's names stay at the
"similar names" level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from shared_registry import frequencies, names
from shared_registry.identifiers import IdentifierType, identifier_normalise
from shared_registry.models import Person, PersonIdentifier
from shared_registry.name_evidence import (
    mother_community_keys,
    mother_evidence,
    mother_share,
    name_evidence,
    namesakes,
)

SHOW_THRESHOLD = 30  # "other persons with similar names": shown only on request
DUPLICATE_THRESHOLD = 70  # "probably the same child"; a new person this close is queued
LIKELY, SIMILAR = "likely", "similar"
CANDIDATE_POOL = 60

IDENTIFIER_POINTS = 60
AMBIGUOUS_WITHIN = 10  # a namesake this close in score makes weak evidence ambiguous
# Common names (frequencies.py): without a recorded date or an identifier in common, a
# pair is "probably the same child" only when chance explains it poorly: the persons who
# carry the shared names (namesakes), times the chance that one of them also has a year
# of birth that close and the same county, must stay below COINCIDENCE. (Sex is not a
# factor: the namesakes of a given name are nearly all of one sex.)
COINCIDENCE = 0.2
# names this common (persons carrying any pair of the query's names) are looked up among
# persons born within YEAR_WINDOW years of the query's year only (by the "pair@yYEAR"
# keys, so that the index returns only them): the others could not be "probably the same
# child" (born years apart, -15), would crowd the candidate pool, and ranking them all
# costs a heap read each (thousands for a common pair at ten million persons)
WIDE_LOOKUP = 500
YEAR_WINDOW = 2
YEARS_OF_BIRTH = 25  # a namesake's year of birth is spread over about this many years
COUNTIES = 47
# The mother's name (as on a birth certificate or the child's file). Two of her names in
# common is evidence chance hardly explains: it lifts the common-names rule (siblings share
# her, so it never lifts the given-name rule). No name in common: with a recorded date or
# an identifier in common, a small cost only, since a clerk sometimes writes the caregiver
# as the mother; without them, "probably the same" only when chance explains the names,
# year and county OTHER_WOMAN_NAMED times less than COINCIDENCE allows: about one record
# of a child in ten (assumed, not measured) names another woman than the other record does.
OTHER_WOMAN_NAMED = 0.1
# A recorded date of birth in common is rare evidence, but not against many namesakes:
# when only some of the names agree (one missing or different) and nothing but the date
# backs them (not the county, the mother's names or an identifier), chance must explain
# the pair poorly: the persons who carry the names in common, times the chance that one
# of them was born on that date (or the slipped or swapped one), must stay below
# DATE_COINCIDENCE. (A child typed without a middle name in the county where it was
# registered keeps the county: not concerned.)
DATE_COINCIDENCE = 0.01
# A name on each record that the other lacks (not a name missing on one side, a spelling
# variant or a typo): the same child's two records rarely differ so (a clerk's slip the
# typo rules do not absorb), namesakes nearly always do; chance must then explain the
# rest NAME_DIFFERS times less.
NAME_DIFFERS = 0.1
DAYS_OF_BIRTH = 365 * YEARS_OF_BIRTH  # a namesake's date of birth is spread over these


@dataclass
class MatchQuery:
    first_name: str = ""
    other_names: str = ""
    surname: str = ""
    also_known_as: str = ""
    sex: str = ""
    date_of_birth: dt.date | None = None
    birth_year: int | None = None
    birth_date_estimated: bool = False
    county_id: int | None = None
    sub_county_id: int | None = None
    ward_id: int | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    sibling_ids: set[int] = field(default_factory=set)
    mother_name: str = ""

    @property
    def name_parts(self) -> tuple[str, ...]:
        return (self.first_name, self.other_names, self.surname, self.also_known_as)

    @property
    def year(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year

    @property
    def estimated(self) -> bool:
        return self.birth_date_estimated or (self.date_of_birth is None and bool(self.birth_year))


@dataclass
class Candidate:
    person: Person
    score: int
    reasons: list[str]
    sibling: bool = False  # recognised as a twin or sibling, never "probably the same"
    name_points: int = 0
    # likely on names and an estimated year alone (no recorded date, identifier or county)
    weak: bool = False
    # every point of evidence before the rules that cap the score (siblings, common names):
    # among candidates capped to the same score, the one with more evidence comes first
    evidence: int = 0

    @property
    def level(self) -> str:
        return LIKELY if self.score >= DUPLICATE_THRESHOLD else SIMILAR


def _birth_score(query: MatchQuery, person: Person) -> tuple[int, list[str], bool, bool]:
    """(points, reasons, same date of birth, evidence from two recorded dates). Partial
    evidence counts as partial: a one-year slip with the same day and month, a day/month
    swap, an estimated year."""
    qd, pd = query.date_of_birth, person.date_of_birth
    estimated = query.estimated or person.birth_date_estimated or not (qd and pd)
    if qd and pd and not estimated:
        if qd == pd:
            return 25, [_("same date of birth (+25)")], True, True
        if qd.year == pd.year and qd.day == pd.month and qd.month == pd.day:
            return 18, [_("date of birth with day and month swapped (+18)")], False, True
        if (qd.month, qd.day) == (pd.month, pd.day) and abs(qd.year - pd.year) == 1:
            return 15, [_("same day and month, year of birth one apart (+15)")], False, True
    qy, py = query.year, person.year_of_birth
    if qy is None or py is None:
        return 0, [], False, False
    gap = abs(qy - py)
    if estimated:
        if gap == 0:
            return 15, [_("same year of birth, estimated (+15)")], False, False
        if gap == 1:
            return 6, [_("estimated year of birth one apart (+6)")], False, False
        if gap == 2:
            return 0, [_("estimated year of birth two apart")], False, False
        return -15, [_("born %(n)s years apart (-15)") % {"n": gap}], False, False
    # two exact dates that differ say these are more likely two children
    if gap == 0:
        return 0, [_("same year, different day of birth")], False, False
    if gap == 1:
        return -5, [_("born one year apart on a different day (-5)")], False, False
    return -15, [_("born %(n)s years apart (-15)") % {"n": gap}], False, False


def chance_namesake(query: MatchQuery, person: Person, carried: int, same_county: bool) -> float:
    """About how many of the ``carried`` namesakes would also share a year of birth this
    close and the county by chance."""
    chance = float(carried)
    year = query.year
    if year is not None and person.year_of_birth is not None:
        chance *= (2 * abs(year - person.year_of_birth) + 1) / YEARS_OF_BIRTH
    if same_county:
        chance /= COUNTIES
    return chance


def score(
    query: MatchQuery,
    person: Person,
    *,
    identifier_hits: set[int],
    name_counts: dict[str, int] | None = None,
    registered: int = 0,
) -> Candidate:
    """The evidence that ``person`` is the one described by ``query``, reasons first.
    ``name_counts`` (``frequencies.name_frequencies`` of the query's keys) weighs names by
    how common they are."""
    points, reasons = 0, []
    same_identifier = person.pk in identifier_hits
    if same_identifier:
        points += IDENTIFIER_POINTS
        reasons.append(_("same identifier number (+%(n)s)") % {"n": IDENTIFIER_POINTS})
    evidence = name_evidence(query.name_parts, person)
    points += evidence.points
    reasons += evidence.reasons
    birth_points, birth_reasons, same_date, dates_agree = _birth_score(query, person)
    points += birth_points
    reasons += birth_reasons
    mother = mother_evidence(query.mother_name, person)
    points += mother.points
    reasons += mother.reasons
    if query.sex and person.sex:
        if query.sex == person.sex:
            points += 5
            reasons.append(_("same sex (+5)"))
        else:
            points -= 25
            reasons.append(_("different sex (-25)"))
    if query.county_id and person.county_id == query.county_id:
        points += 10
        reasons.append(_("lives in the same county (+10)"))
        if query.ward_id and person.ward_id == query.ward_id:
            points += 5
            reasons.append(_("same ward (+5)"))
        elif query.sub_county_id and person.sub_county_id == query.sub_county_id:
            points += 3
            reasons.append(_("same sub-county (+3)"))
    sibling = False
    if person.pk in query.sibling_ids:
        sibling = True
        reasons.insert(0, _("recorded as a sibling or twin"))
    elif evidence.matched and not evidence.given_agree and not same_identifier:
        sibling = evidence.family_agree
        if sibling and same_date:
            reasons.insert(
                0, _("twins? same family names and date of birth, different given names")
            )
        elif sibling:
            reasons.insert(0, _("a sibling? same family names, different given names"))
        else:
            reasons.insert(0, _("different given names"))
    before_caps = points
    if (sibling or not evidence.given_agree) and not same_identifier:
        points = min(points, DUPLICATE_THRESHOLD - 1)
    same_county = bool(query.county_id and person.county_id == query.county_id)
    if points >= DUPLICATE_THRESHOLD and not (same_identifier or dates_agree):
        carried = namesakes(evidence.shared, name_counts or {})
        chance = chance_namesake(query, person, carried, same_county)
        if mother.same:
            # namesakes whose mothers also carry her names by chance, within the community
            # the child's names belong to (``name_counts`` holds her keys and their pairs
            # with the child's names too)
            mothers = namesakes(mother.shared, name_counts or {})
            chance *= mother_share(mother.shared, query.name_parts, name_counts or {}, registered)
        allowed = COINCIDENCE * (NAME_DIFFERS if evidence.differs else 1.0)
        if mother.different:
            # the same child's records name another woman only when a clerk wrote the
            # caregiver as the mother: chance must explain the rest that much less
            if not carried or chance > allowed * OTHER_WOMAN_NAMED:
                points = DUPLICATE_THRESHOLD - 1
                reasons.insert(
                    0,
                    _(
                        "a different mother's name, and no date of birth or identifier in "
                        "common: probably two children"
                    ),
                )
        elif carried and chance > allowed:
            points = DUPLICATE_THRESHOLD - 1
            if mother.same:
                because = _(
                    "common names, the mother's too: %(n)s persons in the registry carry the "
                    "child's names and %(m)s the mother's, so they cannot tell them apart"
                ) % {"n": carried, "m": mothers}
            else:
                because = _(
                    "common names: %(n)s persons in the registry carry them, so names and "
                    "a year of birth cannot tell them apart"
                ) % {"n": carried}
            reasons.insert(0, because)
    if (
        points >= DUPLICATE_THRESHOLD
        and dates_agree
        and not (evidence.complete or same_identifier or same_county or mother.same)
    ):
        carried = namesakes(evidence.shared, name_counts or {})
        # the same date or a swapped one: one date; a one-year slip: either neighbour
        dates = 2 if query.year != person.year_of_birth else 1
        allowed = DATE_COINCIDENCE * (NAME_DIFFERS if evidence.differs else 1.0)
        if carried * dates / DAYS_OF_BIRTH > allowed:
            points = DUPLICATE_THRESHOLD - 1
            reasons.insert(
                0,
                _(
                    "only some of the names and a date of birth in common: %(n)s persons "
                    "carry these names, so one born on that date by chance is not rare"
                )
                % {"n": carried},
            )
    return Candidate(
        person=person,
        score=max(0, min(100, points)),
        reasons=reasons,
        sibling=sibling,
        name_points=evidence.points,
        weak=not (dates_agree or same_identifier or same_county or mother.same),
        evidence=before_caps,
    )


def _identifier_person_ids(identifiers: list[tuple[str, str]]) -> set[int]:
    condition = Q()
    for identifier_type, value in identifiers:
        if identifier_type in IdentifierType.values and value:
            condition |= Q(identifier_type=identifier_type, value=identifier_normalise(value))
    if not condition:
        return set()
    return set(PersonIdentifier.objects.filter(condition).values_list("person_id", flat=True))


_RANKED = (
    "SELECT id, search_name = %s FROM public.shared_registry_person "
    "WHERE merged_into_id IS NULL AND {where} "
    "ORDER BY similarity(search_name, %s) + 0.5 * COALESCE(date_of_birth = %s, false)::int "
    "+ 0.2 * COALESCE(county_id = %s, false)::int "
    "- 0.05 * COALESCE(LEAST(ABS(birth_year - %s), 4), 4){mother} DESC LIMIT %s"
)
# the mother's names, when the attempt gives them: among namesakes of the child, those whose
# records name the same woman first
_RANKED_MOTHER = " + 0.3 * similarity(mother_name, %s)"


def _ranked_ids(where: str, params: list, query: MatchQuery, pool: int) -> tuple[set[int], bool]:
    """The ``pool`` persons found by ``where`` whose names are closest to the query's
    (trigram similarity), among namesakes those with the same date of birth or county,
    born nearer the query's year or naming the same mother first; and whether one of them
    carries exactly the query's names."""
    sorted_name = names.sorted_name(*query.name_parts)
    ranking = [sorted_name, query.date_of_birth, query.county_id, query.year]
    mother = ""
    if query.mother_name.strip():
        mother = _RANKED_MOTHER
        ranking.append(query.mother_name)
    sql = _RANKED.format(where=where, mother=mother)
    with connection.cursor() as cursor:
        cursor.execute(sql, [sorted_name, *params, *ranking, pool])
        rows = cursor.fetchall()
    return {row[0] for row in rows}, any(row[1] for row in rows)


def candidate_ids(
    query: MatchQuery, *, pool: int = CANDIDATE_POOL, name_counts: dict[str, int] | None = None
) -> tuple[set[int], set[int]]:
    """(all candidate person ids, those found by an identifier).

    1. exact identifiers;
    2. anyone sharing two names by phonetic key (reordered names, a missing middle
       name, spelling variants, and a typo in one of three names), best trigram
       similarity first; when more than WIDE_LOOKUP persons carry those pairs
       (``name_counts``), only those born within YEAR_WINDOW years of the query's year,
       found by the "pair@yYEAR" keys (``names.year_pair_keys``) so that the index
       returns only them; all carriers only when none was born that near;
    3. when no identifier matched and no one found so far carries exactly the query's
       names (a typo the phonetic key does not absorb): anyone sharing one name by
       phonetic key, another name's first letter and the year of a recorded date of
       birth, or a year within one of an estimated one (a typo in one of two names),
       best similarity first;
    4. for a query with one distinct name, anyone with that name born within a year of
       it or living in the same county.
    pg_trgm only ranks the rows an index lookup found, so the cost does not grow with
    how common the trigrams of a name are.
    """
    by_identifier = _identifier_person_ids(query.identifiers)
    ids = set(by_identifier)
    keys = names.name_keys(*query.name_parts)
    pairs = [k for k in keys if "|" in k]
    singles = [k for k in keys if "|" not in k]
    year = query.year
    exact = False
    if pairs:
        found: set[int] = set()
        carried = sum((name_counts or {}).get(k, 0) for k in pairs)
        if year and carried > WIDE_LOOKUP:
            years = range(year - YEAR_WINDOW, year + YEAR_WINDOW + 1)
            narrow = names.year_pair_keys(pairs, years)
            found, exact = _ranked_ids("name_keys && %s::varchar[]", [narrow], query, pool)
        if not found:
            found, exact = _ranked_ids("name_keys && %s::varchar[]", [pairs], query, pool)
        ids |= found
    if year and len(singles) > 1 and not (exact or by_identifier):
        # a recorded date's year is typed from a document: the typo is in the names only
        years = range(year, year + 1) if query.date_of_birth and not query.estimated else None
        typo_keys = names.query_typo_keys(*query.name_parts, year=year, years=years)
        ids |= _ranked_ids("name_keys && %s::varchar[]", [typo_keys], query, pool)[0]
    elif singles and not pairs:
        # one name (or one name written twice: "Njoroge Njoroge"): born within a year of
        # the query, else in the same county
        if year:
            where = "name_keys && %s::varchar[] AND birth_year BETWEEN %s AND %s"
            ids |= _ranked_ids(where, [singles, year - 1, year + 1], query, pool)[0]
        if query.county_id:
            where = "name_keys && %s::varchar[] AND county_id = %s"
            ids |= _ranked_ids(where, [singles, query.county_id], query, pool)[0]
    return ids, by_identifier


def _demote_ambiguous(scored: list[Candidate]) -> None:
    """Names and an estimated year alone cannot tell namesakes apart: when another person
    has names as close and nearly as much evidence, such a candidate is not "probably the
    same child"."""
    for candidate in scored:
        if candidate.level != LIKELY or not candidate.weak:
            continue
        if any(
            other is not candidate
            and other.name_points >= candidate.name_points
            and other.score >= candidate.score - AMBIGUOUS_WITHIN
            for other in scored
        ):
            candidate.score = DUPLICATE_THRESHOLD - 1
            candidate.reasons.insert(
                0, _("another person has the same names: not enough to tell them apart")
            )


def match(
    query: MatchQuery,
    *,
    limit: int = 10,
    threshold: int = SHOW_THRESHOLD,
    exclude_ids: set[int] | None = None,
) -> list[Candidate]:
    counts = frequencies.name_frequencies(
        names.name_keys(*query.name_parts)
        + names.name_keys(query.mother_name)
        + mother_community_keys(query.name_parts, query.mother_name)
    )
    ids, by_identifier = candidate_ids(query, name_counts=counts)
    if exclude_ids:
        ids -= exclude_ids
    if not ids:
        return []
    persons = Person.objects.filter(pk__in=ids).select_related("county", "sub_county")
    registered = frequencies.persons_registered() if query.mother_name else 0
    scored = [
        score(query, p, identifier_hits=by_identifier, name_counts=counts, registered=registered)
        for p in persons
    ]
    _demote_ambiguous(scored)
    scored = [c for c in scored if c.score >= threshold]
    scored.sort(key=lambda c: (-c.score, -c.evidence, c.person.pk))
    return scored[:limit]

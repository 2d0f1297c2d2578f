"""Name evidence for matching: how far two persons' names, and their mothers' names,
agree (``matching.py`` turns it into points and levels).

All names of both persons count, a given name twice a family name; a name in common
earns its weight (exact, a spelling variant that sounds and reads alike, or a typing
error of one letter), a name that differs costs it, a name missing on one side costs a
third of it. ``namesakes`` reads the name frequencies: about how many registered persons
carry the names two records share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import jellyfish
from django.utils.translation import gettext as _

from shared_registry import names
from shared_registry.models import Person

# names: up to NAME_BASE + NAME_PER_MATCH points per name in common (three at most)
NAME_BASE, NAME_PER_MATCH, NAMES_COUNTED = 40, 5, 3
GIVEN_WEIGHT, FAMILY_WEIGHT = 2.0, 1.0  # a given name says more than a family name
MISSING_FACTOR = 0.35  # a name missing on one side weighs less than a name that differs
REORDERED_COST = 3
# spelling variants read alike; typing errors are one edit (two in a long name)
VARIANT_EDITS, VARIANT_READS_ALIKE, LONG_NAME = 2, 0.8, 8
SAME_MOTHER_POINTS, MOTHER_PARTIAL_POINTS, OTHER_MOTHER_COST = 15, 5, 5


@dataclass(frozen=True)
class _Name:
    text: str
    weight: float  # GIVEN_WEIGHT for given names; FAMILY_WEIGHT for the rest
    optional: bool = False  # an alias: not having it is no evidence at all


def _names(first: str, other: str, surname: str, alias: str) -> list[_Name]:
    out: list[_Name] = []
    seen: set[str] = set()
    for part, weight, optional in (
        (first, GIVEN_WEIGHT, False),
        (other, FAMILY_WEIGHT, False),
        (surname, FAMILY_WEIGHT, False),
        (alias, FAMILY_WEIGHT, True),
    ):
        for token in names.tokens(part):
            if token not in seen:
                seen.add(token)
                out.append(_Name(token, weight, optional))
    return out


def _token_similarity(a: str, b: str) -> tuple[float, str]:
    """1.0 the same name; 0.9 a spelling variant: the same phonetic key and the names
    still read alike (Wanjiru/Wanjiro, Mohamed/Muhammad, Chebet/Jebet, but not
    Hussein/Hassan or Mercy/Muriuki, two names whose skeletons merely coincide); 0.8 a
    typing error: one letter dropped, doubled, changed or two swapped (two in names of
    eight letters or more), not two names that begin alike (Kiprono/Kiptoo)."""
    if a == b:
        return 1.0, "exact"
    edits = jellyfish.damerau_levenshtein_distance(a, b)
    if names.phonetic_key(a) == names.phonetic_key(b) and (
        edits <= VARIANT_EDITS or jellyfish.jaro_winkler_similarity(a, b) >= VARIANT_READS_ALIKE
    ):
        return 0.9, "variant"
    shorter = min(len(a), len(b))
    if shorter >= 3 and (edits == 1 or (edits == 2 and shorter >= LONG_NAME)):
        return 0.8, "typo"
    return 0.0, ""


@dataclass
class _NameEvidence:
    points: int
    reasons: list[str]
    given_agree: bool
    family_agree: bool  # every family name on both sides is in common
    matched: int
    shared: tuple[str, ...] = ()  # the query's names found on the other side
    complete: bool = False  # every name of both persons in common (variants allowed)
    differs: bool = False  # each side has a name the other lacks (not one merely missing)


def _align(q: list[_Name], p: list[_Name]) -> list[tuple[_Name, _Name, float, str]]:
    """Pairs of names, best first, each name used once."""
    pairs = []
    for qn in q:
        for pn in p:
            sim, how = _token_similarity(qn.text, pn.text)
            if sim:
                pairs.append((sim, qn.weight + pn.weight, qn, pn, how))
    pairs.sort(key=lambda t: (-t[0], -t[1]))
    used_q: set[str] = set()
    used_p: set[str] = set()
    out = []
    for sim, _w, qn, pn, how in pairs:
        if qn.text in used_q or pn.text in used_p:
            continue
        used_q.add(qn.text)
        used_p.add(pn.text)
        out.append((qn, pn, sim, how))
    return out


def _written_twice(first: str, surname: str) -> str:
    """The name a person carries as both first name and surname ("Gitau Gitau"), or ""."""
    given = names.tokens(first)
    return given[0] if given and given[0] in names.tokens(surname) else ""


def _given_agrees(
    given: set[str],
    other_given: set[str],
    pairs: list[tuple[_Name, _Name, float, str]],
    *,
    query_side: bool,
) -> bool:
    """One side's given name is in common, or resembles the other side's given name."""
    if not given:
        return True
    mine = [(qn.text if query_side else pn.text) for qn, pn, _s, _h in pairs]
    theirs = [(pn.text if query_side else qn.text) for qn, pn, _s, _h in pairs]
    if any(text in given for text in mine):
        return True
    return any(
        _token_similarity(name, text)[0] for name in given for text in theirs if text in other_given
    )


def name_evidence(parts: tuple[str, ...], person: Person) -> _NameEvidence:
    """All names of both persons count: a name in common earns its weight (a given name
    twice a family name), a name that differs costs its weight, a name missing on one
    side costs a third of it. The given names must agree for "probably the same"."""
    q = _names(*parts)
    p = _names(person.first_name, person.other_names, person.surname, person.also_known_as)
    if not q or not p:
        return _NameEvidence(0, [], False, False, 0)
    pairs = _align(q, p)
    if not pairs:
        return _NameEvidence(0, [], False, False, 0)
    matched_q = {qn.text for qn, _pn, _s, _h in pairs}
    matched_p = {pn.text for _qn, pn, _s, _h in pairs}
    earned = sum(sim * (qn.weight + pn.weight) for qn, pn, sim, _h in pairs)
    possible = sum(qn.weight + pn.weight for qn, pn, _s, _h in pairs)
    left_q = sorted(
        (n.weight for n in q if n.text not in matched_q and not n.optional), reverse=True
    )
    left_p = sorted(
        (n.weight for n in p if n.text not in matched_p and not n.optional), reverse=True
    )
    differing = min(len(left_q), len(left_p))
    possible += sum(left_q[:differing]) + sum(left_p[:differing])
    possible += MISSING_FACTOR * (sum(left_q[differing:]) + sum(left_p[differing:]))
    fraction = earned / possible if possible else 0.0
    matched = len(pairs)
    # "Njoroge Njoroge" on both records: the name written twice is as specific as two names
    both_twice = (
        _written_twice(parts[0], parts[2]),
        _written_twice(person.first_name, person.surname),
    )
    counted = matched + any(
        (qn.text, pn.text) == both_twice for qn, pn, _s, _h in pairs if both_twice[0]
    )
    points = round((NAME_BASE + NAME_PER_MATCH * min(counted, NAMES_COUNTED)) * fraction)
    q_given = {n.text for n in q if n.weight == GIVEN_WEIGHT}
    p_given = {n.text for n in p if n.weight == GIVEN_WEIGHT}
    # a first name made only of particles ("Ole") leaves nothing to compare; a name
    # written twice ("Hussein Abdullahi Hussein", "Gitau Gitau") is counted once, so a
    # typo in the given-name copy agrees with the other copy, aligned elsewhere
    given_agree = _given_agrees(q_given, p_given, pairs, query_side=True) and _given_agrees(
        p_given, q_given, pairs, query_side=False
    )
    q_family = {n.text for n in q if n.weight == FAMILY_WEIGHT and not n.optional}
    p_family = {n.text for n in p if n.weight == FAMILY_WEIGHT and not n.optional}
    family_pairs = [
        (qn, pn) for qn, pn, _s, _h in pairs if qn.text in q_family and pn.text in p_family
    ]
    family_agree = bool(q_family) and len(family_pairs) == len(q_family) == len(p_family)
    reasons: list[str] = []
    variants = [f"{qn.text} ~ {pn.text}" for qn, pn, _s, how in pairs if how != "exact"]
    total = max(len([n for n in q if not n.optional]), len([n for n in p if not n.optional]))
    if matched >= total and not variants:
        reasons.append(_("names match (+%(n)s)") % {"n": points})
    else:
        reasons.append(
            _("%(m)s of %(t)s names in common (+%(n)s)") % {"m": matched, "t": total, "n": points}
        )
    if variants:
        reasons.append(_("spelling variants: %(list)s") % {"list": ", ".join(variants)})
    if (
        any((qn.text in q_given) != (pn.text in p_given) for qn, pn, _s, _h in pairs)
        and given_agree
    ):
        # a given name found among the other's family names is weaker evidence
        points -= REORDERED_COST
        reasons.append(_("names in a different order (-%(n)s)") % {"n": REORDERED_COST})
    if differing == 0 and (left_q or left_p):
        reasons.append(_("a middle name or alias is missing on one side"))
    shared = tuple(qn.text for qn, _pn, _s, _h in pairs)
    complete = matched >= total
    return _NameEvidence(
        points, reasons, given_agree, family_agree, matched, shared, complete, differing > 0
    )


@dataclass
class _MotherEvidence:
    points: int = 0
    reasons: list[str] = field(default_factory=list)
    same: bool = False  # two of her names or more in common
    different: bool = False  # none of her names in common
    shared: tuple[str, ...] = ()  # the query's mother's names found on the other side


def mother_evidence(mother_name: str, person: Person) -> _MotherEvidence:
    """The mother's names on both records, compared as a person's names are (spelling
    variants and typos allowed, any order); nothing when either record lacks them."""
    q = [_Name(t, 1.0) for t in names.tokens(mother_name)]
    p = [_Name(t, 1.0) for t in names.tokens(person.mother_name)]
    if not q or not p:
        return _MotherEvidence()
    pairs = _align(q, p)
    common = len(pairs)
    if common >= 2:  # one name in common ("Mary") is what many mothers share
        return _MotherEvidence(
            SAME_MOTHER_POINTS,
            [_("same mother's name (+%(n)s)") % {"n": SAME_MOTHER_POINTS}],
            same=True,
            shared=tuple(qn.text for qn, _pn, _s, _h in pairs),
        )
    if common:
        return _MotherEvidence(
            MOTHER_PARTIAL_POINTS,
            [_("one of the mother's names in common (+%(n)s)") % {"n": MOTHER_PARTIAL_POINTS}],
        )
    return _MotherEvidence(
        -OTHER_MOTHER_COST,
        [_("different mother's name (-%(n)s)") % {"n": OTHER_MOTHER_COST}],
        different=True,
    )


def mother_community_keys(child_parts: tuple[str, ...], mother_name: str) -> list[str]:
    """The name-frequency keys ``mother_share`` reads: each of the mother's names paired
    with each of the child's."""
    mother = names.phonetic_keys(mother_name)
    return [
        names.pair_key(a, b) for a in names.phonetic_keys(*child_parts) for b in mother if a != b
    ]


def mother_share(
    shared: tuple[str, ...],
    child_names: tuple[str, ...],
    counts: dict[str, int],
    registered: int,
) -> float:
    """About what share of the women who could be this child's mother carry the mother's
    names two records share (``shared``, two or more).

    A namesake's mother comes from the child's own community, where her names are many
    times commoner than in the whole registry (a Somali "Hodan Abdi" is a common woman's
    name among Somali families and rare elsewhere). The child's names tell the community:
    the share of the persons carrying one of the child's names who also carry one of her
    names is how common that name is there (the largest such share, over the child's
    names, so as not to understate it). Her two commonest names are taken as independent
    within the community. The result is never below her names' share of the whole
    registry (persons carrying them among ``registered``)."""
    overall = min(1.0, namesakes(shared, counts) / registered) if registered else 0.0
    child = names.phonetic_keys(*child_names)
    shares = []
    for key in names.phonetic_keys(*shared):
        within = [
            counts.get(names.pair_key(key, c), 0) / counts[c]
            for c in child
            if c != key and counts.get(c)
        ]
        shares.append(max(within, default=0.0))
    shares.sort(reverse=True)
    community = shares[0] * shares[1] if len(shares) >= 2 else 0.0
    return min(1.0, max(overall, community))


def namesakes(shared: tuple[str, ...], counts: dict[str, int]) -> int:
    """About how many registered persons carry all the names two records share, from the
    name frequencies (0 when not counted): the count of the one name or the pair; for
    three names or more, a pair narrowed by how often its names go with a third (persons
    with a, b and c ~ those with a and b, times the share of a's with c). Names of one
    community go together, so the largest of these estimates (never above the rarest
    pair) is the one that does not overstate how rare the names are."""
    keys = sorted({names.phonetic_key(t) for t in shared})
    if len(keys) == 1:
        return counts.get(keys[0], 0)

    def pair(a: str, b: str) -> int:
        return counts.get(names.pair_key(a, b), 0)

    if len(keys) == 2:
        return pair(*keys)
    estimates = [
        math.ceil(pair(a, b) * pair(a, c) / counts[a])
        for a in keys
        for b, c in combinations([k for k in keys if k != a], 2)
        if counts.get(a)
    ]
    rarest_pair = min(pair(a, b) for a, b in combinations(keys, 2))
    return min(max(estimates), rarest_pair) if estimates else 0

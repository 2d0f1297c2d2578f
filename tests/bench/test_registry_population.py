"""bench/registry_population.py's tail of rarer names (issue 15): off by default, so the
lists-only population stays reproducible; when asked for, about the share asked of names
comes from a tail made of the lists' own syllables, never a listed name, each tail name
rarer than a listed one, and the same seed makes the same people. No database."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bench import registry_population
from bench.registry_population import CHRISTIAN, COMMUNITIES, MUSLIM, _tail, pick, population


@pytest.fixture
def tail_share():
    """Set registry_population.TAIL_SHARE for one test, as the bench's --long-tail does."""
    before = registry_population.TAIL_SHARE

    def set_share(share: float) -> None:
        registry_population.TAIL_SHARE = share

    yield set_share
    registry_population.TAIL_SHARE = before


def listed_names() -> set[str]:
    words = set()
    for lists in (CHRISTIAN, MUSLIM):
        for names in lists.values():
            words |= {w.upper() for w in names.split()}
    for _weight, *lists in COMMUNITIES.values():
        for names in lists:
            words |= {w.upper() for w in names.split()}
    return words


def names_of(rows: list[dict]) -> list[str]:
    return [r[f] for r in rows for f in ("first_name", "other_names", "surname") if r[f]]


def test_without_a_tail_every_name_comes_from_the_lists():
    rows, _pairs = population(5000, random.Random(7))
    assert set(names_of(rows)) <= listed_names()


def test_with_a_tail_about_the_share_asked_comes_from_it(tail_share):
    tail_share(0.5)
    rows, pairs = population(5000, random.Random(7))
    names, listed = names_of(rows), listed_names()
    outside = sum(name not in listed for name in names) / len(names)
    # a drawn tail name may coincide with a name of another list; families' shared names
    # are drawn once for several children
    assert 0.4 < outside < 0.6
    assert pairs  # families, siblings and twins are still made
    again, _pairs = population(5000, random.Random(7))
    assert again == rows


def test_tail_names_are_made_of_the_list_and_never_a_listed_name():
    words = COMMUNITIES["kikuyu"][3].split()
    names, cumulative = _tail(tuple(words))
    assert len(names) == registry_population.TAIL_NAMES == len(set(names))
    assert not {n.lower() for n in names} & {w.lower() for w in words}
    assert all(len(n) >= 4 and n.isalpha() for n in names)
    assert _tail(tuple(words)) == (names, cumulative)  # the same list, the same tail
    assert cumulative == sorted(cumulative)


def test_the_commonest_tail_name_is_rarer_than_any_listed_name(tail_share):
    tail_share(0.5)
    words = COMMUNITIES["luo"][3].split()
    rng = random.Random(3)
    drawn = Counter(pick(rng, words) for _ in range(60000))
    rarest_listed = min(drawn[w] for w in words)
    commonest_tail = max(n for name, n in drawn.items() if name not in words)
    assert commonest_tail < rarest_listed

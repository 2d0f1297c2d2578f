"""CPARA scoring: 9 benchmarks, domain maxima 4/1/3/1, pathway bands."""

from __future__ import annotations

import itertools

import pytest

from case_apps.ovc.scoring import (
    BENCHMARKS,
    DOMAIN_MAXIMA,
    HIGHLY_VULNERABLE,
    LOW,
    MEDIUM,
    READY_TO_GRADUATE,
    cpara_score,
    pathway_for,
)


def answers(no=(), na=()):
    return {n: "no" if n in no else "na" if n in na else "yes" for n in range(1, 10)}


def test_nine_benchmarks_with_the_may_2022_domains():
    assert len(BENCHMARKS) == 9
    per_domain = {d: sum(1 for dom, _ in BENCHMARKS.values() if dom == d) for d in DOMAIN_MAXIMA}
    assert per_domain == {"healthy": 4, "stable": 1, "safe": 3, "schooled": 1} == DOMAIN_MAXIMA


def test_all_yes_is_ready_to_graduate():
    score = cpara_score(answers())
    assert score.total == 9 and score.all_met and score.unmet == ()
    assert score.by_domain == DOMAIN_MAXIMA
    assert score.pathway == READY_TO_GRADUATE


def test_not_applicable_counts_as_achieved():
    score = cpara_score(answers(na=(2, 3, 6)))
    assert score.total == 9 and score.all_met


def test_all_no_scores_zero():
    score = cpara_score(answers(no=range(1, 10)))
    assert score.total == 0
    assert score.by_domain == {"healthy": 0, "stable": 0, "safe": 0, "schooled": 0}
    assert score.pathway == HIGHLY_VULNERABLE
    assert score.unmet == tuple(range(1, 10))


def test_scores_per_domain():
    score = cpara_score(answers(no=(1, 2, 6)))
    assert score.by_domain == {"healthy": 2, "stable": 1, "safe": 2, "schooled": 1}
    assert score.total == 6 and score.pathway == MEDIUM and score.unmet == (1, 2, 6)
    assert cpara_score(answers(no=(5,))).by_domain["stable"] == 0
    assert cpara_score(answers(no=(9,))).by_domain["schooled"] == 0
    assert cpara_score(answers(no=(9,))).pathway == LOW


@pytest.mark.parametrize(
    ("total", "pathway"),
    [
        (0, HIGHLY_VULNERABLE),
        (4, HIGHLY_VULNERABLE),
        (5, MEDIUM),
        (7, MEDIUM),
        (8, LOW),
        (9, READY_TO_GRADUATE),
    ],
)
def test_pathway_bands(total, pathway):
    assert pathway_for(total) == pathway


def test_pathway_rejects_impossible_scores():
    for total in (-1, 10):
        with pytest.raises(ValueError):
            pathway_for(total)


def test_every_combination_is_consistent():
    for combo in itertools.product("yn", repeat=9):
        given = {n + 1: "yes" if c == "y" else "no" for n, c in enumerate(combo)}
        score = cpara_score(given)
        assert score.total == combo.count("y") == sum(score.by_domain.values())
        assert all(score.by_domain[d] <= m for d, m in DOMAIN_MAXIMA.items())
        assert score.all_met == (score.total == 9)


def test_incomplete_or_bad_answers_are_refused():
    partial = answers()
    del partial[4]
    with pytest.raises(ValueError, match="not answered"):
        cpara_score(partial)
    with pytest.raises(ValueError, match="yes, no or na"):
        cpara_score({**answers(), 3: "maybe"})
    with pytest.raises(ValueError, match="Unknown"):
        cpara_score({**answers(), 10: "yes"})

"""bench/cluster.py's load model and answer checks (issue 22): think times from a stated,
seeded distribution, the page mix by its weights, an answer right only with its own
organisation's markers and no other's, and the figures it prints. No cluster, no timing."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from bench.cluster import (
    PAGES,
    LoadModel,
    Outcome,
    Target,
    check_answer,
    percentile,
    summarise,
)

ACME = Target("loadaab", "Cluster load aab", "Zqaab", "sessionid=x", person_id=7)
PAGE = {page.name: page for page in PAGES}


def test_think_times_are_exponential_with_the_mean_asked_and_repeat_with_the_seed():
    model = LoadModel(10, seed=3, session=4)
    draws = [model.think() for _ in range(20000)]
    assert statistics.fmean(draws) == pytest.approx(10, rel=0.05)
    assert statistics.median(draws) == pytest.approx(10 * 0.6931, rel=0.05)  # mean x ln 2
    again = LoadModel(10, seed=3, session=4)
    assert [again.think() for _ in range(20000)] == draws
    other = LoadModel(10, seed=3, session=5)
    assert [other.think() for _ in range(5)] != draws[:5]


def test_uniform_think_times_stay_within_twice_the_mean():
    model = LoadModel(4, distribution="uniform", seed=1)
    draws = [model.think() for _ in range(20000)]
    assert min(draws) >= 0 and max(draws) <= 8
    assert statistics.fmean(draws) == pytest.approx(4, rel=0.05)


def test_no_think_time_is_the_saturation_test_and_bad_models_are_refused():
    assert {LoadModel(0).think() for _ in range(10)} == {0.0}
    with pytest.raises(ValueError):
        LoadModel(-1)
    with pytest.raises(ValueError):
        LoadModel(5, distribution="pareto")


def test_pages_come_in_the_stated_mix_and_each_names_its_session_s_own_records():
    model = LoadModel(10, seed=9)
    drawn = Counter(model.page().name for _ in range(20000))
    total = sum(page.weight for page in PAGES)
    for page in PAGES:
        assert drawn[page.name] / 20000 == pytest.approx(page.weight / total, abs=0.02)
    assert PAGE["child"].path(ACME) == "/cases/children/7/"
    assert PAGE["search"].path(ACME) == "/cases/?q=Zqaab"


def test_an_answer_is_right_with_its_own_markers_and_wrong_with_another_s():
    own = "<h1>Cluster load aab</h1><td>Load ZQAAB</td>"
    assert check_answer(200, own, ACME, PAGE["caseload"]) == ("", "")
    assert check_answer(200, "<h1>Cluster load aab</h1>", ACME, PAGE["home"]) == ("", "")
    # another organisation's child or name, even beside our own: the wrong schema
    assert check_answer(200, own + "Load ZQAAC", ACME, PAGE["caseload"])[1] == "loadaab: aac"
    assert check_answer(200, "Cluster load abz", ACME, PAGE["home"])[1] == "loadaab: abz"
    # a word merely containing the letters is not a marker
    assert check_answer(200, own + " xzqaacx", ACME, PAGE["caseload"]) == ("", "")
    assert check_answer(500, "", ACME, PAGE["home"]) == ("HTTP 500", "")
    assert check_answer(200, "<h1>Cluster load aab</h1>", ACME, PAGE["child"]) == (
        "own case missing",
        "",
    )
    assert check_answer(200, "Load ZQAAB", ACME, PAGE["search"]) == ("own name missing", "")


def test_the_figures_count_each_answer_once_and_time_only_the_right_ones():
    outcomes = [Outcome(at=float(n), page="caseload", seconds=(n + 1) / 1000) for n in range(100)]
    outcomes += [
        Outcome(at=10.5, page="child", seconds=0.002, problem="HTTP 502"),
        Outcome(at=11.5, page="child", seconds=0.001, wrong="loadaab: aac"),
        Outcome(at=200.0, page="home", seconds=9.0),  # after the window
    ]
    figures = summarise(outcomes, 0, 100)
    assert (figures["requests"], figures["errors"], figures["wrong_schema"]) == (102, 1, 1)
    assert figures["rate"] == pytest.approx(1.02)
    latencies = (figures["p50"], figures["p95"], figures["p99"], figures["max"])
    assert latencies == pytest.approx((50, 95, 99, 100))
    assert figures["kinds"] == {"HTTP 502": 1, "wrong schema": 1}
    assert percentile([], 0.95) == 0
    assert percentile([3.0], 0.5) == 3.0

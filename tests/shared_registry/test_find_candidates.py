"""The "find the child" screens of the case apps show the registry's candidates in two
levels (shared_registry/_find_candidates.html): "probably the same child" first with each
candidate's reasons, other persons with similar names folded in a <details> element."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string

from shared_registry.models import Sex
from shared_registry.selectors import person_match_candidates
from shared_registry.services import person_register

pytestmark = pytest.mark.django_db

LABELS = dict(
    choose_href="/cases/new/?child=",
    choose_label="This is the child",
    likely_title="Probably the same child",
    no_likely_label="No one in the registry is probably this child.",
    similar_note="These share some names but not enough evidence to be this child.",
    none_label="No one in the registry looks like this child.",
)


def _register(first, other, surname, born):
    return person_register(
        first_name=first,
        other_names=other,
        surname=surname,
        sex=Sex.FEMALE,
        date_of_birth=born,
        county_code="042",
        sub_county_code="240",
        queue_duplicates=False,
    )


def _candidates(first, other, surname, born):
    found = person_match_candidates(
        first_name=first,
        other_names=other,
        surname=surname,
        sex=Sex.FEMALE,
        date_of_birth=born,
        county_code="042",
        sub_county_code="240",
    )
    # as the case apps pass them: registry summaries as dicts, with the person
    return [
        {"score": c.score, "reasons": c.reasons, "level": c.level, "person": c.person}
        for c in found
    ]


def _render(candidates):
    return render_to_string(
        "shared_registry/_find_candidates.html", {"candidates": candidates} | LABELS
    )


def test_the_probable_child_comes_first_with_reasons_and_the_namesakes_are_folded(geo):
    grace = _register("Grace", "Akinyi", "Otieno", dt.date(2015, 6, 14))
    twin = _register("Mercy", "Akinyi", "Otieno", dt.date(2015, 6, 14))
    html = _render(_candidates("Grace", "Akinyi", "Otieno", dt.date(2015, 6, 14)))
    likely, similar = html.index('data-testid="likely"'), html.index('data-testid="similar"')
    assert likely < similar
    assert "Probably the same child" in html and "same date of birth (+25)" in html
    assert f"/cases/new/?child={grace.pk}" in html[likely:similar]
    folded = html[similar:]
    assert re.search(r"<details[^>]*>\s*<summary>Other persons with similar names \(1\)", html)
    assert f"/cases/new/?child={twin.pk}" in folded and "twins?" in folded
    assert "No one in the registry is probably this child." not in html


def test_without_a_probable_child_the_screen_says_so_and_keeps_the_others_folded(geo):
    _register("Mercy", "Akinyi", "Otieno", dt.date(2015, 6, 14))
    html = _render(_candidates("Grace", "Akinyi", "Otieno", dt.date(2015, 6, 14)))
    assert 'data-testid="likely"' not in html
    assert "No one in the registry is probably this child." in html
    assert "<details" in html and "twins?" in html
    nobody = _render([])
    assert "No one in the registry looks like this child." in nobody and "<details" not in nobody

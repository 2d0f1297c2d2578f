"""Coincidences a large registry makes common (issue 15): brand-new children shown
"probably the same" because a namesake also shares, by chance, a date of birth, two of the
mother's names or two of three names. Each test is one pair an officer meets, and what the
registry must say about it, with its counterpart that must stay "probably the same"."""

import datetime as dt
from functools import partial

import pytest

from shared_registry import matching
from shared_registry.models import Sex
from tests.shared_registry import people

pytestmark = pytest.mark.django_db


_register = partial(people.registered, sex=Sex.MALE, birth_year=2015, county_code="047")


_candidate = partial(people.candidate_for, sex=Sex.MALE, birth_year=2015, county_code="042")


def test_two_of_three_names_and_a_date_with_nothing_else_are_a_coincidence(geo):
    """ "Victor Kiptoo" born on 2 May 2021 in Kisumu against "Victor Kiptoo Langat" born the
    same day in Nairobi: when more than ninety persons carry "Victor Kiptoo" (at a million
    persons 134 do), one of them born on that very day is no rare chance. Typed without the
    middle name in the county where he was registered, or with all three names after a
    move, he stays "probably the same child"."""
    born = dt.date(2021, 5, 2)
    victor = _register("Victor", "Kiptoo", "Langat", date_of_birth=born)
    surnames = ["Rotich", "Koech", "Kirui", "Mutai", "Ruto", "Sang", "Tanui", "Korir", "Bett"]
    carriers = int(matching.DATE_COINCIDENCE * matching.DAYS_OF_BIRTH) + 1
    for k in range(carriers - 1):  # namesakes born on other days
        _register(
            "Victor",
            "Kiptoo",
            surnames[k % len(surnames)],
            date_of_birth=dt.date(2000 + k % 20, 1 + k % 12, 1 + k % 28),
        )
    moved = _candidate(victor, "Victor", "", "Kiptoo", date_of_birth=born)
    assert moved.level == matching.SIMILAR
    assert moved.reasons[0].startswith(
        f"only some of the names and a date of birth in common: {carriers} persons"
    )
    at_home = _candidate(victor, "Victor", "", "Kiptoo", date_of_birth=born, county_code="047")
    assert at_home.level == matching.LIKELY
    all_names = _candidate(victor, "Victor", "Kiptoo", "Langat", date_of_birth=born)
    assert all_names.level == matching.LIKELY
    # rare names and the same date: chance hardly explains them
    rare = _register("Lemaiyan", "Koikai", "Tiampati", date_of_birth=born)
    found = _candidate(rare, "Lemaiyan", "", "Koikai", date_of_birth=born)
    assert found.level == matching.LIKELY


def test_a_name_that_differs_leaves_chance_less_room(geo):
    """ "Charles Lemaiyan Saitoti" against "Charles Saitoti Sankale", both with an estimated
    year 2009 in the same sub-county: two names agree and the third is another name, which
    the same child's records rarely show and namesakes always do. With thirty persons
    carrying "Charles Saitoti" the pair is not "probably the same"; the same child typed
    without his middle name still is."""
    where = dict(county_code="042", sub_county_code="240", birth_year=2009)
    charles = _register("Charles", "Saitoti", "Sankale", **where)
    for year in range(1975, 2004):  # namesakes born long before
        _register("Charles", "Saitoti", "Koikai", birth_year=year, county_code="047")
    other = _candidate(charles, "Charles", "Lemaiyan", "Saitoti", **where)
    assert other.level == matching.SIMILAR
    assert other.reasons[0].startswith("common names: 30 persons in the registry carry them")
    missing = _candidate(charles, "Charles", "", "Saitoti", **where)
    assert missing.level == matching.LIKELY


def test_mothers_names_common_in_the_childs_community_do_not_lift_common_names(geo):
    """A Somali "Ahmed Abdi Farah" with an estimated year, registered in Nairobi, his
    mother "Hodan Warsame"; a namesake registered in Kisumu names the same mother's names.
    "Hodan" and "Warsame" are rare in the whole registry but common among the families
    whose children carry "Farah": there, many women are called so, and the mother's names
    do not tell the namesakes apart. A mother's names rare in that community still do."""
    child = _register("Ahmed", "Abdi", "Farah", mother_name="Hodan Warsame")
    for year in range(1985, 2005):  # namesakes born long before
        _register("Ahmed", "Abdi", "Farah", birth_year=year)
    for year in range(1960, 1990):  # the community: women carrying Hodan, Warsame, Farah
        _register("Hodan", "Warsame", "Farah", sex=Sex.FEMALE, birth_year=year)
    others = ["Grace Akinyi Otieno", "Mary Wanjiru Kamau", "Faith Chebet Rotich"]
    for k in range(100):  # the rest of the registry
        first, other, surname = others[k % 3].split()
        _register(first, other, surname, sex=Sex.FEMALE, birth_year=1950 + k % 50)
    namesake = _candidate(child, "Ahmed", "Abdi", "Farah", mother_name="Hodan Warsame")
    assert namesake.level == matching.SIMILAR
    assert namesake.reasons[0].startswith("common names, the mother's too")
    assert "same mother's name (+15)" in namesake.reasons
    rare = _register("Ahmed", "Abdi", "Farah", birth_year=2016, mother_name="Ubah Guled")
    found = _candidate(rare, "Ahmed", "Abdi", "Farah", birth_year=2016, mother_name="Ubah Guled")
    assert found.level == matching.LIKELY and "same mother's name (+15)" in found.reasons

"""Rules found by reading the 1,000,000-person bench's misses (issue 15, docs/registry.md):
names that merely share a phonetic skeleton or a prefix are not spelling variants, and a
name written twice still agrees when one copy has a typo. Each test is a pair an officer
meets, and what the registry must say about it."""

import datetime as dt
from functools import partial

import pytest

from shared_registry import matching
from shared_registry.models import Sex
from tests.shared_registry import people

pytestmark = pytest.mark.django_db
BORN = dt.date(2016, 3, 9)


_register = partial(people.registered, sex=Sex.MALE, date_of_birth=BORN, county_code="042")


_candidate = partial(people.candidate_for, sex=Sex.MALE, date_of_birth=BORN, county_code="042")


def test_hassan_and_hussein_are_two_names_so_the_pair_are_twins(geo):
    """Hassan and Hussein share the skeleton h-s-n but are two names (often brothers'):
    twins named so, with their father's and grandfather's names and one date of birth,
    are siblings, not one child typed twice. Mohamed and Muhammad stay one name."""
    hassan = _register("Hassan", "Abdi", "Omar")
    twin = _candidate(hassan, "Hussein", "Abdi", "Omar")
    assert twin.level == matching.SIMILAR and twin.sibling
    assert twin.reasons[0].startswith("twins?")
    assert not any("hussein ~ hassan" in reason for reason in twin.reasons)
    mohamed = _register("Mohamed", "Abdi", "Omar", date_of_birth=dt.date(2012, 1, 5))
    again = _candidate(mohamed, "Muhammad", "Abdi", "Omar", date_of_birth=dt.date(2012, 1, 5))
    assert again.level == matching.LIKELY
    assert "spelling variants: muhammad ~ mohamed" in again.reasons


def test_kalenjin_names_that_begin_alike_are_not_typing_errors(geo):
    """Kiprono and Kiptoo (or Chepkemoi and Chepkoech) begin alike because Kalenjin names
    do; they differ by more than a slip of the hand. Kiprotcih is a slip."""
    kiptoo = _register("Rebecca", "Chepkemoi", "Kiptoo", sex=Sex.FEMALE)
    # an estimated year one apart in the same county: not enough with a surname that differs
    other = _candidate(
        kiptoo,
        "Rebecca",
        "Chepkemoi",
        "Kiprono",
        sex=Sex.FEMALE,
        date_of_birth=None,
        birth_year=2017,
    )
    assert other.level == matching.SIMILAR
    assert other.reasons[0].startswith("2 of 3 names in common")
    assert not any("kiprono ~ kiptoo" in reason for reason in other.reasons)
    kiprotich = _register("Brian", "Kiprotich", "Langat", date_of_birth=dt.date(2011, 7, 2))
    slip = _candidate(kiprotich, "Brian", "Kiprotcih", "Langat", date_of_birth=dt.date(2011, 7, 2))
    assert slip.level == matching.LIKELY
    assert "spelling variants: kiprotcih ~ kiprotich" in slip.reasons


def test_mercy_and_muriuki_are_not_the_same_mothers_name(geo):
    """The mother's names are compared as a person's: "Mercy Njeri" and "Purity Njeri
    Muriuki" have one name in common, not two (Mercy and Muriuki only share m-r-k)."""
    emily = _register(
        "Emily", "Wangeci", "Kahiga", sex=Sex.FEMALE, mother_name="Purity Njeri Muriuki"
    )
    found = _candidate(emily, "Emily", "", "Kahiga", sex=Sex.FEMALE, mother_name="Mercy Njeri")
    assert "one of the mother's names in common (+5)" in found.reasons
    assert "same mother's name (+15)" not in found.reasons


def test_a_name_written_twice_still_agrees_when_one_copy_has_a_typo(geo):
    """Somali children often carry their grandfather's name as their own ("Hussein
    Abdullahi Hussein"), Kikuyu children their father's ("Gitau Gitau"): a typo in the
    given-name copy is a misspelling, not a different given name."""
    hussein = _register("Hussein", "Abdullahi", "Hussein", mother_name="Ifrah Abdullahi Hassan")
    found = _candidate(hussein, "Hussiin", "Abdullahi", "Hussein")
    assert found.level == matching.LIKELY and not found.sibling
    assert "different given names" not in found.reasons
    gitau = _register("Gitau", "", "Gitau", date_of_birth=dt.date(2008, 12, 18))
    typed = _candidate(gitau, "Getau", "", "Gitau", date_of_birth=dt.date(2008, 12, 18))
    assert typed.level == matching.LIKELY
    # a brother named Hassan (not a spelling of Hussein) has another given name
    brother = _candidate(hussein, "Hassan", "Abdullahi", "Hussein")
    assert brother.level == matching.SIMILAR and brother.reasons[0] == "different given names"

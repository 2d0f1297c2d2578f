"""The mother's name as evidence (issue 15): a duplicate registration is typed from the
child's file, which names the mother; a brand-new namesake has another mother. Each test
is one pair an officer meets, and what the registry must say about it."""

import datetime as dt
from functools import partial

import pytest

from shared_registry import matching
from shared_registry.models import Person, Sex
from shared_registry.services import person_update
from shared_registry.services_queue import person_merge, person_unmerge
from tests.conftest import client_on
from tests.shared_registry import people

pytestmark = pytest.mark.django_db


_register = partial(people.registered, sex=Sex.FEMALE, birth_year=2015, county_code="042")


_candidate = partial(people.candidate_for, sex=Sex.FEMALE, birth_year=2015, county_code="042")


def test_same_names_and_year_but_a_different_mother_is_not_likely(geo):
    """Two children with the same names and year but different mothers are two children,
    unless the names are so rare that chance hardly explains them: a clerk sometimes
    writes the caregiver as the mother (then the difference costs 5 points and is shown)."""
    grace = _register("Grace", "Akinyi", "Otieno", mother_name="Mary Atieno Ouma")
    rare = _candidate(grace, "Grace", "Akinyi", "Otieno", mother_name="Jane Awino Okoth")
    assert rare.level == matching.LIKELY and "different mother's name (-5)" in rare.reasons
    # enough namesakes (born long before) that one in the county would share the year by
    # chance more often than COINCIDENCE * OTHER_WOMAN_NAMED allows, but not COINCIDENCE
    for year in range(1960, 1990):
        _register("Grace", "Akinyi", "Otieno", birth_year=year)
    other = _candidate(grace, "Grace", "Akinyi", "Otieno", mother_name="Jane Awino Okoth")
    assert other.level == matching.SIMILAR
    assert other.reasons[0].startswith("a different mother's name")
    assert "different mother's name (-5)" in other.reasons
    # the same query without a mother's name is what the matcher said before
    assert _candidate(grace, "Grace", "Akinyi", "Otieno").level == matching.LIKELY
    # the same mother, her names typed in another order with a spelling variant
    same = _candidate(grace, "Grace", "Akinyi", "Otieno", mother_name="Ouma Mery Atieno")
    assert same.level == matching.LIKELY and "same mother's name (+15)" in same.reasons


def test_a_different_mother_weighs_little_against_a_recorded_date(geo):
    """A clerk sometimes writes the caregiver as the mother: two recorded dates that agree
    still make the pair likely, the difference shown."""
    grace = _register(
        "Grace", "Akinyi", "Otieno", date_of_birth=dt.date(2015, 6, 14), mother_name="Mary Ouma"
    )
    found = _candidate(
        grace,
        "Grace",
        "Akinyi",
        "Otieno",
        date_of_birth=dt.date(2015, 6, 14),
        mother_name="Rose Wanjiku",
    )
    assert found.level == matching.LIKELY and "different mother's name (-5)" in found.reasons


def test_moved_child_with_an_estimated_year_and_the_same_mother_is_likely(geo):
    """Common names, another county, only an estimated year: namesakes explain names and a
    year, but not the mother's names as well."""
    child = _register(
        "Grace", "Akinyi", "Otieno", county_code="047", mother_name="Mary Atieno Ouma"
    )
    for year in range(1990, 2002):  # namesakes born long before: they make the names common
        _register("Grace", "Akinyi", "Otieno", birth_year=year, county_code="047")
    without = _candidate(child, "Grace", "Akinyi", "Otieno")
    assert without.level == matching.SIMILAR and without.reasons[0].startswith("common names")
    found = _candidate(child, "Grace", "Akinyi", "Otieno", mother_name="Mary Atieno Ouma")
    assert found.level == matching.LIKELY
    assert "same mother's name (+15)" in found.reasons
    assert not any(r.startswith("common names") for r in found.reasons)


def test_a_mothers_name_many_women_carry_does_not_lift_common_names(geo):
    """Two common names of the mother ("Mary Wanjiru" in real registers) are shared by
    chance as well: they lift the common-names rule only when chance explains them poorly."""
    child = _register(
        "Grace", "Akinyi", "Otieno", county_code="047", mother_name="Mary Atieno Ouma"
    )
    for year in range(1990, 2002):
        _register("Grace", "Akinyi", "Otieno", birth_year=year, county_code="047")
    for year in range(1970, 1980):  # ten women carry the mother's names
        _register("Mary", "Atieno", "Ouma", birth_year=year, county_code="042")
    found = _candidate(child, "Grace", "Akinyi", "Otieno", mother_name="Mary Atieno Ouma")
    assert found.level == matching.SIMILAR
    assert found.reasons[0].startswith("common names, the mother's too")
    assert "same mother's name (+15)" in found.reasons


def test_one_of_the_mothers_names_in_common_is_partial_evidence(geo):
    grace = _register("Grace", "Akinyi", "Otieno", mother_name="Mary Atieno Ouma")
    found = _candidate(grace, "Grace", "Akinyi", "Otieno", mother_name="Mary Wanjiku")
    assert "one of the mother's names in common (+5)" in found.reasons
    assert found.level == matching.LIKELY


def test_twins_with_the_same_mother_stay_siblings(geo):
    """The mother's name never lifts the given-name rule: twins share her."""
    hodan = _register(
        "Hodan", "Abdi", "Hassan", date_of_birth=dt.date(2016, 2, 3), mother_name="Amina Farah"
    )
    twin = _candidate(
        hodan,
        "Ubah",
        "Abdi",
        "Hassan",
        date_of_birth=dt.date(2016, 2, 3),
        mother_name="Amina Farah",
    )
    assert twin.level == matching.SIMILAR and twin.sibling
    assert twin.reasons[0].startswith("twins?") and "same mother's name (+15)" in twin.reasons


def test_mothers_name_is_kept_corrected_merged_and_restored(geo):
    a = _register("Grace", "Akinyi", "Otieno")
    b = _register("Grace", "Akinyi", "Otieno", mother_name="  mary   atieno ouma ")
    assert b.mother_name == "MARY ATIENO OUMA"
    person_update(person=b, mother_name="Mary Atieno")
    assert Person.objects.get(pk=b.pk).mother_name == "MARY ATIENO"
    merge = person_merge(survivor=a, merged=b, merged_by=None, reason="same child")
    assert Person.objects.get(pk=a.pk).mother_name == "MARY ATIENO"  # a gap filled
    person_unmerge(merge=merge, undone_by=None)
    assert Person.objects.get(pk=a.pk).mother_name == ""


def test_register_screen_and_api_take_the_mothers_name_and_list_the_reason(world, geo):
    grace = _register("Grace", "Akinyi", "Otieno", mother_name="Mary Atieno Ouma")
    client = client_on(world.acme, world.acme_worker)
    typed = {
        "first_name": "Grace",
        "other_names": "Akinyi",
        "surname": "Otieno",
        "sex": "SFEM",
        "birth_year": "2015",
        "county_code": "042",
        "mother_name": "Jane Awino Okoth",
    }
    check = client.post("/registry/register/", {**typed, "action": "check"})
    text = check.content.decode()
    assert grace.cpims_id in text and "different mother&#x27;s name (-5)" in text
    assert 'value="Jane Awino Okoth"' in text
    body = {k: v for k, v in typed.items() if k != "county_code"} | {"birth_year": 2015}
    matches = client.post("/api/v1/registry/matches", body, content_type="application/json")
    assert "different mother's name (-5)" in matches.json()[0]["reasons"]
    created = client.post(
        "/api/v1/registry/persons",
        {**body, "first_name": "Ann"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["mother_name"] == "JANE AWINO OKOTH"

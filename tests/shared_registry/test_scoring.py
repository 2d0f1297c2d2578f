"""The rules of matching that knows families (issue 15): each test is one pair an officer
meets, and what the registry must say about it."""

import datetime as dt
from functools import partial

import pytest

from shared_registry import matching, names
from shared_registry.models import PotentialDuplicate, Sex
from tests.shared_registry import people

pytestmark = pytest.mark.django_db


# the registered person and the registration typed, unless a test says otherwise
BORN_IN_KISUMU = dict(
    sex=Sex.FEMALE, date_of_birth=dt.date(2015, 6, 14), county_code="042", sub_county_code="240"
)
_register = partial(people.registered, **BORN_IN_KISUMU)
_query = partial(people.candidates, **BORN_IN_KISUMU)


def _by_person(candidates):
    return {c.person.pk: c for c in candidates}


def test_twins_are_recognised_as_siblings_not_duplicates(geo):
    """Same parents' names, same date, different given names: twins, never queued."""
    hodan = _register("Hodan", "Abdi", "Hassan")
    found = _by_person(_query("Ubah", "Abdi", "Hassan"))
    twin = found[hodan.pk]
    assert twin.level == matching.SIMILAR and twin.sibling
    assert twin.reasons[0].startswith("twins?")
    ubah = _register("Ubah", "Abdi", "Hassan", queue_duplicates=True)
    assert not PotentialDuplicate.objects.filter(person_b=ubah).exists()
    # the same child typed again is still "probably the same", reasons first
    again = _query("Hodan", "Abdi", "Hassan")[0]
    assert again.person == hodan and again.level == matching.LIKELY
    assert again.reasons[0].startswith("names match")


def test_a_shared_patronym_and_grandfathers_name_count_less_than_a_given_name(geo):
    """Swahili and Somali naming: sisters carry their father's and grandfather's names."""
    sister = _register("Fatuma", "Juma", "Omar", date_of_birth=dt.date(2013, 2, 1))
    namesake = _register("Amina", "Juma", "Salim", date_of_birth=dt.date(2013, 2, 1))
    found = _by_person(_query("Amina", "Juma", "Omar", date_of_birth=dt.date(2013, 2, 1)))
    # sharing the given name and the father's name outranks sharing both family names
    assert found[namesake.pk].score > found[sister.pk].score
    assert found[sister.pk].level == matching.SIMILAR
    assert found[sister.pk].reasons[0].startswith("twins?")
    assert found[sister.pk].reasons[1] == "2 of 3 names in common (+25)"
    assert found[namesake.pk].reasons[0] == "2 of 3 names in common (+38)"


def test_a_child_who_moved_county_with_a_year_slip_or_an_estimated_year_is_likely(geo):
    kevin = _register(
        "Kevin", "Otieno", "Ochieng", sex=Sex.MALE, date_of_birth=dt.date(2013, 5, 10)
    )
    moved = dict(sex=Sex.MALE, county_code="047", sub_county_code="274")
    slipped = _query("Kevin", "Otieno", "Ochieng", date_of_birth=dt.date(2014, 5, 10), **moved)
    assert slipped[0].person == kevin and slipped[0].level == matching.LIKELY
    assert "same day and month, year of birth one apart (+15)" in slipped[0].reasons
    estimated = _query("Kevin", "Otieno", "Ochieng", date_of_birth=None, birth_year=2013, **moved)
    assert estimated[0].person == kevin and estimated[0].level == matching.LIKELY
    # a one-year slip with the same day and month says more than another day that year
    other_day = _query("Kevin", "Otieno", "Ochieng", date_of_birth=dt.date(2013, 9, 1), **moved)
    assert slipped[0].score > other_day[0].score


def test_all_names_count_so_the_three_name_person_outranks_a_two_name_one(geo):
    """A different person with two of the three names no longer gets full name credit."""
    right = _register("Mary", "Wanjiru", "Kamau")
    other = _register("Mary", "", "Kamau", ward_code="1201")
    found = _query("Mary", "Wanjiru", "Kamau", ward_code="1201")
    assert found[0].person == right
    assert found[1].person == other and found[1].score < found[0].score
    assert "a middle name or alias is missing on one side" in found[1].reasons
    # a missing name weighs less than one that differs
    differs = _by_person(_query("Mary", "Njeri", "Kamau"))[right.pk]
    missing = _by_person(_query("Mary", "", "Kamau"))[right.pk]
    assert missing.score > differs.score


def test_short_names_keep_long_keys_and_a_typo_still_finds_the_person(geo):
    assert len({names.phonetic_key(n) for n in ("said", "sidi", "saida")}) == 3
    for name in ("ali", "said", "ekai", "aoko", "baya", "mary", "juma", "bett", "chai"):
        assert len(names.phonetic_key(name)) >= 3
    said = _register("Said", "Ali", "Baya", sex=Sex.MALE)
    sidi = _register("Sidi", "Ali", "Baya")
    found = _query("Saif", "Ali", "Baya", sex=Sex.MALE)
    assert found[0].person == said and found[0].level == matching.LIKELY
    assert "spelling variants: saif ~ said" in found[0].reasons
    sister = _by_person(found)[sidi.pk]
    assert sister.level == matching.SIMILAR
    assert not any("~ sidi" in reason for reason in sister.reasons)


def test_an_identifier_lifts_a_pair_to_likely_even_with_different_given_names(geo):
    from shared_registry.identifiers import IdentifierType as T

    child = _register("Grace", "Akinyi", "Otieno", identifiers=[(T.BIRTH_CERTIFICATE, "7788990")])
    found = _query("Mercy", "Akinyi", "Otieno", identifiers=[(T.BIRTH_CERTIFICATE, "7788990")])
    assert found[0].person == child and found[0].level == matching.LIKELY


def test_a_day_month_swap_and_estimated_years_are_partial_evidence(geo):
    child = _register("Brian", "Kiprono", "Rotich", sex=Sex.MALE, date_of_birth=dt.date(2016, 3, 8))
    same = _query("Brian", "Kiprono", "Rotich", sex=Sex.MALE, date_of_birth=dt.date(2016, 3, 8))
    swapped = _query("Brian", "Kiprono", "Rotich", sex=Sex.MALE, date_of_birth=dt.date(2016, 8, 3))
    estimated = _query(
        "Brian", "Kiprono", "Rotich", sex=Sex.MALE, date_of_birth=None, birth_year=2017
    )
    far = _query("Brian", "Kiprono", "Rotich", sex=Sex.MALE, date_of_birth=None, birth_year=2010)
    assert same[0].score > swapped[0].score > estimated[0].score > far[0].score
    assert all(c[0].person == child for c in (same, swapped, estimated, far))


def _counts(*names_):
    from shared_registry.frequencies import name_frequencies

    return name_frequencies(names.name_keys(*names_))


def test_registration_correction_and_merge_keep_the_name_frequencies(geo):
    """Registering counts a person's names and pairs of names in, a correction moves the
    counts, a merge counts the merged-away person out and undoing it counts them back;
    the recount gives the same numbers."""
    from shared_registry.frequencies import name_frequencies_recount
    from shared_registry.models import NameFrequency
    from shared_registry.services import person_update
    from shared_registry.services_queue import person_merge, person_unmerge

    name_frequencies_recount()  # persons other tests left behind (made by factories) counted
    amina = _register("Amina", "Juma", "Omar")
    _register("Amina", "", "Omar", date_of_birth=dt.date(2011, 1, 3))
    amina_omar = f"{names.phonetic_key('amina')}|{names.phonetic_key('omar')}"
    assert _counts("Amina", "Juma", "Omar")[amina_omar] == 2
    assert _counts("Juma")[names.phonetic_key("juma")] == 1
    assert not NameFrequency.objects.filter(key__contains="@").exists()
    person_update(person=amina, other_names="Bakari")
    assert names.phonetic_key("juma") not in _counts("Juma")
    assert _counts("Bakari")[names.phonetic_key("bakari")] == 1
    again = _register("Amina", "Bakari", "Omar", county_code="047", sub_county_code="274")
    merge = person_merge(survivor=amina, merged=again, merged_by=None, reason="same child")
    assert _counts("Amina", "Omar")[amina_omar] == 2
    incremental = dict(NameFrequency.objects.values_list("key", "persons"))
    name_frequencies_recount()
    assert dict(NameFrequency.objects.values_list("key", "persons")) == incremental
    person_unmerge(merge=merge, undone_by=None)
    assert _counts("Amina", "Omar")[amina_omar] == 3


def test_common_names_and_an_estimated_year_stay_below_the_likely_level(geo):
    """A child who moved county, known only by names, sex and an estimated year: when many
    registered persons carry those names, that is not enough for "probably the same
    child"; with rare names it is."""
    moved = dict(county_code="047", sub_county_code="274", date_of_birth=None, birth_year=2014)
    common = _register("Mary", "", "Kamau", date_of_birth=dt.date(2014, 3, 2))
    # enough namesakes (born in other years) that one of them would, by chance, share the
    # year more often than matching.COINCIDENCE allows
    many = int(matching.COINCIDENCE * matching.YEARS_OF_BIRTH) + 1
    for year in range(2000, 2000 + many - 1):
        _register("Mary", "", "Kamau", date_of_birth=dt.date(year, 3, 2))
    found = _by_person(_query("Mary", "", "Kamau", **moved))[common.pk]
    assert found.level == matching.SIMILAR
    assert found.reasons[0].startswith(f"common names: {many} persons in the registry carry them")
    # in the same county, chance no longer explains it
    at_home = _query("Mary", "", "Kamau", date_of_birth=None, birth_year=2014)[0]
    assert at_home.person == common and at_home.level == matching.LIKELY
    rare = _register("Nashipai", "", "Tiampati", date_of_birth=dt.date(2014, 3, 2))
    found = _query("Nashipai", "", "Tiampati", **moved)[0]
    assert found.person == rare and found.level == matching.LIKELY
    # a recorded date of birth in common still tells namesakes apart
    exact = _query("Mary", "", "Kamau", **(moved | {"date_of_birth": dt.date(2014, 3, 2)}))
    assert exact[0].person == common and exact[0].level == matching.LIKELY


def test_three_names_are_rarer_than_any_two_of_them():
    """Many persons share two of the names, few all three: the count for all three is the
    rarest pair narrowed by how often its names go with the third."""
    a, b, c = sorted(names.phonetic_key(n) for n in ("amina", "juma", "omar"))
    tokens = {names.phonetic_key(n): n for n in ("amina", "juma", "omar")}
    counts = {a: 100, b: 50, c: 20, f"{a}|{b}": 40, f"{a}|{c}": 10, f"{b}|{c}": 8}
    assert matching.namesakes((tokens[b],), counts) == 50
    assert matching.namesakes((tokens[a], tokens[b]), counts) == 40
    # max(40 * 10 / 100, 40 * 8 / 50, 10 * 8 / 20) = max(4, 6.4 -> 7, 4), below the rarest pair
    assert matching.namesakes((tokens[a], tokens[b], tokens[c]), counts) == 7
    # max(40 * 10 / 20, ...) = 20 is above the rarest pair (8): 8
    assert matching.namesakes((tokens[a], tokens[b], tokens[c]), counts | {a: 20}) == 8
    assert matching.namesakes((tokens[a], tokens[b]), {}) == 0


def test_very_common_names_are_looked_up_near_the_year_of_birth_only(geo, monkeypatch):
    """When many persons carry the names, the candidate pool holds those born within a
    few years of the child (the others could not be the same child), so namesakes born
    decades apart do not crowd out the right person."""
    child = _register("Mary", "", "Kamau")
    mother = _register("Mary", "", "Kamau", date_of_birth=dt.date(1990, 6, 14))
    found = _by_person(_query("Mary", "", "Kamau"))
    assert {child.pk, mother.pk} <= set(found) and found[mother.pk].level == matching.SIMILAR
    monkeypatch.setattr(matching, "WIDE_LOOKUP", 1)  # as if thousands carried the names
    found = _by_person(_query("Mary", "", "Kamau"))
    assert child.pk in found and mother.pk not in found
    assert found[child.pk].level == matching.LIKELY


def test_a_child_named_twice_after_one_name_is_found_after_moving(geo):
    """ "Njoroge Njoroge" has one distinct name: found by that name and the year of birth
    even in another county. Both records write it twice, which is as specific as two names
    in common: with a one-year slip of the same day and month he is probably the same
    child, as a two-name child would be."""
    child = _register("Njoroge", "", "Njoroge", sex=Sex.MALE, date_of_birth=dt.date(2016, 8, 17))
    moved = dict(sex=Sex.MALE, county_code="047", sub_county_code="274")
    found = _query("Njoroge", "", "Njoroge", date_of_birth=dt.date(2017, 8, 17), **moved)
    assert found[0].person == child and found[0].level == matching.LIKELY
    assert found[0].reasons[0] == "names match (+50)"
    # one record with the name once ("Njoroge Kamau") does not count it twice
    kamau = _register("Njoroge", "", "Kamau", sex=Sex.MALE, date_of_birth=dt.date(2016, 8, 17))
    once = _by_person(_query("Njoroge", "", "Kamau", date_of_birth=dt.date(2017, 8, 17), **moved))
    assert once[kamau.pk].reasons[0] == "names match (+50)"
    assert child.pk not in once or once[child.pk].level == matching.SIMILAR

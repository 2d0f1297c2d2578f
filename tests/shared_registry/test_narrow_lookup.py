"""The narrowed lookup for common names (docs/registry.md, "Ten million persons"): when more
than ``matching.WIDE_LOOKUP`` persons carry the query's pairs of names, the index returns
only those born within ``YEAR_WINDOW`` years of the query's year ("pair@yYEAR" keys), and
the keys follow a person through registration, correction, merge and undo."""

import datetime as dt
import importlib
from functools import partial

import pytest

from shared_registry import frequencies, matching, names
from shared_registry.models import Person, Sex
from shared_registry.services import person_update
from shared_registry.services_queue import person_merge, person_unmerge
from tests.shared_registry import people

pytestmark = pytest.mark.django_db

IN_KISUMU = dict(sex=Sex.FEMALE, county_code="042", sub_county_code="240")
_register = partial(people.registered, **IN_KISUMU)


def _year_keys(person: Person) -> set[str]:
    return {k for k in Person.objects.get(pk=person.pk).name_keys if "@y" in k}


def _pairs_born(year: int, *parts: str) -> set[str]:
    return set(names.year_pair_keys(names.pair_keys(*parts), [year]))


def _ids(query: matching.MatchQuery, **kwargs) -> set[int]:
    counts = frequencies.name_frequencies(names.name_keys(*query.name_parts))
    return matching.candidate_ids(query, name_counts=counts, **kwargs)[0]


def _moved(first, other, surname, year, geo, **values) -> matching.MatchQuery:
    """A registration typed in Nairobi (unless ``county_id`` says) with only an estimated
    year of birth."""
    values.setdefault("county_id", geo["nairobi"].pk)
    return matching.MatchQuery(
        first_name=first,
        other_names=other,
        surname=surname,
        sex=Sex.FEMALE,
        birth_year=year,
        birth_date_estimated=True,
        **values,
    )


def test_the_narrow_lookup_finds_the_child_the_wide_one_did(geo, monkeypatch):
    """A child who moved county, typed with an estimated year up to two years off, is
    found by the narrow lookup as by the wide one; namesakes born decades apart are not
    looked at; when no carrier of the names was born that near, the wide lookup runs."""
    child = _register("Mary", "Wanjiru", "Kamau", date_of_birth=dt.date(2012, 3, 5))
    aunt = _register("Mary", "Wanjiru", "Kamau", date_of_birth=dt.date(1985, 7, 1))
    mother = _register("Mary", "", "Kamau", birth_year=1990, birth_date_estimated=True)
    for year in (2010, 2012, 2014):
        assert {child.pk, aunt.pk, mother.pk} <= _ids(_moved("Mary", "Wanjiru", "Kamau", year, geo))
    monkeypatch.setattr(matching, "WIDE_LOOKUP", 1)  # as if thousands carried the names
    for year in (2010, 2012, 2014):
        assert _ids(_moved("Mary", "Wanjiru", "Kamau", year, geo)) == {child.pk}
    # three years off: no carrier born that near, so the wide lookup is the fallback
    assert {child.pk, aunt.pk, mother.pk} <= _ids(_moved("Mary", "Wanjiru", "Kamau", 2015, geo))
    # and the matcher still says "probably the same child" for the moved child
    found = matching.match(_moved("Mary", "Wanjiru", "Kamau", 2012, geo))
    assert [c.person.pk for c in found] == [child.pk]
    assert found[0].level == matching.LIKELY


def test_among_namesakes_the_pool_keeps_those_born_that_year_and_with_that_mother(geo, monkeypatch):
    """Many namesakes carry exactly the child's names: the pool keeps first those born in
    the query's year, then, when the attempt names the mother, her records."""
    born_2008 = _register("Mary", "", "Kamau", birth_year=2008)
    grace = _register("Mary", "", "Kamau", birth_year=2012, mother_name="Grace Wanjiku Njoroge")
    jane = _register("Mary", "", "Kamau", birth_year=2012, mother_name="Jane Njeri Mwangi")
    born_2013 = _register("Mary", "", "Kamau", birth_year=2013)
    for wide_lookup in (matching.WIDE_LOOKUP, 1):
        monkeypatch.setattr(matching, "WIDE_LOOKUP", wide_lookup)
        assert _ids(_moved("Mary", "", "Kamau", 2012, geo), pool=2) == {grace.pk, jane.pk}
        with_mother = _moved("Mary", "", "Kamau", 2012, geo, mother_name="Grace Wanjiku")
        assert _ids(with_mother, pool=1) == {grace.pk}
        assert _ids(_moved("Mary", "", "Kamau", 2013, geo), pool=1) == {born_2013.pk}
    # born four years before: in the wide lookup's pool, outside the narrow one's window
    assert born_2008.pk not in _ids(_moved("Mary", "", "Kamau", 2012, geo), pool=4)
    monkeypatch.setattr(matching, "WIDE_LOOKUP", 500)
    assert born_2008.pk in _ids(_moved("Mary", "", "Kamau", 2012, geo), pool=4)


def test_a_typo_no_key_absorbs_is_still_found_by_the_typo_lookup(geo):
    """No one carries exactly the typed names ("Kmaau"): the typo lookup (one name's key,
    another's first letter, the year) finds the child."""
    child = _register("Mary", "", "Kamau", date_of_birth=dt.date(2012, 3, 5))
    assert names.phonetic_key("kmaau") != names.phonetic_key("kamau")
    assert child.pk in _ids(_moved("Mary", "", "Kmaau", 2012, geo))


def test_year_keys_are_kept_in_step_on_registration_correction_merge_and_undo(geo, monkeypatch):
    child = _register("Mary", "Wanjiru", "Kamau", date_of_birth=dt.date(2012, 3, 5))
    assert _year_keys(child) == _pairs_born(2012, "Mary", "Wanjiru", "Kamau")
    estimated = _register("Akinyi", "", "Otieno", birth_year=2011, birth_date_estimated=True)
    assert _year_keys(estimated) == _pairs_born(2011, "Akinyi", "Otieno")
    # corrected: the date of birth, then a name
    person_update(person=child, date_of_birth=dt.date(2013, 3, 5))
    assert _year_keys(child) == _pairs_born(2013, "Mary", "Wanjiru", "Kamau")
    person_update(person=Person.objects.get(pk=child.pk), other_names="")
    assert _year_keys(child) == _pairs_born(2013, "Mary", "Kamau")
    # merged: the survivor, known without a year of birth, takes the merged person's date
    # and middle name, and with them the keys the narrow lookup finds
    survivor = _register("Faith", "", "Achieng")
    merged = _register("Faith", "Awino", "Achieng", date_of_birth=dt.date(2014, 8, 9))
    assert _year_keys(survivor) == set()
    query = _moved("Faith", "Awino", "Achieng", 2014, geo)
    monkeypatch.setattr(matching, "WIDE_LOOKUP", 1)  # the narrow lookup
    merge = person_merge(survivor=survivor, merged=merged, merged_by=None, reason="same child")
    assert _year_keys(survivor) == _pairs_born(2014, "Faith", "Awino", "Achieng")
    assert _ids(query) == {survivor.pk}  # the merged-away record is never a candidate
    person_unmerge(merge=merge, undone_by=None)
    assert _year_keys(survivor) == set()
    assert _ids(query) == {merged.pk}


def test_among_candidates_capped_to_one_score_more_evidence_comes_first(geo, monkeypatch):
    """At ten million persons the common-names rule caps many namesakes at 69: the one
    living in the county typed (more evidence before the cap) comes before one elsewhere,
    whatever their order of registration."""
    monkeypatch.setattr(matching, "COINCIDENCE", 1e-9)  # as if thousands carried the names
    elsewhere = _register(
        "Mary",
        "",
        "Kamau",
        date_of_birth=dt.date(2012, 3, 5),
        county_code="047",
        sub_county_code="274",
    )
    here = _register("Mary", "", "Kamau", date_of_birth=dt.date(2012, 9, 1))
    query = _moved("Mary", "", "Kamau", 2012, geo, county_id=geo["kisumu"].pk)
    found = matching.match(query)
    assert [c.person.pk for c in found] == [here.pk, elsewhere.pk]
    assert found[0].score == found[1].score == matching.DUPLICATE_THRESHOLD - 1
    assert found[0].evidence > found[1].evidence


def test_an_identifier_in_common_makes_the_typo_lookup_unneeded(geo):
    """The typo lookup reads thousands of rows at ten million persons: with a person found
    by an identifier it does not run (the pair lookup still does)."""
    child = _register(
        "Mary", "", "Kamau", date_of_birth=dt.date(2012, 3, 5), identifiers=[("ISOV", "12345678")]
    )
    typo_only = _register("Mary", "", "Kamau", date_of_birth=dt.date(2012, 3, 5))
    query = _moved("Mary", "", "Kmaau", 2012, geo)
    assert typo_only.pk in _ids(query)
    query.identifiers = [("ISOV", "12345678")]
    assert _ids(query) == {child.pk}


def test_the_migration_gives_persons_registered_before_it_the_keys_registration_gives(geo):
    """Migration 0011 adds the year keys in SQL from the pairs already stored: the same keys,
    in the same order, as names.person_keys; persons without a year of birth keep theirs; a
    second run changes nothing."""
    from django.db import connection

    year_pair_keys_sql = importlib.import_module(
        "shared_registry.migrations.0011_year_pair_keys"
    ).YEAR_PAIR_KEYS
    dated = _register("Mary", "Wanjiru", "Kamau", date_of_birth=dt.date(2012, 3, 5))
    estimated = _register("Halima", "Abdi", "Hassan", birth_year=2011, birth_date_estimated=True)
    undated = _register("Faith", "", "Achieng")
    two_names = _register("Brian", "", "Otieno", date_of_birth=dt.date(2014, 1, 2))
    persons = [dated, estimated, undated, two_names]
    expected = {p.pk: Person.objects.get(pk=p.pk).name_keys for p in persons}
    assert expected[dated.pk] == names.person_keys("Mary", "Wanjiru", "Kamau", year=2012)
    with connection.cursor() as cursor:  # as they were stored before the migration
        cursor.execute(
            "UPDATE shared_registry_person SET name_keys = ARRAY(SELECT key FROM "
            "unnest(name_keys) WITH ORDINALITY AS k(key, n) WHERE strpos(key, '@y') = 0 "
            "ORDER BY n)::varchar(80)[] WHERE id = ANY(%s)",
            [list(expected)],
        )
        assert all(not _year_keys(p) for p in persons)
        cursor.execute(year_pair_keys_sql)
        assert {p.pk: Person.objects.get(pk=p.pk).name_keys for p in persons} == expected
        cursor.execute(year_pair_keys_sql)
        assert cursor.rowcount == 0

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shared_registry import checkdigit
from shared_registry.identifiers import IdentifierType as T
from shared_registry.models import DuplicateStatus, Person, PersonLink, PotentialDuplicate, Sex
from shared_registry.selectors import (
    person_get_by_cpims_id,
    person_match_candidates,
    person_search,
)
from shared_registry.services import (
    person_link_record,
    person_merge,
    person_register,
    person_unmerge,
)

pytestmark = pytest.mark.django_db


def _mary(**overrides):
    values = dict(
        first_name="Mary",
        other_names="Wanjiru",
        surname="Kamau",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2014, 3, 7),
        county_code="042",
        sub_county_code="240",
        queue_duplicates=False,
    )
    values.update(overrides)
    return person_register(**values)


def test_register_issues_a_valid_cpims_id_and_keys(geo, world):
    person = _mary(identifiers=[(T.BIRTH_CERTIFICATE, "1234 567")], organisation=world.acme)
    assert checkdigit.is_valid(person.cpims_id)
    assert person.surname == "KAMAU" and person.county == geo["kisumu"]
    assert person.identifiers.get().value == "1234567"
    assert "kamau|mari" in person.name_keys and "mari|wnjr" in person.name_keys
    assert person_get_by_cpims_id(checkdigit.display(person.cpims_id)) == person
    wrong = person.cpims_id[:-1] + str((int(person.cpims_id[-1]) + 1) % 10)
    assert person_get_by_cpims_id(wrong) is None
    assert PersonLink.objects.filter(person=person, organisation=world.acme).exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"first_name": " "}, "first_name"),
        ({"sex": "X"}, "sex"),
        ({"date_of_birth": dt.date.today() + dt.timedelta(days=2)}, "date_of_birth"),
        ({"date_of_birth": dt.date(1850, 1, 1)}, "date_of_birth"),
        ({"date_of_birth": None, "birth_year": 2999}, "birth_year"),
        ({"county_code": "099"}, "county"),
        ({"county_code": "047", "sub_county_code": "240"}, "sub_county"),
        ({"ward_code": "9999"}, "ward"),
        ({"identifiers": [(T.BIRTH_CERTIFICATE, "12AB")]}, "identifier_ISOV"),
        ({"identifiers": [(T.NATIONAL_ID, "12345678")]}, "identifier_INTL"),
        ({"identifiers": [(T.NEMIS_UPI, "123456")]}, "identifier_INEM"),
        ({"identifiers": [(T.HEALTH_INSURANCE, "XY12")]}, "identifier_ISHA"),
        ({"identifiers": [("ZZZZ", "123")]}, "identifier_ZZZZ"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(geo, overrides, field):
    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        _mary(**overrides)
    assert field in exc.value.message_dict
    assert Person.objects.count() == before


def test_an_identifier_belongs_to_one_person(geo):
    first = _mary(identifiers=[(T.NEMIS_UPI, "a1b2c3")])
    with pytest.raises(ValidationError) as exc:
        _mary(first_name="Grace", identifiers=[(T.NEMIS_UPI, "A1B2-C3")])
    assert first.cpims_id in exc.value.message_dict["identifier_INEM"][0]


def test_adults_may_carry_a_national_id(geo):
    adult = _mary(date_of_birth=dt.date(1990, 1, 1), identifiers=[(T.NATIONAL_ID, "23456789")])
    assert adult.identifiers.get().identifier_type == T.NATIONAL_ID


def test_link_record_is_idempotent_and_follows_merges(geo, world):
    person = _mary()
    assert person_link_record(person=person, organisation=world.acme) == person_link_record(
        person=person, organisation=world.acme
    )
    assert PersonLink.objects.filter(person=person).count() == 1


@pytest.mark.parametrize(
    "query, reason",
    [
        ({"first_name": "Kamau", "surname": "Mary", "other_names": "Wanjiru"}, "different order"),
        ({"first_name": "Mary", "surname": "Kamau"}, "middle name"),
        ({"first_name": "Mary", "other_names": "Wanjiro", "surname": "Kamau"}, "wanjiro ~ wanjiru"),
        ({"first_name": "Mary", "other_names": "Wanjriu", "surname": "Kamau"}, "wanjriu ~ wanjiru"),
    ],
)
def test_matching_finds_the_person_with_reasons(geo, query, reason):
    mary = _mary()
    _mary(first_name="John", other_names="Otieno", surname="Odhiambo", sex=Sex.MALE)
    candidates = person_match_candidates(
        **query, sex=Sex.FEMALE, date_of_birth=dt.date(2014, 7, 3), county_code="042"
    )
    assert candidates[0].person == mary
    text = " ".join(candidates[0].reasons).lower()
    assert reason in text
    assert "day and month swapped" in text and "same county" in text
    assert len(candidates) == 1


def test_identifier_match_ranks_first(geo):
    mary = _mary(identifiers=[(T.BIRTH_CERTIFICATE, "7654321")])
    candidates = person_match_candidates(
        first_name="Maria", surname="Otieno", identifiers=[(T.BIRTH_CERTIFICATE, "7654321")]
    )
    assert candidates[0].person == mary
    assert "same identifier number (+60)" in candidates[0].reasons


def test_a_new_person_close_to_another_is_queued_as_potential_duplicate(geo):
    mary = _mary()
    twin = _mary(other_names="", queue_duplicates=True)
    duplicate = PotentialDuplicate.objects.get()
    assert {duplicate.person_a, duplicate.person_b} == {mary, twin}
    assert duplicate.status == DuplicateStatus.OPEN and duplicate.score >= 70


def test_merge_moves_links_and_identifiers_and_unmerge_restores(geo, world):
    survivor = _mary(organisation=world.acme)
    merged = _mary(
        other_names="",
        date_of_birth=None,
        birth_year=2014,
        organisation=world.beta,
        identifiers=[(T.BIRTH_CERTIFICATE, "555666")],
        county_code=None,
        sub_county_code=None,
    )
    merge = person_merge(survivor=survivor, merged=merged, merged_by=world.hq_admin)
    assert person_get_by_cpims_id(merged.cpims_id) == survivor
    assert survivor.identifiers.get().value == "555666"
    assert set(survivor.links.values_list("organisation__slug", flat=True)) == {"acme", "beta"}
    results = person_search(query="Mary Kamau", exclude_organisation=world.acme)
    assert [r.cpims_id for r in results] == [survivor.cpims_id]
    assert results[0].known_to_others == 1
    person_link_record(person=merged, organisation=world.beta)  # goes to the survivor
    assert PersonLink.objects.filter(person=merged).count() == 0

    person_unmerge(merge=merge, undone_by=world.hq_admin)
    merged.refresh_from_db()
    assert merged.merged_into is None
    assert person_get_by_cpims_id(merged.cpims_id) == merged
    assert merged.identifiers.get().value == "555666"
    assert list(merged.links.values_list("organisation__slug", flat=True)) == ["beta"]
    survivor.refresh_from_db()
    assert survivor.also_known_as == ""
    with pytest.raises(ValidationError):
        person_unmerge(merge=merge, undone_by=world.hq_admin)


def test_search_by_cpims_id_and_identifier_discloses_minimum(geo, world):
    mary = _mary(identifiers=[(T.BIRTH_CERTIFICATE, "1112223")], organisation=world.beta)
    by_id = person_search(query=mary.cpims_id, exclude_organisation=world.acme)
    by_number = person_search(query="111 2223", exclude_organisation=world.acme)
    assert by_id == by_number
    summary = by_id[0]
    assert summary.name == "MARY WANJIRU KAMAU" and summary.sex == "Female"
    assert summary.county == "Kisumu" and summary.known_to_others == 1
    assert not hasattr(summary, "identifiers")


def test_chained_merges_resolve_and_undo_in_order(geo, world):
    from shared_registry.selectors import person_get_by_cpims_id as resolve

    a, b, c = _mary(), _mary(other_names=""), _mary(first_name="Maria")
    first = person_merge(survivor=b, merged=a, merged_by=None)
    second = person_merge(survivor=c, merged=b, merged_by=None)
    assert resolve(a.cpims_id) == c and resolve(b.cpims_id) == c
    with pytest.raises(ValidationError):
        person_unmerge(merge=first, undone_by=None)  # b is merged away: undo the later first
    person_unmerge(merge=second, undone_by=None)
    assert resolve(a.cpims_id) == b and resolve(b.cpims_id) == b
    person_unmerge(merge=first, undone_by=None)
    assert resolve(a.cpims_id) == a


def test_search_costs_a_bounded_number_of_queries(geo, world, django_assert_max_num_queries):
    for day in range(1, 7):
        _mary(date_of_birth=dt.date(2014, 3, day), organisation=world.beta)
    with django_assert_max_num_queries(6):
        results = person_search(query="Mary Kamau", birth_year=2014, county_code="042")
    assert len(results) == 6 and all(r.known_to_others == 1 for r in results)


def test_update_validates_and_keeps_matching_keys_in_step(geo):
    from shared_registry.services import person_update

    person = _mary()
    person_update(person=person, surname="Njeri", ward_code="1201")
    person.refresh_from_db()
    assert person.surname == "NJERI" and person.ward.code == "1201"
    assert person.sub_county.code == "240"
    assert person_match_candidates(first_name="Mary", surname="Njery")[0].person == person
    with pytest.raises(ValidationError) as exc:
        person_update(person=person, date_of_death=dt.date(2010, 1, 1))
    assert "date_of_death" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        person_update(person=person, county_code="047")
    assert "sub_county" in exc.value.message_dict
    person.refresh_from_db()
    assert person.county.code == "042"

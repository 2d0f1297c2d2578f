"""A registry merge carries the merged person's residences in institutions to the survivor
(and back on undo); two persons resident somewhere at once are refused, since one child
cannot live in two institutions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shared_registry.models import Person, Sex
from shared_registry.models_residence import Residence
from shared_registry.services import person_register
from shared_registry.services_queue import person_merge, person_unmerge
from shared_registry.services_residence import residence_current

pytestmark = pytest.mark.django_db


def _child(first_name: str) -> Person:
    return person_register(
        first_name=first_name,
        surname="Achieng",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2013, 5, 1),
        county_code="042",
        sub_county_code="240",
        queue_duplicates=False,
    )


def _resident(person: Person, organisation, admission_id: int, ended_on=None) -> Residence:
    return Residence.objects.create(
        person=person,
        organisation=organisation,
        admission_id=admission_id,
        admitted_on=dt.date(2026, 3, 1),
        ended_on=ended_on,
    )


def test_merge_moves_residences_to_the_survivor_and_undo_moves_them_back(geo, world):
    survivor, merged = _child("Akinyi"), _child("Akiny")
    now = _resident(merged, world.acme, 1)
    before = _resident(merged, world.beta, 2, ended_on=dt.date(2026, 2, 1))
    merge = person_merge(survivor=survivor, merged=merged, merged_by=world.hq_admin)
    assert residence_current(survivor.pk).pk == now.pk
    assert set(Residence.objects.filter(person=survivor).values_list("pk", flat=True)) == {
        now.pk,
        before.pk,
    }
    assert residence_current(merged.pk) is None

    person_unmerge(merge=merge, undone_by=world.hq_admin)
    assert residence_current(merged.pk).pk == now.pk
    assert Residence.objects.filter(person=merged).count() == 2
    assert not Residence.objects.filter(person=survivor).exists()


def test_merge_keeps_the_survivors_own_residence_where_it_is(geo, world):
    survivor, merged = _child("Akinyi"), _child("Akiny")
    own = _resident(survivor, world.acme, 1)
    ended = _resident(merged, world.beta, 2, ended_on=dt.date(2026, 2, 1))
    merge = person_merge(survivor=survivor, merged=merged, merged_by=world.hq_admin)
    assert residence_current(survivor.pk).pk == own.pk
    person_unmerge(merge=merge, undone_by=world.hq_admin)
    assert list(Residence.objects.filter(person=survivor).values_list("pk", flat=True)) == [own.pk]
    assert list(Residence.objects.filter(person=merged).values_list("pk", flat=True)) == [ended.pk]


def test_merge_of_two_persons_resident_at_once_is_refused_naming_both(geo, world):
    survivor, merged = _child("Akinyi"), _child("Akiny")
    _resident(survivor, world.acme, 1)
    _resident(merged, world.beta, 2)
    with pytest.raises(ValidationError) as refused:
        person_merge(survivor=survivor, merged=merged, merged_by=world.hq_admin)
    message = str(refused.value.message_dict["merged"])
    assert world.acme.name in message and world.beta.name in message
    merged.refresh_from_db()
    assert merged.merged_into is None
    assert Residence.objects.filter(person=merged).count() == 1

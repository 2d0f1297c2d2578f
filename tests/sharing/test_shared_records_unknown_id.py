"""Issue 14: the shared-records API answered 404 for an unknown CPIMS ID and 403 for a known
one, so a member could tell which IDs exist. Both now get the same answer."""

from __future__ import annotations

import pytest

from shared_registry import checkdigit
from shared_registry.models import Person
from tests.conftest import client_on
from tests.sharing.conftest import active_agreement

pytestmark = pytest.mark.django_db
URL = "/api/v1/sharing/persons/{}/shared-records"
QUERIES = ("", "?record_kind=case_summary&fields=national_reference")


def _unknown_id() -> str:
    number = 123456789
    while Person.objects.filter(cpims_id=checkdigit.cpims_id_from_number(number)).exists():
        number += 1
    return checkdigit.cpims_id_from_number(number)


def _answers(client, cpims_id: str) -> list[tuple[int, dict]]:
    return [
        (r.status_code, r.json()) for r in (client.get(URL.format(cpims_id) + q) for q in QUERIES)
    ]


def test_an_unknown_id_is_answered_like_a_known_person_nothing_is_shared_on(world, scene):
    acme = client_on(world.acme, world.acme_worker)
    unknown = _unknown_id()
    # no agreement in force: every ID, known or not, gets the same refusal
    known = _answers(acme, scene.child.cpims_id)
    assert all(status == 403 for status, _body in known)
    assert _answers(acme, unknown) == known
    assert _answers(acme, "NOT-AN-ID") == known
    # an agreement naming the child: a person it does not cover and an unknown ID alike
    active_agreement(world, scene, scope={"case_summary": ["national_reference"]})
    not_covered = _answers(acme, scene.other_child.cpims_id)
    assert all(status == 403 for status, _body in not_covered)
    assert _answers(acme, unknown) == not_covered
    assert _answers(acme, "NOT-AN-ID") == not_covered
    assert acme.get(URL.format(scene.child.cpims_id)).status_code == 200  # the covered child

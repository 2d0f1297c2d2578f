"""Issue 14: the request form's provider list (/sharing/requests/new/?person=<id>) is not
narrowed to the organisations holding records on the person, which told the requester who
knows the child (docs/registry.md: "known to N", never which organisations)."""

from __future__ import annotations

import re

import pytest

from shared_registry import checkdigit
from tenants.models import Organisation
from tenants.services import organisation_create
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _providers(page) -> list[str]:
    select = re.search(r'<select name="provider".*?</select>', page.content.decode(), re.S)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select.group(0))


def test_the_providers_offered_do_not_depend_on_who_knows_the_person(world, scene):
    gamma = organisation_create(name="Gamma Trust", slug="gamma-trust", kind="ngo")
    Organisation.objects.filter(pk=gamma.pk).update(status="active")  # knows nobody
    client = client_on(world.acme, world.acme_admin)
    known = client.get(f"/sharing/requests/new/?person={scene.child.cpims_id}")  # beta's child
    unknown_id = checkdigit.cpims_id_from_number(123456789)
    unknown = client.get(f"/sharing/requests/new/?person={unknown_id}")
    plain = client.get("/sharing/requests/new/")
    assert "Gamma Trust" in _providers(known) and "Beta OVC Partner" in _providers(known)
    assert _providers(known) == _providers(unknown) == _providers(plain)
    # the ID fills the form in whether or not anyone holds it: nothing to tell them apart
    assert scene.child.cpims_id.encode() in known.content
    assert unknown_id.encode() in unknown.content
    assert checkdigit.display(unknown_id).encode() in unknown.content

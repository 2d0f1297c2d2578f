"""Bad input through the API answers a 422 naming the field, never a 500, and changes nothing
(issue 14, finding 2); every API path answers JSON."""

import pytest

from shared_registry.models import Person
from tenants.models import Organisation, OrganisationStatus
from tenants.routing import route_cache
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
PERSON = {"first_name": "Mary", "surname": "Kamau", "sex": "SFEM", "date_of_birth": "2014-03-07"}


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def _fields(response) -> set[str]:
    body = response.json()
    assert response["Content-Type"].startswith("application/json")
    return set(body["errors"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "A" * 300),
        ("first_name", "A" * 10_000),
        ("first_name", "Ma\x00ry"),
        ("surname", "Ka\ud800mau"),
        ("other_names", "x" * 151),
    ],
)
def test_registering_a_person_refuses_bad_names(world, field, value):
    client = client_on(world.acme, world.acme_worker)
    before = Person.objects.count()
    response = _post(
        client, "/api/v1/registry/persons", {**PERSON, field: value, "confirm_new": True}
    )
    assert response.status_code == 422, response.content[:300]
    assert field in _fields(response)
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases?limit=99999999999999999999",
        "/api/v1/cases?offset=99999999999999999999",
        "/api/v1/cases/99999999999999999999",
        "/api/v1/audit/access-log?limit=99999999999999999999",
        "/api/v1/registry/persons/%00",
        "/api/v1/registry/persons?q=%00",
    ],
)
def test_numbers_and_nul_in_the_address_are_refused(world, path):
    response = client_on(world.acme, world.acme_admin).get(path)
    assert response.status_code in (404, 422), (path, response.status_code)
    assert response["Content-Type"].startswith("application/json")


def test_unknown_api_paths_and_suspended_organisations_answer_json(world):
    client = client_on(world.acme, world.acme_worker)
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["detail"]
    Organisation.objects.filter(pk=world.acme.pk).update(status=OrganisationStatus.SUSPENDED)
    route_cache.clear()
    response = client.get("/api/v1/cases")
    assert response.status_code == 403
    assert response.json()["detail"] == "This workspace is suspended."
    assert client.get("/cases/")["Content-Type"].startswith("text/html")

"""Bad input through the API answers a 422 naming the field, never a 500, and changes nothing
(issue 14, finding 2); every API path answers JSON."""

import json
import re
from typing import Annotated

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

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


def test_a_server_error_under_the_api_is_json_and_pages_stay_html():
    from django.http import HttpResponseServerError
    from django.test import RequestFactory

    from tenants.api_errors import ApiAnswersJsonMiddleware

    middleware = ApiAnswersJsonMiddleware(lambda request: HttpResponseServerError("<h1>500</h1>"))
    answer = middleware(RequestFactory().get("/api/v1/cases"))
    assert answer.status_code == 500 and answer["Content-Type"] == "application/json"
    assert b'"detail": "Internal Server Error"' in answer.content
    page = middleware(RequestFactory().get("/cases/"))
    assert page.status_code == 500 and page.content == b"<h1>500</h1>"


def test_the_registry_422_matches_its_declared_schema(world):
    client = client_on(world.acme, world.acme_worker)
    response = _post(client, "/api/v1/registry/persons", {"surname": "Kamau", "sex": "SFEM"})
    assert response.status_code == 422
    assert "first_name" in response.json()["errors"]  # ErrorsOut: {"errors": {field: [...]}}


def test_a_nul_in_a_page_address_is_a_400_page(world):
    client = client_on(world.acme, world.acme_worker)
    response = client.get("/cases/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert b'data-testid="bad-request"' in response.content
    assert client.get("/cases/", {"q": "ab"}).status_code == 200


def _body_schemas(api) -> set[str]:
    """The names of every schema a request body of this API carries, nested ones included."""
    document = api.get_openapi_schema(path_prefix="/api/v1")
    components = document["components"]["schemas"]
    names: set[str] = set()
    waiting = [
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for path in document["paths"].values()
        for operation in path.values()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]
    while waiting:
        name = waiting.pop().rsplit("/", 1)[-1]
        if name not in names:
            names.add(name)
            waiting += re.findall(r"#/components/schemas/\w+", json.dumps(components[name]))
    return names


def _whole_number_fields(model: type[BaseModel]):
    for name, field in model.model_fields.items():
        schema = json.dumps(TypeAdapter(field.annotation).json_schema())
        nested = "$ref" in schema or '"properties"' in schema  # a schema of its own: checked itself
        if '"integer"' in schema and not nested:
            bounded = Annotated[(field.annotation, *field.metadata)] if field.metadata else None
            yield name, TypeAdapter(bounded or field.annotation)


def test_no_whole_number_in_a_request_body_takes_true_for_one():
    """pydantic reads JSON's true as 1: a fuzzer set an institution's places to 1 that way."""
    from ninja import Schema

    from cpims.api import platform_api, workspace_api

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    wanted = _body_schemas(workspace_api) | _body_schemas(platform_api)
    models = [m for m in subclasses(Schema) if m.__name__ in wanted]
    checked = []
    for model in models:
        for name, adapter in _whole_number_fields(model):
            is_list = '"array"' in json.dumps(adapter.json_schema())
            with pytest.raises(ValidationError, match="true or false"):
                adapter.validate_python([True] if is_list else True)
            checked.append(f"{model.__name__}.{name}")
    assert {"PlacesIn.places", "CaseIn.child_id", "ConfirmIn.months_approved"} <= set(checked)

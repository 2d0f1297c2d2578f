"""Schemathesis over the platform's OpenAPI documents: no server errors, responses match the
schema. The workspace API is called as a member (an admin's token), the platform API as DCS
headquarters and anonymously."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from audit.services import token_create
from cpims.api import platform_api, workspace_api
from cpims.wsgi import application
from tests.conftest import client_on


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app would close the connection (and the test's transaction) after each call,
    as Django's test client prevents."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, response_schema_conformance]
EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _operations(api):
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the API documents no operation"
    return operations


def _run(api, base_url: str, headers: dict) -> int:
    calls = 0
    for operation in _operations(api):

        @EXAMPLES
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal calls
            calls += 1
            case.call_and_validate(
                base_url=base_url, app=application, headers=headers, checks=CHECKS
            )

        check()
    return calls


def test_workspace_api_as_a_member(world):
    _token, raw = token_create(user=world.acme_admin, organisation=world.acme, name="fuzz")
    assert _run(workspace_api, "http://acme.localhost", {"Authorization": f"Bearer {raw}"}) > 0


def test_workspace_api_without_credentials(world):
    assert _run(workspace_api, "http://acme.localhost", {}) > 0


def test_platform_api_as_headquarters_and_anonymously(world):
    client = client_on(None, world.hq_admin)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert _run(platform_api, "http://localhost", {"Cookie": cookie}) > 0
    assert _run(platform_api, "http://localhost", {}) > 0

"""Schemathesis over the platform's OpenAPI documents, positive (valid input) and negative
(input the schema forbids) phases over every operation: no server errors, responses match the
schema, and negative input is refused. The workspace API is called as a member (an admin's
token) and without credentials, the platform API as DCS headquarters and anonymously."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
)

from audit.services import token_create
from cpims.api import platform_api, workspace_api
from cpims.wsgi import application
from tenants.actor import member_actor
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


pytestmark = [pytest.mark.django_db, pytest.mark.slow]
CHECKS = {
    GenerationMode.POSITIVE: [not_a_server_error, response_schema_conformance],
    GenerationMode.NEGATIVE: [
        not_a_server_error,
        response_schema_conformance,
        negative_data_rejection,
    ],
}
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
# Examples per operation and phase: enough to reach every field's bounds, few enough that the
# four runs below stay under a minute or two on a shared machine.
EXAMPLES = settings(
    max_examples=8,
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


def _takes_input(operation) -> bool:
    definition = operation.definition.raw
    return bool(definition.get("parameters") or definition.get("requestBody"))


def _run(api, base_url: str, headers: dict, mode: GenerationMode) -> int:
    """Calls made; every operation is called at least once in each phase (the negative phase
    skips operations that take no input at all: nothing there can be invalid)."""
    calls = 0
    for operation in _operations(api):
        made = calls
        if mode == GenerationMode.NEGATIVE and not _takes_input(operation):
            continue

        @EXAMPLES
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            nonlocal calls
            calls += 1
            case.call_and_validate(
                base_url=base_url, app=application, headers=headers, checks=CHECKS[mode]
            )

        check()
        assert calls > made, f"{operation.label}: no {mode} case generated"
    return calls


@pytest.mark.parametrize("mode", MODES)
def test_workspace_api_as_a_member(world, mode):
    _token, raw = token_create(actor=member_actor(world.acme_admin, world.acme), name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    assert _run(workspace_api, "http://acme.localhost", headers, mode) > 0


@pytest.mark.parametrize("mode", MODES)
def test_workspace_api_without_credentials(world, mode):
    assert _run(workspace_api, "http://acme.localhost", {}, mode) > 0


@pytest.mark.parametrize("mode", MODES)
def test_platform_api_as_headquarters_and_anonymously(world, mode):
    client = client_on(None, world.hq_admin)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert _run(platform_api, "http://localhost", {"Cookie": cookie}, mode) > 0
    assert _run(platform_api, "http://localhost", {}, mode) > 0

"""Fixtures of the platform package's tests."""

import pytest
from django.db import transaction

from case_apps.outbox.services import outbox_event_record
from national_statistics.drain import drain_organisation
from tenants.schema import workspace_context
from tests.case_apps.conftest import team  # noqa: F401 (a fixture)


@pytest.fixture
def figures(world):
    """Cases opened in acme, drained into the national figures (in the test's transaction)."""
    payload = {"category": "CSIC", "sex": "SFEM", "age_band": "6-10", "county": "042"}
    with workspace_context(world.acme), transaction.atomic():
        for _ in range(4):
            outbox_event_record(kind="case_opened", payload={**payload, "sub_county": "240"})
    drain_organisation(world.acme)

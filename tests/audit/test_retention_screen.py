"""The retention console speaks in labels: what happens to a record is "Delete", not the
stored code, in the rules and in a run's report."""

from __future__ import annotations

import pytest

from tests.audit.test_retention import cases  # noqa: F401 (a fixture)
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def test_rules_and_report_show_the_action_label_not_its_code(world, cases):  # noqa: F811
    client = client_on(None, world.hq_admin)
    page = client.get("/console/audit/retention/").content.decode()
    assert "<td>Delete</td>" in page and "<td>delete</td>" not in page
    dry = client.post("/console/audit/retention/", {"action": "dry_run"}, follow=True)
    report = dry.content.decode()
    assert cases.expired.national_reference in report
    assert "(Delete; ended before" in report and "(delete;" not in report
    assert 'class="danger">Dispose now' in report  # the irreversible button stands out

"""Bad text through the case API answers a 422 naming the field and saves nothing
(issue 14, findings 2 and 5)."""

import pytest

from case_apps.cases.models import CaseRecord
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def _case_body(child, **changes):
    return {
        "child_id": child.pk,
        "date_reported": "2026-01-05",
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLHG",
        "categories": [{"category_code": "CSIC", "sub_category_codes": ["NDED"]}],
        **changes,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reporter_name", "R" * 500),
        ("narrative", "a\x00b"),
        ("narrative", "n" * 2_000_000),
    ],
)
def test_opening_a_case_refuses_bad_text(world, team, field, value):
    child = make_child()
    client = client_on(world.acme, team.worker)
    response = _post(client, "/api/v1/cases", _case_body(child, **{field: value}))
    assert response.status_code == 422, response.content[:300]
    assert field in _fields(response)
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()


def _fields(response) -> set[str]:
    assert response["Content-Type"].startswith("application/json")
    return set(response.json()["errors"])

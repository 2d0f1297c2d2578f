"""Bad text through the case API answers a 422 naming the field and saves nothing
(issue 14, findings 2 and 5)."""

from datetime import date

import pytest

from case_apps.cases.models import CaseRecord
from shared_registry.models import Person
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, search_ref
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
    ref = search_ref(world.acme, team.worker, child)  # a registry search showed the child
    response = _post(client, "/api/v1/cases", _case_body(child, child_ref=ref, **{field: value}))
    assert response.status_code == 422, response.content[:300]
    assert field in _fields(response)
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()


def _fields(response) -> set[str]:
    assert response["Content-Type"].startswith("application/json")
    return set(response.json()["errors"])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_reported": "1900-01-05"}, "date_reported", "1990"),
        ({"date_reported": "2016-12-31"}, "date_reported", "before the child was born"),
        (
            {"categories": [{"category_code": "CSIC", "date_of_event": "2016-06-01"}]},
            "categories",
            "before the child was born",
        ),
    ],
)
def test_implausible_dates_are_refused(world, team, changes, field, message):
    child = make_child(date_of_birth=date(2017, 4, 2))
    client = client_on(world.acme, team.worker)
    ref = search_ref(world.acme, team.worker, child)
    response = _post(client, "/api/v1/cases", _case_body(child, child_ref=ref, **changes))
    assert response.status_code == 422, response.content[:300]
    assert message in " ".join(response.json()["errors"][field])
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()


def test_a_child_known_by_year_only_counts_from_that_year(world, team):
    child = make_child(date_of_birth=None)
    Person.objects.filter(pk=child.pk).update(birth_year=2019)
    child.refresh_from_db()
    client = client_on(world.acme, team.worker)
    ref = search_ref(world.acme, team.worker, child)
    refused = _post(
        client, "/api/v1/cases", _case_body(child, child_ref=ref, date_reported="2018-12-31")
    )
    assert "date_reported" in refused.json()["errors"]
    accepted = _post(
        client, "/api/v1/cases", _case_body(child, child_ref=ref, date_reported="2019-01-01")
    )
    assert accepted.status_code == 201, accepted.content[:300]
    assert accepted.json()["national_reference"].endswith("/2019")

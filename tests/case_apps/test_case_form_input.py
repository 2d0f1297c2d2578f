"""Web forms refuse NUL bytes and over-long text with a form error, never a 500, and save
nothing (issue 14, findings 2 and 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.cases.models import CaseRecord, Referral
from tenants.limits import NARRATIVE_MAX_LENGTH
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _case_form(child, **changes) -> dict:
    return {
        "child": child.pk,
        "date_reported": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLHG",
        "cat-TOTAL_FORMS": "1",
        "cat-INITIAL_FORMS": "0",
        "cat-0-category_code": "CSIC",
        "perp-TOTAL_FORMS": "0",
        "perp-INITIAL_FORMS": "0",
        **changes,
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("narrative", "n" * (NARRATIVE_MAX_LENGTH + 1), b"at most 20000 characters"),
        ("narrative", "a\x00b", b"Null characters are not allowed"),
        ("reporter_name", "R" * 500, b"at most 200 characters"),
        ("reporter_name", "Ma\x00ma", b"Null characters are not allowed"),
    ],
)
def test_case_record_sheet_refuses_bad_text(world, team, field, value, message):
    client = client_on(world.acme, team.worker)
    child = make_child()
    ref = search_ref(world.acme, team.worker, child)  # the child a registry search showed
    response = client.post("/cases/new/", _case_form(child, ref=ref, **{field: value}))
    assert response.status_code == 200
    assert message in response.content
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()


def test_a_referral_with_an_over_long_actor_name_is_a_form_error(world, team):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    response = client.post(
        f"/cases/{case.pk}/referrals/new/",
        {
            "actor": "RAST",
            "destination": "RDCS",
            "destination_name": "D" * 300,
            "reasons": ["RRSH"],
            "referred_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert b"at most 200 characters" in response.content
    with workspace_context(world.acme):
        assert not Referral.objects.exists()

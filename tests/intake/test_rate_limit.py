"""An intake client has its own rate-limit bucket (INTAKE_REQUESTS_PER_MINUTE): a helpline's
burst is not refused by the limit meant for people, while an unknown key or a request without
one counts against the sender's address as anyone else's."""

import pytest
from constance import config
from django.test import Client

from audit.security import _live_cache
from intake.models import IntakeReport
from tests.intake.conftest import report_body, signed_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits():
    """Set live limits inside the test's transaction (rolled back with it); constance's
    override_config cannot restore them once a browser test left an event loop here."""

    def set_limits(**values) -> None:
        for name, value in values.items():
            setattr(config, name, value)
        _live_cache.clear()

    yield set_limits
    _live_cache.clear()


def test_an_intake_client_counts_against_its_own_limit(helpline, limits):
    limits(API_REQUESTS_PER_MINUTE=2, INTAKE_REQUESTS_PER_MINUTE=4)
    answers = [signed_post(helpline, report_body()).status_code for _ in range(5)]
    assert answers == [201, 201, 201, 201, 429]  # past the people's 2, up to the client's 4
    assert IntakeReport.objects.count() == 4


def test_an_unknown_key_counts_against_the_address(helpline, limits):
    limits(API_REQUESTS_PER_MINUTE=2, INTAKE_REQUESTS_PER_MINUTE=100)
    client = Client(HTTP_HOST="localhost")
    headers = {"HTTP_X_CPIMS_KEY": "no-such-key"}
    answers = [
        client.post("/api/v1/intake/reports", b"{}", content_type="application/json", **headers)
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [401, 401, 429]

"""Without DATABASE_REPLICA_URL (no ``replica`` alias) nothing changes: every read stays on
the primary and no write pins anybody (issue 22, platform/cpims/db_router.py)."""

import pytest

from cpims import db_router
from cpims.db_router import lagging_reads
from national_statistics.models import MonthlyCount
from tests.conftest import client_on
from tests.cpims.replica import analyst

pytestmark = pytest.mark.django_db


def test_without_a_replica_every_read_stays_on_the_primary(world, figures):
    assert not db_router.replica_configured()
    with lagging_reads():
        assert MonthlyCount.objects.all().db == "default"
    response = client_on(world.acme, world.acme_admin).post("/i18n/setlang/", {"language": "en"})
    assert db_router.PIN_COOKIE not in response.cookies
    board = client_on(None, analyst()).get("/statistics/").context["board"]
    assert any(board.headline.values())  # the uncommitted figures, read on the primary

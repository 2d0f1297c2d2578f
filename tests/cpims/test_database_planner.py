"""Every connection tells the planner that random reads are cheap (data on SSD or in memory):
with PostgreSQL's spinning-disk default the residents register's overstay page scanned every
case record (a hash join) instead of looking up the 250 it shows."""

import pytest
from django.db import connection

from cpims.database import DatabaseURLError, planner_options

pytestmark = pytest.mark.django_db


def test_the_connection_runs_with_the_ssd_page_cost():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_the_setting_is_added_to_other_options_or_left_to_the_server():
    assert planner_options({"sslmode": "require"}, "1.1") == {
        "sslmode": "require",
        "options": "-c random_page_cost=1.1",
    }
    kept = planner_options({"options": "-c statement_timeout=5000"}, "2")
    assert kept["options"] == "-c statement_timeout=5000 -c random_page_cost=2"
    assert planner_options({"sslmode": "require"}, "") == {"sslmode": "require"}
    with pytest.raises(DatabaseURLError):
        planner_options({}, "0")
    with pytest.raises(ValueError):
        planner_options({}, "fast")

"""Reads that may lag go to the read replica (issue 22, platform/cpims/db_router.py).

Most tests add a ``replica`` alias on a second connection to the test database: the test's
own writes are not committed, so the replica does not see them, just as a replica behind the
primary would not. The last tests use a real streaming standby replaying two seconds late
(tests/cpims/replica.py) for the lag check and the fall-back when it is behind or stopped.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import date

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from cpims import db_router
from cpims.db_router import REPLICA, lagging_reads, replica_state
from national_statistics.models import ExportStatus, MonthlyCount
from national_statistics.services import export_job_create, export_job_run
from tenants.models import Organisation
from tests.case_apps.conftest import actor_of, open_case
from tests.conftest import client_on
from tests.cpims.replica import (
    APPLY_DELAY_SECONDS,
    analyst,
    free_port,
    streaming_replica_start,
    streaming_replica_stop,
)

pytestmark = pytest.mark.django_db(databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """A ``replica`` alias for this module's tests, on a second connection to the test
    database (a test mirror: no test transaction of its own). It exists before each test
    case is set up, so the tests may use it."""
    default = connections["default"].settings_dict
    connections.settings[REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    db_router.replica_state_forget()
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    db_router.replica_state_forget()


@pytest.fixture
def use_replica(settings):
    """Use the ``replica`` alias in one test, or (``overrides``) a connection to another server
    under that alias; the test case's own connection is put back afterwards."""
    settings.CPIMS_REPLICA_CHECK_SECONDS = 0  # every read checks the replica again
    original = connections[REPLICA]

    def install(*, forget: bool = True, **overrides) -> None:
        if overrides:
            connections[REPLICA].close() if connections[REPLICA] is not original else None
            connections[REPLICA] = type(original)({**original.settings_dict, **overrides}, REPLICA)
        if forget:
            db_router.replica_state_forget()

    yield install
    if connections[REPLICA] is not original:
        connections[REPLICA].close()
        connections[REPLICA] = original
    db_router.replica_state_forget()


def _csv_references(response) -> set[str]:
    body = b"".join(response.streaming_content).decode()
    return {row[0] for row in list(csv.reader(io.StringIO(body)))[1:]}


def _reads_counts(query) -> bool:
    """A query of the monthly counts, or of their per-county rollup the dashboards read."""
    sql = query["sql"].lower()
    return (
        "national_statistics_monthlycount" in sql or "national_statistics_countymonthcount" in sql
    )


def test_national_statistics_read_from_the_replica(world, figures, use_replica):
    use_replica()
    client = client_on(None, analyst())
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        board = client.get("/statistics/").context["board"]
    assert any(_reads_counts(q) for q in on_replica.captured_queries)
    assert not any(_reads_counts(q) for q in on_primary.captured_queries)
    # the facts drained in this test are not committed: the replica has not "received" them
    assert not any(board.headline.values())


def test_the_statistics_api_and_an_export_job_read_from_the_replica(world, figures, use_replica):
    use_replica()
    member = client_on(world.acme, world.acme_worker)
    month = date.today().strftime("%Y-%m")
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        body = member.get("/api/v1/statistics/reports/case_load_summary", {"period": month}).json()
    assert any("monthlycount" in q["sql"].lower() for q in on_replica.captured_queries)
    assert body["total"]["total"] == 0  # the replica has not "received" this test's figures

    job = export_job_create(
        actor=actor_of(world.acme, world.acme_worker),
        export_format="csv",
        month_from=date.today().replace(day=1),
        month_to=date.today().replace(day=1),
    )
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        job = export_job_run(job=job)  # as the worker runs it, after the request's commit
    assert job.status == ExportStatus.DONE
    assert any("monthlycount" in q["sql"].lower() for q in on_replica.captured_queries)


def test_the_replica_reads_in_the_workspace_schema_of_the_request(world, use_replica):
    use_replica()
    for organisation, user, other in (
        (world.acme, world.acme_worker, world.beta),
        (world.beta, world.beta_worker, world.acme),
        (None, analyst(), world.acme),
    ):
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert client_on(organisation, user).get("/statistics/").status_code == 200
        assert on_replica.captured_queries
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT current_schemas(false)")
            schemas = cursor.fetchone()[0]
        expected = organisation.schema_name if organisation else "public"
        assert schemas[0] == expected and other.schema_name not in schemas


def test_another_organisation_cannot_read_an_export_through_the_replica(world, team, use_replica):
    use_replica()
    case = open_case(world.acme, team.worker)
    for client in (client_on(world.acme, world.beta_worker), client_on(world.beta, team.worker)):
        response = client.get("/cases/?export=csv")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (302, 403, 404)
        assert case.national_reference.encode() not in body


def test_a_member_reads_their_own_writes_from_the_primary(world, team, use_replica, settings):
    settings.CPIMS_REPLICA_MAX_LAG_SECONDS = 2
    use_replica()
    case = open_case(world.acme, team.worker)  # on the primary, not yet on the "replica"
    member = client_on(world.acme, team.worker)
    assert case.national_reference not in _csv_references(member.get("/cases/?export=csv"))

    response = member.post("/i18n/setlang/", {"language": "en"})  # any write pins the member
    assert response.cookies[db_router.PIN_COOKIE]["max-age"] == 3
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        pinned = _csv_references(member.get("/cases/?export=csv"))
    assert case.national_reference in pinned
    assert not any("caserecord" in q["sql"].lower() for q in on_replica.captured_queries)
    # another browser of the same member is not pinned; once the window is over, neither is this
    assert case.national_reference not in _csv_references(
        client_on(world.acme, team.worker).get("/cases/?export=csv")
    )
    time.sleep(3.1)
    assert case.national_reference not in _csv_references(member.get("/cases/?export=csv"))


def test_a_row_read_from_the_replica_is_saved_on_the_primary(world, use_replica):
    use_replica()
    with lagging_reads():
        organisation = Organisation.objects.get(pk=world.acme.pk)
    assert organisation._state.db == REPLICA
    organisation.name = "Acme renamed"
    with CaptureQueriesContext(connection) as on_primary:
        organisation.save(update_fields=["name"])
    assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries)
    assert Organisation.objects.get(pk=world.acme.pk).name == "Acme renamed"


def test_a_replica_failing_mid_request_answers_from_the_primary(
    world, figures, use_replica, settings
):
    settings.CPIMS_REPLICA_CHECK_SECONDS = 20  # under the 30 seconds of lag allowed
    use_replica()
    assert replica_state().usable  # checked, and not checked again for a while
    # the replica goes away after that check: the page runs again on the primary
    use_replica(PORT=str(free_port()), forget=False)
    response = client_on(None, analyst()).get("/statistics/")
    assert response.status_code == 200
    assert any(response.context["board"].headline.values())  # read on the primary
    assert replica_state().reason == "unreachable"


@pytest.fixture(scope="module")
def standby():
    cluster = streaming_replica_start()
    yield cluster
    streaming_replica_stop(cluster)


def _standby_alias(use_replica, standby) -> None:
    use_replica(HOST="127.0.0.1", PORT=str(standby.standby_port), NAME="postgres")


def test_a_real_standby_lags_by_its_apply_delay_and_is_not_read_meanwhile(
    world, standby, use_replica, settings
):
    settings.CPIMS_REPLICA_MAX_LAG_SECONDS = 1
    _standby_alias(use_replica, standby)
    mark = int(time.time() * 1000)
    with standby.primary() as primary:
        primary.execute("INSERT INTO marks VALUES (%s)", [mark])
        written = time.monotonic()
        sent = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
    # the standby has received the insert, and waits to apply it
    standby.wait_visible(f"SELECT 1 WHERE pg_last_wal_receive_lsn() >= '{sent}'::pg_lsn")
    state = replica_state(refresh=True)
    assert (state.usable, state.reason) == (False, "behind")
    assert state.lag_seconds is None or state.lag_seconds > 0
    with lagging_reads():
        assert not db_router.reads_from_replica()
        assert MonthlyCount.objects.all().db == "default"
    standby.wait_visible(f"SELECT 1 FROM marks WHERE id = {mark}")
    assert time.monotonic() - written >= APPLY_DELAY_SECONDS - 0.5  # a real, artificial lag
    deadline = time.monotonic() + 10
    while not replica_state(refresh=True).usable and time.monotonic() < deadline:
        time.sleep(0.1)
    assert replica_state().usable and replica_state().lag_seconds == 0


def test_statistics_fall_back_to_the_primary_when_the_standby_is_stopped(
    world,
    figures,
    standby,
    use_replica,
):
    _standby_alias(use_replica, standby)
    standby.stop_standby()
    try:
        with pytest.raises(psycopg.OperationalError):
            standby.standby()
        response = client_on(None, analyst()).get("/statistics/")
        assert response.status_code == 200
        assert any(response.context["board"].headline.values())  # from the primary
        assert replica_state().reason == "unreachable"
    finally:
        standby.start_standby()

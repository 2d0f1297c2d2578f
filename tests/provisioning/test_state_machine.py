"""Provisioning as a state machine of explicit steps: failures undo everything, retry works."""

import io
import threading

import pytest
from django.db import connection, connections, transaction

from provisioning import blueprint
from provisioning.services import (
    PROVISIONING_STEPS,
    ProvisioningFailed,
    organisation_provision,
)
from provisioning.tasks import provision_organisation
from tenants.migration_executor import schemas_needing_migration
from tenants.models import Domain, Membership, Organisation, OrganisationStatus, Role
from tenants.services import organisation_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _replay_path():
    """These tests cover building a schema (blueprint replay or migrations): no schema is
    ready in the pool (emptied inside the test's transaction; tests/provisioning/test_pool.py
    covers the pool)."""
    from provisioning.pool import pool_refill

    pool_refill(size=0)


def verified_org(slug: str) -> Organisation:
    org = organisation_create(name=slug.title(), slug=slug, kind="lip")
    org.applicant = UserFactory(email=f"admin@{slug}.test")
    org.status = OrganisationStatus.VERIFIED
    org.save()
    return org


def columns(schema: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default IS NULL "
            "FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 2",
            [schema],
        )
        return cursor.fetchall()


def indexes(schema: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, replace(indexdef, %s, '') FROM pg_indexes "
            "WHERE schemaname = %s ORDER BY 1",
            [schema + ".", schema],
        )
        return cursor.fetchall()


def fail_at(step_name: str):
    def hook(step: str) -> None:
        if step == step_name:
            raise RuntimeError(f"injected failure in {step}")

    return hook


def test_steps_complete_in_order_and_the_applicant_becomes_admin(world):
    org = verified_org("upande")
    seen = []
    org = organisation_provision(organisation=org, hook=seen.append)
    assert seen == list(PROVISIONING_STEPS)
    assert org.status == OrganisationStatus.ACTIVE
    assert org.provisioning_steps == list(PROVISIONING_STEPS)
    membership = Membership.objects.get(organisation=org)
    assert membership.user == org.applicant
    assert membership.roles == [Role.ORGANISATION_ADMIN]


@pytest.mark.parametrize("step", list(PROVISIONING_STEPS))
def test_a_failing_step_leaves_nothing_behind_and_a_retry_completes(world, step):
    org = verified_org("kesho")
    with pytest.raises(ProvisioningFailed):
        organisation_provision(organisation=org, hook=fail_at(step))
    org.refresh_from_db()
    assert org.status == OrganisationStatus.FAILED
    assert f"injected failure in {step}" in org.provisioning_error
    assert org.provisioning_steps == []
    assert not blueprint.schema_exists("org_kesho")
    assert not Domain.objects.filter(tenant=org).exists()
    assert not Membership.objects.filter(organisation=org).exists()

    org = organisation_provision(organisation=org)  # the retry button
    assert org.status == OrganisationStatus.ACTIVE
    assert org.provisioning_error == ""
    assert blueprint.schema_exists("org_kesho")


def test_running_twice_provisions_once_and_the_task_reports_status(world):
    org = verified_org("mara")
    assert provision_organisation(org.pk) == OrganisationStatus.ACTIVE
    assert provision_organisation(org.pk) == OrganisationStatus.ACTIVE
    assert Domain.objects.filter(tenant=org).count() == 1
    assert Membership.objects.filter(organisation=org).count() == 1


def test_task_keeps_the_failure_on_the_organisation(world):
    org = organisation_create(name="Rejected", slug="rejected-one", kind="cci")
    org.status = OrganisationStatus.REJECTED
    org.save()
    assert provision_organisation(org.pk).startswith("failed")
    assert provision_organisation(999_999_999) == "missing"


def test_a_run_already_in_progress_elsewhere_is_not_duplicated(world):
    """Another connection holds the organisation's provisioning lock: this run does nothing."""
    org = verified_org("sawa")
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [(0x0C91 << 40) | org.pk])
                locked.set()
                release.wait(10)
        finally:
            other.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    try:
        assert locked.wait(10)
        again = organisation_provision(organisation=org)
        assert again.status == OrganisationStatus.VERIFIED
        assert not blueprint.schema_exists("org_sawa")
    finally:
        release.set()
        thread.join()


def constraints(schema: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rel.relname, con.conname, replace(pg_get_constraintdef(con.oid), %s, '') "
            "FROM pg_constraint con "
            "JOIN pg_class rel ON rel.oid = con.conrelid "
            "JOIN pg_namespace ns ON ns.oid = rel.relnamespace WHERE ns.nspname = %s ORDER BY 1, 2",
            [schema + ".", schema],
        )
        return cursor.fetchall()


def test_replayed_schema_matches_one_built_by_migrations(world):
    """The world's organisations were built from migrations (the first) and the blueprint."""
    assert blueprint.blueprint_get() is not None
    org = organisation_provision(organisation=verified_org("linganisha"))
    assert columns(org.schema_name) == columns("org_acme")
    assert indexes(org.schema_name) == indexes("org_acme")
    assert constraints(org.schema_name) == constraints("org_acme")
    assert schemas_needing_migration([org.schema_name, "org_acme", "org_beta"]) == []


def test_migrate_executor_skips_schemaless_and_current_workspaces(world):
    pending = organisation_create(name="No schema", slug="no-schema", kind="cci")
    assert schemas_needing_migration([pending.schema_name, "org_acme"]) == []
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM org_beta.django_migrations WHERE app = 'outbox'")
    assert schemas_needing_migration(["org_acme", "org_beta"]) == ["org_beta"]


@pytest.mark.parametrize("step", list(PROVISIONING_STEPS)[:-1])
def test_a_run_killed_after_a_step_resumes_where_it_stopped(world, step):
    """A worker killed mid-run (SystemExit is not caught, so nothing is undone): the steps
    committed so far are whole, the rest is resumed by the next run, nothing is doubled."""
    org = verified_org("pumzika")
    steps = list(PROVISIONING_STEPS)
    killed_in = steps[steps.index(step) + 1]

    def kill(name: str) -> None:
        if name == killed_in:
            raise SystemExit("worker killed")

    with pytest.raises(SystemExit):
        organisation_provision(organisation=org, hook=kill)
    org.refresh_from_db()
    assert org.status == OrganisationStatus.PROVISIONING
    assert org.provisioning_steps == steps[: steps.index(step) + 1]
    org = organisation_provision(organisation=org)
    assert org.status == OrganisationStatus.ACTIVE
    assert org.provisioning_steps == steps
    assert Domain.objects.filter(tenant=org).count() == 1
    assert Membership.objects.filter(organisation=org).count() == 1
    assert schemas_needing_migration([org.schema_name]) == []


def test_a_blueprint_of_other_migrations_is_never_used_and_a_new_one_is_recorded(world):
    """A blueprint is keyed by the migrations Django knows: one kept under another key is
    never cloned (a schema is never built from a stale template), and the migrations
    themselves record the current one, here ahead of the first workspace by the command.
    (One recording for both: each runs every workspace migration. The session's first
    workspace, tests/conftest.py's world, was recorded while provisioning.)"""
    from django.core.management import call_command

    from provisioning.models import SchemaBlueprint

    real_key = blueprint.blueprint_key()
    assert SchemaBlueprint.objects.filter(key=real_key).exists()  # the world's first recording
    SchemaBlueprint.objects.update(key="stale")
    assert blueprint.blueprint_get() is None
    out = io.StringIO()
    call_command("provisioning_blueprint", stdout=out)
    assert "recorded" in out.getvalue()
    assert SchemaBlueprint.objects.filter(key=real_key).exists()
    assert not blueprint.schema_exists(blueprint.SCRATCH_SCHEMA)
    org = organisation_provision(organisation=verified_org("mapema"))
    assert columns(org.schema_name) == columns("org_acme")


def test_recorded_parameters_survive_storage():
    import datetime
    import json
    from decimal import Decimal

    from psycopg.types.json import Jsonb

    params = [
        datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        datetime.date(2026, 1, 2),
        Decimal("1.50"),
        b"\x00\x01",
        datetime.timedelta(hours=1),
        datetime.time(7, 30),
        "text",
        3,
        None,
        True,
        Jsonb({"a": [1, 2]}),
    ]
    decoded = blueprint._decode(json.loads(json.dumps(blueprint._encode(params))))
    assert decoded[:10] == params[:10]
    assert decoded[10].obj == {"a": [1, 2]}


def test_replay_batches_keep_every_statement_in_order():
    statements = [
        ["CREATE TABLE a ()", None, False],
        ["CREATE TABLE b ()", None, False],
        ["INSERT INTO m VALUES (%s)", [1], False],
        ["INSERT INTO m VALUES (%s)", [2], False],
        ["ALTER TABLE a ADD x int", None, False],
        ["INSERT INTO m VALUES (%s)", [3], False],
        ["INSERT INTO n VALUES (%s)", [[4], [5]], True],
        ["INSERT INTO n VALUES (%s)", [6], False],
    ]
    assert list(blueprint._batched(statements)) == [
        ("CREATE TABLE a ();\nCREATE TABLE b ()", None, False),
        ("INSERT INTO m VALUES (%s)", [[1], [2]], True),
        ("ALTER TABLE a ADD x int", None, False),
        ("INSERT INTO m VALUES (%s)", [[3]], True),
        ("INSERT INTO n VALUES (%s)", [[4], [5]], True),
        ("INSERT INTO n VALUES (%s)", [[6]], True),
    ]


def test_a_replay_locks_no_public_table(world):
    """The replay takes no lock on a public table beyond reading it: the blueprint's foreign
    keys from the workspace audit log to ``tenants_user`` and ``django_content_type``, added
    and dropped again by the migrations, held SHARE ROW EXCLUSIVE and ACCESS EXCLUSIVE locks
    on them until the provisioning step committed (every reader waited, and a concurrent
    provisioning's foreign-key check deadlocked with it)."""
    script = blueprint.blueprint_get()
    assert script is not None
    with transaction.atomic():
        blueprint.schema_build_from_blueprint("org_locks_probe", script)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rel.relname, lock.mode FROM pg_locks lock "
                "JOIN pg_class rel ON rel.oid = lock.relation "
                "JOIN pg_namespace ns ON ns.oid = rel.relnamespace "
                "WHERE lock.pid = pg_backend_pid() AND ns.nspname = 'public' "
                "AND lock.mode <> 'AccessShareLock'"
            )
            held = cursor.fetchall()
        transaction.set_rollback(True)
    assert held == []


def test_constraints_added_then_dropped_are_left_out_of_the_replay():
    add_fk = (
        'ALTER TABLE "log" ADD CONSTRAINT "log_user_fk" FOREIGN KEY ("u") REFERENCES "users" ("id")'
    )
    statements = [
        ["CREATE TABLE log (u int, v int)", None, False],
        [add_fk, None, False],
        ['ALTER TABLE "log" ADD CONSTRAINT "log_v_check" CHECK ("v" > 0)', None, False],
        ['ALTER TABLE "log" ADD CONSTRAINT "log_v_uniq" UNIQUE ("v")', None, False],
        ["INSERT INTO log VALUES (%s, %s)", [1, 2], False],
        ['ALTER TABLE log DROP CONSTRAINT "log_user_fk"', None, False],
        ['ALTER TABLE "log" DROP CONSTRAINT "log_v_uniq"', None, False],
        [add_fk, None, False],  # added again: kept
        ['ALTER TABLE "other" DROP CONSTRAINT "log_v_check"', None, False],  # another table's
    ]
    kept = blueprint.without_undone_constraints(statements)
    assert kept == [statements[i] for i in (0, 2, 3, 4, 6, 7, 8)]

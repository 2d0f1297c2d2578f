"""The pool of workspace schemas built ahead of time: take, refill, empty-pool fallback,
concurrent approvals (SKIP LOCKED), staleness after a new migration, failure injection."""

import threading

import pytest
from django.db import connection, connections, transaction

from provisioning import blueprint, lifecycle, pool
from provisioning.models import PooledSchema
from provisioning.services import PROVISIONING_STEPS, ProvisioningFailed, organisation_provision
from provisioning.tasks import provision_organisation
from tenants.actor import Actor
from tenants.migration_executor import schemas_needing_migration
from tenants.models import Domain, Membership, Organisation, OrganisationStatus
from tests.conftest import client_on
from tests.provisioning.test_state_machine import columns, fail_at, indexes, verified_org

pytestmark = pytest.mark.django_db


def pool_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(r"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pool\_%'")
        return {row[0] for row in cursor.fetchall()}


def pooled_rows() -> set[str]:
    return set(PooledSchema.objects.values_list("schema_name", flat=True))


def assert_pool_consistent() -> None:
    """Every pooled row has its schema and every pooled schema its row: nothing orphaned."""
    assert pooled_rows() == pool_schemas()


@pytest.fixture
def empty_pool():
    """Start from an empty pool (inside the test's transaction, so rolled back after)."""
    pool.pool_refill(size=0)
    assert pool_schemas() == set()
    return pool


@pytest.fixture
def pool_setting(settings):
    """Set the live setting (constance's override_config cannot run once an event loop runs
    in this thread, as it does after the browser tests); the default is stored back after."""
    from constance import config

    def set_size(value: int) -> None:
        config.PROVISIONING_POOL_SIZE = value

    yield set_size
    set_size(settings.CONSTANCE_CONFIG["PROVISIONING_POOL_SIZE"][0])


def test_approval_takes_a_ready_schema_by_renaming_it(world, empty_pool):
    assert pool.pool_refill(size=2) == pool.Refill(built=2, dropped=0)
    ready = pooled_rows()
    assert pool.pool_ready() == 2 and ready == pool_schemas()

    org = organisation_provision(organisation=verified_org("haraka"))

    assert org.status == OrganisationStatus.ACTIVE
    assert pool.pool_ready() == 1
    taken = ready - pooled_rows()
    assert len(taken) == 1 and not pool_schemas() & taken  # renamed, not copied
    assert blueprint.schema_exists("org_haraka")
    assert columns("org_haraka") == columns("org_acme")
    assert indexes("org_haraka") == indexes("org_acme")
    assert schemas_needing_migration(["org_haraka"]) == []  # fully migrated and recorded
    assert_pool_consistent()


def test_an_empty_pool_falls_back_to_replaying_the_blueprint(world, empty_pool):
    org = organisation_provision(organisation=verified_org("tupu"))
    assert org.status == OrganisationStatus.ACTIVE
    assert columns("org_tupu") == columns("org_acme")
    assert pool_schemas() == set()


def test_a_pooled_schema_dropped_by_hand_is_forgotten_and_the_next_one_taken(world, empty_pool):
    pool.pool_refill(size=2)
    first, second = PooledSchema.objects.order_by("id").values_list("schema_name", flat=True)
    blueprint.schema_drop(first)
    organisation_provision(organisation=verified_org("badala"))
    assert pooled_rows() == set() and pool_schemas() == set()  # the second became org_badala
    assert not blueprint.schema_exists(second) and blueprint.schema_exists("org_badala")
    assert columns("org_badala") == columns("org_acme")


def test_refill_keeps_the_live_setting_and_trims_when_it_is_lowered(
    world, empty_pool, pool_setting
):
    pool_setting(3)
    assert pool.pool_size() == 3
    assert pool.pool_refill() == pool.Refill(built=3, dropped=0)
    assert pool.pool_refill() == pool.Refill(built=0, dropped=0)  # already full
    pool_setting(1)
    assert pool.pool_refill() == pool.Refill(built=0, dropped=2)
    assert pool.pool_ready() == 1
    assert_pool_consistent()


def test_pooled_schemas_are_never_workspaces(world, empty_pool):
    pool.pool_refill(size=1)
    (name,) = pooled_rows()
    assert not Organisation.objects.filter(schema_name=name).exists()
    assert not Domain.objects.filter(domain__startswith=name).exists()
    assert schemas_needing_migration([name]) == []  # recorded like a workspace all the same
    host = f"{name.replace('_', '-')}.localhost"  # no host leads to it
    assert client_on(None, world.hq_admin).get("/", HTTP_HOST=host).status_code == 404
    with pytest.raises(ValueError):
        pool.pool_take(name)  # a pooled schema is never renamed to another pooled name


def test_a_schema_pooled_before_a_new_migration_is_never_handed_out(world, empty_pool):
    """After a deployment with a new migration, the pooled schemas carry the key (digest of
    every migration) of the state they were built under, not the current one: they are left
    alone (the workspace is built from the current script), then dropped by the next refill,
    which builds fresh ones. (A changed key itself: test_state_machine's blueprint tests.)"""
    pool.pool_refill(size=1)
    (old,) = pooled_rows()
    PooledSchema.objects.update(key="0" * 63 + "1")  # built under an older migration state
    assert pool.pool_ready() == 0

    org = organisation_provision(organisation=verified_org("kipya"))
    assert org.status == OrganisationStatus.ACTIVE
    assert pool_schemas() == {old}  # not taken
    assert columns("org_kipya") == columns("org_acme")

    assert pool.pool_refill(size=1) == pool.Refill(built=1, dropped=1)
    assert old not in pool_schemas() and pool.pool_ready() == 1
    assert PooledSchema.objects.get().key == blueprint.blueprint_key()
    assert_pool_consistent()


@pytest.mark.parametrize("step", list(PROVISIONING_STEPS))
def test_a_failing_step_with_a_pooled_schema_leaves_nothing_behind(world, empty_pool, step):
    pool.pool_refill(size=1)
    ready = pooled_rows()
    org = verified_org("pole")
    with pytest.raises(ProvisioningFailed):
        organisation_provision(organisation=org, hook=fail_at(step))
    org.refresh_from_db()
    assert org.status == OrganisationStatus.FAILED and org.provisioning_steps == []
    assert not blueprint.schema_exists("org_pole")
    assert not Domain.objects.filter(tenant=org).exists()
    assert not Membership.objects.filter(organisation=org).exists()
    assert_pool_consistent()
    if step == "schema":  # the rename rolled back with its step: the schema is still ready
        assert pooled_rows() == ready
    else:  # taken and committed with the schema step, then dropped by the undo
        assert pooled_rows() == set()

    org = organisation_provision(organisation=org)  # retry: from the pool or by replay
    assert org.status == OrganisationStatus.ACTIVE
    assert columns("org_pole") == columns("org_acme")
    assert_pool_consistent()


def test_a_failing_refill_leaves_no_schema_behind(world, empty_pool):
    def boom(name: str) -> None:
        raise RuntimeError(f"injected failure building {name}")

    with pytest.raises(RuntimeError):
        pool.pool_refill(size=2, hook=boom)
    assert pool_schemas() == set() and pooled_rows() == set()
    assert pool.pool_refill(size=1).built == 1
    assert_pool_consistent()


def test_a_pooled_workspace_archives_and_deletes_like_any_other(world, empty_pool):
    pool.pool_refill(size=1)
    org = organisation_provision(organisation=verified_org("kumbuka"))
    assert pool_schemas() == set()
    name = lifecycle.organisation_archive(organisation=org, actor=Actor(user=world.hq_admin))
    assert name.endswith(".zip")
    lifecycle.organisation_delete(
        organisation=org, actor=Actor(user=world.hq_admin), confirmation="kumbuka"
    )
    assert not blueprint.schema_exists("org_kumbuka")
    assert not Organisation.objects.filter(slug="kumbuka").exists()


def test_the_provisioning_task_tops_the_pool_up_afterwards(
    world, empty_pool, pool_setting, django_capture_on_commit_callbacks
):
    org = verified_org("jaza")
    pool_setting(2)
    with django_capture_on_commit_callbacks(execute=True):
        assert provision_organisation(org.pk) == OrganisationStatus.ACTIVE
    assert pool.pool_ready() == 2
    assert_pool_consistent()


def test_the_beat_schedule_refills_the_pool():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "provisioning.refill_pool" in tasks


class _Rollback(Exception):
    pass


def _on_own_connection(target, *args) -> dict:
    """Run ``target`` in a thread with its own committed connection; its result or error."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = target(*args)
        except Exception as exc:  # noqa: BLE001
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return outcome


def test_concurrent_approvals_never_take_the_same_schema_and_never_wait(world):
    """Three takers on their own connections, each holding its transaction open until all
    three have taken: two ready schemas go to two of them, the third finds none at once
    (SKIP LOCKED) instead of waiting. A taker that waited would break the barrier."""
    assert _on_own_connection(lambda: pool.pool_refill(size=2)).get("error") is None
    barrier = threading.Barrier(3, timeout=20)
    taken: dict[str, bool] = {}
    errors: list[Exception] = []

    def take(schema_name: str) -> None:
        try:
            with transaction.atomic():
                ready = set(PooledSchema.objects.values_list("schema_name", flat=True))
                taken[schema_name] = pool.pool_take(schema_name)
                if taken[schema_name]:
                    left = set(
                        PooledSchema.objects.filter(schema_name__in=ready).values_list(
                            "schema_name", flat=True
                        )
                    )
                    assert len(ready - left) == 1
                barrier.wait()  # all three hold their transactions open here
                raise _Rollback  # leave the pool as it was
        except _Rollback:
            pass
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    names = ["org_race_a", "org_race_b", "org_race_c"]
    threads = [threading.Thread(target=take, args=(n,)) for n in names]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        assert sorted(taken.values()) == [False, True, True]
        # every rename was rolled back: both schemas are still ready under their pool names
        after = _on_own_connection(lambda: (pooled_rows(), pool_schemas()))["result"]
        assert len(after[0]) == 2 and after[0] == after[1]
    finally:
        _on_own_connection(lambda: pool.pool_refill(size=0))


def test_two_organisations_approved_at_once_with_one_ready_schema(world):
    """Full provisioning runs on two connections at once: one takes the ready schema, the
    other replays the blueprint; both end active with complete schemas."""
    from tenants.services import organisation_create

    slugs = ["pamoja-a", "pamoja-b"]

    def setup() -> list[int]:
        pool.pool_refill(size=1)
        ids = []
        for slug in slugs:
            org = organisation_create(name=slug, slug=slug, kind="cci")
            org.status = OrganisationStatus.VERIFIED
            org.save()
            ids.append(org.pk)
        return ids

    ids = _on_own_connection(setup)["result"]
    barrier = threading.Barrier(2, timeout=20)
    statuses: dict[int, str] = {}

    def provision(pk: int) -> None:
        try:
            barrier.wait()
            org = organisation_provision(organisation=Organisation.objects.get(pk=pk))
            statuses[pk] = org.status
        except Exception as exc:  # noqa: BLE001
            statuses[pk] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=provision, args=(pk,)) for pk in ids]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert statuses == dict.fromkeys(ids, OrganisationStatus.ACTIVE)

        def check() -> tuple:
            return (
                pooled_rows(),
                pool_schemas(),
                [columns(f"org_{s.replace('-', '_')}") == columns("org_acme") for s in slugs],
            )

        rows, schemas, same = _on_own_connection(check)["result"]
        assert rows == set() and schemas == set() and same == [True, True]
    finally:

        def cleanup() -> None:
            for org in Organisation.objects.filter(slug__in=slugs):
                blueprint.schema_drop(org.schema_name)
                Domain.objects.filter(tenant=org).delete()
                Membership.objects.filter(organisation=org).delete()
                org.delete()
            pool.pool_refill(size=0)

        _on_own_connection(cleanup)

#!/usr/bin/env python3
"""Fault 2 on a real task (docs/cluster.md): kill the Celery process provisioning a workspace.

Against the running cluster: an organisation applies and a national administrator approves it
(the platform's services, as the sign-up page and the console call them), which queues
``provisioning.provision_organisation``. The drill holds a write lock on the domain table
(``SHARE ROW EXCLUSIVE``: reads go on, the front door keeps answering), so the task stops in
its ``domain`` step with the ``schema`` step committed; it finds the pool process running the
task (``inspect().active()`` gives ``worker_pid``), SIGKILLs it, and lets the lock go. With
acks_late and reject-on-worker-lost the task is put back and run again; the state machine
carries on from the committed steps. Checked: the organisation is active, each step recorded
once, one schema with every table, one domain, one administrator, no provisioning lock left
behind, and the workspace answers on its host through the front door. Prints the figures,
then PASS or FAIL.

    .venv/bin/python deploy/faults/kill_provisioning.py
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import signal
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _drill import REPO, cluster_state, wait_for  # noqa: E402

STEPS = ["schema", "domain", "administrator", "activate"]


def setup_django(state: dict) -> None:
    """Django on the primary directly (the drill's own reads and writes), the cluster's Redis."""
    os.environ["DATABASE_URL"] = state["urls"]["primary"]
    os.environ["REDIS_URL"] = state["redis_url"]
    os.environ["CPIMS_PG_RANDOM_PAGE_COST"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    for path in (REPO / "platform", REPO):
        sys.path.insert(0, str(path))
    import django

    django.setup()


def approved_organisation(letters: str):
    """Apply and approve as the platform does; provisioning is queued when approval commits."""
    from django.db import transaction

    from provisioning.services import Applicant, organisation_apply, organisation_approve
    from provisioning.tasks import provision_organisation
    from tenants.actor import Actor
    from tenants.models import User
    from tenants.policy import Permission

    verifier = next(
        (
            user
            for user in User.objects.exclude(platform_roles=[]).order_by("pk")
            if Actor(user=user).may(Permission.VERIFY_ORGANISATIONS)
        ),
        None,
    )
    if verifier is None:
        print("FAIL: no national administrator to approve with (start the cluster with demo data)")
        sys.exit(1)
    applicant = Applicant(
        email=f"admin@drill{letters}.example", password=uuid.uuid4().hex, full_name="Drill Admin"
    )
    organisation = organisation_apply(
        name=f"Drill workspace {letters}", slug=f"drill{letters}", kind="lip", applicant=applicant
    )
    with transaction.atomic():
        organisation = organisation_approve(
            actor=Actor(user=verifier), organisation_id=organisation.pk
        )
        transaction.on_commit(lambda: provision_organisation.delay(organisation.pk))
    return organisation


def provisioning_pid(state: dict, organisation_id: int) -> int | None:
    """The pid of the pool process running this organisation's provisioning task, if any."""
    from celery import Celery

    app = Celery(broker=state["redis_url"], backend=None)
    for tasks in (app.control.inspect(timeout=2).active() or {}).values():
        for task in tasks:
            if task["name"] == "provisioning.provision_organisation" and list(task["args"]) == [
                organisation_id
            ]:
                return int(task["worker_pid"])
    return None


def blocked_in_domain_step(watch, organisation) -> bool:
    """The task's ``schema`` step committed and its domain write waits for the drill's lock
    (``watch``: an autocommit connection, as pg_stat_activity is read once per transaction)."""
    organisation.refresh_from_db()
    waiting = watch.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query ILIKE '%\"tenants_domain\"%'"
    ).fetchone()[0]
    return organisation.provisioning_steps == ["schema"] and waiting > 0


def front_door(state: dict, host: str, name: str) -> int:
    """The status of the workspace's sign-in page on its host (0 if it is not that workspace)."""
    port = state["ports"]["web"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/", headers={"Host": f"{host}:{port}"})
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    return response.status if html.escape(name) in body else 0


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    state = cluster_state()
    setup_django(state)
    import psycopg

    from provisioning.services import _LOCK_NAMESPACE
    from tenants.models import Domain, Membership, Organisation, OrganisationStatus, Role

    letters = uuid.uuid4().hex[:8]
    with (
        psycopg.connect(state["urls"]["primary"]) as primary,
        psycopg.connect(state["urls"]["primary"], autocommit=True) as watch,
    ):
        primary.execute('LOCK TABLE "tenants_domain" IN SHARE ROW EXCLUSIVE MODE')
        organisation = approved_organisation(letters)
        print(f"{organisation.slug}: approved, provisioning queued")
        if not wait_for(lambda: blocked_in_domain_step(watch, organisation), 60):
            steps = organisation.provisioning_steps
            print(f"FAIL: the task did not reach its domain step (steps {steps})")
            return 1
        victim = provisioning_pid(state, organisation.pk)
        if victim is None:
            print("FAIL: no worker reports the provisioning task as active")
            return 1
        command = Path(f"/proc/{victim}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if "celery" not in command:
            print(f"FAIL: pid {victim} is not a Celery process ({command!r})")
            return 1
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        print(f"killed the Celery process provisioning it (pid {victim}) in its domain step")
        primary.rollback()  # the drill's lock goes

    def settled() -> bool:
        organisation.refresh_from_db()
        return organisation.status in {OrganisationStatus.ACTIVE, OrganisationStatus.FAILED}

    wait_for(settled, 180)
    took = time.monotonic() - killed
    time.sleep(3)  # a further (wrong) run would show by now
    organisation.refresh_from_db()
    with psycopg.connect(state["urls"]["primary"], autocommit=True) as primary:
        schemas = primary.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %s", [organisation.schema_name]
        ).fetchone()[0]
        reference = (  # an active workspace provisioned before: the same tables
            Organisation.objects.filter(status=OrganisationStatus.ACTIVE)
            .exclude(pk=organisation.pk)
            .order_by("pk")
            .values_list("schema_name", flat=True)
            .first()
        )
        tables, expected = primary.execute(
            "SELECT count(*) FILTER (WHERE table_schema = %s), "
            "count(*) FILTER (WHERE table_schema = %s) "
            "FROM information_schema.tables WHERE table_schema IN (%s, %s)",
            [organisation.schema_name, reference] * 2,
        ).fetchone()
        locks = primary.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            [_LOCK_NAMESPACE | organisation.pk],
        ).fetchone()[0]
    domains = Domain.objects.filter(tenant=organisation).count()
    admins = Membership.objects.filter(
        organisation=organisation, user__email=f"admin@drill{letters}.example"
    )
    administrators = sum(Role.ORGANISATION_ADMIN in m.roles for m in admins)
    door = front_door(state, f"drill{letters}.localhost", organisation.name)
    steps = organisation.provisioning_steps
    print(
        f"status: {organisation.status} ({took:.1f} s after the kill); steps: {steps}; "
        f"schemas: {schemas} ({tables} tables, workspace {reference} has {expected}); "
        f"domains: {domains}; administrators: {administrators} ({admins.count()} memberships); "
        f"provisioning locks left: {locks}; front door: {door or 'not this workspace'}"
    )
    checks = {
        "active": organisation.status == OrganisationStatus.ACTIVE,
        "each step once": steps == STEPS,
        "one complete schema": schemas == 1 and tables == expected,
        "one domain": domains == 1,
        "one administrator": administrators == 1 and admins.count() == 1,
        "no lock left": locks == 0,
        "front door": door == 200,
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        print(f"FAIL: {', '.join(failed)} ({organisation.provisioning_error or 'no error kept'})")
        return 1
    print(f"PASS: provisioning run again after the kill, done exactly once ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

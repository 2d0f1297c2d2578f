"""Issue 14, finding 4: suspending or archiving an organisation and revoking a membership take
effect on the next request in every process, pages and API tokens alike, however long a
process caches hosts. Proved with a second process that cached the host before the change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from audit.services import token_create
from provisioning import blueprint
from provisioning.invitations import membership_revoke
from provisioning.lifecycle import organisation_reactivate, organisation_suspend
from provisioning.services import organisation_provision
from tenants.actor import Actor, member_actor
from tenants.models import Membership, Organisation, OrganisationStatus, Role, User
from tenants.services import membership_grant, organisation_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]
API_PATH = "/api/v1/registry/directory"


@pytest.fixture(scope="module")
def workspace(world, django_db_blocker):
    """An organisation of its own with a case worker and an API token (committed)."""
    with django_db_blocker.unblock():
        organisation = organisation_provision(
            organisation=organisation_create(name="Suspend Me", slug="suspend-me", kind="ngo")
        )
        worker = UserFactory(email="worker@suspend-me.test")
        membership_grant(user=worker, organisation=organisation, roles=[Role.CASE_WORKER])
        admin = UserFactory(email="admin@suspend-me.test")
        membership_grant(user=admin, organisation=organisation, roles=[Role.ORGANISATION_ADMIN])
        _token, raw = token_create(actor=member_actor(worker, organisation), name="script")
    yield organisation, worker, raw
    with django_db_blocker.unblock():
        blueprint.schema_drop(organisation.schema_name)
        organisation.delete()
        User.objects.filter(pk__in=[worker.pk, admin.pk]).delete()


class SecondProcess:
    def __init__(self) -> None:
        db = connection.settings_dict
        # host and port as parameters: the embedded PostgreSQL's host is a socket folder
        where = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or "5432"}
        if db["PASSWORD"]:
            where["password"] = db["PASSWORD"]
        env = {
            **os.environ,
            "PYTHONPATH": f"{REPO / 'platform'}:{REPO}",
            "DATABASE_URL": f"postgresql://{quote(db['USER'])}@/{db['NAME']}?{urlencode(where)}",
            "DJANGO_SETTINGS_MODULE": "cpims.settings_test",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.tenants.second_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )

    def ask(self, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the second process ended"
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


def committed(function, **arguments) -> None:
    """Run a service on a connection of its own, committed (the test's connection is inside
    a transaction the other process cannot see)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            function(**arguments)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not errors, errors


def test_closing_a_workspace_or_a_membership_counts_at_once_in_another_process(world, workspace):
    organisation, worker, token = workspace
    host = f"{organisation.slug}.localhost"
    other = SecondProcess()
    try:
        assert other.ask(login=worker.pk, host=host, schema=organisation.schema_name)["ok"]
        assert other.ask(get="/", host=host)["status"] == 200  # the host is cached there now
        assert other.ask(get=API_PATH, host=host, token=token)["status"] == 200

        committed(organisation_suspend, organisation=organisation, actor=Actor(user=world.hq_admin))
        assert other.ask(get="/", host=host)["status"] == 403
        assert other.ask(get=API_PATH, host=host, token=token)["status"] == 403

        committed(
            organisation_reactivate, organisation=organisation, actor=Actor(user=world.hq_admin)
        )
        assert other.ask(get="/", host=host)["status"] == 200
        assert other.ask(get=API_PATH, host=host, token=token)["status"] == 200

        archive = Organisation.objects.filter(pk=organisation.pk).update
        committed(lambda: archive(status=OrganisationStatus.ARCHIVED))
        assert other.ask(get="/", host=host)["status"] == 410
        assert other.ask(get=API_PATH, host=host, token=token)["status"] in (401, 403, 410)
        committed(lambda: archive(status=OrganisationStatus.ACTIVE))
        assert other.ask(get="/", host=host)["status"] == 200

        membership = Membership.objects.get(user=worker, organisation=organisation)
        admin = member_actor(User.objects.get(email="admin@suspend-me.test"), organisation)
        committed(membership_revoke, actor=admin, membership_id=membership.pk)
        assert other.ask(get="/", host=host)["status"] == 403
        assert other.ask(get=API_PATH, host=host, token=token)["status"] in (401, 403)
    finally:
        other.close()

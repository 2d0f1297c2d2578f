"""Every test runs with two provisioned organisations (acme, beta) and their people.

They are created once per session, committed, so a browser test's server thread
sees them too; each test then runs in a transaction that is rolled back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import translation

from case_apps.lists.selectors import clear_list_cache
from provisioning.services import organisation_provision
from tenants.models import Organisation, OrganisationKind, PlatformRole, Role, User
from tenants.routing import route_cache
from tenants.services import SESSION_HOST_KEY, membership_grant, organisation_create
from tests.factories import TEST_PASSWORD, UserFactory

pytest_plugins = ["tests.case_apps.fixtures"]
CHROMIUM = os.environ.get("CPIMS_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """The long test files first (marked ``slow``, and the browser tests), so parallel
    workers (pytest-xdist hands out whole files in this order) do not end on one of them
    alone. Without Chromium (and outside CI), browser tests are left out and the run says so
    plainly; under CI=true they stay in and fail, so a missing browser is never hidden."""
    items.sort(key=lambda item: not any(item.iter_markers("slow")) and not _is_browser(item))
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    browser = [item for item in items if _is_browser(item)]
    if not browser:
        return
    config.hook.pytest_deselected(items=browser)
    items[:] = [item for item in items if not item.get_closest_marker("browser")]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"BROWSER TESTS DID NOT RUN: {len(browser)} left out, {CHROMIUM} is missing "
            "(install Debian's chromium package, or run the test command as root)",
            yellow=True,
            bold=True,
        )


def _is_browser(item) -> bool:
    return item.get_closest_marker("browser") is not None


@dataclass
class World:
    acme: Organisation
    beta: Organisation
    acme_admin: User
    acme_worker: User
    beta_worker: User
    hq_admin: User
    outsider: User
    password: str = TEST_PASSWORD


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker, national_lists) -> World:
    with django_db_blocker.unblock():
        acme = organisation_provision(
            organisation=organisation_create(
                name="Acme Children's Home",
                slug="acme",
                kind=OrganisationKind.CCI,
                county_code="042",
                registration_number="CCI/KSM/0001",
            )
        )
        beta = organisation_provision(
            organisation=organisation_create(
                name="Beta OVC Partner",
                slug="beta",
                kind=OrganisationKind.IMPLEMENTING_PARTNER,
                county_code="047",
            )
        )
        acme_admin = UserFactory(email="admin@acme.test", full_name="Amina Admin")
        acme_worker = UserFactory(email="worker@acme.test", full_name="Wafula Worker")
        beta_worker = UserFactory(email="worker@beta.test", full_name="Betty Worker")
        hq_admin = UserFactory(
            email="hq@dcs.test", platform_roles=[PlatformRole.NATIONAL_ADMINISTRATOR]
        )
        outsider = UserFactory(email="outsider@example.test")
        membership_grant(user=acme_admin, organisation=acme, roles=[Role.ORGANISATION_ADMIN])
        membership_grant(user=acme_worker, organisation=acme, roles=[Role.CASE_WORKER])
        membership_grant(user=beta_worker, organisation=beta, roles=[Role.CASE_WORKER])
    world = World(acme, beta, acme_admin, acme_worker, beta_worker, hq_admin, outsider)
    _WORLDS.append((world, {"acme": model_to_dict(acme), "beta": model_to_dict(beta)}))
    return world


_WORLDS: list[tuple[World, dict]] = []  # the session's world and its organisations as made


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """The session's organisation objects are shared by every test on a worker: a test that
    changed one in memory (a status, a kind) and did not put it back fails here, once all
    its fixtures (a monkeypatch too) are undone, and the objects are restored, so the next
    test, whichever it is, sees the world as it was made."""
    result = yield
    changed = []
    for world, made in _WORLDS:
        for name, values in made.items():
            organisation = getattr(world, name)
            now = model_to_dict(organisation)
            changed += [f"{name}.{key}" for key in values if now.get(key) != values[key]]
            for key, value in values.items():
                setattr(organisation, organisation._meta.get_field(key).attname, value)
    assert not changed, f"the test changed the session's world in memory: {changed}"
    return result


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in the test's own process and transaction; only tests marked real_broker
    send them through Redis to a worker (CI sets REDIS_URL, and nothing else consumes it)."""
    from cpims.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("real_broker") is None or before
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _fresh_routing_and_schema():
    """No route or schema survives a test: rolled-back status changes must not leak."""
    route_cache.clear()
    clear_list_cache()
    cache.clear()  # cached state (rate limits, live settings) must not outlive its test
    connection.set_schema_to_public()
    translation.activate(settings.LANGUAGE_CODE)  # a test that spoke Kiswahili leaks nothing
    yield
    route_cache.clear()
    clear_list_cache()
    connection.set_schema_to_public()


def host_of(organisation: Organisation | None) -> str:
    return f"{organisation.slug}.localhost" if organisation else "localhost"


def client_on(organisation: Organisation | None, user: User | None = None) -> Client:
    """A test client for an organisation's host (or the platform site), signed in if given
    a user, with the session bound to that host as a real sign-in would."""
    client = Client(HTTP_HOST=host_of(organisation))
    if user is not None:
        client.force_login(user)
        session = client.session
        session[SESSION_HOST_KEY] = organisation.schema_name if organisation else "public"
        session.save()
    return client


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Server and worker threads keep their own connections; end them before the test
    database is dropped."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def _static_files_collected():
    """Pages name static files by their hashed names (manifest storage): collect them first,
    as the launcher does, when a source file changed since the last run (docs/ui.md)."""
    from cpims.staticfiles import static_files_collect_if_stale

    static_files_collect_if_stale()


def access_log_rows(organisation: Organisation) -> list[tuple[str, str, str, int | None]]:
    """The organisation's access log as (kind, record id, purpose, actor id), oldest first."""
    from audit.workspace.models import AccessEntry
    from tenants.schema import workspace_context

    with workspace_context(organisation):
        return list(
            AccessEntry.objects.order_by("id").values_list(
                "record_kind", "record_id", "purpose", "actor_id"
            )
        )

"""The contract of our one wrapper over django-tenants' connection (``SearchPath`` in
sharing/gateway.py), pinned against the installed django-tenants: after ``switch_statement``
the caller's own batch sets the path and django-tenants sends no SET of its own; after
``forget`` it does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharing.gateway import SearchPath

pytestmark = pytest.mark.django_db


def _sets(queries) -> list[str]:
    return [q["sql"] for q in queries if "SET search_path" in q["sql"]]


def test_a_switch_rides_in_the_callers_batch(world):
    try:
        statement = SearchPath.switch_statement(world.beta)
        assert connection.schema_name == world.beta.schema_name
        with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
            cursor.execute(f"{statement}; SHOW search_path")
            while cursor.description is None:
                cursor.nextset()
            shown = cursor.fetchone()[0]
        assert _sets(queries) == [f"{statement}; SHOW search_path"]  # ours only
        assert shown.split(",")[0].strip().strip('"') == world.beta.schema_name
        with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert _sets(queries) == []  # django-tenants trusts the path it was told of
    finally:
        connection.set_schema_to_public()


def test_after_forget_django_tenants_sets_the_path_itself(world):
    try:
        SearchPath.switch_statement(world.beta)
        SearchPath.forget(world.acme)
        assert connection.schema_name == world.acme.schema_name
        with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
            cursor.execute("SHOW search_path")
            shown = cursor.fetchone()[0]
        assert len(_sets(queries)) == 1
        assert shown.split(",")[0].strip().strip('"') == world.acme.schema_name
    finally:
        connection.set_schema_to_public()


def test_the_platform_path_is_public_alone():
    assert SearchPath.paths_of(None) == ["public"]
    try:
        assert SearchPath.switch_statement(None) == 'SET search_path = "public"'
        assert connection.schema_name == "public"
    finally:
        connection.set_schema_to_public()

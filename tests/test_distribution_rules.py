"""The rules a move onto Citus needs (docs/scale-out.md), checked against the migrated
database with the two test organisations' workspaces: every public table placed, foreign keys
only where Citus can check them, unique keys of distributed tables on their distribution
column, and workspace tables with 64-bit keys and no reference out of their schema but into
reference tables (platform/cpims/distribution.py)."""

import pytest
from django.db import connection

from cpims.distribution import (
    DISTRIBUTED_TABLES,
    REFERENCE_TABLES,
    distribution_offenders,
    kind_of,
)

pytestmark = pytest.mark.django_db


def offenders() -> list[str]:
    with connection.cursor() as cursor:
        return distribution_offenders(cursor)


def test_the_migrated_database_keeps_the_rules_of_distribution(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [world.acme.schema_name])
        assert cursor.fetchone()  # the workspaces are there to be checked
    assert offenders() == []


def test_geography_code_lists_and_registry_are_placed_as_the_design_says():
    assert {"shared_registry_county", "shared_registry_subcounty", "shared_registry_ward"} <= (
        REFERENCE_TABLES
    )
    assert "lists_listitem" in REFERENCE_TABLES
    assert DISTRIBUTED_TABLES["shared_registry_person"] == "id"
    assert kind_of("national_statistics_monthlycount") == "coordinator"


def test_a_workspace_key_to_another_workspace_is_found(world):
    acme, beta = world.acme.schema_name, world.beta.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            f'ALTER TABLE "{acme}".cases_caserecord ADD CONSTRAINT bad_cross '
            f'FOREIGN KEY (id) REFERENCES "{beta}".cases_caserecord (id)'
        )
    cross = f"{acme}.cases_caserecord(id) -> {beta}.cases_caserecord: a workspace table points"
    assert any(o.startswith(cross) for o in offenders())


def test_a_workspace_key_to_a_coordinator_table_and_a_narrow_key_are_found(world):
    acme = world.acme.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE "{acme}".narrow (id integer PRIMARY KEY, '
            "session varchar(40) REFERENCES public.django_session (session_key))"
        )
        cursor.execute(f'CREATE TABLE "{acme}".keyless (note text)')
    found = offenders()
    assert f"{acme}.narrow: key of integer, not bigint" in found
    assert f"{acme}.keyless has no primary key" in found
    out = f"{acme}.narrow(session) -> public.django_session: a workspace table points out"
    assert any(o.startswith(out) for o in found)


def test_public_keys_citus_cannot_check_are_found():
    with connection.cursor() as cursor:
        # a reference table pointing at a coordinator table, a registry table keyed without
        # the person, and a coordinator table pointing into the registry
        cursor.execute(
            "ALTER TABLE public.shared_registry_county ADD COLUMN session varchar(40) "
            "REFERENCES public.django_session (session_key)"
        )
        cursor.execute(
            "CREATE UNIQUE INDEX bad_unique ON public.shared_registry_personlink (created_at)"
        )
        cursor.execute(
            "ALTER TABLE public.django_session ADD COLUMN person_id bigint "
            "REFERENCES public.shared_registry_person (id)"
        )
        cursor.execute("CREATE TABLE public.unplaced_thing (id bigint PRIMARY KEY)")
    found = "\n".join(offenders())
    assert "public.shared_registry_county(session) -> public.django_session: a reference" in found
    assert "unique key bad_unique (created_at) lacks the distribution column person_id" in found
    assert "public.django_session(person_id) -> public.shared_registry_person: between" in found

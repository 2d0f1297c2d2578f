"""Audit of writes: every model recorded, with actor, organisation and request, in the schema
of the organisation it happened in."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from audit.middleware import AuditMiddleware
from audit.registry import exclusion_reason, is_our_model
from tenants.models import Membership, Role
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db


def _count(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".auditlog_logentry')
        return cursor.fetchone()[0]


def test_every_model_of_our_apps_is_audited_or_excluded_with_a_reason():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if is_our_model(model) and not auditlog.contains(model) and not exclusion_reason(model)
    ]
    assert missing == []
    assert auditlog.contains(apps.get_model("tenants.Membership"))


def test_secrets_never_reach_the_log(world):
    user = type(world.outsider).objects.get(pk=world.outsider.pk)  # not the session's object
    user.set_password("a-new-Secret-123")
    user.full_name = "Renamed"
    user.save()
    entry = LogEntry.objects.get_for_object(user).first()
    assert "full_name" in entry.changes_dict
    assert "password" not in entry.changes_dict


def test_a_write_in_a_request_records_actor_organisation_and_request(world, rf: RequestFactory):
    request = rf.post("/members/", REMOTE_ADDR="10.1.2.3")
    request.user = world.acme_admin
    request.organisation = world.acme
    membership = Membership.objects.get(user=world.acme_worker, organisation=world.acme)
    request.membership = Membership.objects.get(user=world.acme_admin, organisation=world.acme)

    def view(request):
        membership.roles = [Role.SUPERVISOR]
        membership.save()
        return HttpResponse("ok")

    AuditMiddleware(view)(request)
    entry = LogEntry.objects.get_for_object(membership).latest("id")
    assert entry.actor == world.acme_admin
    assert entry.actor_email == world.acme_admin.email
    assert entry.remote_addr == "10.1.2.3"
    assert entry.additional_data["organisation"] == "acme"
    assert entry.additional_data["path"] == "/members/"
    assert entry.changes_dict["roles"]


def test_workspace_writes_are_logged_in_the_workspace_schema(world):
    acme, beta = world.acme.schema_name, world.beta.schema_name
    before_public, before_acme, before_beta = _count("public"), _count(acme), _count(beta)
    with workspace_context(world.acme):
        LogEntry.objects.log_create(
            world.acme_worker, action=LogEntry.Action.UPDATE, changes={"x": ["1", "2"]}
        )
    assert _count(acme) == before_acme + 1
    assert _count("public") == before_public
    assert _count(beta) == before_beta


def test_the_workspace_log_has_no_database_constraint_into_public(world):
    """STACK-NOTES: a constrained reference from a workspace into public breaks teardown. acme
    was built by the migrations, beta by replaying the provisioning blueprint: both hold."""
    sql = (
        "SELECT count(*) FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid "
        "JOIN pg_namespace ns ON ns.oid = rel.relnamespace "
        "WHERE con.contype = 'f' AND ns.nspname = %s AND rel.relname = 'auditlog_logentry'"
    )
    with connection.cursor() as cursor:
        for schema in (world.acme.schema_name, world.beta.schema_name):
            cursor.execute(sql, [schema])
            assert cursor.fetchone()[0] == 0, schema
        cursor.execute(sql, ["public"])
        assert cursor.fetchone()[0] == 2  # public keeps its constraints


def test_every_schema_has_the_append_only_and_chain_triggers(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE 'audit%%'"
        )
        found = set(cursor.fetchall())
    for schema, access in (
        ("public", "audit_platformaccessentry"),
        (world.acme.schema_name, "audit_workspace_accessentry"),
        (world.beta.schema_name, "audit_workspace_accessentry"),
    ):
        for table in ("auditlog_logentry", access):
            assert (schema, table, "audit_append_only") in found
            assert (schema, table, "audit_chain_queue") in found
            assert (schema, table, "audit_chain_link") not in found  # the sealer links
        assert (schema, "audit_chain", "audit_no_truncate") in found

"""Records created through the API or offline carry a UUID: the client's own, or drawn by the
server (and by the database for rows that existed before)."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from case_apps.cases.models import CaseRecord, FollowUp
from case_apps.ovc.models import Enrolment, Household, ServiceRecord
from tenants.schema import workspace_context
from tests.case_apps.conftest import open_case

pytestmark = pytest.mark.django_db
MODELS = (CaseRecord, FollowUp, Household, Enrolment, ServiceRecord)


def test_every_record_the_clients_create_has_a_unique_uuid_with_a_database_default(world):
    with workspace_context(world.acme), connection.cursor() as cursor:
        for model in MODELS:
            field = model._meta.get_field("uuid")
            assert field.unique and not field.editable
            cursor.execute(
                "SELECT column_default, is_nullable FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s"
                " AND column_name = 'uuid'",
                [model._meta.db_table],
            )
            default, nullable = cursor.fetchone()
            assert "gen_random_uuid" in default and nullable == "NO", model


def test_a_case_gets_a_uuid_or_keeps_the_clients(world, national_lists):
    first = open_case(world.acme, world.acme_worker)
    second = open_case(world.acme, world.acme_worker)
    assert isinstance(first.uuid, uuid.UUID) and first.uuid != second.uuid
    chosen = uuid.uuid4()
    with workspace_context(world.acme):
        CaseRecord.objects.filter(pk=first.pk).update(uuid=chosen)
        assert CaseRecord.objects.get(uuid=chosen).pk == first.pk
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseRecord.objects.filter(pk=second.pk).update(uuid=chosen)

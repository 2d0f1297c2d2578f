"""Records created through the API or offline carry a UUID: the client's own, or drawn by the
server (and by the database for rows that existed before)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from case_apps.cases.models import CaseEvent, CaseRecord, FollowUp
from case_apps.outbox.models import OutboxEvent
from case_apps.ovc.models import Enrolment, Household, ServiceRecord
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on

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


# --- the client's uuid through the case API (issue 16 item 4) ----------------------------------
def _case_body(child, ref: str, **changes) -> dict:
    return {
        "child_id": child.pk,
        "child_ref": ref,
        "date_reported": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "how_reported": "phone",
        "reporter_type": "CRHE",
        "risk_level": "RLMD",
        "categories": [{"category_code": "CTRF", "sub_category_codes": ["LBDW"]}],
        **changes,
    }


def _post(client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def _written(organisation) -> tuple[int, int, int, int]:
    with workspace_context(organisation):
        return (
            CaseRecord.objects.count(),
            FollowUp.objects.count(),
            CaseEvent.objects.count(),
            OutboxEvent.objects.count(),
        )


def test_a_case_created_with_the_clients_uuid_is_replayed_not_doubled(world, national_lists):
    client = client_on(world.acme, world.acme_worker)
    child = make_child("Imani", "Offline")
    chosen = uuid.uuid4()
    body = _case_body(child, search_ref(world.acme, world.acme_worker, child), uuid=str(chosen))
    first = _post(client, "/api/v1/cases", body)
    assert first.status_code == 201, first.content
    assert first.json()["uuid"] == str(chosen)
    with workspace_context(world.acme):
        case = CaseRecord.objects.get(uuid=chosen)
    # the serial and the national reference are the server's, whatever uuid the client chose
    assert case.national_reference == first.json()["national_reference"]
    assert case.national_reference.startswith("CPIMS/") and case.serial_number >= 1
    before = _written(world.acme)
    again = _post(client, "/api/v1/cases", body)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert _written(world.acme) == before  # no case, history entry or event more
    # the same uuid with other content is refused, naming the uuid, and changes nothing
    other = _post(client, "/api/v1/cases", {**body, "risk_level": "RLHG"})
    assert other.status_code == 422 and "uuid" in other.json()["errors"]
    assert _written(world.acme) == before
    with workspace_context(world.acme):
        assert CaseRecord.objects.get(uuid=chosen).risk_level == "RLMD"
    # without a uuid the server draws one, and each create is a new case
    drawn = _post(client, "/api/v1/cases", {**body, "uuid": None})
    assert drawn.status_code == 201 and drawn.json()["uuid"] != str(chosen)
    assert drawn.json()["national_reference"] != first.json()["national_reference"]


def test_a_uuid_the_member_may_not_see_is_refused_without_its_content(world, national_lists, team):
    child = make_child("Neema", "Hidden")
    chosen = uuid.uuid4()
    mine = client_on(world.acme, team.worker)
    body = _case_body(child, search_ref(world.acme, team.worker, child), uuid=str(chosen))
    assert _post(mine, "/api/v1/cases", body).status_code == 201
    # a colleague who sees only their own cases sends the same uuid: refused, nothing told
    theirs = client_on(world.acme, team.other_worker)
    other = _post(theirs, "/api/v1/cases", {**body, "child_ref": ""})
    assert other.status_code == 422 and "uuid" in other.json()["errors"]
    assert "national_reference" not in other.content.decode()
    with workspace_context(world.acme):
        assert CaseRecord.objects.filter(uuid=chosen).count() == 1


def test_a_follow_up_created_with_the_clients_uuid_is_replayed_not_doubled(world, national_lists):
    case = open_case(world.acme, world.acme_worker)
    client = client_on(world.acme, world.acme_worker)
    chosen = uuid.uuid4()
    body = {
        "uuid": str(chosen),
        "follow_up_type": "HVIS",
        "date": timezone.localdate().isoformat(),
        "notes": "Visited at home",
    }
    path = f"/api/v1/cases/{case.pk}/follow-ups"
    first = _post(client, path, body)
    assert first.status_code == 201, first.content
    assert first.json()["uuid"] == str(chosen)
    before = _written(world.acme)
    again = _post(client, path, body)
    assert again.status_code == 200 and again.json() == first.json()
    assert _written(world.acme) == before
    other = _post(client, path, {**body, "notes": "Another visit"})
    assert other.status_code == 422 and "uuid" in other.json()["errors"]
    # the follow-up's uuid names it on its own case only
    elsewhere = open_case(world.acme, world.acme_worker)
    before = _written(world.acme)
    moved = _post(client, f"/api/v1/cases/{elsewhere.pk}/follow-ups", body)
    assert moved.status_code == 422 and "uuid" in moved.json()["errors"]
    assert _written(world.acme) == before


def test_another_organisation_sending_the_same_uuid_gets_its_own_record(world, national_lists):
    child = make_child("Baraka", "Twice")
    chosen = uuid.uuid4()
    acme = client_on(world.acme, world.acme_worker)
    ours = _post(
        acme,
        "/api/v1/cases",
        _case_body(child, search_ref(world.acme, world.acme_worker, child), uuid=str(chosen)),
    )
    assert ours.status_code == 201, ours.content
    beta = client_on(world.beta, world.beta_worker)
    body = _case_body(
        child,
        search_ref(world.beta, world.beta_worker, child),
        uuid=str(chosen),
        risk_level="RLHG",
        narrative="Beta's own intake",
    )
    theirs = _post(beta, "/api/v1/cases", body)
    assert theirs.status_code == 201, theirs.content  # a record of its own, not a replay
    answer = theirs.json()
    assert answer["uuid"] == str(chosen) and answer["risk_level"] == "RLHG"
    assert answer["national_reference"] != ours.json()["national_reference"]
    assert "/BETA/" in answer["national_reference"] and "ACME" not in theirs.content.decode()
    with workspace_context(world.acme):
        kept = CaseRecord.objects.get(uuid=chosen)
        assert (kept.risk_level, kept.narrative) == ("RLMD", "")
    with workspace_context(world.beta):
        assert CaseRecord.objects.get(uuid=chosen).narrative == "Beta's own intake"

"""Typed, versioned event schemas: the outbox refuses what its schema does not accept, every
type the facts modules emit has a schema, and the drain refuses an unknown version loudly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import transaction

from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.schemas import EVENT_TYPES, RETRACTED, UnknownEvent, payload_read
from case_apps.outbox.services import outbox_event_record
from national_statistics.drain import drain_organisation
from national_statistics.models import Fact
from tenants.schema import workspace_context

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# The modules that write outbox events, and how each names the kind it writes.
EMITTERS = (
    "case_apps/cases/facts.py",
    "case_apps/cases/transfers.py",
    "case_apps/ovc/facts.py",
    "case_apps/ovc/services.py",
    *sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "case_apps" / "ovc").glob("services_*.py")
    ),
    "case_apps/outbox/services.py",
)


def _strings(node: ast.AST) -> list[str]:
    """The string constants an expression can evaluate to (constants, a ? b : c, tuples)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def emitted_kinds() -> set[str]:
    """Every event kind written by the emitting modules, read from their source."""
    kinds: set[str] = set()
    for name in EMITTERS:
        tree = ast.parse((ROOT / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if func == "_fact" and node.args:
                    kinds.update(_strings(node.args[0]))
                if func == "_record" and len(node.args) >= 3:
                    kinds.update(_strings(node.args[2]))
                for keyword in node.keywords:
                    if keyword.arg == "kind":
                        kinds.update(_strings(keyword.value))
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "kind":
                        kinds.update(_strings(node.value))
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        for t, v in zip(target.elts, node.value.elts, strict=False):
                            if isinstance(t, ast.Name) and t.id == "kind":
                                kinds.update(_strings(v))
                    if isinstance(target, ast.Name) and target.id == "ENROLMENT_DAY_FACTS":
                        for pair in node.value.elts:
                            kinds.update(_strings(pair.elts[0]))
    return kinds


def test_every_event_type_the_facts_modules_emit_has_a_schema():
    kinds = emitted_kinds()
    # the scan finds what it should (a scan finding nothing would prove nothing)
    assert {"case_opened", "transfer_out", "ovc_graduated", "ovc_exited", "follow_up"} <= kinds
    assert len(kinds) >= 15
    assert kinds - set(EVENT_TYPES) == set()
    assert RETRACTED in EVENT_TYPES


def test_an_unknown_type_is_refused_when_written(world):
    with workspace_context(world.acme):
        with pytest.raises(ValueError, match="case_teleported"), transaction.atomic():
            outbox_event_record(kind="case_teleported", payload={"sex": "SFEM"})
        assert not OutboxEvent.objects.filter(kind="case_teleported").exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"child_name": "Akinyi Otieno"}, "child_name"),
        ({"sex": ["SFEM"]}, "sex"),
        ({"county": "0" * 9}, "county"),
    ],
)
def test_a_bad_payload_is_refused_when_written(world, payload, field):
    with workspace_context(world.acme):
        before = OutboxEvent.objects.count()
        with pytest.raises(ValueError, match=field), transaction.atomic():
            outbox_event_record(kind="follow_up", payload=payload)
        assert OutboxEvent.objects.count() == before


def test_a_retraction_carries_no_payload(world):
    refused = pytest.raises(ValueError, match="sex")
    with workspace_context(world.acme), refused, transaction.atomic():
        outbox_event_record(kind=RETRACTED, payload={"sex": "SFEM"}, source="case:1:opened")


def test_the_event_stores_its_type_and_version(world):
    with workspace_context(world.acme), transaction.atomic():
        event = outbox_event_record(kind="case_opened", payload={"sex": "SMAL", "county": 42})
        stored = OutboxEvent.objects.get(pk=event.pk)
        assert (stored.kind, stored.version) == ("case_opened", EVENT_TYPES["case_opened"].current)
        assert stored.payload == {"sex": "SMAL", "county": "42"}  # as its schema types it
        assert payload_read(stored.kind, stored.version, stored.payload).age_band == ""


def test_the_drain_refuses_an_unknown_version_loudly(world):
    with workspace_context(world.acme), transaction.atomic():
        outbox_event_record(kind="case_opened", payload={"sex": "SFEM"})
        future = outbox_event_record(kind="case_opened", payload={"sex": "SMAL"})
        OutboxEvent.objects.filter(pk=future.pk).update(version=99)
    with pytest.raises(UnknownEvent, match="version 99"):
        drain_organisation(world.acme)
    # nothing of the batch counted, and both events still wait for a drain that knows v99
    assert not Fact.objects.filter(organisation=world.acme).exists()
    with workspace_context(world.acme):
        assert OutboxEvent.objects.filter(drained_at__isnull=True).count() >= 2
        OutboxEvent.objects.filter(pk=future.pk).update(version=1)
    assert drain_organisation(world.acme) >= 2

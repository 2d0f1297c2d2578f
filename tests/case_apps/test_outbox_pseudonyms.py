"""Pseudonyms in facts are keyed, made in one place, and restating them keeps the figures."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from django.test import override_settings

from case_apps.cases.facts import case_ref
from case_apps.outbox.models import OutboxEvent
from case_apps.outbox.services import outbox_pseudonyms_restate, person_ref
from case_apps.ovc.facts import _ref
from cpims.pseudonyms import CASE, PERSON, pseudonym
from national_statistics.drain import drain_organisation
from national_statistics.models import ChildMonth, Fact, MerCount, MonthlyCount
from tenants.schema import workspace_context
from tests.case_apps.conftest import open_case
from tests.ovc.conftest import as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def beta_enrolment(world, db):
    from case_apps.ovc import services

    with workspace_context(world.beta):
        household = services.household_register(
            actor=as_member(world.beta_worker, world.beta), head=make_caregiver(), village="K"
        )
        return enrol(world.beta, world.beta_worker, household)


def test_a_pseudonym_is_keyed():
    with override_settings(CPIMS_PSEUDONYM_KEY="one key"):
        first = pseudonym(CASE, "CPIMS/2026/000001")
        assert first == pseudonym(CASE, "CPIMS/2026/000001")  # stable
        assert first != pseudonym(PERSON, "CPIMS/2026/000001")  # each kind its own
    with override_settings(CPIMS_PSEUDONYM_KEY="another key"):
        assert pseudonym(CASE, "CPIMS/2026/000001") != first
    plain = hashlib.sha256(b"CPIMS/2026/000001").hexdigest()
    assert first not in plain  # not the unkeyed hash of a guessable input


def test_without_a_pseudonym_key_the_key_comes_from_the_secret_key():
    with override_settings(CPIMS_PSEUDONYM_KEY="", SECRET_KEY="s" * 50):
        derived = pseudonym(PERSON, "42")
    with override_settings(CPIMS_PSEUDONYM_KEY="", SECRET_KEY="t" * 50):
        assert pseudonym(PERSON, "42") != derived
    with pytest.raises(ValueError):
        pseudonym("name", "Akinyi")


def test_no_other_code_hashes_a_person_or_record_for_facts():
    """Facts' references come from platform/cpims/pseudonyms.py only."""
    hashing = re.compile(r"\b(hashlib|salted_hmac|sha256|md5)\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("case_apps", "national_statistics")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and path.relative_to(ROOT).as_posix()
        not in {
            "national_statistics/demo.py",  # DHIS2 uids
            "case_apps/field/kinds.py",  # a record's change fingerprint (stamp), not in facts
        }
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if hashing.search(line)
    ]
    assert found == []


def _figures(organisations) -> tuple:
    ids = [o.pk for o in organisations]
    cells = Counter()
    for row in MonthlyCount.objects.filter(organisation_id__in=ids, n__gt=0):
        key = (row.month, row.organisation_id, row.event_kind, row.category, row.sex)
        cells[key + (row.age_band, row.county)] += row.n
    children = ChildMonth.objects.filter(organisation_id__in=ids, n__gt=0)
    mer = Counter()
    for row in MerCount.objects.filter(organisation_id__in=ids, n__gt=0):
        mer[(row.quarter, row.organisation_id, row.status, row.hivstat)] += row.n
    return cells, children.values("person_key").distinct().count(), mer


def test_restating_the_pseudonyms_keeps_every_figure(
    world, national_lists, beta_enrolment, settings
):
    settings.CPIMS_PSEUDONYM_KEY = "the key of the past"
    case = open_case(world.acme, world.acme_worker)
    drain_organisation(world.acme)
    drain_organisation(world.beta)
    before = _figures([world.acme, world.beta])
    assert sum(before[0].values()) >= 4 and before[1] == 1

    settings.CPIMS_PSEUDONYM_KEY = "the key of now"
    for organisation in (world.acme, world.beta):
        with workspace_context(organisation):
            assert outbox_pseudonyms_restate() > 0
            assert outbox_pseudonyms_restate() == 0  # idempotent
        drain_organisation(organisation)

    assert _figures([world.acme, world.beta]) == before
    with workspace_context(world.acme):
        expected_case = {case_ref(case)}
        expected_person = {person_ref(case.child_id)}
    facts = Fact.objects.filter(organisation=world.acme, source__startswith=f"case:{case.pk}:")
    assert set(facts.values_list("case_ref", flat=True)) == expected_case
    assert set(facts.values_list("person_ref", flat=True)) == expected_person
    enrolment = beta_enrolment
    with workspace_context(world.beta):
        expected_ovc = _ref(world.beta, enrolment)
        assert OutboxEvent.objects.filter(payload__case_ref=expected_ovc).exists()
    ovc_facts = Fact.objects.filter(organisation=world.beta, source__startswith="ovc:")
    assert set(ovc_facts.values_list("case_ref", flat=True)) == {expected_ovc}


def test_the_restate_command_runs_in_an_organisation_and_not_on_the_platform(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("restate_pseudonyms", stdout=out)
    assert "per organisation" in out.getvalue()
    with workspace_context(world.acme):
        call_command("restate_pseudonyms", stdout=out)
    assert re.search(rf"{world.acme.schema_name}: \d+ facts restated", out.getvalue())

"""Intake fixtures: the Seme sub-county office (042 / 241), the Kisumu county office (042)
and the Westlands sub-county office (047 / 274), with a case worker each and a supervisor
in Seme; the geography; a 116 helpline intake client; and a signed request helper. Seme,
not Kisumu Central: other suites make offices and institutions in Kisumu Central, and
routing picks the first office of a sub-county."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intake.models import IntakeClient
from intake.services_clients import intake_client_create
from intake.signing import signature_of
from provisioning.services import organisation_provision
from tenants.actor import Actor
from tenants.models import Organisation, OrganisationKind, Role, User
from tenants.services import membership_grant, organisation_create
from tests.factories import UserFactory


@dataclass
class IntakeWorld:
    office: Organisation  # Seme sub-county office (042 / 241)
    county_office: Organisation  # Kisumu county office (042)
    westlands: Organisation  # Westlands sub-county office (047 / 274)
    worker: User  # case worker of Seme
    supervisor: User  # supervisor of Seme
    westlands_worker: User
    hq: User


@pytest.fixture(scope="session")
def intake_world(world, kenya_geography, django_db_blocker) -> IntakeWorld:
    with django_db_blocker.unblock():
        office = organisation_provision(
            organisation=organisation_create(
                name="Seme Sub-County Children Office",
                slug="seme-office",
                kind=OrganisationKind.DCS_SUB_COUNTY_OFFICE,
                county_code="042",
                sub_county_code="241",
            )
        )
        county_office = organisation_provision(
            organisation=organisation_create(
                name="Kisumu County Children Office",
                slug="kisumu-county",
                kind=OrganisationKind.DCS_COUNTY_OFFICE,
                county_code="042",
            )
        )
        westlands = organisation_provision(
            organisation=organisation_create(
                name="Westlands Sub-County Children Office",
                slug="westlands",
                kind=OrganisationKind.DCS_SUB_COUNTY_OFFICE,
                county_code="047",
                sub_county_code="274",
            )
        )
        worker = UserFactory(email="worker@seme-office.test", full_name="Otieno Officer")
        supervisor = UserFactory(email="supervisor@seme-office.test", full_name="Sue Pervisor")
        westlands_worker = UserFactory(email="worker@westlands.test", full_name="Wanjiku Worker")
        membership_grant(user=worker, organisation=office, roles=[Role.CASE_WORKER])
        membership_grant(user=supervisor, organisation=office, roles=[Role.SUPERVISOR])
        membership_grant(user=westlands_worker, organisation=westlands, roles=[Role.CASE_WORKER])
    return IntakeWorld(
        office=office,
        county_office=county_office,
        westlands=westlands,
        worker=worker,
        supervisor=supervisor,
        westlands_worker=westlands_worker,
        hq=world.hq_admin,
    )


@dataclass
class Source:
    client: IntakeClient
    secret: str


@pytest.fixture
def helpline(intake_world, national_lists, db) -> Source:
    created = intake_client_create(
        actor=Actor(user=intake_world.hq), name="Childline Kenya", source_kind="helpline_116"
    )
    return Source(created.client, created.secret)


def report_body(**overrides) -> dict:
    body = {
        "source_reference": f"CL-{uuid.uuid4().hex[:10]}",
        "reported_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "urgency": "urgent",
        "category": "CSIC",
        "narrative": "A neighbour called: the girl has not been fed for three days.",
        "child": {"first_name": "Akinyi", "surname": "Odhiambo", "sex": "female", "age": 9},
        "reporter": {"name": "Mary Atieno", "phone": "+254700000001", "relationship": "neighbour"},
        "place": {"county_code": "042", "sub_county_code": "241"},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return body


def signed_headers(
    source: Source,
    raw: bytes,
    *,
    nonce: str | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or uuid.uuid4().hex
    return {
        "HTTP_X_CPIMS_KEY": source.client.key_id,
        "HTTP_X_CPIMS_TIMESTAMP": ts,
        "HTTP_X_CPIMS_NONCE": nonce,
        "HTTP_X_CPIMS_SIGNATURE": signature_of(secret or source.secret, ts, nonce, raw),
    }


def signed_post(source: Source, body: dict | bytes, **options):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Client(HTTP_HOST="localhost").post(
        "/api/v1/intake/reports",
        raw,
        content_type="application/json",
        **signed_headers(source, raw, **options),
    )


def signed_get(source: Source, path: str, **options):
    return Client(HTTP_HOST="localhost").get(path, **signed_headers(source, b"", **options))

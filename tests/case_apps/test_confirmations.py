"""Confirmations say what happened: the thing and the outcome, not "Done." (docs/ui.md,
*Confirmations*; issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from django.utils.formats import date_format

from audit.services import token_create
from case_apps.cases.models import ApprovalRequest
from case_apps.ovc.models import Household
from tenants.actor import member_actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import closure_form_data, make_child, open_case, search_ref
from tests.conftest import client_on
from tests.ovc.conftest import make_caregiver

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    assert response.status_code == 302, response.content.decode()[-3000:]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_closing_a_case_names_the_case_and_the_day(world, team):
    case = open_case(world.acme, team.worker, make_child("Akinyi", "Otieno"))
    worker = client_on(world.acme, team.worker)
    with workspace_context(world.acme):
        extra = closure_form_data(case)
    asked = worker.post(
        f"/cases/{case.pk}/closure/",
        {"closure_reason": "COEN", "notes": "Child reunited and settled", **extra},
    )
    assert said(asked) == [
        f"Closure of case {case.national_reference} sent to a supervisor for approval."
    ]
    with workspace_context(world.acme):
        approval = ApprovalRequest.objects.get(case=case)
    decided = client_on(world.acme, team.supervisor).post(
        f"/cases/approvals/{approval.pk}/", {"decision": "approve", "reason": ""}
    )
    today = date_format(timezone.localdate())
    assert said(decided) == [f"Case {case.national_reference} closed on {today}."]


def test_a_referral_and_a_reassignment_name_where_the_case_went(world, team):
    case = open_case(world.acme, team.worker)
    referred = client_on(world.acme, team.worker).post(
        f"/cases/{case.pk}/referrals/new/",
        {
            "actor": "RDNA",
            "destination": "RDPH",
            "destination_name": "Tumaini Health Centre",
            "reasons": ["RMTX"],
            "referred_on": timezone.localdate().isoformat(),
        },
    )
    assert said(referred) == [
        f"Referral to Tumaini Health Centre recorded on case {case.national_reference}."
    ]
    moved = client_on(world.acme, team.supervisor).post(
        f"/cases/{case.pk}/reassign/", {"officer": team.other_worker.pk, "reason": "Annual leave"}
    )
    assert said(moved) == [f"Case {case.national_reference} moved to Otto Other."]


def test_consent_names_the_child_the_giver_and_until_when(world, team):
    child = make_child("Neema", "Chepkoech")
    case = open_case(world.acme, team.worker, child)
    until = timezone.localdate() + timedelta(days=60)
    recorded = client_on(world.acme, team.worker).post(
        f"/cases/{case.pk}/consents/new/",
        {
            "given_by": "parent",
            "giver_name": "Mary Chepkoech",
            "giver_relationship": "Mother",
            "reference": "",
            "purpose": "Continuity of care",
            "fields": ["case_summary:national_reference"],
            "given_on": timezone.localdate().isoformat(),
            "valid_until": until.isoformat(),
        },
    )
    assert said(recorded) == [
        f"Consent recorded for {child.full_name}, given by Mary Chepkoech, "
        f"valid until {date_format(until)}."
    ]


def test_a_household_names_its_number_and_head(world, kenya_geography):
    head = make_caregiver("Rose", "Atieno")
    client = client_on(world.beta, world.beta_worker)
    ref = search_ref(world.beta, world.beta_worker, head)  # a registry search showed her
    registered = client.post(
        f"/ovc/households/new/?person={head.pk}&ref={ref}",
        {
            "head_member_type": "CGPM",
            "head_hiv_status": "HSTN",
            "village": "Kondele",
            "county_code": "042",
            "sub_county_code": "",
            "ward_code": "",
        },
    )
    with workspace_context(world.beta):
        household = Household.objects.get(head=head)
    assert said(registered) == [
        f"Household {household.number} registered, headed by {head.full_name}."
    ]


def test_kiswahili_confirmations_name_the_thing_too(world, team):
    case = open_case(world.acme, team.worker)
    worker = client_on(world.acme, team.worker)
    worker.cookies["django_language"] = "sw"
    with workspace_context(world.acme):
        extra = closure_form_data(case)
    asked = worker.post(
        f"/cases/{case.pk}/closure/",
        {"closure_reason": "COEN", "notes": "Child reunited and settled", **extra},
        HTTP_ACCEPT_LANGUAGE="sw",
    )
    assert said(asked) == [
        f"Kufungwa kwa kesi {case.national_reference} kumetumwa kwa msimamizi ili kuidhinishwe."
    ]


def test_revoking_a_token_names_it_and_only_its_owner_in_its_workspace_may(world):
    token, _raw = token_create(actor=member_actor(world.acme_worker, world.acme), name="Laptop")
    url = f"/account/tokens/{token.pk}/revoke/"
    assert client_on(world.beta, world.beta_worker).post(url).status_code == 404
    revoked = client_on(world.acme, world.acme_worker).post(url)
    assert said(revoked) == ["Token “Laptop” revoked: it no longer opens the API."]

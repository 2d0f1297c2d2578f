"""The M&E lists of HIV care (selectors_hiv): what each list holds, its period, and the
actor's caseload scope; a viewer reads them but records nothing."""

from __future__ import annotations

import pytest

from case_apps.ovc import services, services_care
from case_apps.ovc.models import Enrolment
from case_apps.ovc.selectors_hiv import (
    AWAITING_TEST,
    LINKED,
    SCREENED,
    TESTED,
    HivListFilters,
    hei_due_list,
    screening_list,
)
from tenants.models import Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import as_member, enrol, make_caregiver
from tests.ovc.hiv_helpers import JOOTRH, days_ago, facilities, make_infant, screen_and_test  # noqa: F401

pytestmark = pytest.mark.django_db


def names(rows) -> list[str]:
    return [row.enrolment.child.first_name.title() for row in rows]


@pytest.mark.usefixtures("facilities")
def test_each_list_holds_its_own_children_in_the_period(world, beta_household):
    actor = as_member(world.beta_worker, world.beta)
    with workspace_context(world.beta):
        household = beta_household.household
        referred = enrol(
            world.beta, world.beta_worker, household, child=make_child("Referred", "W")
        )
        services.hiv_screening_record(
            actor=actor,
            enrolment=referred,
            screened_on=days_ago(40),
            status_known="HSKN",
            tested_last_6_months=False,
            risks=["sexual_abuse"],
            referred_on=days_ago(39),
        )
        on_art = enrol(world.beta, world.beta_worker, household, child=make_child("Onart", "W"))
        screen_and_test(world, on_art)
        Enrolment.objects.filter(pk=on_art.pk).update(art_status="ARAR")
        completed = screen_and_test(
            world, beta_household.enrolment, art_referred_on=days_ago(9), art_facility=JOOTRH
        )
        services_care.hiv_art_referral_complete(
            actor=actor, screening=completed, art_referral_completed_on=days_ago(2)
        )
        recent = HivListFilters(period_from=days_ago(30), period_to=days_ago(0))
        assert sorted(names(screening_list(actor=actor, kind=SCREENED, filters=recent))) == [
            "Baraka",
            "Onart",
        ]
        assert names(screening_list(actor=actor, kind=AWAITING_TEST)) == ["Referred"]
        assert names(screening_list(actor=actor, kind=AWAITING_TEST, filters=recent)) == []
        assert sorted(names(screening_list(actor=actor, kind=TESTED, filters=recent))) == [
            "Baraka",
            "Onart",
        ]
        assert sorted(names(screening_list(actor=actor, kind=LINKED, filters=recent))) == [
            "Baraka",
            "Onart",
        ]
        last_days = HivListFilters(period_from=days_ago(3))
        assert names(screening_list(actor=actor, kind=LINKED, filters=last_days)) == ["Baraka"]
        found = HivListFilters(search="referred")
        assert names(screening_list(actor=actor, kind=AWAITING_TEST, filters=found)) == ["Referred"]
        assert screening_list(actor=actor, kind="nonsense").count() == 0


def test_lists_keep_to_the_caseload(world, beta_household):
    colleague = UserFactory(email="colleague-hiv@beta.test")
    membership_grant(user=colleague, organisation=world.beta, roles=[Role.CASE_WORKER])
    with workspace_context(world.beta):
        theirs = services.household_register(
            actor=as_member(colleague, world.beta), head=make_caregiver("Rose", "Achieng")
        )
        infant = make_infant(world, beta_household.household)
        other = enrol(world.beta, colleague, theirs, child=make_child("Theirs", "A"))
        services.hiv_screening_record(
            actor=as_member(colleague, world.beta),
            enrolment=other,
            screened_on=days_ago(1),
            status_known="HSKN",
            tested_last_6_months=False,
            risks=[],
        )
        mine = as_member(world.beta_worker, world.beta)
        assert names(screening_list(actor=mine, kind=SCREENED)) == []
        assert names(screening_list(actor=as_member(colleague, world.beta), kind=SCREENED)) == [
            "Theirs"
        ]
        assert [row.enrolment.pk for row in hei_due_list(actor=mine, today=days_ago(0))] == [
            infant.pk
        ]
        assert hei_due_list(actor=as_member(colleague, world.beta), today=days_ago(0)) == []


def test_a_viewer_reads_the_lists_but_records_no_hiv_form(world, beta_household):
    viewer = UserFactory(email="viewer-hiv@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    client = client_on(world.beta, viewer)
    household, enrolment = beta_household.household, beta_household.enrolment
    assert client.get("/ovc/hiv/?list=tested").status_code == 200
    assert client.get(f"/ovc/households/{household.pk}/caregiver-hiv/new/").status_code == 403
    assert client.post(f"/ovc/children/{enrolment.pk}/screening/required/").status_code == 403
    assert client.get("/ovc/facilities/?q=k").status_code == 403
    page = client.get(f"/ovc/households/{household.pk}/").content
    assert b"caregiver-hiv/new" not in page

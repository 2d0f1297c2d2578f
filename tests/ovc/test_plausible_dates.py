"""Issue 14, finding 5 (the gap left): OVC dates follow the rule case dates follow
(shared_registry/plausibility.py): none before 1 January 1990, none before the child's birth
(1 January of the year of birth when only the year is known). The screens call the
same services, tested here too."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from case_apps.ovc import services
from case_apps.ovc.models import Cpara, Enrolment
from shared_registry.services import person_register
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, search_ref
from tests.conftest import client_on
from tests.ovc.conftest import ALL_MET, as_member, enrol

pytestmark = pytest.mark.django_db

TOO_EARLY = "before 1 January 1990"
BEFORE_BIRTH = "before the child was born"


def _refused(call, field_name: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.message_dict[field_name])


def test_a_registration_before_1990_or_before_birth_is_refused(world, beta_household):
    household = beta_household.household
    by_year = person_register(first_name="Juma", surname="Wanjiku", sex="SMAL", birth_year=2016)
    with workspace_context(world.beta):
        cases = (
            (make_child("Early", "Wanjiku"), date(1989, 12, 31), TOO_EARLY),
            (make_child("Unborn", "Wanjiku"), date(2014, 3, 8), BEFORE_BIRTH),  # born 9 March
            (by_year, date(2015, 12, 31), BEFORE_BIRTH),
        )
        for child, day, why in cases:
            message = _refused(
                lambda child=child, day=day: enrol(
                    world.beta, world.beta_worker, household, child, registration_date=day
                ),
                "registration_date",
            )
            assert why in message, (child, day)
        assert not Enrolment.objects.filter(child_id__in=[c.pk for c, _d, _w in cases]).exists()
        # 1 January of the year of birth is plausible for a child known by year
        enrol(world.beta, world.beta_worker, household, by_year, registration_date=date(2016, 1, 1))


def test_services_assessments_and_exits_before_1990_are_refused(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    old = date(1900, 1, 1)
    with workspace_context(world.beta):
        service = _refused(
            lambda: services.service_record(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=enrolment,
                domain="healthy",
                service="CP42HE",
                provider="Beta",
                date=old,
            ),
            "date",
        )
        cpara = _refused(
            lambda: services.cpara_record(
                actor=as_member(world.beta_worker, world.beta),
                household=household,
                assessed_on=old,
                answers=ALL_MET,
            ),
            "assessed_on",
        )
        wellbeing = _refused(
            lambda: services.wellbeing_record(
                actor=as_member(world.beta_worker, world.beta),
                household=household,
                kind="WBGA",
                assessed_on=old,
                answers={},
                enrolment=enrolment,
            ),
            "assessed_on",
        )
        exited = _refused(
            lambda: services.enrolment_exit(
                actor=as_member(world.beta_worker, world.beta),
                enrolment=enrolment,
                exit_reason="ERDE",
                exit_date=old,
            ),
            "exit_date",
        )
        assert not Cpara.objects.filter(household=household).exists()
    for message in (service, cpara, wellbeing, exited):
        assert TOO_EARLY in message


def test_the_screens_refuse_an_implausible_date_and_save_nothing(world, beta_household):
    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    answers = {f"benchmark_{n}": a for n, a in ALL_MET.items()}
    page = client.post(
        f"/ovc/households/{household.pk}/cpara/new/", {"assessed_on": "1900-01-01", **answers}
    )
    assert page.status_code == 200 and TOO_EARLY in page.content.decode()
    child = make_child("Screen", "Wanjiku")
    ref = search_ref(world.beta, world.beta_worker, child)
    page = client.post(
        f"/ovc/households/{household.pk}/enrol/?person={child.pk}&ref={ref}",
        {
            "programme": "POVC",
            "registration_date": "2014-01-01",
            "entry_point": "community",
            "eligibility": ["ECFD", "ECHV"],
            "hiv_status": "HSTN",
            "school_level": "SLPR",
        },
    )
    assert page.status_code == 200 and BEFORE_BIRTH in page.content.decode()
    with workspace_context(world.beta):
        assert not Cpara.objects.filter(household=household).exists()
        assert not Enrolment.objects.filter(child_id=child.pk).exists()

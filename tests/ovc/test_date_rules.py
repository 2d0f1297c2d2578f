"""Issue 18, point 2: the back-dating rule on first entry. A registration dated more than
28 days before the day it is entered is refused when the enrolment is made (not only when
it is corrected); services, assessments, HIV screenings and exits at most 90 days back
(case_apps/ovc/date_rules.py). Refused input saves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.ovc import date_rules, services
from case_apps.ovc.models import Cpara, Enrolment, HivScreening, ServiceRecord
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, search_ref
from tests.conftest import client_on
from tests.ovc.conftest import ALL_MET, as_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _enrol(world, household, child, days_back: int, day=None) -> Enrolment:
    return services.child_enrol(
        actor=as_member(world.beta_worker, world.beta),
        household=household,
        child=child,
        registration_date=day or TODAY() - timedelta(days=days_back),
        eligibility=["ECFD"],
        hiv_status="HSTN",
        school_level="SLPR",
    )


def test_a_registration_more_than_28_days_back_is_refused_at_entry(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        late = make_child("Late", "Wanjiku")
        with pytest.raises(ValidationError) as error:
            _enrol(world, household, late, 29)
        assert "28 days" in " ".join(error.value.message_dict["registration_date"])
        assert not Enrolment.objects.filter(child=late.pk).exists()
        assert _enrol(world, household, make_child("InTime", "Wanjiku"), 28).pk


def test_the_day_of_entry_decides_not_the_day_it_records(world, beta_household):
    """A form entered on the day (replayed history) may carry that day's date."""
    household = beta_household.household
    with workspace_context(world.beta):
        day = TODAY() - timedelta(days=200)
        with date_rules.entered_on(day + timedelta(days=28)):
            assert _enrol(world, household, make_child("Replay", "Wanjiku"), 0, day).pk
        with date_rules.entered_on(day + timedelta(days=29)), pytest.raises(ValidationError):
            _enrol(world, household, make_child("Replay2", "Wanjiku"), 0, day)
    assert date_rules.entry_day() == TODAY()  # the context is left as found


def test_services_assessments_screenings_and_exits_go_back_at_most_90_days(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    enrolment.registration_date = TODAY() - timedelta(days=300)
    with workspace_context(world.beta):
        enrolment.save(update_fields=["registration_date"])
        actor = as_member(world.beta_worker, world.beta)
        too_old, oldest = TODAY() - timedelta(days=91), TODAY() - timedelta(days=90)
        calls = {
            "date": lambda day: services.service_record(
                actor=actor,
                enrolment=enrolment,
                domain="healthy",
                service="CP212HE",
                provider="CHV",
                date=day,
            ),
            "assessed_on": lambda day: services.cpara_record(
                actor=actor, household=household, assessed_on=day, answers=ALL_MET
            ),
            "screened_on": lambda day: services.hiv_screening_record(
                actor=actor,
                enrolment=enrolment,
                screened_on=day,
                status_known="HSKN",
                tested_last_6_months=False,
                risks=[],
            ),
        }
        for field_name, call in calls.items():
            with pytest.raises(ValidationError) as error:
                call(too_old)
            assert "90 days" in " ".join(error.value.message_dict[field_name])
        assert not ServiceRecord.objects.filter(enrolment=enrolment).exists()
        assert not Cpara.objects.filter(household=household).exists()
        assert not HivScreening.objects.filter(enrolment=enrolment).exists()
        for call in calls.values():
            assert call(oldest).pk
        with pytest.raises(ValidationError) as error:
            services.enrolment_exit(
                actor=actor, enrolment=enrolment, exit_reason="ERRL", exit_date=too_old
            )
        assert "90 days" in " ".join(error.value.message_dict["exit_date"])


def test_the_enrolment_screen_refuses_a_late_registration_keeping_what_was_typed(
    world, beta_household
):
    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    child = make_child("Typed", "Wanjiku")
    ref = search_ref(world.beta, world.beta_worker, child)
    late = (TODAY() - timedelta(days=40)).isoformat()
    page = client.post(
        f"/ovc/households/{household.pk}/enrol/?person={child.pk}&ref={ref}",
        {
            "programme": "POVC",
            "registration_date": late,
            "entry_point": "community",
            "eligibility": ["ECFD"],
            "hiv_status": "HSKN",
            "school_level": "SLPR",
            "school_class": "Grade 4",
        },
    )
    body = page.content.decode()
    assert page.status_code == 200 and "28 days" in body
    assert f'value="{late}"' in body and 'value="Grade 4"' in body
    with workspace_context(world.beta):
        assert not Enrolment.objects.filter(child=child.pk).exists()

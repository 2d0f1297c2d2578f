"""Case plans from the national lists: goal, gap, priority and services of the line's domain
(refused naming the field otherwise), an optional target date, the result with its date and
reason, and the plan's progress per domain on the household page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.lists.data_ovc_plans import DOMAINS, GOALS, OVC_PLAN_LISTS
from case_apps.lists.models import ListItem
from case_apps.ovc import services
from case_apps.ovc.models import CasePlanItem
from case_apps.ovc.selectors_plans import case_plan_progress
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.ovc.conftest import as_member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
BENCHMARK_DOMAINS = ["HE", "HE", "HE", "HE", "ST", "SA", "SA", "SA", "SC"]


def _add(world, household, **overrides) -> CasePlanItem:
    line = {
        "household": household,
        "domain": "healthy",
        "goal": "GH1HE",
        "gap": "GN12HE",
        "services": ["CP13HE", "CP14HE"],
        "responsible": "chv",
    }
    line.update(overrides)
    return services.case_plan_item_add(actor=as_member(world.beta_worker, world.beta), **line)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_the_national_codes_are_loaded_one_goal_per_cpara_benchmark(world):
    goals = [code for domain in DOMAINS for code, _en, _sw in GOALS[domain]]
    assert goals == [f"GH{n}{d}" for n, d in enumerate(BENCHMARK_DOMAINS, 1)]
    loaded = set(
        ListItem.objects.filter(list_name__in=OVC_PLAN_LISTS).values_list("list_name", "code")
    )
    assert {(name, code) for name, items in OVC_PLAN_LISTS.items() for code, *_ in items} == (
        loaded
    )
    assert ("ovc_service_healthy", "CP13HE") in loaded and (
        "ovc_cp_gap_healthy",
        "GN12HE",
    ) in loaded
    assert all(label and sw for items in OVC_PLAN_LISTS.values() for _c, label, sw in items)


def test_a_coded_line_with_several_services_and_no_target_date(world, beta_household):
    with workspace_context(world.beta):
        item = _add(world, beta_household.household, priority="P13HE")
        item.refresh_from_db()
    assert (item.domain, item.goal, item.gap, item.priority) == (
        "healthy",
        "GH1HE",
        "GN12HE",
        "P13HE",
    )
    assert item.services == ["CP13HE", "CP14HE"] and item.due_date is None


def test_codes_of_another_domain_are_refused_naming_the_field(world, beta_household):
    with workspace_context(world.beta):
        with pytest.raises(ValidationError) as excinfo:
            _add(
                world,
                beta_household.household,
                domain="safe",
                goal="GH1HE",  # healthy
                gap="GN92SC",  # schooled
                priority="P51ST",  # stable
                services=["CP62SA", "CP13HE"],  # safe, healthy
            )
        errors = _errors(excinfo)
        assert set(errors) == {"goal", "gap", "priority", "services"}
        assert "another domain" in errors["services"][0] and "CP13HE" in errors["services"][0]
        with pytest.raises(ValidationError) as excinfo:
            _add(world, beta_household.household, goal="NOPE", services=["Bursary"])
        assert _errors(excinfo) == {
            "goal": ["Unknown code “NOPE”."],
            "services": ["Unknown code “Bursary”."],
        }
        with pytest.raises(ValidationError) as excinfo:
            _add(world, beta_household.household, services=[])
        assert set(_errors(excinfo)) == {"services"}
        assert not CasePlanItem.objects.exists()


def test_result_not_achieved_needs_a_reason_and_a_date(world, beta_household):
    with workspace_context(world.beta):
        item = _add(world, beta_household.household, due_date=TODAY() + timedelta(days=30))
        actor = as_member(world.beta_worker, world.beta)
        with pytest.raises(ValidationError) as excinfo:
            services.case_plan_item_complete(
                actor=actor, item=item, completed_on=TODAY() + timedelta(days=1), achieved=False
            )
        assert set(_errors(excinfo)) == {"completed_on", "result_notes"}
        services.case_plan_item_complete(
            actor=actor,
            item=item,
            completed_on=TODAY(),
            achieved=False,
            result_notes="Clinic closed",
        )
        item.refresh_from_db()
    assert item.achieved is False and item.result_notes == "Clinic closed"


def test_progress_per_domain_counts_achieved_and_overdue(world, beta_household):
    household = beta_household.household
    actor = as_member(world.beta_worker, world.beta)
    with workspace_context(world.beta):
        done = _add(world, household)
        services.case_plan_item_complete(
            actor=actor, item=done, completed_on=TODAY(), achieved=True
        )
        _add(world, household, due_date=TODAY() - timedelta(days=1))  # overdue
        _add(world, household, due_date=TODAY() + timedelta(days=9))  # open, on time
        _add(
            world,
            household,
            domain="schooled",
            goal="GH9SC",
            gap="GN94SC",
            services=["CP99SC"],
        )
        progress = {p.domain: p for p in case_plan_progress(household)}
    assert list(progress) == ["healthy", "schooled"]
    healthy = progress["healthy"]
    assert (healthy.items, healthy.achieved, healthy.overdue, healthy.percent) == (3, 1, 1, 33)
    page = client_on(world.beta, world.beta_worker).get(f"/ovc/households/{household.pk}/")
    assert b"1 of 4 achieved" in page.content
    assert b"GH 1: Increase diagnosis of HIV infection" in page.content
    assert b"CP 1.3: Referral for early infant diagnosis" in page.content


def test_the_form_groups_codes_by_domain_and_keeps_input_on_errors(world, beta_household):
    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    url = f"/ovc/households/{household.pk}/plan/new/"
    form = client.get(url).content.decode()
    assert '<optgroup label="Healthy">' in form and 'value="CP13HE"' in form
    response = client.post(
        url,
        {
            "domain": "stable",
            "goal": "GH5ST",
            "gap": "GN51ST",
            "services": ["CP55ST", "CP13HE"],
            "responsible": "caregiver",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "CP13HE is not one of the available choices" in page  # narrowed to stable
    assert re.search(r'value="CP55ST"[^>]*selected', page)
    with workspace_context(world.beta):
        assert not household.plan_items.exists()
    response = client.post(
        url,
        {
            "domain": "stable",
            "goal": "GH5ST",
            "gap": "GN51ST",
            "services": ["CP55ST", "CP57ST"],
            "responsible": "caregiver",
            "enrolment": beta_household.enrolment.pk,
        },
    )
    assert response.status_code == 302
    with workspace_context(world.beta):
        item = household.plan_items.get()
    assert (
        item.services == ["CP55ST", "CP57ST"] and item.enrolment_id == beta_household.enrolment.pk
    )
    result = client.post(
        f"/ovc/households/{household.pk}/plan/{item.pk}/complete/",
        {"completed_on": TODAY().isoformat(), "achieved": "0"},
    )
    assert result.status_code == 200 and b"Say why" in result.content


def test_lines_typed_before_codes_stay_readable(world, beta_household):
    household = beta_household.household
    with workspace_context(world.beta):
        CasePlanItem.objects.create(
            household=household,
            domain="safe",
            need_text="No birth certificate",
            goal_text="Child gets a certificate",
            services_text="Escort to the registrar",
            responsible="chv",
            recorded_by_id=world.beta_worker.pk,
        )
    page = client_on(world.beta, world.beta_worker).get(f"/ovc/households/{household.pk}/")
    assert b"Escort to the registrar" in page.content
    assert b"Child gets a certificate" in page.content


def test_screens_of_case_plans_give_nothing_to_anyone_else(world, beta_programme):
    from tenants.models import Organisation

    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    household, _enrolment, _screening, item = beta_programme
    urls = [
        f"/ovc/households/{household.pk}/plan/new/",
        f"/ovc/households/{household.pk}/plan/{item.pk}/complete/",
    ]
    post = {"completed_on": TODAY().isoformat(), "achieved": "1"}
    for client in (
        client_on(world.acme, world.acme_admin),
        client_on(world.beta, world.acme_admin),
        client_on(world.beta),
    ):
        for url in urls:
            assert client.get(url).status_code in (302, 403, 404)
            assert client.post(url, post).status_code in (302, 403, 404)
    with workspace_context(world.beta):
        item.refresh_from_db()
        assert item.completed_on is None and household.plan_items.count() == 1


def test_choosing_the_domain_narrows_the_codes_and_keeps_what_was_typed(world, beta_household):
    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    url = f"/ovc/households/{household.pk}/plan/new/"
    assert f'hx-get="{url}"' in client.get(url).content.decode()
    narrowed = client.get(url, {"domain": "schooled", "responsible": "ngo"}).content.decode()
    assert 'value="GH9SC"' in narrowed and 'value="CP99SC"' in narrowed
    assert 'value="GH1HE"' not in narrowed and 'value="CP13HE"' not in narrowed
    assert re.search(r'value="ngo"[^>]*selected', narrowed)

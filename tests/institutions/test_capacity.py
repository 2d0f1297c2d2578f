"""Places and vacancies (issue 19): the places per sex and age band set by a supervisor or the
administrator (all or nothing), vacancies never negative (over capacity shows as "over by N"),
the screen, the API (422 naming the field) and isolation between organisations."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.institutions.models import InstitutionCapacity
from case_apps.institutions.selectors_residents import capacity_table
from case_apps.institutions.services_residents import capacity_set
from tenants.actor import Forbidden
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child
from tests.conftest import client_on
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db


def _girl_of_twelve():
    today = timezone.localdate()
    return make_child("Wanjiru", "Twelve", sex="SFEM", date_of_birth=date(today.year - 12, 1, 1))


def _row(table, sex, band):
    return next(r for r in table.rows if (r.sex, r.age_band) == (sex, band))


def test_places_less_residents_are_the_vacancies_never_negative(world):
    admin = actor_of(world.acme, world.acme_admin)
    for _ in range(3):
        make_admission(world.acme, world.acme_admin, _girl_of_twelve())
    with workspace_context(world.acme):
        assert capacity_set(actor=admin, places={("SFEM", "11-15"): 5, ("SMAL", "0-5"): 2}) == 2
        table = capacity_table(actor=admin)
        girls = _row(table, "SFEM", "11-15")
        assert (girls.places, girls.residents, girls.vacancies, girls.over_by) == (5, 3, 2, 0)
        assert table.places == 7 and table.vacancies == 4 and table.residents == 3
        capacity_set(actor=admin, places={("SFEM", "11-15"): 1})
        girls = _row(capacity_table(actor=admin), "SFEM", "11-15")
        assert (girls.vacancies, girls.over_by) == (0, 2)
        capacity_set(actor=admin, places={("SMAL", "0-5"): None})  # removed
        assert not InstitutionCapacity.objects.filter(sex="SMAL").exists()


def test_one_bad_figure_refuses_the_whole_change_and_a_case_worker_may_not_set_places(world):
    admin = actor_of(world.acme, world.acme_admin)
    with workspace_context(world.acme):
        with pytest.raises(ValidationError) as refused:
            capacity_set(actor=admin, places={("SFEM", "0-5"): 4, ("SMAL", "6-10"): -1})
        assert "SMAL_6-10" in refused.value.message_dict
        with pytest.raises(ValidationError):
            capacity_set(actor=admin, places={("SINT", "0-5"): 4})
        assert not InstitutionCapacity.objects.exists()  # nothing half-saved
        with pytest.raises(Forbidden):
            capacity_set(actor=actor_of(world.acme, world.acme_worker), places={})


def test_the_places_screen_saves_and_keeps_what_was_typed_when_it_fails(world):
    make_admission(world.acme, world.acme_admin, _girl_of_twelve())
    client = client_on(world.acme, world.acme_admin)
    assert client.get("/institution/places/").status_code == 200
    failed = client.post("/institution/places/", {"SFEM_11-15": "7", "SMAL_0-5": "-4"})
    assert failed.status_code == 200
    assert 'value="7"' in failed.content.decode()
    saved = client.post("/institution/places/", {"SFEM_11-15": "1", "SMAL_0-5": ""})
    assert saved.status_code == 302
    register = client.get("/institution/").content.decode()
    assert "over by" not in register
    make_admission(world.acme, world.acme_admin, _girl_of_twelve())
    assert "over by 1" in client.get("/institution/").content.decode()
    worker = client_on(world.acme, world.acme_worker)
    assert worker.get("/institution/places/").status_code == 403


def test_the_capacity_api_reads_and_sets_places_with_422s_naming_the_field(world):
    admin = client_on(world.acme, world.acme_admin)
    url = "/api/v1/institution/capacity"
    body = {"groups": [{"sex": "SFEM", "age_band": "11-15", "places": 4}]}
    answer = admin.put(url, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["changed"] == 1
    girls = next(
        g for g in admin.get(url).json() if g["age_band"] == "11-15" and g["sex"] == "SFEM"
    )
    assert girls["places"] == 4 and girls["vacancies"] == 4
    bad = admin.put(
        url,
        {"groups": [{"sex": "SFEM", "age_band": "11-15", "places": -1}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "places" in bad.content.decode()
    bad_band = admin.put(
        url, {"groups": [{"sex": "SFEM", "age_band": "9-99"}]}, content_type="application/json"
    )
    assert bad_band.status_code == 422 and "age_band" in bad_band.content.decode()
    as_true = admin.put(
        url,
        {"groups": [{"sex": "SFEM", "age_band": "11-15", "places": True}]},
        content_type="application/json",
    )
    assert as_true.status_code == 422 and "places" in as_true.content.decode()
    with workspace_context(world.acme):
        assert InstitutionCapacity.objects.get(sex="SFEM", age_band="11-15").places == 4
    worker = client_on(world.acme, world.acme_worker)
    assert worker.put(url, body, content_type="application/json").status_code == 403


def test_another_organisation_reads_only_its_own_places(world, institutions_world):
    with workspace_context(world.acme):
        capacity_set(actor=actor_of(world.acme, world.acme_admin), places={("SMAL", "0-5"): 9})
    rescue = client_on(institutions_world.rescue, institutions_world.rescue_worker)
    groups = rescue.get("/api/v1/institution/capacity").json()
    assert all(g["places"] is None for g in groups)
    assert (
        rescue.put(
            "/api/v1/institution/capacity",
            {"groups": [{"sex": "SMAL", "age_band": "0-5", "places": 1}]},
            content_type="application/json",
        ).status_code
        == 403
    )
    beta = client_on(world.beta, world.beta_worker)
    assert beta.get("/api/v1/institution/capacity").status_code in (403, 404)


def test_the_demo_places_load_once(world):
    from case_apps.institutions.demo_residents import DEMO_PLACES, capacity_load_demo

    with workspace_context(world.acme):
        assert capacity_load_demo(organisation=world.acme) == len(DEMO_PLACES)
        assert capacity_load_demo(organisation=world.acme) == 0
        assert InstitutionCapacity.objects.get(sex="SFEM", age_band="6-10").places == 10

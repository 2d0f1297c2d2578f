"""Issue 18 point 9: a household's county, sub-county and ward come from the geography
lists; the service refuses a typed unknown code, or a place inside another, naming the
field and saving nothing; a ward alone fills in the levels above it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from case_apps.ovc import services
from case_apps.ovc.models import Household
from tenants.schema import workspace_context
from tests.case_apps.conftest import search_ref
from tests.conftest import client_on
from tests.ovc.conftest import as_member, make_caregiver

pytestmark = pytest.mark.django_db


def register(world, **place):
    with workspace_context(world.beta):
        return services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver("Rose", "Atieno"),
            **place,
        )


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({"ward_code": "9999"}, "ward_code"),
        ({"county_code": "999"}, "county_code"),
        ({"sub_county_code": "9999"}, "sub_county_code"),
        ({"county_code": "047", "sub_county_code": "240"}, "sub_county_code"),
        ({"sub_county_code": "241", "ward_code": "1201"}, "ward_code"),
        ({"county_code": "Kisumu"}, "county_code"),
    ],
)
def test_an_unknown_or_misplaced_code_is_refused_naming_the_field(
    world, kenya_geography, place, field
):
    with pytest.raises(ValidationError) as refused:
        register(world, **place)
    assert field in refused.value.message_dict
    with workspace_context(world.beta):
        assert not Household.objects.exists()


def test_a_ward_alone_fills_in_its_sub_county_and_county(world, kenya_geography):
    household = register(world, ward_code="1201")
    assert (household.county_code, household.sub_county_code, household.ward_code) == (
        "042",
        "240",
        "1201",
    )


def test_without_a_place_the_household_takes_the_partners_county(world, kenya_geography):
    household = register(world, village="Kondele")
    assert household.county_code == world.beta.county_code
    assert household.sub_county_code == (world.beta.sub_county_code or "")
    assert household.ward_code == ""


def test_the_form_offers_wards_by_name_and_refuses_a_typed_code(world, kenya_geography):
    head = make_caregiver("Rose", "Atieno")
    client = client_on(world.beta, world.beta_worker)
    ref = search_ref(world.beta, world.beta_worker, head)
    url = f"/ovc/households/new/?person={head.pk}&ref={ref}"
    form = client.get(url).content.decode()
    assert '<select name="ward_code"' in form  # chosen by name, not typed
    typed = client.post(
        url,
        {"head_member_type": "CGPM", "head_hiv_status": "HSTN", "ward_code": "9999"},
    )
    assert typed.status_code == 200
    assert "Choose a ward from the list." in typed.content.decode()
    with workspace_context(world.beta):
        assert not Household.objects.exists()

"""A household's place is chosen by name (county, sub-county, ward), defaults to the
organisation's county and is shown by name."""

import pytest

from case_apps.ovc.models import Household
from tenants.schema import workspace_context
from tests.case_apps.conftest import search_ref
from tests.conftest import client_on
from tests.ovc.conftest import make_caregiver

pytestmark = pytest.mark.django_db


def test_a_household_is_placed_by_name(world, kenya_geography):
    head = make_caregiver("Rose", "Atieno")
    client = client_on(world.beta, world.beta_worker)
    ref = search_ref(world.beta, world.beta_worker, head)  # a registry search showed her
    url = f"/ovc/households/new/?person={head.pk}&ref={ref}"
    form = client.get(url).content.decode()
    assert '<option value="047" selected>Nairobi</option>' in form  # the organisation's county
    assert "Ward code" not in form
    bad = client.post(
        url,
        {
            "head_member_type": "CGPM",
            "head_hiv_status": "HSTN",
            "village": "Kondele",
            "county_code": "047",
            "sub_county_code": "240",
        },
    )
    assert bad.status_code == 200
    assert "This sub-county is not in the chosen county." in bad.content.decode()
    assert "Kondele" in bad.content.decode()
    response = client.post(
        url,
        {
            "head_member_type": "CGPM",
            "head_hiv_status": "HSTN",
            "village": "Kondele",
            "county_code": "042",
            "sub_county_code": "240",
            "ward_code": "1201",
        },
    )
    assert response.status_code == 302
    with workspace_context(world.beta):
        household = Household.objects.get(head=head)
    assert (household.county_code, household.sub_county_code, household.ward_code) == (
        "042",
        "240",
        "1201",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Nyalenda B, Kisumu Central, Kisumu" in page

"""Places chosen by name: the lookup endpoints of the cascading pickers, the picker's checks,
and names (not codes) on the screens."""

from __future__ import annotations

import pytest
from django import forms

from shared_registry.places import PlacePickerMixin, place_field, place_names
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def test_counties_are_listed_by_name_on_the_platform_site_without_an_account(kenya_geography):
    response = client_on(None).get("/api/v1/places/counties")
    assert response.status_code == 200
    counties = response.json()
    assert len(counties) == 47
    assert {"code": "042", "name": "Kisumu", "group": ""} in counties
    names = [c["name"] for c in counties]
    assert names == sorted(names)


def test_sub_counties_follow_the_county(kenya_geography):
    client = client_on(None)
    kisumu = client.get("/api/v1/places/sub-counties", {"county": "042"}).json()
    assert {"code": "240", "name": "Kisumu Central", "group": ""} in kisumu
    assert len(kisumu) == 7
    assert all(s["group"] == "" for s in kisumu)
    everything = client.get("/api/v1/places/sub-counties").json()
    assert len(everything) == 290
    assert {"code": "240", "name": "Kisumu Central", "group": "Kisumu"} in everything


def test_wards_follow_the_sub_county_or_the_county(world, kenya_geography):
    client = client_on(world.acme, world.acme_worker)
    central = client.get("/api/v1/places/wards", {"sub_county": "240"}).json()
    assert {"code": "1201", "name": "Nyalenda B", "group": ""} in central
    assert all(w["group"] == "" for w in central)
    county = client.get("/api/v1/places/wards", {"county": "042"}).json()
    assert {"code": "1201", "name": "Nyalenda B", "group": "Kisumu Central"} in county
    assert len(county) > len(central)
    assert len(client.get("/api/v1/places/wards").json()) == 1450


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/places/sub-counties", {"county": "Kisumu"}, "county"),
        ("/api/v1/places/sub-counties", {"county": "0420000"}, "county"),
        ("/api/v1/places/wards", {"sub_county": "24'0"}, "sub_county"),
        ("/api/v1/places/wards", {"county": "x" * 5000}, "county"),
    ],
)
def test_a_malformed_code_answers_422_naming_the_parameter(kenya_geography, path, params, field):
    response = client_on(None).get(path, params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_an_unknown_code_answers_an_empty_list(kenya_geography):
    client = client_on(None)
    assert client.get("/api/v1/places/sub-counties", {"county": "099"}).json() == []
    assert client.get("/api/v1/places/wards", {"sub_county": "9999"}).json() == []


def test_another_organisations_host_gives_a_non_member_nothing(world, kenya_geography):
    response = client_on(world.beta, world.acme_worker).get("/api/v1/places/counties")
    assert response.status_code in (401, 403, 404)
    assert b"Kisumu" not in response.content


class PlaceForm(PlacePickerMixin, forms.Form):
    county_code = place_field("County")
    sub_county_code = place_field("Sub-county")
    ward_code = place_field("Ward")


def test_the_picker_lists_everything_grouped_until_a_parent_is_chosen(kenya_geography):
    html = str(PlaceForm())
    assert '<optgroup label="Kisumu">' in html  # sub-counties under their county
    assert '<optgroup label="Kisumu Central">' in html  # wards under their sub-county
    assert 'data-places-child="id_sub_county_code"' in html
    assert 'data-places-child="id_ward_code"' in html
    chosen = str(PlaceForm({"county_code": "042", "sub_county_code": "240"}))
    assert "Westlands" not in chosen  # a Nairobi sub-county
    assert '<option value="1201">Nyalenda B</option>' in chosen
    assert '<option value="240" selected>Kisumu Central</option>' in chosen


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"county_code": "099"}, "county_code", "Choose a county from the list."),
        (
            {"county_code": "047", "sub_county_code": "240"},
            "sub_county_code",
            "This sub-county is not in the chosen county.",
        ),
        (
            {"county_code": "042", "sub_county_code": "240", "ward_code": "1"},
            "ward_code",
            "Choose a ward from the list.",
        ),
        (
            {"sub_county_code": "274", "ward_code": "1201"},
            "ward_code",
            "This ward is not in the chosen sub-county.",
        ),
    ],
)
def test_the_picker_refuses_places_that_do_not_fit(kenya_geography, data, field, message):
    form = PlaceForm(data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_ward_alone_fills_in_its_sub_county_and_county(kenya_geography):
    form = PlaceForm({"ward_code": "1201"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["county_code"], form.cleaned_data["sub_county_code"]) == (
        "042",
        "240",
    )


def test_place_names_show_names_and_keep_codes_for_tooltips(kenya_geography):
    names = place_names("042", "240", "1201")
    assert str(names) == "Nyalenda B, Kisumu Central, Kisumu"
    assert names.codes == "042 / 240 / 1201"
    assert str(place_names("099")) == "099"  # unknown: the code, not nothing

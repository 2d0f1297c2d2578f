"""The record sheet's place of occurrence: chosen by name from cascading lists, kept when the
form fails, shown by name (codes in the tooltip), and the caseload filtered by county name."""

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.cases.models import CaseRecord
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _sheet(child, **places) -> dict:
    return {
        "child": child.pk,
        "date_reported": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "reporter_name": "Mama Akinyi",
        "risk_level": "RLHG",
        "occurrence_village": "Manyatta",
        "cat-TOTAL_FORMS": "3",
        "cat-INITIAL_FORMS": "0",
        "cat-0-category_code": "CSIC",
        "perp-TOTAL_FORMS": "2",
        "perp-INITIAL_FORMS": "0",
        **places,
    }


def test_the_form_offers_places_by_name_in_cascading_lists(world, team, kenya_geography):
    child = make_child()
    ref = search_ref(world.acme, team.worker, child)  # the child a registry search showed
    page = client_on(world.acme, team.worker).get(f"/cases/new/?child={child.pk}&ref={ref}")
    html = page.content.decode()
    assert '<option value="042">Kisumu</option>' in html
    assert '<optgroup label="Kisumu">' in html  # sub-counties grouped without JavaScript
    assert 'data-places-child="id_occurrence_sub_county_code"' in html
    assert 'data-places-child="id_occurrence_ward_code"' in html
    assert "shared_registry/places" in html  # the script that narrows the lists


def test_a_place_that_does_not_fit_keeps_what_was_typed(world, team, kenya_geography):
    child = make_child()
    client = client_on(world.acme, team.worker)
    data = _sheet(
        child,
        ref=search_ref(world.acme, team.worker, child),
        occurrence_county_code="047",
        occurrence_sub_county_code="240",
        occurrence_ward_code="1201",
    )
    response = client.post("/cases/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This sub-county is not in the chosen county." in html
    assert "Mama Akinyi" in html and "Manyatta" in html
    assert '<option value="047" selected>Nairobi</option>' in html
    occurrence = html[html.index('name="occurrence_sub_county_code"') :]
    occurrence = occurrence[: occurrence.index("</select>")]
    assert "Mathare" in occurrence and "Kisumu Central" not in occurrence  # now Nairobi's list
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()


def test_the_saved_place_shows_by_name_with_its_codes_in_the_tooltip(world, team, kenya_geography):
    child = make_child()
    client = client_on(world.acme, team.worker)
    ref = search_ref(world.acme, team.worker, child)
    response = client.post("/cases/new/", _sheet(child, ref=ref, occurrence_ward_code="1201"))
    assert response.status_code == 302
    with workspace_context(world.acme):
        case = CaseRecord.objects.get()
    assert (
        case.occurrence_county_code,
        case.occurrence_sub_county_code,
        case.occurrence_ward_code,
    ) == ("042", "240", "1201")
    page = client.get(response["Location"]).content.decode()
    assert 'title="042 / 240 / 1201">Nyalenda B, Kisumu Central, Kisumu</span>' in page
    assert "Manyatta, " in page


def test_the_caseload_filters_by_county_name(world, team, kenya_geography):
    kisumu = open_case(
        world.acme, team.worker, make_child("Baraka", "Mutua"), occurrence_county_code="042"
    )
    nairobi = open_case(
        world.acme, team.worker, make_child("Chebet", "Kiprono"), occurrence_county_code="047"
    )
    client = client_on(world.acme, team.worker)
    page = client.get("/cases/").content.decode()
    assert '<option value="042">Kisumu</option>' in page and "County code" not in page
    filtered = client.get("/cases/", {"county": "042"}).content.decode()
    assert kisumu.national_reference in filtered
    assert nairobi.national_reference not in filtered


def test_sub_categories_follow_the_chosen_category(world, team, kenya_geography):
    child = make_child()
    client = client_on(world.acme, team.worker)
    ref = search_ref(world.acme, team.worker, child)
    page = client.get(f"/cases/new/?child={child.pk}&ref={ref}").content.decode()
    assert 'data-narrows="id_cat-0-sub_category_codes"' in page
    wrong = client.post(
        "/cases/new/", _sheet(child, ref=ref, **{"cat-0-sub_category_codes": "LBBG"})
    )
    assert wrong.status_code == 200
    assert "Choose sub-categories of the chosen case category only." in wrong.content.decode()
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()
    right = client.post(
        "/cases/new/", _sheet(child, ref=ref, **{"cat-0-sub_category_codes": "NDED"})
    )
    assert right.status_code == 302


def test_the_caseload_forgives_misspelt_names_and_links_the_child(world, team):
    case = open_case(world.acme, team.worker, make_child("Brian", "Kiprotich"))
    other = open_case(world.acme, team.worker, make_child("Chebet", "Kiprono"))
    client = client_on(world.acme, team.worker)
    for term in ["Bryan Kiprotch", "brian kipprotich", "kiprotich"]:
        page = client.get("/cases/", {"q": term}).content.decode()
        assert case.national_reference in page, term
        assert other.national_reference not in page, term
    page = client.get("/cases/").content.decode()
    assert f'<a href="/cases/children/{case.child_id}/">{case.child.full_name}</a>' in page

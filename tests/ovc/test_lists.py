"""The OVC households and children lists at a glance (issue 17, point 10): searched and
filtered in case_apps/ovc/selectors_lists.py, places by name, programme codes as labels with
the code in a tooltip, dates as "10 Feb 2026"; the children list is new and shows no one
outside the actor's caseload or organisation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from case_apps.ovc import selectors_lists, services
from case_apps.ovc.selectors_lists import ChildFilters, HouseholdFilters
from tenants.models import Organisation, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import MARKER, TODAY, as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db


def table(response, testid: str) -> str:
    """The list's table (upper-cased: the registry keeps names in capitals)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</table>", start)].upper()


@pytest.fixture
def programme(world, kenya_geography, beta_programme):
    """beta's worker follows three households: the marker household (its child registered
    today, HIV positive), Kondele in Kisumu (Baraka, registered on 10 Feb 2026) and an
    empty one in Nairobi followed by another worker."""
    actor = as_member(world.beta_worker, world.beta)
    other = UserFactory(email="other@beta.test", full_name="Otto Beta")
    membership_grant(user=other, organisation=world.beta, roles=[Role.CASE_WORKER])
    with workspace_context(world.beta):
        kondele = services.household_register(
            actor=actor,
            head=make_caregiver("Rose", "Atieno"),
            village="Kondele",
            county_code="042",
            sub_county_code="240",
            ward_code="1201",
        )
        baraka = enrol(
            world.beta,
            world.beta_worker,
            kondele,
            make_child("Baraka", "Atieno", sex="SMAL"),
            registration_date=date(2026, 2, 10),
        )
        empty = services.household_register(
            actor=as_member(other, world.beta),
            head=make_caregiver("Jane", "Njeri"),
            village="Kibera",
            county_code="047",
        )
    marker_household, marker_child, *_ = beta_programme
    return {
        "marker": marker_household,
        "marker_child": marker_child,
        "kondele": kondele,
        "baraka": baraka,
        "empty": empty,
        "other": other,
    }


def _households(world, user=None, **filters) -> set[int]:
    with workspace_context(world.beta):
        rows = selectors_lists.households_list(
            actor=as_member(user or world.beta_worker, world.beta),
            filters=HouseholdFilters(**filters),
        )
        return set(rows.values_list("pk", flat=True))


def _children(world, user=None, **filters) -> set[int]:
    with workspace_context(world.beta):
        rows = selectors_lists.children_list(
            actor=as_member(user or world.beta_worker, world.beta),
            filters=ChildFilters(**filters),
        )
        return set(rows.values_list("pk", flat=True))


def test_households_narrow_by_search_county_enrolment_and_registration(world, programme):
    marker, kondele, empty = programme["marker"].pk, programme["kondele"].pk, programme["empty"].pk
    assert _households(world) == {marker, kondele}  # not the other worker's
    assert _households(world, programme["other"]) == {empty}
    assert _households(world, search="Kondele") == {kondele}
    assert _households(world, search="Baraka") == {kondele}  # a member's name
    assert _households(world, county="042") == {kondele}
    assert _households(world, enrolled="enrolled") == {marker, kondele}
    assert _households(world, enrolled="not_enrolled") == set()
    assert _households(world, programme["other"], enrolled="not_enrolled") == {empty}
    assert _households(world, registered_to=TODAY() - timedelta(days=1)) == set()
    assert _households(world, registered_from=TODAY()) >= {marker, kondele}


def test_households_narrow_by_the_officer_who_follows_them(world, programme):
    admin = UserFactory(email="admin2@beta.test")
    membership_grant(user=admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    everyone = _households(world, admin)
    assert {programme["marker"].pk, programme["kondele"].pk} <= everyone
    mine = _households(world, admin, officer=world.beta_worker.pk)
    assert {programme["marker"].pk, programme["kondele"].pk} <= mine
    assert programme["empty"].pk not in mine
    assert _households(world, admin, officer=programme["other"].pk) == {programme["empty"].pk}


def test_children_narrow_by_search_status_programme_hiv_county_and_date(world, programme):
    marker, baraka = programme["marker_child"].pk, programme["baraka"].pk
    assert _children(world) == {marker, baraka}
    assert _children(world, search="Baraka") == {baraka}
    assert _children(world, search=programme["kondele"].number) == {baraka}
    assert _children(world, search=programme["baraka"].child.cpims_id) == {baraka}
    assert _children(world, status="active") == {marker, baraka}
    assert _children(world, status="exited") == set()
    assert _children(world, programme="POVC") >= {baraka}
    assert _children(world, hiv_status="HSTP") == {marker}
    assert _children(world, county="042") == {baraka}
    assert _children(world, registered_from=date(2026, 2, 1), registered_to=date(2026, 2, 28)) == {
        baraka
    }


def test_the_household_list_shows_places_by_name_and_filters_live(world, programme):
    client = client_on(world.beta, world.beta_worker)
    page = client.get("/ovc/")
    html = page.content.decode()
    rows = table(page, "households")
    assert "KISUMU" in rows and 'TITLE="042 / 240 / 1201"' in rows
    assert 'hx-get="/ovc/"' in html and 'name="county"' in html and 'name="registered_from"' in html
    kisumu = table(client.get("/ovc/", {"county": "042"}), "households")
    assert "KONDELE" in kisumu and MARKER not in kisumu
    bad = client.get("/ovc/", {"registered_from": "not-a-day"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def test_the_children_list_shows_labels_codes_and_dates_at_a_glance(world, programme):
    client = client_on(world.beta, world.beta_worker)
    page = client.get("/ovc/children/")
    rows = table(page, "ovc-children")
    assert "BARAKA" in rows and "MARKER" in rows
    assert "10 FEB 2026" in rows and "2026-02-10" not in rows
    assert 'TITLE="POVC"' in rows and ">POVC<" not in rows
    html = page.content.decode()
    assert 'hx-get="/ovc/children/"' in html and 'name="hiv_status"' in html
    narrowed = table(client.get("/ovc/children/", {"q": "Baraka"}), "ovc-children")
    assert "BARAKA" in narrowed and "MARKER" not in narrowed
    page_two = client.get("/ovc/children/", {"q": "Baraka", "page": "2"})
    assert page_two.status_code == 200  # past the last page: the last page, filters kept


def test_the_children_list_shows_no_one_outside_the_caseload_or_organisation(world, programme):
    # another case worker of beta: none of beta_worker's children
    other = table(client_on(world.beta, programme["other"]).get("/ovc/children/"), "ovc-children")
    assert "BARAKA" not in other and MARKER not in other
    # acme, an implementing partner for this test, sees its own (empty) list, never beta's
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    acme = table(client_on(world.acme, world.acme_admin).get("/ovc/children/"), "ovc-children")
    assert "BARAKA" not in acme and MARKER not in acme
    for client in (
        client_on(world.beta, world.acme_admin),
        client_on(world.beta, world.outsider),
        client_on(world.beta),
    ):
        response = client.get("/ovc/children/")
        assert response.status_code in (302, 403, 404), response.status_code
        assert b"BARAKA" not in response.content.upper()
        assert MARKER.encode() not in response.content

"""Routing: a pure function of the place and the offices (sub-county office, county office as
the fallback, none: unrouted), and the same through the signed API, down to DCS
headquarters routing an unrouted report by hand."""

from __future__ import annotations

import pytest

from intake.models import IntakeReport
from intake.routing import COUNTY_OFFICE, SUB_COUNTY_OFFICE, Office, Place, route
from tests.conftest import client_on
from tests.intake.conftest import report_body, signed_post

OFFICES = [
    Office(1, SUB_COUNTY_OFFICE, "042", "241"),
    Office(2, COUNTY_OFFICE, "042", ""),
    Office(3, SUB_COUNTY_OFFICE, "047", "274"),
    Office(4, SUB_COUNTY_OFFICE, "042", "241"),  # a second office of Seme, made later
    Office(5, "cci", "042", "242"),  # not a DCS office: never routed to
]


@pytest.mark.parametrize(
    ("place", "office"),
    [
        (Place("042", "241", "1202"), 1),  # the sub-county's office (the first one)
        (Place("042", "241"), 1),
        (Place("042", "242"), 2),  # Nyando has no office: the county office
        (Place("042"), 2),  # only the county
        (Place("047", "274"), 3),
        (Place("047", "275"), None),  # Nairobi has no county office here
        (Place("001"), None),
        (Place(), None),  # no place at all: unrouted
    ],
)
def test_route_is_a_pure_function_of_place_and_offices(place, office):
    assert route(place, OFFICES) == office
    assert route(place, list(reversed(OFFICES))) == office  # order of the offices is no matter


def test_route_with_no_office_at_all_is_unrouted():
    assert route(Place("042", "241"), []) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ({"county_code": "", "sub_county_code": "", "ward_code": "1202"}, "office"),  # ward only
        ({"county_code": "", "sub_county_code": "241"}, "office"),  # sub-county only
        ({"county_code": "042", "sub_county_code": "242"}, "county_office"),
        ({"county_code": "042", "sub_county_code": ""}, "county_office"),
        ({"county_code": "", "sub_county_code": ""}, None),
    ],
)
def test_the_api_routes_by_the_place_named(intake_world, helpline, place, expected):
    answer = signed_post(helpline, report_body(place=place))
    assert answer.status_code == 201, answer.content
    report = IntakeReport.objects.get(pk=answer.json()["id"])
    assert report.office == (getattr(intake_world, expected) if expected else None)
    if place.get("ward_code"):
        assert (report.county_code, report.sub_county_code) == ("042", "241")


@pytest.mark.django_db
def test_hq_sees_the_unrouted_list_and_routes_by_hand(intake_world, helpline):
    created = signed_post(helpline, report_body(place={"county_code": "", "sub_county_code": ""}))
    reference = created.json()["reference"]
    hq = client_on(None, intake_world.hq)
    page = hq.get("/console/intake/", {"q": reference})
    assert page.status_code == 200 and reference in page.content.decode()
    assert reference not in hq.get("/console/intake/", {"q": "nobody-like-this"}).content.decode()
    # a member of an office is no national administrator
    assert client_on(None, intake_world.worker).get("/console/intake/").status_code == 403
    answer = hq.post(
        "/console/intake/", {"reference": reference, "office": intake_world.westlands.pk}
    )
    assert answer.status_code == 302
    report = IntakeReport.objects.get(reference=reference)
    assert report.office == intake_world.westlands
    assert list(report.events.values_list("action", flat=True)) == ["unrouted", "routed"]
    listed = hq.get("/console/intake/").context["page"].object_list
    assert reference not in [r.reference for r in listed]

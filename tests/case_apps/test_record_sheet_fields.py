"""The record sheet's added fields: police station and OB number, court and file number,
summons issued with its date, a ward chosen from the geography (checked by the service, on
the screen and on the API), and the child's residence captured while registering them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.cases.models import CaseRecord
from shared_registry.models import Person, Ward
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case, search_ref
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
REPORTED = TODAY() - timedelta(days=3)


def _ward_of(sub_county_code: str) -> Ward:
    return Ward.objects.filter(sub_county__code=sub_county_code).order_by("code").first()


def test_the_sheet_keeps_police_court_summons_and_residence(world, team, kenya_geography):
    ward = _ward_of("240")
    case = open_case(
        world.acme,
        team.worker,
        police_station="Kisumu Central Police Station",
        ob_number="OB 12/03/2026",
        court_name="Kisumu Children's Court",
        court_file_number="CC 44 of 2026",
        summons_issued=True,
        summons_issued_on=REPORTED,
        occurrence_county_code="042",
        occurrence_sub_county_code="240",
        occurrence_ward_code=ward.code,
        residence_county_code="042",
        residence_sub_county_code="240",
        residence_ward_code=ward.code,
        residence_village="Manyatta",
    )
    with workspace_context(world.acme):
        saved = CaseRecord.objects.get(pk=case.pk)
    assert (saved.police_station, saved.ob_number) == (
        "Kisumu Central Police Station",
        "OB 12/03/2026",
    )
    assert (saved.summons_issued, saved.summons_issued_on) == (True, REPORTED)
    assert (saved.residence_ward_code, saved.residence_village) == (ward.code, "Manyatta")
    page = client_on(world.acme, team.worker).get(f"/cases/{case.pk}/").content.decode()
    assert "OB 12/03/2026" in page and "CC 44 of 2026" in page
    assert f"{ward.name}, Kisumu Central, Kisumu" in page  # residence by name, never codes
    assert 'data-testid="case-summons"' in page


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summons_issued": True}, "summons_issued_on"),
        ({"summons_issued_on": REPORTED}, "summons_issued"),
        (
            {"summons_issued": True, "summons_issued_on": TODAY() + timedelta(days=1)},
            "summons_issued_on",
        ),
        (
            {"summons_issued": True, "summons_issued_on": REPORTED - timedelta(days=5)},
            "summons_issued_on",
        ),
        ({"occurrence_ward_code": "99999"}, "occurrence_ward_code"),
        ({"residence_ward_code": "ward-of-238"}, "residence_ward_code"),
        ({"residence_ward_code": "ward-of-240"}, "residence_ward_code"),  # no sub-county
        (
            {"residence_sub_county_code": "240", "residence_county_code": "047"},
            "residence_sub_county_code",
        ),
        ({"ob_number": "9" * 65}, "ob_number"),
    ],
)
def test_bad_sheet_fields_are_refused_naming_the_field(world, team, kenya_geography, fields, field):
    fields = dict(fields)
    if fields.get("residence_ward_code") == "ward-of-238":  # a ward of another sub-county
        fields.update(residence_sub_county_code="240", residence_ward_code=_ward_of("238").code)
    elif fields.get("residence_ward_code") == "ward-of-240":
        fields["residence_ward_code"] = _ward_of("240").code
    with pytest.raises(ValidationError) as refused:
        open_case(world.acme, team.worker, **fields)
    assert field in refused.value.message_dict
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()


def _sheet(child, ref, **fields) -> dict:
    return {
        "child": child.pk,
        "ref": ref,
        "date_reported": REPORTED.isoformat(),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLHG",
        "cat-TOTAL_FORMS": "3",
        "cat-INITIAL_FORMS": "0",
        "cat-0-category_code": "CCDF",
        "perp-TOTAL_FORMS": "2",
        "perp-INITIAL_FORMS": "0",
        **fields,
    }


def test_the_screen_offers_wards_by_name_and_keeps_what_was_typed(world, team, kenya_geography):
    child = make_child()
    client = client_on(world.acme, team.worker)
    other_ward = _ward_of("238")
    response = client.post(
        "/cases/new/",
        _sheet(
            child,
            search_ref(world.acme, team.worker, child),
            police_station="Kondele Police Post",
            ob_number="OB 7/2026",
            residence_county_code="042",
            residence_sub_county_code="240",
            residence_ward_code=other_ward.code,
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This ward is not in the chosen sub-county." in html
    assert "Kondele Police Post" in html and "OB 7/2026" in html
    assert 'data-places-child="id_residence_ward_code"' in html  # chained by name
    with workspace_context(world.acme):
        assert not CaseRecord.objects.exists()


def test_registering_a_child_records_where_they_live(world, team, kenya_geography):
    ward = _ward_of("240")
    client = client_on(world.acme, team.worker)
    response = client.post(
        "/cases/find-child/",
        {
            "first_name": "Neema",
            "surname": "Atieno",
            "sex": "SFEM",
            "birth_year": "2015",
            "county_code": "042",
            "sub_county_code": "240",
            "ward_code": ward.code,
            "village": "Obunga",
            "action": "register",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child = Person.objects.get(first_name="NEEMA", surname="ATIENO")
    assert (child.county.code, child.sub_county.code, child.ward.code) == ("042", "240", ward.code)
    form = client.get(response["Location"]).content.decode()
    assert 'value="Obunga"' in form  # the village carried to the record sheet
    assert f'<option value="{ward.code}" selected>{ward.name}</option>' in form


def _api_body(child, ref, **fields) -> dict:
    return {
        "child_id": child.pk,
        "child_ref": ref,
        "date_reported": REPORTED.isoformat(),
        "how_reported": "walk_in",
        "reporter_type": "CRMO",
        "risk_level": "RLHG",
        "categories": [{"category_code": "CCDF"}],
        **fields,
    }


def test_the_api_takes_the_new_fields_and_refuses_bad_ones(world, team, kenya_geography):
    child = make_child()
    client = client_on(world.acme, team.worker)
    ref = search_ref(world.acme, team.worker, child)
    bad = client.post(
        "/api/v1/cases",
        _api_body(
            child,
            ref,
            occurrence_county_code="042",
            occurrence_sub_county_code="240",
            occurrence_ward_code=_ward_of("238").code,
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "occurrence_ward_code" in bad.content.decode()
    good = client.post(
        "/api/v1/cases",
        _api_body(
            child,
            ref,
            police_station="Central",
            ob_number="OB 1/2026",
            summons_issued=True,
            summons_issued_on=REPORTED.isoformat(),
            residence_county_code="042",
        ),
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    body = good.json()
    assert (body["ob_number"], body["summons_issued_on"], body["stage"]) == (
        "OB 1/2026",
        REPORTED.isoformat(),
        "pending",
    )


def test_the_api_corrects_the_sheet_with_its_version(world, team, kenya_geography):
    case = open_case(world.acme, team.worker)
    client = client_on(world.acme, team.worker)
    url = f"/api/v1/cases/{case.pk}"
    changed = client.patch(
        url, {"version": case.version, "police_station": "Kondele"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["police_station"] == "Kondele"
    stale = client.patch(
        url, {"version": case.version, "ob_number": "OB 2"}, content_type="application/json"
    )
    assert stale.status_code == 409
    bad = client.patch(
        url,
        {"version": case.version + 1, "residence_ward_code": _ward_of("240").code},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "residence_ward_code" in bad.content.decode()
    with workspace_context(world.acme):
        kept = CaseRecord.objects.get(pk=case.pk)
    assert (kept.police_station, kept.ob_number, kept.residence_ward_code) == ("Kondele", "", "")


def test_another_organisation_cannot_correct_a_case(world, team):
    case = open_case(world.acme, team.worker)
    beta = client_on(world.beta, world.beta_worker)
    answer = beta.patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, "police_station": "Taken over"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    with workspace_context(world.acme):
        assert CaseRecord.objects.get(pk=case.pk).police_station == ""

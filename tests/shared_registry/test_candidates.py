"""What an officer meets on the registration and search screens (issue 15): two levels of
candidates shown differently, a reason to register anyway, a mistyped CPIMS ID named as
such, and the minimal card with year of birth and sub-county."""

import datetime as dt

import pytest

from shared_registry.models import Person, PotentialDuplicate, Sex
from shared_registry.services import person_register
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def kevin(geo, world):
    return person_register(
        first_name="Kevin",
        other_names="Otieno",
        surname="Ochieng",
        sex=Sex.MALE,
        date_of_birth=dt.date(2014, 5, 10),
        county_code="042",
        sub_county_code="240",
        organisation=world.beta,
    )


TYPED = {
    "first_name": "Kevin",
    "other_names": "Otieno",
    "surname": "Ochieng",
    "sex": "SMAL",
    "date_of_birth": "2014-05-10",
    "county_code": "042",
}


def test_a_brand_new_child_sees_no_likely_match_and_similar_names_folded_away(world, kevin):
    client = client_on(world.acme, world.acme_worker)
    brother = {**TYPED, "first_name": "Brian", "date_of_birth": "2015-03-20"}
    text = client.post(
        "/registry/register/", {**brother, "action": "check"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="no-likely"' in text and 'data-testid="likely"' not in text
    folded = text[text.index('data-testid="similar"') :]
    assert folded.startswith('data-testid="similar">') and kevin.cpims_id in folded
    assert "<details" in text and "<details open" not in text
    registered = client.post("/registry/register/", {**brother, "action": "register"})
    assert registered.status_code == 302  # no reason asked: no one is probably this child
    assert not PotentialDuplicate.objects.exists()


def test_a_likely_match_comes_first_with_reasons_and_asks_why_before_registering(world, kevin):
    client = client_on(world.acme, world.acme_worker)
    text = client.post(
        "/registry/register/", {**TYPED, "action": "check"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    likely = text[text.index('data-testid="likely"') :]
    assert kevin.cpims_id in likely and "Probably the same child" in text
    assert likely.index('data-testid="reasons"') < likely.index(kevin.cpims_id)
    assert "same date of birth (+25)" in likely
    before = Person.objects.count()
    refused = client.post("/registry/register/", {**TYPED, "action": "register"})
    assert refused.status_code == 200 and Person.objects.count() == before
    assert 'data-testid="reason-error"' in refused.content.decode()
    registered = client.post(
        "/registry/register/",
        {**TYPED, "action": "register", "registered_anyway_reason": "A cousin, same names"},
    )
    assert registered.status_code == 302 and Person.objects.count() == before + 1
    pair = PotentialDuplicate.objects.get()
    assert pair.registered_anyway_reason == "A cousin, same names"
    assert kevin.pk in (pair.person_a_id, pair.person_b_id)


def test_a_mistyped_cpims_id_says_it_failed_its_check_character(world, kevin):
    wrong = kevin.cpims_id[:-1] + str((int(kevin.cpims_id[-1]) + 1) % 10)
    client = client_on(world.acme, world.acme_worker)
    text = client.get("/registry/", {"q": wrong}).content.decode()
    assert 'data-testid="invalid-cpims-id"' in text and "check character" in text
    api = client.get("/api/v1/registry/persons", {"q": wrong})
    assert api.status_code == 422 and "q:" in api.json()["detail"]
    assert "check character" in api.json()["detail"]
    right = client.get("/registry/", {"q": kevin.cpims_id}).content.decode()
    assert 'data-testid="invalid-cpims-id"' not in right and kevin.cpims_id in right
    manager = client_on(None, world.hq_admin).get("/api/v1/registry/persons", {"q": wrong})
    assert manager.status_code == 422


def test_the_card_shows_year_of_birth_and_sub_county_not_age(world, kevin):
    person_register(
        first_name="Kevin",
        other_names="Otieno",
        surname="Ochieng",
        sex=Sex.MALE,
        birth_year=2009,
        county_code="047",
        sub_county_code="274",
    )
    client = client_on(world.acme, world.acme_worker)
    text = client.get("/registry/", {"q": "Kevin Ochieng"}).content.decode()
    assert "Year of birth" in text and ">2014<" in text and "about 2009" in text
    assert "Kisumu Central" in text and "Westlands" in text and ">Age<" not in text
    cards = client.get("/api/v1/registry/persons", {"q": "Kevin Ochieng"}).json()
    by_id = {c["cpims_id"]: c for c in cards}
    assert by_id[kevin.cpims_id]["year_of_birth"] == "2014"
    assert by_id[kevin.cpims_id]["sub_county"] == "Kisumu Central"
    assert "age_or_year" not in by_id[kevin.cpims_id]


def test_the_other_organisations_member_gets_no_candidates(world, kevin):
    for user in (world.beta_worker, world.outsider):
        response = client_on(world.acme, user).post(
            "/registry/register/", {**TYPED, "action": "check"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code in (302, 403) and kevin.cpims_id not in response.text
        api = client_on(world.acme, user).post(
            "/api/v1/registry/matches", TYPED, content_type="application/json"
        )
        assert api.status_code in (401, 403)

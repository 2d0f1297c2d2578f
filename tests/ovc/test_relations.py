"""Issue 18 point 5: household relations. Members carry the national relationship codes,
children the members who care for them; the household page shows each member's relation
and a child's caregivers, the child's page the caregivers and the siblings; an old
caregiver known only by a year of birth (a grandmother born in 1936) is accepted."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from case_apps.lists.data_ovc import OVC_LISTS
from case_apps.ovc import selectors, services
from case_apps.ovc.models import HouseholdMember
from tenants.models import Organisation
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, search_ref
from tests.conftest import client_on
from tests.ovc.conftest import as_member, enrol, make_caregiver

pytestmark = pytest.mark.django_db
NATIONAL_RELATIONS = ["CGPF", "CGPM", "CGAF", "CGAM", "CGFF", "CGFM", "CGGU", "CGNK", "CGOR"]
NATIONAL_RELATIONS += ["CGOT", "CGNN", "TOVC", "TBVC"]


def actor_of(world):
    return as_member(world.beta_worker, world.beta)


def add(world, household, person, member_type, **extra) -> HouseholdMember:
    with workspace_context(world.beta):
        return services.household_member_add(
            actor=actor_of(world),
            household=household,
            member=services.MemberInput(person=person, member_type=member_type, **extra),
        )


@pytest.fixture
def family(world, beta_household):
    """Mary heads the household (mother of Baraka, enrolled); grandmother Wambui, born in
    1936 and known by her year only, and Baraka's sister Zawadi (not enrolled) live with
    them."""
    from shared_registry.services import person_register

    household = beta_household.household
    granny = person_register(first_name="Wambui", surname="Wanjiku", sex="SFEM", birth_year=1936)
    grandmother = add(world, household, granny, "CGOR")
    with workspace_context(world.beta):
        head = household.members.get(is_head=True)
    sister = add(
        world,
        household,
        make_child("Zawadi", "Wanjiku"),
        "TBVC",
        caregiver_ids=[head.pk, grandmother.pk],
    )
    return beta_household, head, grandmother, sister


def test_the_member_types_hold_the_national_relationship_codes():
    codes = [code for code, _en, _sw in OVC_LISTS["ovc_member_type"]]
    assert set(NATIONAL_RELATIONS) <= set(codes)
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("code", ["CGAF", "CGFM", "CGGU", "CGNK", "CGNN"])
def test_a_caregiver_is_added_with_a_national_relation_code(world, beta_household, code):
    member = add(world, beta_household.household, make_caregiver("Otieno", "Odhiambo"), code)
    assert member.member_type == code


def test_an_unknown_relation_is_refused_naming_the_field(world, beta_household):
    with pytest.raises(ValidationError) as refused:
        add(world, beta_household.household, make_caregiver("Otieno", "Odhiambo"), "CGXX")
    assert "member_type" in refused.value.message_dict


def test_a_child_is_cared_for_by_the_head_unless_others_are_named(world, family):
    ovc, head, grandmother, sister = family
    with workspace_context(world.beta):
        assert set(sister.caregivers.all()) == {head, grandmother}
        other = add(world, ovc.household, make_child("Imani", "Wanjiku"), "TBVC")
        assert list(other.caregivers.all()) == [head]
        enrolled = HouseholdMember.objects.get(person=ovc.enrolment.child_id)
        assert list(enrolled.caregivers.all()) == [head]  # enrolment names the head


def test_caregivers_are_adult_members_of_the_same_household(world, family):
    ovc, head, grandmother, sister = family
    with workspace_context(world.beta):
        elsewhere = services.household_register(
            actor=actor_of(world), head=make_caregiver("Rose", "Atieno")
        )
        stranger = elsewhere.members.get(is_head=True)
    cases = [
        ("TBVC", [stranger.pk]),  # a member of another household
        ("TBVC", [sister.pk]),  # a child
        ("TBVC", [999_999]),
        ("CGOR", [head.pk]),  # an adult has no caregivers
    ]
    for member_type, caregiver_ids in cases:
        with pytest.raises(ValidationError) as refused:
            add(
                world,
                ovc.household,
                make_child("Imani", "Wanjiku"),
                member_type,
                caregiver_ids=caregiver_ids,
            )
        assert "caregiver_ids" in refused.value.message_dict, (member_type, caregiver_ids)
    with workspace_context(world.beta):
        assert ovc.household.members.count() == 4  # nothing added


def test_caregivers_are_changed_by_the_service(world, family):
    ovc, head, grandmother, sister = family
    with workspace_context(world.beta):
        services.member_caregivers_set(
            actor=actor_of(world),
            household=ovc.household,
            member_id=sister.pk,
            caregiver_ids=[grandmother.pk],
        )
        assert list(sister.caregivers.all()) == [grandmother]
        with pytest.raises(ValidationError):
            services.member_caregivers_set(
                actor=actor_of(world),
                household=ovc.household,
                member_id=sister.pk,
                caregiver_ids=[sister.pk],
            )
        assert list(sister.caregivers.all()) == [grandmother]


def test_the_child_relations_selector(world, family):
    ovc, head, grandmother, sister = family
    with workspace_context(world.beta):
        relations = selectors.child_relations(enrolment=ovc.enrolment)
        assert relations.caregivers == [head]
        assert relations.siblings == [sister]
        members = selectors.household_members(household=ovc.household)
        assert [m.is_head for m in members][0] is True
        by_id = {m.pk: m for m in members}
        assert set(by_id[sister.pk].carers) == {head, grandmother}
        assert by_id[grandmother.pk].person.year_of_birth == 1936


def test_the_household_page_shows_relations_and_caregivers(world, family):
    ovc, head, grandmother, sister = family
    page = client_on(world.beta, world.beta_worker).get(f"/ovc/households/{ovc.household.pk}/")
    html = page.content.decode()
    start = html.index('data-testid="members"')
    members = html[start : html.index("</table>", start)]
    assert "Other relative" in members and "Other child in the household" in members
    assert "1936" in members  # the grandmother's year of birth
    sister_row = next(row for row in members.split("<tr>") if "ZAWADI" in row.upper())
    assert "WAMBUI" in sister_row.upper() and "MARY" in sister_row.upper()


def test_the_child_page_shows_caregivers_and_siblings(world, family):
    ovc, *_ = family
    html = client_on(world.beta, world.beta_worker).get(f"/ovc/children/{ovc.enrolment.pk}/")
    html = html.content.decode()
    caregivers = html[html.index('data-testid="caregivers"') :].split("</p>")[0]
    siblings = html[html.index('data-testid="siblings"') :].split("</p>")[0]
    assert "MARY" in caregivers.upper() and "Parent (mother)" in caregivers
    assert "ZAWADI" in siblings.upper() and "WAMBUI" not in siblings.upper()


def test_the_caregivers_screen_changes_them_and_keeps_to_the_household(world, family):
    ovc, head, grandmother, sister = family
    client = client_on(world.beta, world.beta_worker)
    url = f"/ovc/households/{ovc.household.pk}/members/{sister.pk}/caregivers/"
    form = client.get(url)
    assert form.status_code == 200 and b"WAMBUI" in form.content.upper()
    assert client.post(url, {"caregiver_ids": [str(grandmother.pk)]}).status_code == 302
    with workspace_context(world.beta):
        assert list(sister.caregivers.all()) == [grandmother]
    refused = client.post(url, {"caregiver_ids": [str(sister.pk)]})
    assert refused.status_code == 200  # not a choice: the form says so, nothing changes
    adult = f"/ovc/households/{ovc.household.pk}/members/{grandmother.pk}/caregivers/"
    assert client.get(adult).status_code == 404
    # a viewer outside the household's caseload, another partner, anonymous: nothing
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    for other in (
        client_on(world.beta, world.acme_admin),
        client_on(world.beta, world.outsider),
        client_on(world.acme, world.acme_admin),
        client_on(world.beta),
    ):
        for method in ("get", "post"):
            answer = getattr(other, method)(url, {"caregiver_ids": [str(head.pk)]})
            assert answer.status_code in (302, 403, 404), (method, answer.status_code)
            assert b"WAMBUI" not in answer.content.upper()
    with workspace_context(world.beta):
        assert list(sister.caregivers.all()) == [grandmother]


def test_a_grandmother_born_in_1936_is_found_and_registered_by_year(world, beta_household):
    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    response = client.post(
        f"/ovc/find-person/?for=member&household={household.pk}",
        {
            "first_name": "Wambui",
            "surname": "Kamau",
            "sex": "SFEM",
            "birth_year": "1936",
            "action": "register",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    member_url = response["Location"]
    assert client.post(member_url, {"member_type": "CGGU", "hiv_status": "HSKN", "alive": "on"})
    with workspace_context(world.beta):
        member = household.members.get(member_type="CGGU")
        assert member.person.birth_year == 1936 and member.person.date_of_birth is None
    too_old = client.post(
        "/ovc/find-person/?for=household",
        {"first_name": "Old", "surname": "One", "sex": "SFEM", "birth_year": "1800"},
    )
    assert too_old.status_code == 200 and b"greater than or equal to" in too_old.content


def test_a_caregiver_of_ninety_registers_a_household(world):
    from shared_registry.services import person_register

    year = timezone.localdate().year - 90
    granny = person_register(first_name="Nyokabi", surname="Kariuki", sex="SFEM", birth_year=year)
    with workspace_context(world.beta):
        household = services.household_register(
            actor=actor_of(world), head=granny, head_relation="CGGU"
        )
        child = make_child("Kamau", "Kariuki", date_of_birth=date(2015, 1, 1))
        enrolment = enrol(world.beta, world.beta_worker, household, child)
        assert enrolment.serial.startswith("BETA/")
        assert household.members.get(is_head=True).person.year_of_birth == year


def test_enrolment_names_the_caregivers(world, family):
    ovc, head, grandmother, sister = family
    with workspace_context(world.beta):
        newcomer = enrol(
            world.beta,
            world.beta_worker,
            ovc.household,
            make_child("Imani", "Wanjiku"),
            caregiver_ids=[grandmother.pk],
        )
        member = ovc.household.members.get(person=newcomer.child_id)
        assert list(member.caregivers.all()) == [grandmother]
        # enrolling a child already in the household keeps theirs unless others are named
        enrolled_sister = enrol(world.beta, world.beta_worker, ovc.household, sister.person)
        sister.refresh_from_db()
        assert sister.member_type == "TOVC" and enrolled_sister.serial
        assert set(sister.caregivers.all()) == {head, grandmother}
        with pytest.raises(ValidationError) as refused:
            enrol(
                world.beta,
                world.beta_worker,
                ovc.household,
                make_child("Neema", "Wanjiku"),
                caregiver_ids=[member.pk],  # a child
            )
        assert "caregiver_ids" in refused.value.message_dict


def test_the_enrolment_screen_offers_the_adult_members_as_caregivers(world, family):
    ovc, head, grandmother, sister = family
    child = make_child("Imani", "Wanjiku")
    client = client_on(world.beta, world.beta_worker)
    url = (
        f"/ovc/households/{ovc.household.pk}/enrol/?person={child.pk}"
        f"&ref={search_ref(world.beta, world.beta_worker, child)}"
    )
    form = client.get(url).content.decode()
    assert f'value="{grandmother.pk}"' in form and f'value="{sister.pk}"' not in form
    response = client.post(
        url,
        {
            "programme": "POVC",
            "registration_date": timezone.localdate().isoformat(),
            "entry_point": "community",
            "eligibility": ["ECFD"],
            "hiv_status": "HSTN",
            "school_level": "SLPR",
            "caregiver_ids": [str(grandmother.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    with workspace_context(world.beta):
        member = ovc.household.members.get(person=child)
        assert list(member.caregivers.all()) == [grandmother]

"""OVC screens: only in implementing partners' workspaces, a whole journey through the
forms, input kept on errors, and nothing of one partner's programme for anyone else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.outbox.models import OutboxEvent
from case_apps.ovc import services
from case_apps.ovc.models import Cpara, Enrolment, Household, ReferralState
from tenants.models import Organisation
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.ovc.conftest import ALL_MET, MARKER, as_member, ovc_urls

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def iso(days_back: int = 0) -> str:
    return (TODAY() - timedelta(days=days_back)).isoformat()


def test_menu_entry_only_for_implementing_partners(world):
    beta = client_on(world.beta, world.beta_worker).get("/")
    assert b"OVC programme" in beta.content and b"/ovc/" in beta.content
    acme = client_on(world.acme, world.acme_admin)
    assert b"OVC programme" not in acme.get("/").content
    assert acme.get("/ovc/").status_code == 404  # a children's home runs no OVC programme


def _cpara_post(answers: dict[int, str], when: str | None = None) -> dict:
    return {"assessed_on": when or iso(), **{f"benchmark_{n}": a for n, a in answers.items()}}


def test_a_household_from_registration_to_graduation(world):
    client = client_on(world.beta, world.beta_worker)
    # caregiver: search the registry, then register her
    person = {
        "first_name": "Mary",
        "surname": "Wanjiku",
        "sex": "SFEM",
        "date_of_birth": "1985-05-01",
    }
    found = client.post("/ovc/find-person/?for=household", {**person, "action": "search"})
    assert found.status_code == 200 and b"candidates" in found.content
    response = client.post("/ovc/find-person/?for=household", {**person, "action": "register"})
    assert response.status_code == 302 and "/ovc/households/new/?person=" in response["Location"]
    response = client.post(
        response["Location"],
        {"head_member_type": "CGPM", "head_hiv_status": "HSTN", "village": "Kondele"},
    )
    with workspace_context(world.beta):
        household = Household.objects.filter(village="Kondele").latest("id")
    assert response["Location"] == f"/ovc/households/{household.pk}/"
    # the child
    child = {
        "first_name": "Baraka",
        "surname": "Wanjiku",
        "sex": "SMAL",
        "date_of_birth": "2014-03-09",
    }
    response = client.post(
        f"/ovc/find-person/?for=enrol&household={household.pk}", {**child, "action": "register"}
    )
    enrol_url = response["Location"]
    assert enrol_url.startswith(f"/ovc/households/{household.pk}/enrol/?person=")
    # a future registration date is refused, and what was typed stays
    bad = client.post(
        enrol_url,
        {
            "programme": "POVC",
            "registration_date": iso(-3),
            "entry_point": "community",
            "eligibility": ["ECFD", "ECHV"],
            "hiv_status": "HSTN",
            "school_level": "SLPR",
            "school_class": "Class 5",
        },
    )
    assert bad.status_code == 200 and b"future" in bad.content
    assert b'value="Class 5"' in bad.content
    assert re.search(rb'value="ECHV"[^>]*checked', bad.content)
    response = client.post(
        enrol_url,
        {
            "programme": "POVC",
            "registration_date": iso(20),
            "entry_point": "community",
            "eligibility": ["ECFD", "ECHV"],
            "hiv_status": "HSKN",
            "school_level": "SLPR",
        },
    )
    assert response.status_code == 302
    with workspace_context(world.beta):
        enrolment = Enrolment.objects.get(household=household)
    page = client.get(f"/ovc/households/{household.pk}/")
    assert b"BARAKA WANJIKU" in page.content.upper() and b"MARY WANJIKU" in page.content.upper()
    # a service
    response = client.post(
        f"/ovc/children/{enrolment.pk}/services/new/",
        {
            "domain": "healthy",
            "service": "CP212HE",
            "provider": "CHV",
            "date": iso(1),
        },
    )
    assert response.status_code == 302
    assert b"CP 2.12" in client.get(f"/ovc/children/{enrolment.pk}/").content
    # screening flags a test; the referral is tracked to its result
    response = client.post(
        f"/ovc/children/{enrolment.pk}/screening/new/",
        {
            "screened_on": iso(2),
            "status_known": "HSKN",
            "risks": ["sexual_abuse"],
        },
    )
    assert response.status_code == 302
    with workspace_context(world.beta):
        screening = enrolment.screenings.get()
    assert screening.referral_state == ReferralState.NEEDED
    response = client.post(
        f"/ovc/children/{enrolment.pk}/screening/{screening.pk}/result/",
        {"referred_on": iso(2), "referral_completed_on": iso(1), "test_result": "HSTN"},
    )
    assert response.status_code == 302
    # CPARA with one benchmark unmet: the score is shown, graduation is refused
    response = client.post(
        f"/ovc/households/{household.pk}/cpara/new/", _cpara_post({**ALL_MET, 5: "no"})
    )
    assert response.status_code == 302
    page = client.get(f"/ovc/households/{household.pk}/")
    assert b"8/9" in page.content and b"Low vulnerability" in page.content
    refused = client.post(
        f"/ovc/children/{enrolment.pk}/exit/", {"exit_reason": "ERCP", "exit_date": iso()}
    )
    assert refused.status_code == 200 and b"every benchmark" in refused.content
    # a case plan item closes the gap; the next CPARA meets every benchmark
    response = client.post(
        f"/ovc/households/{household.pk}/plan/new/",
        {
            "domain": "stable",
            "enrolment": enrolment.pk,
            "goal": "GH5ST",
            "gap": "GN51ST",
            "services": ["CP55ST", "CP57ST"],
            "responsible": "caregiver",
            "due_date": iso(-30),
        },
    )
    assert response.status_code == 302
    with workspace_context(world.beta):
        item = household.plan_items.get()
    response = client.post(
        f"/ovc/households/{household.pk}/plan/{item.pk}/complete/",
        {"completed_on": iso(), "achieved": "1"},
    )
    assert response.status_code == 302
    client.post(f"/ovc/households/{household.pk}/cpara/new/", _cpara_post(ALL_MET))
    response = client.post(
        f"/ovc/children/{enrolment.pk}/exit/", {"exit_reason": "ERCP", "exit_date": iso()}
    )
    assert response.status_code == 302
    with workspace_context(world.beta):
        enrolment.refresh_from_db()
        ref = services._ref(world.beta, enrolment)
        kinds = list(
            OutboxEvent.objects.filter(payload__case_ref=ref).values_list("kind", flat=True)
        )
    assert enrolment.status == "exited" and enrolment.hiv_status == "HSTN"
    assert {"ovc_enrolled", "ovc_service", "ovc_graduated"} <= set(kinds)
    # the household list finds the household by the child's name and by village
    listing = client.get("/ovc/?q=baraka")
    assert household.number.encode() in listing.content
    assert household.number.encode() not in client.get("/ovc/?q=nobodyhere").content
    assert household.number.encode() in client.get("/ovc/?q=Kondele").content


def test_cpara_form_keeps_answers_and_shows_errors(world):
    with workspace_context(world.beta):
        household = services.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_child("Rose", "Atieno", date_of_birth=None),
        )
    client = client_on(world.beta, world.beta_worker)
    assert b"benchmark_9" in client.get(f"/ovc/households/{household.pk}/cpara/new/").content
    partial = _cpara_post({n: "yes" for n in range(1, 9)})  # benchmark 9 missing
    response = client.post(f"/ovc/households/{household.pk}/cpara/new/", partial)
    assert response.status_code == 200
    assert b"Please correct" in response.content
    assert re.search(rb'name="benchmark_8" value="yes"[^>]*checked', response.content)
    with workspace_context(world.beta):
        assert not Cpara.objects.filter(household=household).exists()


def test_viewers_read_but_do_not_record(world):
    from tenants.models import Role
    from tenants.services import membership_grant
    from tests.factories import UserFactory

    viewer = UserFactory(email="viewer@beta.test")
    membership_grant(user=viewer, organisation=world.beta, roles=[Role.VIEWER])
    client = client_on(world.beta, viewer)
    assert client.get("/ovc/").status_code == 200
    assert client.get("/ovc/find-person/?for=household").status_code == 403


def test_the_owner_sees_its_programme(world, beta_programme):
    client = client_on(world.beta, world.beta_worker)
    household, enrolment, *_ = beta_programme
    assert MARKER.encode() in client.get(f"/ovc/households/{household.pk}/").content
    assert MARKER.encode() in client.get(f"/ovc/children/{enrolment.pk}/").content
    assert client.get(f"/ovc/households/{household.pk}/cpara/new/").status_code == 200


def test_no_ovc_screen_gives_beta_data_to_anyone_else(world, beta_programme):
    # acme turns implementing partner for this test, so its screens answer with its own data
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    urls = ovc_urls(*beta_programme)
    acme_on_acme = client_on(world.acme, world.acme_admin)
    assert acme_on_acme.get("/ovc/").status_code == 200  # a real probe
    clients = {
        "acme admin on acme's host": acme_on_acme,
        "acme admin on beta's host": client_on(world.beta, world.acme_admin),
        "DCS administrator on beta's host": client_on(world.beta, world.hq_admin),
        "outsider on beta's host": client_on(world.beta, world.outsider),
        "anonymous on beta's host": client_on(world.beta),
    }
    for who, client in clients.items():
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code < 500, (who, method, url)
                assert not 200 <= response.status_code < 300 or who == "acme admin on acme's host"
                assert MARKER.encode() not in response.content, (who, method, url)
    with workspace_context(world.beta):
        household, enrolment, *_ = beta_programme
        assert Household.objects.filter(pk=household.pk, village=MARKER).exists()
        assert Enrolment.objects.filter(pk=enrolment.pk, status="active").exists()


def test_member_and_hiv_follow_up_through_the_screens(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    client = client_on(world.beta, world.beta_worker)
    sibling = {
        "first_name": "Zawadi",
        "surname": "Wanjiku",
        "sex": "SFEM",
        "date_of_birth": "2016-01-01",
        "action": "register",
    }
    response = client.post(f"/ovc/find-person/?for=member&household={household.pk}", sibling)
    member_url = response["Location"]
    assert member_url.startswith(f"/ovc/households/{household.pk}/members/new/?person=")
    response = client.post(member_url, {"member_type": "TBVC", "alive": "on", "hiv_status": "HSTN"})
    assert response.status_code == 302
    assert b"ZAWADI" in client.get(f"/ovc/households/{household.pk}/").content.upper()
    # HIV management is refused for a child not living with HIV, the form keeps its input
    response = client.post(
        f"/ovc/children/{enrolment.pk}/hiv-visits/new/",
        {"visit_date": iso(), "adherence": "good", "current_regimen": "TLD"},
    )
    assert response.status_code == 200 and b"living with HIV" in response.content
    assert b'value="TLD"' in response.content
    with workspace_context(world.beta):
        positive = services.child_enrol(
            actor=as_member(world.beta_worker, world.beta),
            household=household,
            child=make_child("Neema", "Wanjiku"),
            registration_date=TODAY(),
            eligibility=["ECCP"],
            hiv_status="HSTP",
            art_status="ARAR",
            facility="Kondele HC",
            school_level="SLPR",
        )
    response = client.post(
        f"/ovc/children/{positive.pk}/hiv-visits/new/",
        {
            "visit_date": iso(),
            "adherence": "good",
            "viral_load": "200",
            "viral_load_date": iso(20),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/ovc/children/{positive.pk}/")
    assert b"hiv-visits" in page.content and b"200" in page.content
    assert client.get(f"/ovc/children/{positive.pk}/screening/999999/result/").status_code == 404
    assert client.get("/ovc/find-person/?for=member&household=999999").status_code == 404
    assert client.get("/ovc/find-person/?for=nonsense").status_code == 404


def test_wellbeing_form_keeps_answers_and_records(world, beta_household):
    from case_apps.ovc import codes

    household = beta_household.household
    client = client_on(world.beta, world.beta_worker)
    url = f"/ovc/households/{household.pk}/wellbeing/new/?kind=WBG"
    assert b"q_enough_food" in client.get(url).content
    assert client.get(f"/ovc/households/{household.pk}/wellbeing/new/?kind=XX").status_code == 404
    data = {"assessed_on": iso(), **{f"q_{k}": "yes" for k, _d, _l in codes.WELLBEING_HOUSEHOLD}}
    del data["q_attending"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert re.search(rb'name="q_enrolled" value="yes"[^>]*checked', response.content)
    data["q_attending"] = "no"
    assert client.post(url, data).status_code == 302
    page = client.get(f"/ovc/households/{household.pk}/")
    assert b"Household wellbeing" in page.content and b"2/3" in page.content


def test_enrolment_edit_keeps_the_rules(world, beta_household):
    enrolment = beta_household.enrolment
    client = client_on(world.beta, world.beta_worker)
    url = f"/ovc/children/{enrolment.pk}/edit/"
    assert b'value="SLPR" selected' in client.get(url).content
    base = {
        "programme": "POVC",
        "entry_point": "community",
        "eligibility": ["ECFD"],
        "school_level": "SLSE",
        "hiv_status": "HSTN",
    }
    moved = enrolment.registration_date - timedelta(days=29)
    response = client.post(url, {**base, "registration_date": moved.isoformat()})
    assert response.status_code == 200 and b"28 days" in response.content
    ok = enrolment.registration_date - timedelta(days=28)
    assert client.post(url, {**base, "registration_date": ok.isoformat()}).status_code == 302
    with workspace_context(world.beta):
        enrolment.refresh_from_db()
    assert enrolment.school_level == "SLSE" and enrolment.registration_date == ok


def test_reading_a_household_or_a_child_is_logged(world, beta_programme):
    from audit.workspace.models import AccessEntry

    household, enrolment, *_ = beta_programme
    client = client_on(world.beta, world.beta_worker)
    client.get(f"/ovc/households/{household.pk}/")
    client.get(f"/ovc/children/{enrolment.pk}/")
    with workspace_context(world.beta):
        entries = list(AccessEntry.objects.order_by("id").values_list("record_kind", "actor_id"))
    assert entries == [("ovc_household", world.beta_worker.pk), ("ovc_child", world.beta_worker.pk)]

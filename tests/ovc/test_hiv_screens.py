"""HIV care screens (issue 18 point 4): the live "HIV test required", facilities picked from
the registry and shown by name, the ART referral, caregivers' HIV status, the HEI path, the
M&E lists with their CSV, and nothing of beta's for anyone else."""

from __future__ import annotations

import pytest

from audit.workspace.models import AccessEntry
from case_apps.ovc.models import HivScreening
from case_apps.ovc.models_hiv import CaregiverHivStatus, HeiFinalOutcome, HeiTestVisit
from tenants.models import Organisation
from tenants.schema import workspace_context
from tests.conftest import client_on
from tests.ovc.hiv_helpers import (
    JOOTRH,
    KONDELE,
    days_ago,
    facilities,  # noqa: F401 (fixture)
    make_infant,
    screen_and_test,
)

pytestmark = pytest.mark.django_db


def iso(days: int) -> str:
    return days_ago(days).isoformat()


def test_the_screening_form_says_live_whether_a_test_is_required(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    enrolment = beta_household.enrolment
    page = client.get(f"/ovc/children/{enrolment.pk}/screening/new/")
    assert page.status_code == 200
    assert b'hx-post="/ovc/children/%d/screening/required/"' % enrolment.pk in page.content
    assert b'data-testid="test-required"' in page.content
    url = f"/ovc/children/{enrolment.pk}/screening/required/"
    required = client.post(url, {"status_known": "HSKN", "risks": ["sexual_abuse"]})
    assert required.status_code == 200 and b"HIV test required" in required.content
    recent = client.post(
        url, {"status_known": "HSTN", "tested_last_6_months": "on", "risks": ["sexual_abuse"]}
    )
    assert b"No HIV test required" in recent.content
    assert b"No HIV test required" in client.post(url, {"status_known": "HSKN"}).content
    assert client.get(url).status_code == 405
    assert client.post("/ovc/children/999999/screening/required/", {}).status_code == 404


@pytest.mark.usefixtures("facilities")
def test_screening_referral_and_art_through_the_screens_show_facilities_by_name(
    world, beta_household
):
    client = client_on(world.beta, world.beta_worker)
    enrolment = beta_household.enrolment
    options = client.get("/ovc/facilities/?test_facility=kondele")
    assert options.status_code == 200
    assert b'value="13701"' in options.content and b"Kondele Health Centre" in options.content
    assert b"13939" in client.get("/ovc/facilities/?q=1393").content
    assert client.get("/ovc/facilities/?q=").content.strip() == b""
    form = {
        "screened_on": iso(3),
        "status_known": "HSKN",
        "risks": ["sexual_abuse"],
        "referred_on": iso(2),
        "test_facility": "Kondele HC",  # free text is refused, and kept
    }
    bad = client.post(f"/ovc/children/{enrolment.pk}/screening/new/", form)
    assert bad.status_code == 200 and b"No facility with this MFL code" in bad.content
    assert b'value="Kondele HC"' in bad.content and b"HIV test required" in bad.content
    response = client.post(
        f"/ovc/children/{enrolment.pk}/screening/new/", {**form, "test_facility": KONDELE}
    )
    assert response.status_code == 302
    page = client.get(f"/ovc/children/{enrolment.pk}/").content
    assert b"Kondele Health Centre (13701)" in page
    assert b'data-testid="latest-test-required"' in page
    with workspace_context(world.beta):
        screening = HivScreening.objects.get(enrolment=enrolment)
    result = client.post(
        f"/ovc/children/{enrolment.pk}/screening/{screening.pk}/result/",
        {
            "referral_completed_on": iso(1),
            "test_result": "HSTP",
            "art_referred_on": iso(1),
            "art_facility": JOOTRH,
        },
    )
    assert result.status_code == 302
    page = client.get(f"/ovc/children/{enrolment.pk}/").content
    assert b"Jaramogi Oginga Odinga" in page
    art_url = f"/ovc/children/{enrolment.pk}/screening/{screening.pk}/art/"
    assert art_url.encode() in page
    assert client.post(art_url, {"art_referral_completed_on": iso(-2)}).status_code == 200
    assert client.post(art_url, {"art_referral_completed_on": iso(0)}).status_code == 302
    with workspace_context(world.beta):
        enrolment.refresh_from_db()
        assert enrolment.art_status == "ARAR"


def test_caregiver_status_form_and_household_panel(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    household = beta_household.household
    page = client.get(f"/ovc/households/{household.pk}/").content
    assert b'data-testid="caregivers-hiv"' in page
    url = f"/ovc/households/{household.pk}/caregiver-hiv/new/"
    assert url.encode() in page
    with workspace_context(world.beta):
        head = household.members.get(is_head=True)
    bad = client.post(
        url, {"member": head.pk, "hiv_status": "HSTN", "art_status": "ARAR", "known_on": iso(5)}
    )
    assert bad.status_code == 200 and b"living with HIV" in bad.content
    assert f'value="{iso(5)}"'.encode() in bad.content
    ok = client.post(
        url, {"member": head.pk, "hiv_status": "HSTP", "art_status": "ARAR", "known_on": iso(5)}
    )
    assert ok.status_code == 302
    panel = client.get(f"/ovc/households/{household.pk}/").content
    assert days_ago(5).strftime("%-d %b %Y").encode() in panel
    with workspace_context(world.beta):
        assert CaregiverHivStatus.objects.filter(member=head, hiv_status="HSTP").count() == 1


@pytest.mark.usefixtures("facilities")
def test_an_hei_follows_its_schedule_on_the_child_page(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    infant = make_infant(world, beta_household.household, born_days_ago=200)
    page = client.get(f"/ovc/children/{infant.pk}/").content
    assert b'data-testid="hei-schedule"' in page
    assert b"overdue" in page  # the 6-week PCR, not done
    assert f"/ovc/children/{infant.pk}/screening/new/".encode() not in page  # no risk screening
    assert f"/ovc/children/{infant.pk}/hei-tests/new/".encode() in page
    screening = client.get(f"/ovc/children/{infant.pk}/screening/new/")
    assert b'data-testid="hei-path"' in screening.content
    response = client.post(
        f"/ovc/children/{infant.pk}/hei-tests/new/",
        {"test": "pcr_6m", "tested_on": iso(3), "result": "HSTP"},
    )
    assert response.status_code == 302
    bad = client.post(
        f"/ovc/children/{infant.pk}/hei-outcome/", {"outcome": "HSTP", "decided_on": iso(1)}
    )
    assert bad.status_code == 200 and b"ART started" in bad.content
    response = client.post(
        f"/ovc/children/{infant.pk}/hei-outcome/",
        {"outcome": "HSTP", "decided_on": iso(1), "art_facility": JOOTRH, "art_started_on": iso(1)},
    )
    assert response.status_code == 302
    page = client.get(f"/ovc/children/{infant.pk}/").content
    assert b'data-testid="hei-outcome"' in page and b"Jaramogi" in page
    with workspace_context(world.beta):
        assert HeiTestVisit.objects.filter(enrolment=infant).count() == 1
        assert HeiFinalOutcome.objects.get(enrolment=infant).outcome == "HSTP"


@pytest.mark.usefixtures("facilities")
def test_the_me_lists_with_period_search_and_csv(world, beta_household):
    client = client_on(world.beta, world.beta_worker)
    enrolment = beta_household.enrolment
    with workspace_context(world.beta):
        screen_and_test(world, enrolment, art_referred_on=days_ago(9), art_facility=JOOTRH)
    infant = make_infant(world, beta_household.household, born_days_ago=200)
    assert b'href="/ovc/hiv/"' in client.get("/ovc/children/").content  # the tab
    period = f"period_from={iso(30)}&period_to={iso(0)}"
    screened = client.get(f"/ovc/hiv/?list=screened&{period}").content
    assert b"BARAKA" in screened.upper()
    assert b"BARAKA" not in client.get(f"/ovc/hiv/?list=screened&period_from={iso(5)}").content
    tested = client.get(f"/ovc/hiv/?list=tested&{period}").content
    assert b"BARAKA" in tested.upper()
    csv_link = f"?list=tested&amp;{period.replace('&', '&amp;')}&amp;format=csv"
    assert csv_link.encode() in tested  # the download keeps the filters
    assert b"BARAKA" not in client.get(f"/ovc/hiv/?list=awaiting_test&{period}").content.upper()
    assert b"BARAKA" not in client.get(f"/ovc/hiv/?list=tested&{period}&q=zzzz").content.upper()
    linked = client.get(f"/ovc/hiv/?list=linked&{period}").content
    assert b"BARAKA" not in linked.upper()  # referred for ART, not yet on ART
    hei = client.get("/ovc/hiv/?list=hei_due").content
    assert b"TUMAINI" in hei.upper() and b"overdue" in hei
    csv = client.get(f"/ovc/hiv/?list=tested&{period}&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    body = b"".join(csv.streaming_content).decode()
    assert body.splitlines()[0].startswith("Child,CPIMS ID,Household")
    assert "Jaramogi Oginga Odinga Teaching and Referral Hospital (13939)" in body
    with workspace_context(world.beta):
        assert AccessEntry.objects.filter(
            record_kind="ovc_hiv_list_export", record_id="tested"
        ).exists()
    assert (
        "TUMAINI"
        in b"".join(client.get("/ovc/hiv/?list=hei_due&format=csv").streaming_content)
        .decode()
        .upper()
    )
    assert client.get("/ovc/hiv/?list=tested&period_from=nonsense").status_code == 200
    _ = infant


def test_no_hiv_screen_gives_beta_data_to_anyone_else(world, beta_household):
    household, enrolment = beta_household.household, beta_household.enrolment
    with workspace_context(world.beta):
        screening = screen_and_test(world, enrolment)
        head = household.members.get(is_head=True)
    infant = make_infant(world, household)
    Organisation.objects.filter(pk=world.acme.pk).update(kind="ip")
    e, h, s = enrolment.pk, household.pk, screening.pk
    urls = [
        "/ovc/hiv/?list=screened",
        "/ovc/hiv/?list=tested&format=csv",
        "/ovc/hiv/?list=hei_due",
        "/ovc/facilities/?q=kondele",
        f"/ovc/children/{e}/screening/required/",
        f"/ovc/children/{e}/screening/{s}/art/",
        f"/ovc/children/{infant.pk}/hei-tests/new/",
        f"/ovc/children/{infant.pk}/hei-outcome/",
        f"/ovc/households/{h}/caregiver-hiv/new/",
    ]
    acme_on_acme = client_on(world.acme, world.acme_admin)
    assert acme_on_acme.get("/ovc/hiv/").status_code == 200  # a real probe
    clients = {
        "acme admin on acme's host": acme_on_acme,
        "acme admin on beta's host": client_on(world.beta, world.acme_admin),
        "DCS administrator on beta's host": client_on(world.beta, world.hq_admin),
        "anonymous on beta's host": client_on(world.beta),
    }
    data = {"member": head.pk, "hiv_status": "HSTN", "known_on": iso(1), "test": "pcr_6w"}
    for who, client in clients.items():
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url, data if method == "post" else None)
                assert response.status_code < 500, (who, method, url)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                assert b"BARAKA" not in body.upper() and b"TUMAINI" not in body.upper(), (who, url)
                if who != "acme admin on acme's host":
                    assert not 200 <= response.status_code < 300, (who, method, url)
    with workspace_context(world.beta):
        assert not CaregiverHivStatus.objects.exists()
        assert not HeiTestVisit.objects.exists()
        screening.refresh_from_db()
        assert screening.art_referral_completed_on is None

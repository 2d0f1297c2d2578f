"""The admission screens (issue 19): admitting from an accepted referral (the "Admit" link on
the accepted referral and on the case), directly or on a court committal after finding the
child in the registry, the refusal naming the institution the child lives in, the admission
page with its overstay and discharge, the child's profile reading "Resident in ...", and
tenant isolation (another organisation's member gets 404/403 and never data)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.cases.models import CaseRecord, HowReported
from case_apps.institutions.models import Admission, AdmissionSource, ResidentialStatus
from case_apps.institutions.services_admissions import resident_discharge
from shared_registry.services_residence import residence_current
from sharing.models import ReferralStatus
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child, search_ref, team  # noqa: F401 (fixture)
from tests.conftest import client_on
from tests.institutions.conftest import make_admission
from tests.sharing.conftest import scene  # noqa: F401 (fixture)
from tests.sharing.test_transfer import accept_data, consent, send  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def admission_data(**overrides) -> dict:
    data = {
        "admitted_on": (TODAY() - timedelta(days=1)).isoformat(),
        "admission_number": "",
        "admission_type": "TANA",
        "admission_reason": "RACP",
        "committal_period_unit": "",
    }
    data.update(overrides)
    return data


def test_an_accepted_referral_offers_admit_and_the_child_reads_resident(
    world,
    scene,  # noqa: F811
    consent,  # noqa: F811
):
    referral = send(world, scene, consent)
    acme = client_on(world.acme, world.acme_worker)
    page = acme.get(f"/cases/referrals-in/{referral.pk}/").content.decode()
    assert 'data-testid="admit-link"' not in page  # nothing to admit before acceptance
    assert acme.post(f"/cases/referrals-in/{referral.pk}/accept/", accept_data()).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    admit_url = f"/institution/cases/{referral.receiver_case_id}/admit/"
    assert admit_url in acme.get(f"/cases/referrals-in/{referral.pk}/").content.decode()
    assert admit_url in acme.get(f"/cases/{referral.receiver_case_id}/").content.decode()

    refused = acme.post(admit_url, admission_data(admitted_on="", admission_number="ACM/9"))
    assert refused.status_code == 200 and 'value="ACM/9"' in refused.content.decode()
    response = acme.post(
        admit_url,
        admission_data(admission_number="ACM/9", is_emergency="on", admitted_on=TODAY()),
    )
    assert response.status_code == 302
    with workspace_context(world.acme):
        admission = Admission.objects.get()
        assert (admission.source, admission.referral_id) == (AdmissionSource.REFERRAL, referral.pk)
        assert admission.case_id == referral.receiver_case_id and admission.is_emergency
    assert response["Location"] == f"/institution/admissions/{admission.pk}/"

    case_page = acme.get(f"/cases/{referral.receiver_case_id}/").content.decode()
    assert "Resident in Acme Children&#x27;s Home" in case_page
    assert admit_url not in case_page  # resident: no second admission offered
    # the sender still holds a case on the child: its pages read where the child lives
    beta = client_on(world.beta, world.beta_worker)
    assert (
        "Resident in Acme Children&#x27;s Home"
        in beta.get(f"/cases/{scene.case.pk}/").content.decode()
    )
    assert "Resident in Acme" in beta.get(f"/cases/children/{scene.child.pk}/").content.decode()
    assert "/institution/" not in beta.get(f"/cases/{scene.case.pk}/").content.decode()


def test_a_court_committal_after_finding_the_child(world):
    acme = client_on(world.acme, world.acme_worker)
    assert acme.get("/institution/admissions/new/").status_code == 200
    found = acme.post(
        "/institution/admissions/new/",
        {
            "action": "register",
            "first_name": "Wekesa",
            "surname": "Committed",
            "sex": "SMAL",
            "date_of_birth": "2013-04-02",
        },
    )
    assert found.status_code == 302 and "?child=" in found["Location"]
    form_url = found["Location"]
    shown = acme.get(form_url).content.decode()
    assert "WEKESA COMMITTED" in shown.upper()
    court = {
        "source": AdmissionSource.COURT,
        "case_category": "CDIS",
        "committal_court": "Kisumu Children's Court",
        "committal_period": "3",
        "committal_period_unit": "years",
    }
    kept = acme.post(form_url, admission_data(**court))  # no committal order number
    assert kept.status_code == 200
    assert "committal order number" in kept.content.decode()
    assert 'value="Kisumu Children&#x27;s Court"' in kept.content.decode()
    done = acme.post(form_url, admission_data(**court, committal_order_number="CCO 7/2026"))
    assert done.status_code == 302
    with workspace_context(world.acme):
        admission = Admission.objects.select_related("case").get()
        assert admission.case.how_reported == HowReported.COURT
        assert admission.expected_exit_on.year == admission.admitted_on.year + 3
        page = acme.get(done["Location"]).content.decode()
    assert "CCO 7/2026" in page and 'data-testid="discharge-link"' in page


def test_a_child_resident_elsewhere_is_refused_naming_the_institution(world, institutions_world):
    child = make_child("Adhiambo", "Elsewhere")
    make_admission(institutions_world.rescue, institutions_world.rescue_worker, child)
    acme = client_on(world.acme, world.acme_worker)
    ref = search_ref(world.acme, world.acme_worker, child)
    url = f"/institution/admissions/new/?child={child.pk}&ref={ref}"
    assert "Resident in Kisumu Rescue Centre" in acme.get(url).content.decode()
    response = acme.post(url, admission_data(source="direct", case_category="CDIS"))
    assert response.status_code == 200
    assert "already resident in Kisumu Rescue Centre" in response.content.decode()
    with workspace_context(world.acme):
        assert (
            not Admission.objects.exists()
            and not CaseRecord.objects.filter(child_id=child.pk).exists()
        )


def test_the_admission_page_shows_an_overstay_and_discharges(world, institutions_world):
    admission = make_admission(
        world.acme,
        world.acme_worker,
        admitted_on=TODAY() - timedelta(days=40),
        expected_exit_on=TODAY() - timedelta(days=5),
    )
    acme = client_on(world.acme, world.acme_worker)
    page = acme.get(f"/institution/admissions/{admission.pk}/").content.decode()
    assert 'data-testid="overstay"' in page
    url = f"/institution/admissions/{admission.pk}/discharge/"
    kept = acme.post(
        url, {"discharge_type": "", "discharged_on": TODAY().isoformat(), "notes": "x"}
    )
    assert kept.status_code == 200 and "x</textarea>" in kept.content.decode()
    done = acme.post(url, {"discharge_type": "DTRI", "discharged_on": TODAY().isoformat()})
    assert done.status_code == 302
    page = acme.get(done["Location"]).content.decode()
    assert "Reintegration with the family" in page and 'data-testid="overstay"' not in page
    with workspace_context(world.acme):
        assert Admission.objects.get().residential_status == ResidentialStatus.REINTEGRATED
    assert residence_current(admission.case.child_id) is None


def test_a_supervisor_undoes_a_discharge_on_screen(world, team):  # noqa: F811
    admission = make_admission(world.acme, team.worker)
    with workspace_context(world.acme):
        resident_discharge(
            actor=actor_of(world.acme, team.worker),
            admission=admission,
            discharged_on=TODAY(),
            discharge_type="DTEO",
        )
    url = f"/institution/admissions/{admission.pk}/discharge/undo/"
    assert client_on(world.acme, team.worker).get(url).status_code == 403
    supervisor = client_on(world.acme, team.supervisor)
    assert supervisor.post(url, {"reason": ""}).status_code == 200
    assert supervisor.post(url, {"reason": "Discharged the wrong child"}).status_code == 302
    with workspace_context(world.acme):
        assert Admission.objects.get().is_resident


def test_another_organisation_never_reaches_an_admission(world, institutions_world):
    admission = make_admission(world.acme, world.acme_worker)
    rescue = client_on(institutions_world.rescue, institutions_world.rescue_worker)
    beta = client_on(world.beta, world.beta_worker)
    pages = [
        f"/institution/admissions/{admission.pk}/",
        f"/institution/admissions/{admission.pk}/discharge/",
        f"/institution/cases/{admission.case_id}/admit/",
    ]
    for url in pages:
        answer = rescue.get(url)
        assert answer.status_code in (403, 404)
        assert admission.case.child.surname not in answer.content.decode()
        assert beta.get(url).status_code in (403, 404)
    posted = rescue.post(pages[1], {"discharge_type": "DTRI", "discharged_on": TODAY().isoformat()})
    assert posted.status_code in (403, 404)
    with workspace_context(world.acme):
        assert Admission.objects.get().is_resident

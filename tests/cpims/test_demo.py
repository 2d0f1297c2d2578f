"""The demo data of the run command: complete, and loading twice changes nothing."""

from datetime import date

import pytest

from audit.models import PlatformAccessEntry
from case_apps.cases.models import ApprovalRequest, CaseRecord
from case_apps.family_care.models import AlternativeCare
from case_apps.institutions.models import Admission
from case_apps.outbox.models import OutboxEvent
from case_apps.ovc.models import (
    Cpara,
    Enrolment,
    HivManagementVisit,
    HivScreening,
    Household,
    ServiceRecord,
)
from cpims.demo import DEMO_ACCOUNTS, load_demo_data
from national_statistics.mer import ovc_hivstat, ovc_serv
from national_statistics.models import Fact
from national_statistics.selectors import StatisticsScope
from shared_registry.models import Person, PersonLink
from sharing.models import (
    AgreementEvent,
    AgreementStatus,
    Consent,
    DataSharingAgreement,
    OrganisationReferral,
    ReferralEvent,
)
from tenants.models import Organisation, OrganisationStatus, User
from tenants.schema import workspace_context
from tests.conftest import client_on

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PASSWORD = "demo-password-for-tests"


def _current_quarter(today: date) -> tuple[date, date]:
    start = date(today.year, today.month - (today.month - 1) % 3, 1)
    return start, date(start.year, start.month + 2, 1)


def _counts() -> dict[str, int]:
    """Every kind of row the demo writes, in public and in both workspaces."""
    counts = {
        "persons": Person.objects.count(),
        "links": PersonLink.objects.count(),
        "agreements": DataSharingAgreement.objects.count(),
        "agreement_events": AgreementEvent.objects.count(),
        "consents": Consent.objects.count(),
        "referrals": OrganisationReferral.objects.count(),
        "referral_events": ReferralEvent.objects.count(),
        "facts": Fact.objects.count(),
        "users": User.objects.count(),
        "platform_access": PlatformAccessEntry.objects.count(),
    }
    for slug in ("tumaini", "imara"):
        with workspace_context(Organisation.objects.get(slug=slug)):
            counts[f"{slug}_cases"] = CaseRecord.objects.count()
            counts[f"{slug}_households"] = Household.objects.count()
            counts[f"{slug}_services"] = ServiceRecord.objects.count()
            counts[f"{slug}_outbox"] = OutboxEvent.objects.count()
    return counts


def test_demo_data_is_complete_and_idempotent(world):
    load_demo_data(password=PASSWORD)
    tumaini = Organisation.objects.get(slug="tumaini")
    imara = Organisation.objects.get(slug="imara")
    assert tumaini.status == OrganisationStatus.ACTIVE
    assert imara.status == OrganisationStatus.ACTIVE
    assert User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).count() == len(
        DEMO_ACCOUNTS
    )
    with workspace_context(tumaini):
        assert CaseRecord.objects.count() == 7  # six children's cases, one in foster care
        assert Admission.objects.filter(discharged_on__isnull=True).count() >= 3  # residents
        assert AlternativeCare.objects.count() == 1
        assert ApprovalRequest.objects.filter(status="pending").count() == 1
    before = _counts()
    load_demo_data(password=PASSWORD)
    assert _counts() == before
    with workspace_context(tumaini):
        assert CaseRecord.objects.count() == 7  # six children's cases, one in foster care
        assert Admission.objects.filter(discharged_on__isnull=True).count() >= 3  # residents
        assert AlternativeCare.objects.count() == 1
    assert User.objects.get(email="worker@tumaini.demo").check_password(PASSWORD)


def test_demo_ovc_programme_has_every_screen_and_mer_figures(world):
    load_demo_data(password=PASSWORD)
    imara = Organisation.objects.get(slug="imara")
    with workspace_context(imara):
        assert Household.objects.count() == 8
        assert Enrolment.objects.count() == 27
        assert Enrolment.objects.filter(exit_reason="ERCP").count() == 3
        assert Enrolment.objects.filter(exit_reason="ERRL").count() == 1
        assert Cpara.objects.filter(total=9).exists()
        assert ServiceRecord.objects.count() > 60
        assert HivScreening.objects.filter(referral_state="completed").exists()
        assert HivScreening.objects.filter(test_required=False).exists()
        assert HivManagementVisit.objects.exists()
        children = set(Enrolment.objects.values_list("child_id", flat=True))
        assert not OutboxEvent.objects.filter(drained_at__isnull=True).exists()
    # every child and caregiver is a registry person linked to imara
    assert PersonLink.objects.filter(organisation=imara, person_id__in=children).count() == 27
    assert Fact.objects.filter(organisation_id=imara.pk, event_kind="ovc_service").exists()
    period = _current_quarter(date.today())
    serv = ovc_serv(StatisticsScope(organisation_id=imara.pk), *period)
    assert serv.cell("active", "__total__") == 23
    assert serv.cell("graduated", "__total__") == 3
    assert serv.cell("exited", "__total__") == 1
    hivstat = ovc_hivstat(StatisticsScope(organisation_id=imara.pk), *period)
    assert hivstat.cell("__total__", "__total__") == 26
    assert hivstat.cell("hiv_positive_on_art", "__total__") == 4
    # the case worker's OVC screens answer with the demo's households
    worker = User.objects.get(email="worker@imara.demo")
    page = client_on(imara, worker).get("/ovc/?q=Wairimu")
    assert page.status_code == 200 and "kawangware" in page.content.decode().lower()


def test_demo_sharing_has_an_agreement_in_force_a_queue_a_consent_and_a_transfer(world):
    load_demo_data(password=PASSWORD)
    tumaini = Organisation.objects.get(slug="tumaini")
    imara = Organisation.objects.get(slug="imara")
    agreements = DataSharingAgreement.objects.filter(requester=imara, provider=tumaini)
    active = agreements.get(status=AgreementStatus.ACTIVE)
    assert agreements.filter(status=AgreementStatus.ACCEPTED).count() == 1
    assert active.events.filter(actor__email="hq.approver@dcs.demo", kind="approved").exists()
    named = Person.objects.get(pk=active.person_ids[0])
    assert named.first_name.upper() == "AKINYI"
    transfer = OrganisationReferral.objects.get(sender=tumaini, receiver=imara)
    assert (transfer.kind, transfer.status) == ("transfer", "pending")
    assert transfer.consent.person_id == transfer.person_id
    assert Consent.objects.filter(organisation=tumaini, person_id=transfer.person_id).count() == 1
    assert transfer.summary["case_summary"]["rows"]
    # imara's admin reads the named child's case summary through the gateway
    admin = User.objects.get(email="admin@imara.demo")
    shared = client_on(imara, admin).get(f"/sharing/children/{named.pk}/")
    assert shared.status_code == 200
    with workspace_context(tumaini):
        reference = CaseRecord.objects.get(child_id=named.pk).national_reference
    assert reference in shared.content.decode()
    # imara's case worker finds the transfer in "Referrals in"
    inbox = client_on(imara, User.objects.get(email="worker@imara.demo")).get(
        "/cases/referrals-in/"
    )
    assert inbox.status_code == 200 and "hassan" in inbox.content.decode().lower()
    # one data subject request answered by DCS headquarters, about the named child
    request = PlatformAccessEntry.objects.get(record_kind="data_subject_export")
    assert request.record_id == named.cpims_id and request.actor_email == "hq.admin@dcs.demo"
    # the DCS approver's queue holds the accepted request
    approver = User.objects.get(email="hq.approver@dcs.demo")
    queue = client_on(None, approver).get("/console/sharing/")
    assert queue.status_code == 200 and str(imara.name) in queue.content.decode()

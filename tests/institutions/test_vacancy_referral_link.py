"""An admission from an accepted referral answers the child's confirmed vacancy (issue 19):
the sub-county office applies, DCS headquarters confirms the vacancy to the rescue centre,
the office refers the case there and the centre admits from the referral: the vacancy reads
admitted, linked both ways, and the applying office is told. Only a confirmed vacancy of
this child to this institution is touched; a direct admission keeps the vacancy as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from case_apps.cases.services.record_sheet import CategoryInput
from case_apps.institutions.models import Admission, AdmissionSource
from case_apps.institutions.services_admissions import admission_open, admission_record
from case_apps.institutions.services_vacancies import vacancy_admit
from sharing import services_consent
from sharing.models import OrganisationReferral, ReferralStatus
from sharing.models_vacancies import VacancyStatus
from sharing.services_vacancies import vacancy_decline, vacancy_withdraw
from tenants.actor import Actor
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child
from tests.conftest import client_on
from tests.institutions.vacancy_helpers import TODAY, apply, confirm

pytestmark = pytest.mark.django_db


def refer_and_accept(
    iw, application, receiver, receiver_worker, kind: str = "referral"
) -> OrganisationReferral:
    """The office refers the application's case to ``receiver`` with the child's consent,
    from the case page; the receiver's case worker accepts (opening its own case)."""
    office = actor_of(iw.office, iw.office_worker)
    with workspace_context(iw.office):
        consent = services_consent.consent_record(
            organisation=iw.office,
            person=application.person,
            actor=office,
            given_by="parent",
            giver_name="Mary Vacancy",
            giver_relationship="Mother",
            purpose="Continuity of care in the institution",
            scope={"case_summary": ["national_reference", "status"]},
            given_on=TODAY(),
            valid_until=TODAY() + timedelta(days=90),
        )
    sent = client_on(iw.office, iw.office_worker).post(
        f"/cases/{application.applicant_case_id}/transfers/new/",
        {
            "send": "1",
            "receiver": str(receiver.pk),
            "kind": kind,
            "services": ["RMPC"],
            "reason": "Committed to the rescue centre by the court",
            "reasons": ["RMPC"],
            "consent": str(consent.pk),
            "fields": ["case_summary:national_reference"],
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    referral = OrganisationReferral.objects.get(
        sender=iw.office, sender_case_id=application.applicant_case_id, receiver=receiver
    )
    accepted = client_on(receiver, receiver_worker).post(
        f"/cases/referrals-in/{referral.pk}/accept/",
        {"category_code": "CSIC", "risk_level": "RLHG", "notes": "Bed ready"},
    )
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    return referral


def admit_from(referral, receiver, receiver_worker) -> Admission:
    transfer = referral.kind == "transfer"
    with workspace_context(receiver):
        return admission_record(
            actor=actor_of(receiver, receiver_worker),
            case=referral.receiver_case_id,
            admitted_on=TODAY(),
            admission_type="TRIN" if transfer else "TANA",
            admission_reason="RACP",
            source=AdmissionSource.TRANSFER if transfer else AdmissionSource.REFERRAL,
            referral_id=referral.pk,
            admission_number=f"KRC/{referral.pk}",
        )


@pytest.mark.parametrize("kind", ["referral", "transfer"])
def test_a_referral_admission_marks_the_confirmed_vacancy_admitted(
    world, institutions_world, django_capture_on_commit_callbacks, kind
):
    iw = institutions_world
    application = apply(iw)
    confirm(world, iw, application)
    referral = refer_and_accept(iw, application, iw.rescue, iw.rescue_worker, kind=kind)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admission = admit_from(referral, iw.rescue, iw.rescue_worker)

    application.refresh_from_db()
    assert application.status == VacancyStatus.ADMITTED
    assert (application.admission_id, application.admitted_on) == (admission.pk, TODAY())
    with workspace_context(iw.rescue):
        stored = Admission.objects.get(pk=admission.pk)
    assert (stored.source, stored.referral_id) == (kind, referral.pk)
    assert stored.vacancy_id == application.pk
    told = {address for message in mail.outbox for address in message.to}
    assert iw.office_worker.email in told  # the applying office hears of the admission
    assert world.hq_admin.email in told
    kinds = list(application.events.values_list("kind", "acting_as"))
    assert kinds[-1] == ("admitted", "institution")
    assert [kind for kind, _ in kinds].count("admitted") == 1


def test_a_vacancy_at_another_institution_or_for_another_child_is_untouched(
    world, institutions_world
):
    iw = institutions_world
    # the child's vacancy was confirmed to the rescue centre, but acme admits from a referral
    elsewhere = apply(iw, child=make_child("Akinyi", "Elsewhere"))
    confirm(world, iw, elsewhere)
    referral = refer_and_accept(iw, elsewhere, world.acme, world.acme_worker)
    at_acme = admit_from(referral, world.acme, world.acme_worker)
    # another child's vacancy confirmed to the rescue centre, a different child admitted there
    waiting = apply(iw, child=make_child("Baraka", "Waiting"))
    confirm(world, iw, waiting)
    other = apply(iw, child=make_child("Chebet", "Other"))
    vacancy_withdraw(actor=actor_of(iw.office, iw.office_worker), application=other.pk, reason="x")
    referral = refer_and_accept(iw, other, iw.rescue, iw.rescue_worker)
    at_rescue = admit_from(referral, iw.rescue, iw.rescue_worker)

    for application in (elsewhere, waiting):
        application.refresh_from_db()
        assert application.status == VacancyStatus.CONFIRMED
        assert application.admission_id is None and application.admitted_on is None
    assert at_acme.vacancy_id is None and at_rescue.vacancy_id is None


@pytest.mark.parametrize("ending", ["declined", "withdrawn"])
def test_a_declined_or_withdrawn_vacancy_is_untouched(world, institutions_world, ending):
    iw = institutions_world
    application = apply(iw, child=make_child("Dama", ending.title()))
    if ending == "declined":
        vacancy_decline(
            actor=Actor(user=world.hq_admin),
            application=application.pk,
            reason="A family member can take the child.",
        )
    else:
        confirm(world, iw, application)
        vacancy_withdraw(
            actor=actor_of(iw.office, iw.office_worker),
            application=application.pk,
            reason="The court released the child to the mother.",
        )
    referral = refer_and_accept(iw, application, iw.rescue, iw.rescue_worker)
    admission = admit_from(referral, iw.rescue, iw.rescue_worker)

    application.refresh_from_db()
    assert application.status == ending
    assert application.admission_id is None
    assert admission.vacancy_id is None
    assert "admitted" not in application.events.values_list("kind", flat=True)


def test_a_direct_admission_leaves_the_vacancy_to_the_vacancy_admission(world, institutions_world):
    iw = institutions_world
    rescue = actor_of(iw.rescue, iw.rescue_worker)
    direct_child = apply(iw, child=make_child("Eshe", "Direct"))
    confirm(world, iw, direct_child)
    with workspace_context(iw.rescue):
        direct = admission_open(
            actor=rescue,
            child=direct_child.person,
            admitted_on=TODAY(),
            admission_type="TANA",
            admission_reason="RACP",
            source=AdmissionSource.DIRECT,
            categories=[CategoryInput(category_code="CDIS")],
        )
    direct_child.refresh_from_db()
    assert direct_child.status == VacancyStatus.CONFIRMED and direct.vacancy_id is None

    application = apply(iw, child=make_child("Faraji", "Vacancy"))
    confirm(world, iw, application)
    with workspace_context(iw.rescue):
        admission = vacancy_admit(
            actor=rescue,
            application=application.pk,
            admitted_on=TODAY(),
            admission_reason="RACP",
            category="CDIS",
        )
    application.refresh_from_db()
    assert application.status == VacancyStatus.ADMITTED
    assert admission.source == AdmissionSource.VACANCY
    assert (admission.vacancy_id, application.admission_id) == (application.pk, admission.pk)
    assert list(application.events.values_list("kind", flat=True)).count("admitted") == 1


def test_the_admission_form_of_the_referral_starts_from_the_confirmed_vacancy(
    world, institutions_world
):
    iw = institutions_world
    application = apply(iw)
    confirm(world, iw, application, months=9)
    referral = refer_and_accept(iw, application, iw.rescue, iw.rescue_worker)
    page = client_on(iw.rescue, iw.rescue_worker).get(
        f"/institution/cases/{referral.receiver_case_id}/admit/"
    )
    assert page.status_code == 200
    shown = page.content.decode()
    assert 'data-testid="admit-answers-vacancy"' in shown and "9 months" in shown
    assert 'value="CR 12/2026"' in shown and 'value="Kisumu Law Courts"' in shown
    assert 'name="committal_period" value="9"' in shown
    # a child with no vacancy confirmed here: an empty form and no such line
    other = apply(iw, child=make_child("Wekesa", "Novacancy"))
    plain = refer_and_accept(iw, other, iw.rescue, iw.rescue_worker)
    bare = (
        client_on(iw.rescue, iw.rescue_worker)
        .get(f"/institution/cases/{plain.receiver_case_id}/admit/")
        .content.decode()
    )
    assert "admit-answers-vacancy" not in bare and 'value="CR 12/2026"' not in bare

"""Reading admissions (issue 19): one admission as the member, the case's admissions, the
accepted referral an admission comes from, whether a case offers "Admit", the child's
residence as the case screens show it, and the admissions on the case's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from audit.services import access_record
from case_apps.cases import selectors
from case_apps.cases.models import CaseRecord
from case_apps.cases.selectors import TimelineEntry
from case_apps.cases.selectors_presence import reads_case_rows
from case_apps.institutions.access_kinds import ADMISSION
from case_apps.institutions.capabilities import INSTITUTION_KINDS
from case_apps.institutions.models import Admission, AdmissionSource, PeriodUnit
from shared_registry.services_residence import residence_current
from tenants.actor import Actor, NotFound
from tenants.policy import Permission


def admission_get(
    *, actor: Actor, admission_id: int, permission: Permission = Permission.VIEW_CASES
) -> Admission:
    """The admission as this member: ``NotFound`` when missing or its case is outside their
    caseload, ``Forbidden`` without ``permission`` on the case."""
    admission = Admission.objects.filter(pk=admission_id).first()
    if admission is None:
        raise NotFound
    admission.case = selectors.case_get(
        actor=actor, case_id=admission.case_id, permission=permission
    )
    return admission


def admission_read_log(
    *, actor: Actor, admission: Admission, purpose: str, request: HttpRequest | None = None
) -> None:
    """Log a read of the admission's records (the page, or one kind of its life records) in
    the access log, against the admission (``purpose`` names what was shown)."""
    access_record(
        actor=actor.user,
        record_kind=ADMISSION,
        record_id=admission.pk,
        purpose=purpose,
        membership=actor.membership,
        request=request,
    )


def admission_open(
    *,
    actor: Actor,
    admission_id: int,
    purpose: str = "admission page",
    request: HttpRequest | None = None,
) -> Admission:
    """The admission page's (and the API's) read: fetched as the actor, logged in the access
    log; a refused read (``NotFound``/``Forbidden``) logs nothing."""
    admission = admission_get(actor=actor, admission_id=admission_id)
    admission_read_log(actor=actor, admission=admission, purpose=purpose, request=request)
    return admission


def is_institution(organisation) -> bool:
    return organisation is not None and organisation.kind in INSTITUTION_KINDS


def accepted_referral(organisation, case_id: int):
    """The referral or transfer this organisation accepted that opened the case, if any."""
    from sharing.models import OrganisationReferral, ReferralStatus

    return (
        OrganisationReferral.objects.filter(
            receiver=organisation,
            receiver_case_id=case_id,
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
        )
        .order_by("-created_at")
        .first()
    )


def vacancy_confirmed_here(person_id: int, organisation):
    """The vacancy DCS headquarters confirmed for this child to this institution, if any: an
    admission from the child's referral answers it (services_admissions)."""
    from sharing.models_vacancies import VacancyApplication, VacancyStatus

    return (
        VacancyApplication.objects.filter(
            person_id=person_id, institution=organisation, status=VacancyStatus.CONFIRMED
        )
        .order_by("pk")
        .first()
    )


def vacancy_committal(vacancy) -> dict:
    """The admission form's committal fields from a confirmed vacancy: the court file number
    as the order number, the court, the months approved."""
    return {
        "committal_order_number": vacancy.court_number,
        "committal_court": vacancy.court,
        "committal_period": vacancy.months_approved,
        "committal_period_unit": PeriodUnit.MONTHS,
    }


def source_of_referral(referral) -> str:
    from sharing.models import ReferralKind

    return (
        AdmissionSource.TRANSFER
        if referral.kind == ReferralKind.TRANSFER
        else (AdmissionSource.REFERRAL)
    )


@dataclass(frozen=True)
class ResidenceView:
    """Where the child lives now, as the case screens say it."""

    institution: str
    admitted_on: date
    here: bool  # in this organisation (it holds the admission)
    admission_id: int


def residence_of(person_id: int, organisation) -> ResidenceView | None:
    """The child's current residence, for the case and child pages of organisations that
    hold a case on the child (the pages themselves are only theirs): the institution's name
    and the day of admission; the admission's id only means something in that institution."""
    current = residence_current(person_id)
    if current is None:
        return None
    return ResidenceView(
        institution=current.organisation.name,
        admitted_on=current.admitted_on,
        here=organisation is not None and current.organisation_id == organisation.pk,
        admission_id=current.admission_id,
    )


def admit_offered(actor: Actor, case: CaseRecord, residence: ResidenceView | None) -> bool:
    """Whether the case offers "Admit": in an institution, on an open case, to a member who
    records cases, when the child is not resident anywhere."""
    return (
        residence is None
        and is_institution(actor.organisation)
        and case.is_open
        and actor.may(Permission.RECORD_CASES)
    )


def is_overstay(admission: Admission, on: date | None = None) -> bool:
    """Still resident past the expected exit."""
    on = on or timezone.localdate()
    return bool(
        admission.discharged_on is None
        and admission.expected_exit_on
        and admission.expected_exit_on < on
    )


@reads_case_rows(Admission)
def admissions_timeline(case: CaseRecord) -> list[TimelineEntry]:
    """The case's admissions (on the day of admission) and their discharges (on the day the
    residence ended), read by case_apps/institutions/presenters_admissions.py."""
    entries = []
    for admission in Admission.objects.filter(case_id=case.pk).order_by("admitted_on", "id"):
        entries.append(TimelineEntry(admission.admitted_on, "admitted", "", admission))
        if admission.discharged_on:
            entries.append(
                TimelineEntry(admission.discharged_on, "resident_discharged", "", admission)
            )
    return entries


def case_source(organisation, case_id: int, *, court: bool) -> tuple[str, dict]:
    """How a case's child comes to be admitted, for the screen and the API: from the referral
    or transfer that opened the case when there is one, otherwise by court committal (a
    committal order named) or directly; with the referral's id."""
    referral = accepted_referral(organisation, case_id)
    if referral is not None:
        return source_of_referral(referral), {"referral_id": referral.pk}
    return (AdmissionSource.COURT if court else AdmissionSource.DIRECT), {}

"""The two steps of a statutory institution vacancy that need a case (issue 19, point 5):
the office applies from a case of its own, and the institution admits the child on a
confirmed vacancy. The application itself lives in sharing (services_vacancies: public,
seen by the office, DCS headquarters and the institution); sharing knows no case app, so
these steps, which read or open a case, are here.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases.models import CaseRecord
from case_apps.cases.services.common import as_actor, case_for, record_event, require_open
from case_apps.cases.services.record_sheet import CategoryInput
from case_apps.institutions.models import Admission, AdmissionSource, PeriodUnit
from case_apps.institutions.services_admissions import admission_open
from sharing import services_vacancies as vacancies
from sharing.models_vacancies import VacancyApplication
from tenants.actor import Actor

VACANCY_ADMISSION_TYPE = "TANA"  # a new admission


@transaction.atomic
def vacancy_apply_from_case(
    *, actor: Actor, case: CaseRecord | int, **application
) -> VacancyApplication:
    """Apply for a vacancy for the child of an open case of the actor's office (the right
    to record cases on it); the case's history records it."""
    actor = as_actor(actor)
    case = case_for(actor, case)
    require_open(case)
    applied = vacancies.vacancy_apply(
        actor=actor,
        person=case.child,
        case_id=case.pk,
        case_reference=case.national_reference,
        **application,
    )
    record_event(
        case,
        actor,
        "vacancy_applied",
        reason=f"{applied.pk} {applied.institution_type}",
        on=applied.applied_on,
    )
    return applied


@transaction.atomic
def vacancy_admit(
    *,
    actor: Actor,
    application: VacancyApplication | int,
    admitted_on: date,
    admission_reason: str,
    category: str,
    admission_number: str = "",
    is_emergency: bool = False,
    notes: str = "",
) -> Admission:
    """Admit the child of a vacancy confirmed to the actor's institution: its own case and
    an admission (type TANA, the committal period the months approved, the court and file
    number the application's), the vacancy marked admitted, all in one transaction; the
    applying office is told."""
    actor = as_actor(actor)
    application = vacancies.vacancy_for_admission(actor=actor, application=application)
    admitted_on = admitted_on or timezone.localdate()
    if application.decided_on and admitted_on < application.decided_on:
        message = gettext("The admission cannot be before DCS headquarters confirmed the vacancy.")
        raise ValidationError({"admitted_on": [message]})
    admission = admission_open(
        actor=actor,
        child=application.person,
        admitted_on=admitted_on,
        admission_type=VACANCY_ADMISSION_TYPE,
        admission_reason=admission_reason,
        source=AdmissionSource.VACANCY,
        categories=[CategoryInput(category_code=category)] if category else [],
        vacancy_id=application.pk,
        committal_period=application.months_approved,
        committal_period_unit=PeriodUnit.MONTHS,
        committal_court=application.court,
        committal_order_number=application.court_number,
        admission_number=admission_number,
        is_emergency=is_emergency,
        notes=notes,
    )
    vacancies.vacancy_admitted(
        actor=actor,
        application=application,
        admission_id=admission.pk,
        admitted_on=admission.admitted_on,
    )
    return admission

"""Admitting a child to the institution and ending their residence (issue 19).

``admission_record`` admits on a case of this institution (opened by accepting a referral or
transfer, or for a direct or court admission); ``resident_discharge`` ends the residence,
whatever ends it (a discharge, an escape, a placement in family care, a death). Both keep
the public ``Residence`` in step in the same transaction.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases.models import CaseRecord, HowReported
from case_apps.cases.services.common import (
    CaseStateError,
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    record_event,
    require_open,
)
from case_apps.cases.services.record_sheet import CategoryInput, case_open
from case_apps.institutions import facts
from case_apps.institutions.models import Admission, AdmissionSource, ResidentialStatus
from shared_registry.models import Person
from shared_registry.plausibility import implausible_date
from shared_registry.services_residence import residence_begin, residence_end
from tenants.actor import Actor
from tenants.models import Organisation


def expected_exit(admitted_on: date, period: int | None, unit: str) -> date | None:
    """Admission plus the committal period (GLOSSARY: expected exit)."""
    if not period or not unit:
        return None
    if unit == "days":
        return admitted_on + timedelta(days=period)
    months = period * (12 if unit == "years" else 1)
    year, month = divmod(admitted_on.month - 1 + months, 12)
    year, month = admitted_on.year + year, month + 1
    return admitted_on.replace(
        year=year, month=month, day=min(admitted_on.day, calendar.monthrange(year, month)[1])
    )


@transaction.atomic
def admission_record(
    *,
    actor: Actor,
    case: CaseRecord | int,
    admitted_on: date,
    admission_type: str,
    admission_reason: str,
    source: str,
    organisation: Organisation | None = None,
    **details,
) -> Admission:
    """Admit the case's child (the right to record cases); refused, naming the institution,
    when the child is resident elsewhere."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    codes = Codes("admission_type", "admission_reason")
    codes.check("admission_type", "admission_type", admission_type)
    codes.check("admission_reason", "admission_reason", admission_reason)
    if source not in AdmissionSource.values:
        codes.add("source", gettext("Unknown admission source."))
    if admitted_on > timezone.localdate():
        codes.add("admitted_on", gettext("An admission cannot be in the future."))
    if problem := implausible_date(admitted_on, case.child):
        codes.add("admitted_on", problem)
    codes.raise_if_any()
    if Admission.objects.filter(case=case, discharged_on__isnull=True).exists():
        raise CaseStateError(gettext("This child is already resident here."))
    details = {k: v for k, v in details.items() if v not in (None, "")}
    if "expected_exit_on" not in details:
        details["expected_exit_on"] = expected_exit(
            admitted_on, details.get("committal_period"), details.get("committal_period_unit", "")
        )
    admission = Admission.objects.create(
        case=case,
        admitted_on=admitted_on,
        admission_type=admission_type,
        admission_reason=admission_reason,
        source=source,
        officer=actor.user,
        **details,
    )
    residence_begin(
        person=case.child_id,
        organisation=organisation,
        admission_id=admission.pk,
        admitted_on=admitted_on,
    )
    facts.admission_facts(admission, organisation)
    record_event(case, actor, "admitted", reason=f"{admission.pk} {admission_type}", on=admitted_on)
    return admission


@transaction.atomic
def resident_discharge(
    *,
    actor: Actor,
    admission: Admission | int,
    discharged_on: date,
    status: str = ResidentialStatus.DISCHARGED,
    discharge_type: str = "",
    notes: str = "",
    organisation: Organisation | None = None,
) -> Admission:
    """End the residence (a discharge, an escape, family care, a death) on the day it ended."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    admission_id = admission if isinstance(admission, int) else admission.pk
    admission = Admission.objects.select_for_update().get(pk=admission_id)
    case = case_for(actor, admission.case_id)
    if admission.discharged_on is not None:
        raise CaseStateError(gettext("This residence has already ended."))
    codes = Codes("discharge_type")
    if discharge_type:
        codes.check("discharge_type", "discharge_type", discharge_type)
    if status == ResidentialStatus.RESIDENT or status not in ResidentialStatus.values:
        codes.add("status", gettext("Say how the residence ended."))
    if discharged_on > timezone.localdate():
        codes.add("discharged_on", gettext("A discharge cannot be in the future."))
    if discharged_on < admission.admitted_on:
        codes.add("discharged_on", gettext("A discharge cannot be before the admission."))
    codes.raise_if_any()
    admission.discharged_on = discharged_on
    admission.residential_status = status
    admission.discharge_type = discharge_type
    admission.discharge_notes = notes
    admission.save(
        update_fields=["discharged_on", "residential_status", "discharge_type", "discharge_notes"]
    )
    residence_end(organisation=organisation, admission_id=admission.pk, ended_on=discharged_on)
    admission.case = case
    facts.admission_facts(admission, organisation)
    record_event(
        case, actor, "resident_discharged", reason=f"{admission.pk} {status}", on=discharged_on
    )
    return admission


@transaction.atomic
def admission_open(
    *,
    actor: Actor,
    child: Person,
    admitted_on: date,
    admission_type: str,
    admission_reason: str,
    source: str,
    categories: list[CategoryInput],
    how_reported: str = HowReported.WALK_IN,
    reporter_type: str = "CRSP",
    risk_level: str = "RLHG",
    organisation: Organisation | None = None,
    case_details: dict | None = None,
    **details,
) -> Admission:
    """A child admitted directly, on a court committal or on a confirmed vacancy: the
    institution opens its own case for the registry person, reported on the day of
    admission, and admits on it, in one transaction."""
    case = case_open(
        actor=actor,
        organisation=organisation,
        child=child,
        date_reported=admitted_on,
        how_reported=how_reported,
        reporter_type=reporter_type,
        risk_level=risk_level,
        categories=categories,
        **(case_details or {}),
    )
    return admission_record(
        actor=actor,
        case=case,
        organisation=organisation,
        admitted_on=admitted_on,
        admission_type=admission_type,
        admission_reason=admission_reason,
        source=source,
        **details,
    )

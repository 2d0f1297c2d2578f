"""Admitting a child to the institution and ending their residence (issue 19).

``admission_record`` admits on a case of this institution (opened by accepting a referral or
transfer, or for a direct or court admission); ``admission_open`` opens the institution's own
case and admits on it; ``resident_discharge`` ends the residence, whatever ends it (a discharge,
an escape, a placement in family care, a death); ``discharge_undo`` lets a supervisor take back
a discharge entered by mistake. Each keeps the public ``Residence`` in step in the same
transaction. The rules are in docs/institutions.md ("Admission and discharge").
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
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
from case_apps.institutions.models import (
    Admission,
    AdmissionSource,
    PeriodUnit,
    ResidentialStatus,
)
from shared_registry.models import Person
from shared_registry.plausibility import implausible_date
from shared_registry.services_residence import (
    residence_begin,
    residence_current,
    residence_end,
    residence_restore,
)
from tenants.actor import Actor
from tenants.models import Organisation
from tenants.policy import Permission

# how a discharge type leaves the residential status (the others: discharged)
DISCHARGE_STATUS = {
    "DTRI": ResidentialStatus.REINTEGRATED,
    "DTCC": ResidentialStatus.TRANSFERRED,
    "DTBO": ResidentialStatus.TRANSFERRED,
    "DTPH": ResidentialStatus.TRANSFERRED,
    "DTSI": ResidentialStatus.TRANSFERRED,
    "DTPR": ResidentialStatus.TRANSFERRED,
    "DTAF": ResidentialStatus.FAMILY_CARE,
}
# the admission types each source allows (a source not named allows any type but TARE)
SOURCE_TYPES = {
    AdmissionSource.TRANSFER: {"TRIN"},
    AdmissionSource.RETURN: {"TARE", "TATR"},
}
DETAIL_FIELDS = frozenset(
    {
        "admission_number",
        "is_emergency",
        "referral_id",
        "vacancy_id",
        "previous_admission",
        "committal_order_number",
        "committal_court",
        "committal_on",
        "committal_period",
        "committal_period_unit",
        "ob_number",
        "holding_period_days",
        "expected_exit_on",
        "free_for_adoption",
        "notes",
    }
)


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


def discharge_status(discharge_type: str) -> str:
    """The residential status a discharge of this type leaves."""
    return DISCHARGE_STATUS.get(discharge_type, ResidentialStatus.DISCHARGED)


def _day(value: date) -> str:
    return date_format(value, "j M Y")


def _check_day(codes: Codes, field: str, day: date | None, case: CaseRecord, what: str) -> None:
    """The back-dating rule of case follow-ups: not in the future, not before the case was
    reported, not before the child was born (``implausible_date``)."""
    if day is None:
        return
    if day > timezone.localdate():
        codes.add(field, gettext("%(what)s cannot be in the future.") % {"what": what})
    elif day < case.date_reported:
        codes.add(
            field,
            gettext("%(what)s cannot be before the date the case was reported (%(d)s).")
            % {"what": what, "d": _day(case.date_reported)},
        )
    elif problem := implausible_date(day, case.child):
        codes.add(field, problem)


def _check_source(codes: Codes, case, organisation, source, admission_type, details) -> None:
    """The admission type fits the source; a referral or transfer is this case's accepted one;
    a return follows an ended admission of the child here; a court committal names its order."""
    if source not in AdmissionSource.values:
        codes.add("source", gettext("Unknown admission source."))
        return
    allowed = SOURCE_TYPES.get(source)
    if allowed and admission_type and admission_type not in allowed:
        codes.add(
            "admission_type",
            gettext("An admission from a transfer is a transfer in (TRIN).")
            if source == AdmissionSource.TRANSFER
            else gettext("A return is an admission after escape (TARE) or temporary release."),
        )
    if admission_type == "TARE" and source != AdmissionSource.RETURN:
        codes.add(
            "admission_type",
            gettext("An admission after escape is recorded as the child's return."),
        )
    if source in (AdmissionSource.REFERRAL, AdmissionSource.TRANSFER):
        _check_referral(codes, case, organisation, source, details.get("referral_id"))
    if source == AdmissionSource.RETURN:
        _check_return(codes, case, details)
    if source == AdmissionSource.COURT and not details.get("committal_order_number"):
        codes.add(
            "committal_order_number",
            gettext("A court committal needs the committal order number."),
        )
    if source == AdmissionSource.COURT and not details.get("committal_court"):
        codes.add("committal_court", gettext("A court committal needs the court."))


def _check_referral(codes: Codes, case, organisation, source, referral_id) -> None:
    from sharing.models import OrganisationReferral, ReferralKind, ReferralStatus

    referral = (
        OrganisationReferral.objects.filter(
            pk=referral_id,
            receiver=organisation,
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
            receiver_case_id=case.pk,
        ).first()
        if referral_id
        else None
    )
    if referral is None:
        codes.add(
            "referral_id",
            gettext("Admit from a referral or transfer this institution accepted on this case."),
        )
    elif (referral.kind == ReferralKind.TRANSFER) != (source == AdmissionSource.TRANSFER):
        codes.add("source", gettext("Say whether the child came by referral or by transfer."))


def _check_return(codes: Codes, case, details) -> None:
    previous = details.get("previous_admission")
    if isinstance(previous, int):
        previous = Admission.objects.filter(pk=previous).first()
        details["previous_admission"] = previous
    if previous is None or previous.case.child_id != case.child_id:
        codes.add(
            "previous_admission",
            gettext("A return follows an earlier admission of this child here."),
        )
    elif previous.discharged_on is None:
        codes.add("previous_admission", gettext("That admission is still running."))


def _check_committal(codes: Codes, case, admitted_on: date, details) -> None:
    period, unit = details.get("committal_period"), details.get("committal_period_unit", "")
    if period and not unit:
        codes.add(
            "committal_period_unit", gettext("Say whether the period is days, months or years.")
        )
    if unit and unit not in PeriodUnit.values:
        codes.add("committal_period_unit", gettext("Unknown unit."))
    if unit and not period:
        codes.add("committal_period", gettext("Give the committal period with its unit."))
    if period and details.get("expected_exit_on"):
        codes.add(
            "expected_exit_on",
            gettext("The expected exit follows from the committal period: leave it empty."),
        )
    exit_on = details.get("expected_exit_on")
    if exit_on and exit_on < admitted_on:
        codes.add("expected_exit_on", gettext("The expected exit cannot be before the admission."))
    committal_on = details.get("committal_on")
    if committal_on and committal_on > timezone.localdate():
        codes.add("committal_on", gettext("The date of the order cannot be in the future."))
    elif committal_on and committal_on > admitted_on:
        codes.add("committal_on", gettext("The order cannot be after the admission."))
    elif committal_on and (problem := implausible_date(committal_on, case.child)):
        codes.add("committal_on", problem)
    number = details.get("admission_number", "")
    if number and (taken := Admission.objects.filter(admission_number=number).first()):
        codes.add(
            "admission_number",
            gettext("Admission number %(n)s is already used here (admitted %(d)s).")
            % {"n": number, "d": _day(taken.admitted_on)},
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
    when the child is resident elsewhere. ``details``: admission number, emergency, the
    referral, vacancy or previous admission, the committal order or OB number, holding period,
    expected exit (only without a committal period), free for adoption, notes."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    unknown = set(details) - DETAIL_FIELDS
    if unknown:
        raise TypeError(f"admission_record: unknown details {sorted(unknown)}")
    details = {k: v for k, v in details.items() if v not in (None, "")}
    codes = Codes("admission_type", "admission_reason")
    codes.check("admission_type", "admission_type", admission_type)
    codes.check("admission_reason", "admission_reason", admission_reason)
    _check_day(codes, "admitted_on", admitted_on, case, gettext("An admission"))
    _check_source(codes, case, organisation, source, admission_type, details)
    _check_committal(codes, case, admitted_on, details)
    codes.raise_if_any()
    if Admission.objects.filter(case=case, discharged_on__isnull=True).exists():
        raise CaseStateError(gettext("This child is already resident here."))
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
    if source in (AdmissionSource.REFERRAL, AdmissionSource.TRANSFER) and not admission.vacancy_id:
        _vacancy_answered(actor, admission, case.child_id, organisation)
    facts.admission_facts(admission, organisation)
    record_event(case, actor, "admitted", reason=f"{admission.pk} {admission_type}", on=admitted_on)
    return admission


def _vacancy_answered(actor: Actor, admission: Admission, person_id: int, organisation) -> None:
    """An admission from an accepted referral or transfer answers the vacancy DCS headquarters
    confirmed for this child to this institution, if there is one: it is marked admitted (the
    applying office is told) and the admission links it, in the admission's transaction."""
    from case_apps.institutions.selectors_admissions import vacancy_confirmed_here
    from sharing import services_vacancies as vacancies

    confirmed = vacancy_confirmed_here(person_id, organisation)
    if confirmed is None:
        return
    application = vacancies.vacancy_for_admission(actor=actor, application=confirmed.pk)
    vacancies.vacancy_admitted(
        actor=actor,
        application=application,
        admission_id=admission.pk,
        admitted_on=admission.admitted_on,
    )
    admission.vacancy_id = application.pk
    admission.save(update_fields=["vacancy_id"])


def _locked(admission: Admission | int) -> Admission:
    admission_id = admission if isinstance(admission, int) else admission.pk
    return Admission.objects.select_for_update().get(pk=admission_id)


@transaction.atomic
def resident_discharge(
    *,
    actor: Actor,
    admission: Admission | int,
    discharged_on: date,
    status: str = "",
    discharge_type: str = "",
    notes: str = "",
    organisation: Organisation | None = None,
) -> Admission:
    """End the residence (a discharge, an escape, family care, a death) on the day it ended.
    A discharge (``status`` discharged, or left empty) needs its discharge type, which gives
    the residential status (reintegrated, transferred, family care, discharged)."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    admission = _locked(admission)
    case = case_for(actor, admission.case_id)
    if admission.discharged_on is not None:
        raise CaseStateError(gettext("This residence has already ended."))
    codes = Codes("discharge_type")
    if discharge_type or status in ("", ResidentialStatus.DISCHARGED):
        codes.check("discharge_type", "discharge_type", discharge_type)
    status = status or discharge_status(discharge_type)
    if status == ResidentialStatus.RESIDENT or status not in ResidentialStatus.values:
        codes.add("status", gettext("Say how the residence ended."))
    if discharged_on > timezone.localdate():
        codes.add("discharged_on", gettext("A discharge cannot be in the future."))
    elif discharged_on < admission.admitted_on:
        codes.add(
            "discharged_on",
            gettext("A discharge cannot be before the admission (%(d)s).")
            % {"d": _day(admission.admitted_on)},
        )
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
def discharge_undo(
    *,
    actor: Actor,
    admission: Admission | int,
    reason: str,
    organisation: Organisation | None = None,
) -> Admission:
    """A supervisor takes back a discharge entered by mistake: the child is resident here
    again (refused, naming the institution, when resident elsewhere by now); the discharge
    fact is retracted."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    actor.require(Permission.SUPERVISE_CASES)
    admission = _locked(admission)
    case = case_for(actor, admission.case_id)
    if admission.discharged_on is None:
        raise CaseStateError(gettext("This child is still resident: there is nothing to undo."))
    if not reason.strip():
        raise ValidationError({"reason": [gettext("Say why the discharge was a mistake.")]})
    current = residence_current(case.child_id)
    if current is not None:
        raise ValidationError(
            {
                "reason": [
                    gettext(
                        "The child is resident in %(institution)s since %(d)s: the discharge "
                        "cannot be undone."
                    )
                    % {"institution": current.organisation.name, "d": _day(current.admitted_on)}
                ]
            }
        )
    if Admission.objects.filter(case=case, discharged_on__isnull=True).exists():
        raise CaseStateError(gettext("This child is already resident here."))
    undone = f"{admission.pk} {admission.residential_status} {admission.discharge_type}"
    admission.discharged_on = None
    admission.residential_status = ResidentialStatus.RESIDENT
    admission.discharge_type = ""
    admission.discharge_notes = ""
    admission.save(
        update_fields=["discharged_on", "residential_status", "discharge_type", "discharge_notes"]
    )
    residence_restore(organisation=organisation, admission_id=admission.pk)
    admission.case = case
    facts.admission_facts(admission, organisation)
    record_event(case, actor, "discharge_undone", reason=f"{undone.strip()}\n{reason.strip()}")
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
    admission, and admits on it, in one transaction. A court committal reads as reported by
    the court (how reported court, reporter CRCO, the court and its file number)."""
    case_details = dict(case_details or {})
    if source == AdmissionSource.COURT:
        how_reported, reporter_type = HowReported.COURT, "CRCO"
        case_details.setdefault("court_name", details.get("committal_court", ""))
        case_details.setdefault("court_file_number", details.get("committal_order_number", ""))
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": [gettext("An admission cannot be in the future.")]})
    try:
        case = case_open(
            actor=actor,
            organisation=organisation,
            child=child,
            date_reported=admitted_on,
            how_reported=how_reported,
            reporter_type=reporter_type,
            risk_level=risk_level,
            categories=categories,
            **case_details,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        moved = {"date_reported": "admitted_on", "categories": "case_category"}
        raise ValidationError(
            {moved.get(field, field): problems for field, problems in error.message_dict.items()}
        ) from error
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

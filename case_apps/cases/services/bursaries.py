"""Education bursaries: awards recorded as decided elsewhere, and applications through their
approval chain (the Presidential bursary: principal, chief, sub-county children officer,
County Scholarship Advisory Committee; the chains are in ``models_bursary.py``).

Every step records who (the member who recorded it) and when (the date it happened, entered;
the moment it was typed). Steps come in their chain's order, once each; a negative
recommendation ends the chain; the last step's approval makes the award.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from case_apps.cases import facts, selectors_bursaries
from case_apps.cases.models import BursaryAward, CaseRecord
from case_apps.cases.models_bursary import (
    PRESIDENTIAL,
    SIGN_OFF_STEPS,
    BursaryApplication,
    BursaryStatus,
    BursaryStep,
    BursaryStepKind,
    ParentsStatus,
    bursary_chain,
    step_label,
)
from case_apps.cases.services.common import (
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    record_event,
    require_open,
)
from case_apps.cases.services.replays import replay
from shared_registry.models import School
from shared_registry.plausibility import implausible_date
from tenants.actor import Actor
from tenants.models import Organisation
from tenants.policy import Permission

UPI_PATTERN = re.compile(r"^[A-Z0-9]{4,20}$")
EARLIEST_YEAR = 2000


def _missing_step_message(kind: str) -> str:
    return {
        BursaryStepKind.PRINCIPAL: gettext("The principal's recommendation is missing."),
        BursaryStepKind.CHIEF: gettext("The chief's recommendation is missing."),
        BursaryStepKind.SUB_COUNTY: gettext(
            "The sub-county children officer's sign-off is missing."
        ),
        BursaryStepKind.COMMITTEE: gettext("The committee's approval is missing."),
    }[kind]


def _money(codes: Codes, name: str, value, *, positive: bool = False) -> None:
    if value is None:
        codes.add(name, gettext("This field is required."))
    elif positive and value <= 0:
        codes.add(name, gettext("The amount must be more than zero."))
    elif value < 0:
        codes.add(name, gettext("An amount cannot be negative."))


@transaction.atomic
def bursary_award_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    bursary_type: str,
    amount_kes,
    year: int,
    awarded_on: date,
    term: int | None = None,
) -> BursaryAward:
    """A bursary already awarded to the child (CDF, USG, bank, charity, county...): a code of
    the ``bursary_type`` list. A Presidential bursary is awarded through its application's
    approval chain (``bursary_step_record``), never recorded directly."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    codes = Codes("bursary_type")
    codes.check("bursary_type", "bursary_type", bursary_type)
    if bursary_type == PRESIDENTIAL:
        codes.add(
            "bursary_type",
            gettext(
                "A Presidential bursary is awarded through its application and approval "
                "chain: record the application instead."
            ),
        )
    if amount_kes is None or amount_kes <= 0:
        codes.add("amount_kes", gettext("The amount must be more than zero."))
    if term is not None and term not in (1, 2, 3):
        codes.add("term", gettext("A school term is 1, 2 or 3."))
    if awarded_on > timezone.localdate():
        codes.add("awarded_on", gettext("An award cannot be dated in the future."))
    elif problem := implausible_date(awarded_on, case.child):
        codes.add("awarded_on", problem)
    codes.raise_if_any()
    award = BursaryAward.objects.create(
        case=case,
        bursary_type=bursary_type,
        amount_kes=amount_kes,
        year=year,
        term=term,
        awarded_on=awarded_on,
    )
    facts.bursary_fact(case, organisation, award)
    record_event(
        case, actor, "bursary_awarded", reason=f"{bursary_type} {amount_kes}", on=awarded_on
    )
    return award


def _school(codes: Codes, school_code: str, school_name: str) -> tuple[str, str]:
    """The school from the national registry by NEMIS code (its name is the registry's), or
    a school named by hand when it is not in the registry."""
    school_code, school_name = school_code.strip().upper(), " ".join(school_name.split())
    if school_code:
        school = School.objects.filter(code__iexact=school_code).first()
        if school is None:
            codes.add(
                "school_code",
                gettext("No school has this NEMIS code in the national schools registry."),
            )
            return school_code, school_name
        return school.code, school.name
    if not school_name:
        codes.add("school_name", gettext("Name the school, or give its NEMIS code."))
    return "", school_name


@transaction.atomic
def bursary_application_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    bursary_type: str,
    year: int,
    class_level: str,
    annual_fees_kes: Decimal | None,
    fee_balance_kes: Decimal | None,
    parents_status: str,
    applied_on: date,
    school_code: str = "",
    school_name: str = "",
    nemis_upi: str = "",
    family_situation: str = "",
    uuid: UUID | None = None,
) -> BursaryApplication:
    """A bursary application for the child of a case (the right to record cases); its chain
    starts. With the client's ``uuid``, a repeat returns the application it created."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    nemis_upi, class_level = nemis_upi.strip().upper(), " ".join(class_level.split())
    wanted = {
        "bursary_type": bursary_type,
        "year": year,
        "class_level": class_level,
        "applied_on": applied_on,
        "nemis_upi": nemis_upi,
    }
    if existing := replay(BursaryApplication.objects.filter(case=case), uuid, wanted):
        return existing
    require_open(case)
    codes = Codes("bursary_type")
    codes.check("bursary_type", "bursary_type", bursary_type)
    school_code, school_name = _school(codes, school_code, school_name)
    if year is None or not EARLIEST_YEAR <= year <= timezone.localdate().year + 1:
        codes.add(
            "year",
            gettext("Give a school year from %(first)s to next year.") % {"first": EARLIEST_YEAR},
        )
    if nemis_upi and not UPI_PATTERN.match(nemis_upi):
        codes.add("nemis_upi", gettext("A NEMIS UPI has 4 to 20 letters and digits."))
    if not class_level:
        codes.add("class_level", gettext("Give the class or form, e.g. Form 2 or Grade 8."))
    _money(codes, "annual_fees_kes", annual_fees_kes)
    _money(codes, "fee_balance_kes", fee_balance_kes)
    if (
        annual_fees_kes is not None
        and fee_balance_kes is not None
        and fee_balance_kes > annual_fees_kes >= 0
    ):
        codes.add("fee_balance_kes", gettext("The balance cannot be more than the annual fees."))
    if parents_status not in ParentsStatus.values:
        codes.add("parents_status", gettext("Choose the parents' status."))
    if applied_on > timezone.localdate():
        codes.add("applied_on", gettext("An application cannot be dated in the future."))
    elif applied_on < case.date_reported:
        codes.add(
            "applied_on",
            gettext("The application cannot be before the case was reported (%(date)s).")
            % {"date": date_format(case.date_reported)},
        )
    elif problem := implausible_date(applied_on, case.child):
        codes.add("applied_on", problem)
    codes.raise_if_any()
    application = BursaryApplication.objects.create(
        case=case,
        bursary_type=bursary_type,
        year=year,
        school_code=school_code,
        school_name=school_name,
        nemis_upi=nemis_upi,
        class_level=class_level,
        annual_fees_kes=annual_fees_kes,
        fee_balance_kes=fee_balance_kes,
        parents_status=parents_status,
        family_situation=family_situation.strip(),
        applied_on=applied_on,
        officer=actor.user,
        **({"uuid": uuid} if uuid is not None else {}),
    )
    record_event(case, actor, "bursary_applied", reason=f"{bursary_type} {year} {school_name}")
    return application


def _order_problem(application: BursaryApplication, kind: str, done: dict) -> str:
    """Why this step cannot be recorded now ("" when it can)."""
    chain = bursary_chain(application.bursary_type)
    if kind not in chain:
        return gettext("This step is not part of this bursary's chain.")
    if kind in done:
        return gettext("%(step)s is already recorded.") % {
            "step": step_label(kind, application.bursary_type)
        }
    if application.status != BursaryStatus.PENDING:
        return gettext("The application's chain has ended: %(status)s.") % {
            "status": application.get_status_display().lower()
        }
    for earlier in chain[: chain.index(kind)]:
        if earlier not in done:
            return _missing_step_message(earlier)
    return ""


@transaction.atomic
def bursary_step_record(
    *,
    application: BursaryApplication | int,
    actor: Actor,
    organisation: Organisation | None = None,
    step: str,
    on: date,
    recommended: bool,
    signatory_name: str = "",
    comment: str = "",
    approved_amount_kes: Decimal | None = None,
) -> BursaryStep:
    """Record one step of an application's chain. The principal's and the chief's
    recommendations are typed from the paper by an officer who may record cases; the
    sub-county children officer's sign-off (signed by the acting member) and the committee's
    decision need the right to approve bursaries. A negative step ends the chain (not
    recommended, or rejected by the committee); the committee's approval, with the amount
    and the chair's name, makes the award and its facts."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    application_id = application.pk if isinstance(application, BursaryApplication) else application
    permission = Permission.APPROVE_BURSARIES if step in SIGN_OFF_STEPS else Permission.RECORD_CASES
    application = selectors_bursaries.bursary_application_get(
        actor=actor, application_id=application_id, permission=permission
    )
    case = application.case
    require_open(case)
    locked = BursaryApplication.objects.select_for_update().get(pk=application.pk)
    application.status = locked.status  # as it is now, after any step recorded meanwhile
    done = {s.kind: s for s in BursaryStep.objects.filter(application=application)}
    if problem := _order_problem(application, step, done):
        raise ValidationError({"step": [problem]})
    codes = Codes()
    if step == BursaryStepKind.SUB_COUNTY:
        signatory_name = str(actor.user)  # the signing member: their full name
    signatory_name = " ".join((signatory_name or "").split())
    if not signatory_name:
        codes.add("signatory_name", gettext("Give the name of the person who signed."))
    if recommended is None:
        codes.add("recommended", gettext("Say whether it is recommended."))
    if on > timezone.localdate():
        codes.add("on", gettext("A step cannot be dated in the future."))
    else:
        latest = max([application.applied_on, *(s.on for s in done.values())])
        if on < latest:
            codes.add(
                "on",
                gettext("The date cannot be before the previous step (%(date)s).")
                % {"date": date_format(latest)},
            )
    is_decision = step == bursary_chain(application.bursary_type)[-1]
    if is_decision and recommended:
        if approved_amount_kes is None or approved_amount_kes <= 0:
            codes.add("approved_amount_kes", gettext("Give the approved amount, above zero."))
    elif approved_amount_kes is not None:
        codes.add(
            "approved_amount_kes",
            gettext("An amount is given only with the approval of the application."),
        )
    codes.raise_if_any()
    recorded = BursaryStep.objects.create(
        application=application,
        kind=step,
        signatory_name=signatory_name,
        on=on,
        recommended=recommended,
        comment=comment.strip(),
        approved_amount_kes=approved_amount_kes if is_decision and recommended else None,
        recorded_by=actor.user,
    )
    outcome = "recommended" if recommended else "not recommended"
    record_event(
        case,
        actor,
        "bursary_step_recorded",
        reason=f"{step} ({signatory_name}, {on}): {outcome}",
    )
    if not recommended:
        status = BursaryStatus.REJECTED if is_decision else BursaryStatus.NOT_RECOMMENDED
        _status_set(application, status)
    elif is_decision:
        _approve(application, recorded, organisation, actor)
    return recorded


def _status_set(application: BursaryApplication, status: str) -> None:
    application.status = status
    application.save(update_fields=["status"])


def _approve(
    application: BursaryApplication,
    decision: BursaryStep,
    organisation: Organisation,
    actor: Actor,
) -> BursaryAward:
    """The award of an approved application, dated by the approval, and its facts."""
    case = application.case
    _status_set(application, BursaryStatus.APPROVED)
    award = BursaryAward.objects.create(
        case=case,
        application=application,
        bursary_type=application.bursary_type,
        amount_kes=decision.approved_amount_kes,
        year=application.year,
        awarded_on=decision.on,
    )
    facts.bursary_fact(case, organisation, award)
    facts.bursary_approved_fact(case, organisation, application, decision.on)
    record_event(
        case,
        actor,
        "bursary_approved",
        reason=f"{application.bursary_type} {decision.approved_amount_kes} ({decision.on})",
    )
    return award

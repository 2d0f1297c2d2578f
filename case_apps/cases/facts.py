"""What a case tells national statistics: one outbox event per fact, dated by what it records.

Every fact has a source under ``case:<id>:`` (``case:7:opened``, ``case:7:followup:12``...),
so a correction restates it (the same source written again replaces the fact) and a
disposal retracts everything under the case. A case opened by accepting a transfer is a
transfer in, never a new case; a case closed by a transfer is a transfer out.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from case_apps.cases.models import (
    ApprovalKind,
    ApprovalStatus,
    BursaryAward,
    CaseRecord,
    CaseStatus,
    FollowUp,
    Placement,
    Referral,
)
from case_apps.cases.models_bursary import BursaryApplication
from case_apps.outbox.services import (
    outbox_event_record,
    outbox_retraction_record,
    outbox_sources_under,
    person_ref,
)
from cpims.pseudonyms import CASE, pseudonym
from tenants.models import Organisation

PROGRAMME = "case_management"
TRANSFER_CLOSURE_REASON = "COTR"


def age_band(date_of_birth: date | None, birth_year: int | None, on: date) -> str:
    """Case-load age bands of the DCS reports (age at case opening)."""
    if date_of_birth is not None:
        years = (
            on.year
            - date_of_birth.year
            - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
        )
    elif birth_year:
        years = on.year - birth_year
    else:
        return "unknown"
    if years <= 5:
        return "0-5"
    if years <= 10:
        return "6-10"
    if years <= 15:
        return "11-15"
    if years <= 17:
        return "16-17"
    return "18+"


def case_ref(case: CaseRecord) -> str:
    """An opaque, stable reference for counting unique cases in de-identified facts."""
    return case_ref_of(case.national_reference)


def case_ref_of(national_reference: str) -> str:
    """The keyed pseudonym of a case's national reference (platform/cpims/pseudonyms.py)."""
    return pseudonym(CASE, national_reference, length=20)


def dimensions(case: CaseRecord, organisation: Organisation, **extra: str) -> dict:
    """The de-identified dimensions of every fact of the case."""
    child = case.child
    return {
        "sex": child.sex or "",
        "age_band": age_band(child.date_of_birth, child.birth_year, case.date_reported),
        "county": case.occurrence_county_code or organisation.county_code,
        "sub_county": case.occurrence_sub_county_code or organisation.sub_county_code,
        "ward": case.occurrence_ward_code,
        "programme": PROGRAMME,
        "case_ref": case_ref(case),
        "person_ref": person_ref(case.child_id),
        **extra,
    }


def _record(
    case: CaseRecord, organisation: Organisation, kind: str, on: date, what: str, category=""
) -> None:
    source = f"case:{case.pk}:{what}"
    outbox_event_record(
        kind=kind, payload=dimensions(case, organisation, category=category), on=on, source=source
    )
    written = getattr(case, "_sources_written", None)
    if written is not None:
        written.add(source)


def arrived_by_transfer(case: CaseRecord, organisation: Organisation) -> bool:
    """Whether the case was opened by accepting another organisation's transfer."""
    from sharing.models import OrganisationReferral, ReferralKind

    return OrganisationReferral.objects.filter(
        receiver_id=organisation.pk, receiver_case_id=case.pk, kind=ReferralKind.TRANSFER
    ).exists()


def case_opened_facts(
    case: CaseRecord, organisation: Organisation, *, transferred_in: bool = False
) -> None:
    """A new case (and one fact per case category) on the date reported; a transfer in
    instead when the case arrived by transfer (the child is not a new case nationally)."""
    if transferred_in:
        _record(case, organisation, "transfer_in", case.date_reported, "opened")
        return
    _record(case, organisation, "case_opened", case.date_reported, "opened")
    for category in case.categories.all():
        _record(
            case,
            organisation,
            "case_category_added",
            case.date_reported,
            f"category:{category.pk}",
            category.category_code,
        )


def follow_up_fact(case: CaseRecord, organisation: Organisation, follow_up: FollowUp) -> None:
    _record(
        case,
        organisation,
        "follow_up",
        follow_up.date,
        f"followup:{follow_up.pk}",
        follow_up.follow_up_type,
    )


def referral_fact(case: CaseRecord, organisation: Organisation, referral: Referral) -> None:
    """One fact per reason of the referral (a hospital for both a medical examination and
    PEP counts under each): the first reason under ``referral:<id>``, as when a referral had
    one reason, each further one under ``referral:<id>:<code>``."""
    for index, reason in enumerate(referral.reasons or [""]):
        what = f"referral:{referral.pk}" + (f":{reason}" if index else "")
        _record(case, organisation, "referral", referral.referred_on, what, reason)


def placement_fact(case: CaseRecord, organisation: Organisation, placement: Placement) -> None:
    _record(
        case,
        organisation,
        "placement",
        placement.admitted_on,
        f"placement:{placement.pk}",
        placement.care_type,
    )


def bursary_fact(case: CaseRecord, organisation: Organisation, award: BursaryAward) -> None:
    _record(
        case, organisation, "bursary", award.awarded_on, f"bursary:{award.pk}", award.bursary_type
    )


def bursary_approved_fact(
    case: CaseRecord, organisation: Organisation, application: BursaryApplication, on: date
) -> None:
    """An application approved at the end of its chain, on the approval's date (its award
    is counted too, as every award, by ``bursary_fact``)."""
    _record(
        case,
        organisation,
        "bursary_approved",
        on,
        f"bursary_application:{application.pk}",
        application.bursary_type,
    )


def intervention_fact(case: CaseRecord, organisation: Organisation, intervention) -> None:
    """An intervention on the day it happened (category: its intervention code)."""
    _record(
        case,
        organisation,
        "intervention",
        intervention.date,
        f"intervention:{intervention.pk}",
        intervention.intervention_code,
    )


def case_activated_fact(case: CaseRecord, organisation: Organisation) -> None:
    """The case became active (its first action after intake), dated by that action; written
    again when an earlier action is recorded later (same source: the fact moves)."""
    if case.activated_on is not None:
        _record(case, organisation, "case_activated", case.activated_on, "activated")


def closure_fact(case: CaseRecord, organisation: Organisation) -> None:
    """A closure on the closure date the officer gave (before there was one: the day it was
    decided); a transfer out when the child moved on. The case's current closure is the
    source ``closed``; a closure undone by a reopening is kept as ``closure:<reopening>``."""
    if case.status == CaseStatus.TRANSFERRED:
        kind, category = "transfer_out", TRANSFER_CLOSURE_REASON
    else:
        kind, category = "case_closed", case.closure_reason
    closed_on = case.closed_on or (
        timezone.localtime(case.closed_at).date() if case.closed_at else case.date_reported
    )
    _record(case, organisation, kind, closed_on, "closed", category)


def reopening_facts(case: CaseRecord, organisation: Organisation, reopening) -> None:
    """An approved reopening (an ApprovalRequest): the closure it undoes stays counted, under
    a source of its own (the next closure is ``closed`` again), and the case reopened on the
    reopening day."""
    _record(
        case,
        organisation,
        "case_closed",
        reopening.closed_on or reopening.reopened_on,
        f"closure:{reopening.pk}",
        reopening.closure_reason,
    )
    _record(case, organisation, "case_reopened", reopening.reopened_on, f"reopened:{reopening.pk}")
    if getattr(case, "_sources_written", None) is None:  # restating retracts at its end
        outbox_retraction_record(source=f"case:{case.pk}:closed")


def case_facts_restate(*, case: CaseRecord, organisation: Organisation) -> int:
    """Write every fact of the case again from its records (after a correction of its date,
    place or child); facts whose record is gone are retracted. Returns the facts written."""
    case = CaseRecord.objects.get(pk=case.pk)
    case._sources_written = set()
    before = set(outbox_sources_under(f"case:{case.pk}:"))
    case_opened_facts(case, organisation, transferred_in=arrived_by_transfer(case, organisation))
    case_activated_fact(case, organisation)
    for follow_up in case.follow_ups.all():
        follow_up_fact(case, organisation, follow_up)
    for referral in case.referrals.all():
        referral_fact(case, organisation, referral)
    for placement in case.placements.all():
        placement_fact(case, organisation, placement)
    from case_apps.institutions.facts import admission_facts_restate

    admission_facts_restate(case, organisation)  # residents of an institution (issue 19)
    for award in case.bursaries.select_related("application"):
        bursary_fact(case, organisation, award)
        if award.application is not None:
            bursary_approved_fact(case, organisation, award.application, award.awarded_on)
    from case_apps.cases.facts_court import court_facts_restate

    court_facts_restate(case, organisation)
    for intervention in case.interventions.all():
        intervention_fact(case, organisation, intervention)
    approved = ApprovalStatus.APPROVED
    for reopening in case.approvals.filter(kind=ApprovalKind.REOPENING, status=approved):
        reopening_facts(case, organisation, reopening)
    if case.status in (CaseStatus.CLOSED, CaseStatus.TRANSFERRED):
        closure_fact(case, organisation)
    for source in sorted(before - case._sources_written):  # records no longer there
        outbox_retraction_record(source=source)
    return len(case._sources_written)


def case_facts_retract(*, case_ids: list[int]) -> int:
    """Withdraw every fact of these cases (they are being disposed of)."""
    from case_apps.outbox.services import outbox_retract_under

    return sum(outbox_retract_under(f"case:{pk}:") for pk in case_ids)


def person_sources(person_ids: set[int] | None) -> list[tuple[str, int, str]]:
    """The cases of these registry persons (``None``: every case), as fact source prefixes
    with the child and the case reference (for merges and pseudonym restatement)."""
    cases = CaseRecord.objects.all()
    if person_ids is not None:
        cases = cases.filter(child_id__in=person_ids)
    rows = cases.values_list("pk", "child_id", "national_reference")
    return [(f"case:{pk}:", child_id, case_ref_of(ref)) for pk, child_id, ref in rows]


def record_fact_retract(case: CaseRecord, what: str) -> None:
    """Withdraw the fact of one record of the case (``followup:12``...): it was deleted."""
    outbox_retraction_record(source=f"case:{case.pk}:{what}")

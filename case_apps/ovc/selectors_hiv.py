"""Reads of HIV care (issue 18 point 4): the facility registry as the referral forms search
it, the lists an M&E officer works from, and the HIV-exposed infant's (HEI) schedule.

Every list is within the actor's caseload (``selectors.households_visible_to``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from audit.services import access_record
from case_apps.ovc.models import Enrolment, EnrolmentStatus, HivScreening, ReferralState
from case_apps.ovc.models_hiv import HeiFinalOutcome, HeiTest, HeiTestVisit
from case_apps.ovc.selectors_lists import ChildFilters, children_list
from shared_registry.models import Facility
from tenants.actor import Actor

FACILITY_RESULTS = 20

# The HEI schedule: each test, due at this age (days after birth).
HEI_SCHEDULE = (
    (HeiTest.PCR_6_WEEKS, 42),
    (HeiTest.PCR_6_MONTHS, 183),
    (HeiTest.PCR_12_MONTHS, 365),
    (HeiTest.ANTIBODY_18_MONTHS, 548),
)
CHILD_MEMBER_TYPES = ("TOVC", "TBVC")  # index child, other child: not caregivers
HEI_GRACE_DAYS = 28  # a test not done this long after it fell due is overdue

# The M&E lists of HIV risk screening
SCREENED = "screened"  # screened in the period
AWAITING_TEST = "awaiting_test"  # referred for testing (in the period), not yet tested
TESTED = "tested"  # tested in the period, with the result
LINKED = "linked"  # HIV+ linked to care: ART referral completed (in the period) or on ART
HEI_DUE = "hei_due"  # HIV-exposed infants with a test due or overdue today
SCREENING_LISTS = (SCREENED, AWAITING_TEST, TESTED, LINKED)
HIV_LISTS = (*SCREENING_LISTS, HEI_DUE)


def facility_search(term: str, limit: int = FACILITY_RESULTS) -> list[Facility]:
    """Facilities of the national registry whose MFL code starts with the term or whose name
    holds every word of it."""
    term = (term or "").strip()[:100]
    if not term:
        return []
    facilities = Facility.objects.select_related("county")
    if term.isdigit():
        facilities = facilities.filter(code__startswith=term)
    else:
        for word in term.split()[:5]:
            facilities = facilities.filter(name__icontains=word)
    return list(facilities.order_by("name", "code")[:limit])


def facility_exists(code: str) -> bool:
    return bool(code) and Facility.objects.filter(code=code).exists()


def facility_names(codes) -> dict[str, str]:
    """MFL code -> "name (code)" for the codes given (a code the registry no longer holds
    shows as itself)."""
    wanted = {code for code in codes if code}
    found = Facility.objects.filter(code__in=wanted).values_list("code", "name")
    return {code: f"{name} ({code})" for code, name in found}


def is_hei_path(enrolment: Enrolment) -> bool:
    """An HIV-exposed infant (status HHEI or eligibility ECHEI) whose follow-up has no final
    outcome yet: it follows the HEI schedule, not the child risk screening."""
    if enrolment.hiv_status != "HHEI" and "ECHEI" not in (enrolment.eligibility or []):
        return False
    return not HeiFinalOutcome.objects.filter(enrolment=enrolment).exists()


@dataclass(frozen=True)
class HeiDue:
    """One test of an infant's schedule: when it falls due and where it stands."""

    test: str
    due_on: date
    state: str  # "done", "overdue", "due", "upcoming"
    visit: HeiTestVisit | None = None


def hei_schedule(enrolment: Enrolment, birth: date | None, today: date) -> list[HeiDue]:
    """The infant's schedule on ``today`` (empty without a date of birth)."""
    if birth is None:
        return []
    done = {visit.test: visit for visit in enrolment.hei_tests.all()}
    schedule = []
    for test, age_days in HEI_SCHEDULE:
        due_on = birth + timedelta(days=age_days)
        if test in done:
            state = "done"
        elif today > due_on + timedelta(days=HEI_GRACE_DAYS):
            state = "overdue"
        elif today >= due_on:
            state = "due"
        else:
            state = "upcoming"
        schedule.append(HeiDue(test, due_on, state, done.get(test)))
    return schedule


@dataclass(frozen=True)
class HivListFilters:
    """What the M&E officer narrowed a list to: the period and a search (blank: all)."""

    period_from: date | None = None
    period_to: date | None = None
    search: str = ""


def _in_period(queryset: QuerySet, field: str, filters: HivListFilters) -> QuerySet:
    if filters.period_from:
        queryset = queryset.filter(**{f"{field}__gte": filters.period_from})
    if filters.period_to:
        queryset = queryset.filter(**{f"{field}__lte": filters.period_to})
    return queryset


def _children(actor: Actor, search: str) -> QuerySet[Enrolment]:
    return children_list(actor=actor, filters=ChildFilters(search=search))


def screening_list(
    *, actor: Actor, kind: str, filters: HivListFilters | None = None
) -> QuerySet[HivScreening]:
    """One of the M&E lists of screenings (``SCREENING_LISTS``) in the actor's caseload."""
    filters = filters or HivListFilters()
    screenings = HivScreening.objects.filter(
        enrolment__in=_children(actor, filters.search)
    ).select_related("enrolment", "enrolment__child", "enrolment__household")
    if kind == SCREENED:
        return _in_period(screenings, "screened_on", filters).order_by("-screened_on", "-id")
    if kind == AWAITING_TEST:
        screenings = screenings.filter(referral_state=ReferralState.REFERRED)
        return _in_period(screenings, "referred_on", filters).order_by("referred_on", "id")
    if kind == TESTED:
        screenings = screenings.filter(referral_state=ReferralState.COMPLETED)
        return _in_period(screenings, "referral_completed_on", filters).order_by(
            "-referral_completed_on", "-id"
        )
    if kind == LINKED:
        positive = screenings.filter(test_result="HSTP")
        completed = _in_period(positive, "art_referral_completed_on", filters)
        on_art = _in_period(
            positive.filter(art_referral_completed_on__isnull=True, enrolment__art_status="ARAR"),
            "referral_completed_on",
            filters,
        )
        return screenings.filter(Q(pk__in=completed.values("pk")) | Q(pk__in=on_art.values("pk")))
    return screenings.none()


@dataclass(frozen=True)
class HeiDueRow:
    enrolment: Enrolment
    due: HeiDue


def hei_due_list(*, actor: Actor, today: date, search: str = "") -> list[HeiDueRow]:
    """The HIV-exposed infants of the actor's caseload with a test due or overdue on
    ``today`` (their next test only), the most overdue first."""
    infants = (
        _children(actor, search)
        .filter(status=EnrolmentStatus.ACTIVE)
        .filter(Q(hiv_status="HHEI") | Q(eligibility__contains=["ECHEI"]))
        .exclude(pk__in=HeiFinalOutcome.objects.values("enrolment_id"))
        .prefetch_related("hei_tests")
    )
    rows = []
    for enrolment in infants:
        pending = [
            due
            for due in hei_schedule(enrolment, enrolment.child.date_of_birth, today)
            if due.state in ("due", "overdue")
        ]
        if pending:
            rows.append(HeiDueRow(enrolment, pending[0]))
    return sorted(rows, key=lambda row: (row.due.due_on, row.enrolment.pk))


def caregiver_statuses(household) -> list:
    """The household's adult members (not its children) with their HIV status history,
    newest first."""
    members = (
        household.members.exclude(member_type__in=CHILD_MEMBER_TYPES)
        .select_related("person")
        .prefetch_related("hiv_history")
        .order_by("-is_head", "id")
    )
    return list(members)


def hiv_list_export_logged(
    *, actor: Actor, kind: str, purpose: str, request: HttpRequest | None = None
) -> None:
    """An M&E list leaving as a file is logged in the access log with what selected it."""
    access_record(
        actor=actor.user,
        record_kind="ovc_hiv_list_export",
        record_id=kind,
        purpose=purpose,
        membership=actor.membership,
        request=request,
    )

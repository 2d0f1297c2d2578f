"""Reads on cases, always through the member's case scope (tenants.policy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from audit.services import actor_access_record
from case_apps.cases.models import (
    ApprovalRequest,
    Attachment,
    CaseEvent,
    CaseRecord,
    CaseStage,
    CaseStatus,
    FollowUp,
    Placement,
    Referral,
    Supervision,
)
from case_apps.cases.models_tiles import CaseTileCount
from case_apps.cases.selectors_presence import declares_case_rows, has_rows
from case_apps.registry_person import registry_person_read
from shared_registry import names
from shared_registry.models import Person
from tenants.actor import Actor, Forbidden, NotFound
from tenants.models import Membership, User
from tenants.policy import CaseScope, Permission, case_scope, may_on_case, may_see_case
from tenants.selectors import membership_get_active

if TYPE_CHECKING:
    from django.http import HttpRequest


def child_get(
    *, actor: Actor, person_id, ref: str = "", request: HttpRequest | None = None
) -> Person:
    """The registry child of a new case, as the actor: only one their organisation holds a
    record on or one a registry search just showed them (``ref``); a merged-away person
    resolves to the survivor. ``NotFound`` otherwise; the read is logged
    (case_apps/registry_person.py)."""
    actor.require(Permission.RECORD_CASES)
    return registry_person_read(
        actor=actor,
        person_id=person_id,
        ref=ref,
        purpose="child of a new case record sheet",
        request=request,
    )


def team_officer_ids(supervisor: User) -> frozenset[int]:
    return frozenset(
        Supervision.objects.filter(supervisor=supervisor).values_list("officer_id", flat=True)
    )


def _case_scope_filter(actor: Actor) -> Q | None:
    """The caseload rule of tenants.policy as a filter on a case's officers (its assigned
    officer and who recorded it): None when the actor sees every case. The case tile counts
    carry the same two columns, so the home page's tiles count what the caseload shows."""
    user = actor.user
    scope = case_scope(actor_membership(actor))
    if scope is CaseScope.ALL:
        return None
    own = Q(assigned_officer=user) | Q(created_by=user)
    if scope is CaseScope.OWN:
        return own
    if scope is CaseScope.TEAM:
        team = Supervision.objects.filter(supervisor=user).values("officer_id")
        return own | Q(assigned_officer__in=team) | Q(created_by__in=team)
    return Q(pk__in=[])


def cases_visible_to(*, actor: Actor) -> QuerySet[CaseRecord]:
    """The cases this actor may see: the caseload rule of tenants.policy as a filter."""
    scope = _case_scope_filter(actor)
    return CaseRecord.objects.all() if scope is None else CaseRecord.objects.filter(scope)


def _search(term: str) -> Q:
    """A case reference, a CPIMS ID, or the child's names (through the registry's trigram
    index on normalised names, so each word may appear anywhere in the name; a misspelt
    word matches through its phonetic key, as in the registry)."""
    term = term.strip()[:100]
    if "/" in term:
        return Q(national_reference__icontains=term)
    compact = term.replace("-", "").replace(" ", "")
    if compact.isdigit():
        return Q(child__cpims_id=compact) | Q(serial_number=int(compact[:9]))
    words = names.tokens(term)
    if not words:
        return Q(pk__in=[])
    people = Person.objects.all()
    for word in words:
        # each word as typed (tokens are normalised like search_name), or misspelt the way
        # the registry forgives: the same phonetic key (GIN index on name_keys)
        people = people.filter(
            Q(search_name__contains=word) | Q(name_keys__contains=[names.phonetic_key(word)])
        )
    return Q(child_id__in=people.values("pk"))


@dataclass
class CaseFilters:
    search: str = ""
    status: str = ""
    stage: str = ""
    category: str = ""
    risk_level: str = ""
    officer: int | None = None
    county: str = ""
    reported_from: date | None = None
    reported_to: date | None = None
    sort: str = "-date_reported"


SORTS = {
    "-date_reported": ("-date_reported", "-id"),
    "date_reported": ("date_reported", "id"),
    "risk": ("-risk_level", "-date_reported", "-id"),
    "reference": ("national_reference",),
}


def caseload(*, actor: Actor, filters: CaseFilters) -> QuerySet:
    """The caseload list: the cases the actor sees, filtered and sorted, with what a row
    shows."""
    queryset = cases_visible_to(actor=actor)
    if filters.search:
        queryset = queryset.filter(_search(filters.search))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.category:
        queryset = queryset.filter(category_codes__contains=[filters.category])
    if filters.risk_level:
        queryset = queryset.filter(risk_level=filters.risk_level)
    if filters.officer:
        queryset = queryset.filter(assigned_officer_id=filters.officer)
    if filters.county:
        queryset = queryset.filter(occurrence_county_code=filters.county)
    if filters.reported_from:
        queryset = queryset.filter(date_reported__gte=filters.reported_from)
    if filters.reported_to:
        queryset = queryset.filter(date_reported__lte=filters.reported_to)
    return queryset.select_related("child", "assigned_officer").order_by(
        *SORTS.get(filters.sort, SORTS["-date_reported"])
    )


# What a caseload row shows, read as plain values (no model instances for a list page)
CASELOAD_ROW_COLUMNS = (
    "id",
    "national_reference",
    "child_id",
    "child__first_name",
    "child__other_names",
    "child__surname",
    "date_reported",
    "risk_level",
    "assigned_officer__full_name",
    "assigned_officer__email",
    "status",
    "stage",
    "activated_on",
)


def caseload_rows(cases: QuerySet) -> QuerySet:
    """A page of the caseload (``caseload``'s cases) as its list shows it: the columns of a
    row, as values."""
    return cases.values(*CASELOAD_ROW_COLUMNS)


def caseload_values(*, actor: Actor, filters: CaseFilters, columns: Sequence[str]) -> QuerySet:
    """The caseload as plain rows of ``columns`` (the API's pages: no model instances), with
    the child's CPIMS ID and the case's category codes in the order recorded
    (``category_list``), all in the page's one query."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import F, OuterRef

    from case_apps.cases.models import CaseCategory

    categories = CaseCategory.objects.filter(case=OuterRef("pk")).order_by("id")
    return caseload(actor=actor, filters=filters).values(
        *columns,
        child_cpims_id=F("child__cpims_id"),
        category_list=ArraySubquery(categories.values("category_code")),
    )


def actor_membership(actor: Actor) -> Membership | None:
    """The actor's membership: the one the door loaded, else their active membership of the
    actor's organisation (a caller that knows only the user and the organisation)."""
    if actor.membership is not None or actor.organisation is None:
        return actor.membership
    return membership_get_active(user=actor.user, organisation=actor.organisation)


def case_get(
    *, actor: Actor, case_id: int, permission: Permission = Permission.VIEW_CASES
) -> CaseRecord:
    """The case as this actor: ``NotFound`` when it is missing or outside their caseload,
    ``Forbidden`` when they see it but their role does not grant ``permission`` on it."""
    case = CaseRecord.objects.select_related("child", "assigned_officer").filter(pk=case_id).first()
    if case is None:
        raise NotFound
    membership = actor_membership(actor)
    owners = {
        "assigned_officer_id": case.assigned_officer_id,
        "created_by_id": case.created_by_id,
        "team_officer_ids": team_officer_ids(actor.user),
    }
    if not may_see_case(actor.user, membership, **owners):
        if permission is Permission.VIEW_CASES and routed_for_review(actor, case):
            return case  # read-only: the supervisor a pending approval was routed to
        raise NotFound
    if not may_on_case(actor.user, membership, permission, **owners):
        raise Forbidden(permission)
    return case


def routed_for_review(actor: Actor, case: CaseRecord) -> bool:
    """Whether a pending approval of this case waits for the actor: a supervisor it fell to
    because the officer has no supervisor who can decide reads the case it is about."""
    from case_apps.cases.selectors_teams import approvals_routed_to

    return approvals_routed_to(actor=actor).filter(case_id=case.pk).exists()


def actor_may_on_case(actor: Actor, permission: Permission, case: CaseRecord) -> bool:
    """Whether the actor may do ``permission`` on a case (what the case page offers)."""
    return may_on_case(
        actor.user,
        actor_membership(actor),
        permission,
        assigned_officer_id=case.assigned_officer_id,
        created_by_id=case.created_by_id,
        team_officer_ids=team_officer_ids(actor.user),
    )


def case_read(
    *, actor: Actor, case_id: int, purpose: str, request: HttpRequest | None = None
) -> CaseRecord:
    """A case opened to be read: fetched as the actor, the read logged (``request`` says
    where from, for the access log)."""
    case = case_get(actor=actor, case_id=case_id, permission=Permission.VIEW_CASES)
    actor_access_record(actor, "case", case.pk, purpose, request)
    return case


def referral_get(
    *,
    actor: Actor,
    case_id: int,
    referral_id: int,
    permission: Permission = Permission.RECORD_CASES,
) -> Referral:
    """A referral on the case record sheet, as the actor (``NotFound``/``Forbidden`` as for
    its case)."""
    case = case_get(actor=actor, case_id=case_id, permission=permission)
    referral = Referral.objects.filter(pk=referral_id, case=case).first()
    if referral is None:
        raise NotFound
    referral.case = case
    return referral


def placement_get(
    *,
    actor: Actor,
    case_id: int,
    placement_id: int,
    permission: Permission = Permission.RECORD_CASES,
) -> Placement:
    """A placement of a case, as the actor."""
    case = case_get(actor=actor, case_id=case_id, permission=permission)
    placement = Placement.objects.filter(pk=placement_id, case=case).first()
    if placement is None:
        raise NotFound
    placement.case = case
    return placement


def attachment_read(
    *, actor: Actor, case_id: int, attachment_id: int, request: HttpRequest | None = None
) -> Attachment:
    """A document of a case, as the actor, its read logged."""
    case = case_get(actor=actor, case_id=case_id, permission=Permission.VIEW_CASES)
    attachment = Attachment.objects.filter(pk=attachment_id, case=case).first()
    if attachment is None:
        raise NotFound
    attachment.case = case
    actor_access_record(actor, "attachment", attachment.pk, f"document of case {case.pk}", request)
    return attachment


@dataclass
class TimelineEntry:
    on: date
    kind: str
    title: str
    detail: object


@declares_case_rows(FollowUp, Referral, Placement, ApprovalRequest, CaseEvent)
def case_timeline(case: CaseRecord) -> list[TimelineEntry]:
    """Everything that happened on a case, in time order (a fixed number of queries, none
    for a kind the case was noted not to have: selectors_presence.py)."""
    entries: list[TimelineEntry] = [TimelineEntry(case.date_reported, "opened", "", case)]
    if has_rows(case, FollowUp):
        entries += [
            TimelineEntry(f.date, "follow_up", f.follow_up_type, f)
            for f in case.follow_ups.select_related("officer")
        ]
    if has_rows(case, Referral):
        entries += [
            TimelineEntry(r.referred_on, "referral", r.destination, r) for r in case.referrals.all()
        ]
    if has_rows(case, Placement):
        entries += [
            TimelineEntry(p.admitted_on, "placement", p.care_type, p) for p in case.placements.all()
        ]
    if has_rows(case, ApprovalRequest):
        entries += [
            TimelineEntry(a.requested_at.date(), "approval", a.kind, a)
            for a in case.approvals.select_related("requested_by", "decided_by")
        ]
    if has_rows(case, CaseEvent):
        entries += removed_records(case)  # what was removed stays on the timeline
    entries.sort(key=lambda e: (e.on, e.kind != "opened"))
    return entries


def child_cases(*, actor: Actor, person_id: int) -> list[CaseRecord]:
    """The child's cases in this organisation that the actor may see, oldest first."""
    return list(
        cases_visible_to(actor=actor)
        .filter(child_id=person_id)
        .select_related("child")  # the page's heading, in the same query
        # (nothing prefetched: the timeline reads each kind of record a case has, and only
        # those: selectors_presence.py)
        .order_by("date_reported", "id")
    )


def child_cases_read(
    *, actor: Actor, person_id: int, purpose: str, request: HttpRequest | None = None
) -> list[CaseRecord]:
    """The child's page: their cases the actor sees (``NotFound`` when none, the child is
    not in the actor's caseload), the read logged."""
    cases = child_cases(actor=actor, person_id=person_id)
    if not cases:
        raise NotFound
    actor_access_record(actor, "child", person_id, purpose, request)
    return cases


def caseload_export_read(
    *,
    actor: Actor,
    filters: CaseFilters,
    export_format: str,
    purpose: str,
    request: HttpRequest | None = None,
) -> QuerySet:
    """The caseload rows of an export (``Forbidden`` without the right to view cases), the
    export logged with what selected it."""
    actor.require(Permission.VIEW_CASES)
    cases = caseload(actor=actor, filters=filters)
    actor_access_record(actor, "caseload_export", export_format, purpose, request)
    return cases


def approvals_waiting(*, actor: Actor) -> QuerySet[ApprovalRequest]:
    """Pending requests waiting for this actor, as case_apps/cases/selectors_teams.py routes
    them (their supervisors', or any supervisor's when none can decide; an administrator's
    all), never their own."""
    from case_apps.cases.selectors_teams import approvals_routed_to

    return (
        approvals_routed_to(actor=actor)
        .select_related("case", "case__child", "requested_by")
        .order_by("requested_at")
    )


def approvals_waiting_for(*, actor: Actor) -> QuerySet[ApprovalRequest]:
    """The supervisor's queue (``Forbidden`` without the right to supervise cases)."""
    actor.require(Permission.SUPERVISE_CASES)
    return approvals_waiting(actor=actor)


def approval_waiting_get(*, actor: Actor, approval_id: int) -> ApprovalRequest:
    """One request in the actor's queue: ``NotFound`` when missing, decided, their own or
    routed to other supervisors."""
    approval = approvals_waiting_for(actor=actor).filter(pk=approval_id).first()
    if approval is None:
        raise NotFound
    return approval


@dataclass
class CaseloadSummary:
    open_cases: int
    my_open_cases: int
    high_risk_open: int
    waiting_for_me: int
    recent: list[CaseRecord]
    # cases the member sees in each stage (CaseStage: pending, active, closed, reopened)
    stages: dict[str, int] = field(default_factory=dict)

    @property
    def stage_rows(self) -> list[tuple[str, str, int]]:
        """(stage, its label, how many) in the life cycle's order, for the home page."""
        return [(stage.value, stage.label, self.stages.get(stage, 0)) for stage in CaseStage]


OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED)


def caseload_summary(*, actor: Actor) -> CaseloadSummary:
    """What a member sees first on the workspace home (a fixed handful of queries): the tiles
    and the member's own open cases from the kept case counts of the member's caseload scope
    (models_tiles.py: a few rows per officer, however many cases)."""
    from django.db.models import Sum

    scope = _case_scope_filter(actor)
    counts = CaseTileCount.objects.all() if scope is None else CaseTileCount.objects.filter(scope)
    groups = counts.values_list("assigned_officer_id", "stage", "status", "risk_level").annotate(
        n=Sum("n")
    )
    stages = dict.fromkeys(CaseStage.values, 0)
    open_cases = high_risk_open = my_open_cases = 0
    for officer_id, stage, status, risk_level, n in groups:
        stages[stage] = stages.get(stage, 0) + n
        if status in OPEN_STATUSES:
            open_cases += n
            high_risk_open += n if risk_level == "RLHG" else 0
            # every scope that sees any case holds the member's own
            my_open_cases += n if officer_id == actor.user.pk else 0
    waiting = approvals_waiting(actor=actor).count()
    recent = cases_visible_to(actor=actor).select_related("child")
    recent = list(recent.order_by("-created_at", "-id")[:6])
    return CaseloadSummary(
        open_cases=open_cases,
        my_open_cases=my_open_cases,
        high_risk_open=high_risk_open,
        waiting_for_me=waiting,
        recent=recent,
        stages=stages,
    )


# The actions that remove a record from a case (kept in its history with who, when, why).
REMOVAL_ACTIONS = (
    "follow_up_deleted",
    "referral_deleted",
    "placement_deleted",
    "intervention_deleted",
)


def removed_records(case: CaseRecord) -> list[TimelineEntry]:
    """Records removed from the case, as timeline entries on the day of the removal."""
    from django.utils import timezone

    return [
        TimelineEntry(timezone.localtime(event.at).date(), "removed", event.action, event)
        for event in case.events.filter(action__in=REMOVAL_ACTIONS).select_related("actor")
    ]


def follow_up_get(
    *,
    actor: Actor,
    case_id: int,
    follow_up_id: int,
    permission: Permission = Permission.RECORD_CASES,
) -> FollowUp:
    """A follow-up of a case, as the actor (``NotFound``/``Forbidden`` as for its case)."""
    case = case_get(actor=actor, case_id=case_id, permission=permission)
    follow_up = FollowUp.objects.filter(pk=follow_up_id, case=case).first()
    if follow_up is None:
        raise NotFound
    follow_up.case = case
    return follow_up

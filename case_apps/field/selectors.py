"""Reads of field capture: the member's offline bundle, their forms' statuses, the
supervisor's queue of forms waiting for a decision, and the administrator's devices (issue
21)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from audit.services import actor_access_record
from case_apps.cases.models import CaseRecord, CaseStatus, Supervision
from case_apps.cases.selectors import cases_visible_to
from case_apps.field.access_kinds import BUNDLE, FIELD_LISTS, QUEUE
from case_apps.field.models import WAITING, Device, FieldForm, FormKind, FormStatus
from case_apps.lists.data_ovc_plans import DOMAINS, FORM1B_KIND, plan_list
from case_apps.lists.selectors import list_choices_bulk
from case_apps.ovc import codes
from case_apps.ovc.models import Enrolment, EnrolmentStatus, Household, HouseholdMember
from case_apps.ovc.models_visits import VisitOutcome, VisitPurpose
from case_apps.ovc.scoring import ANSWERS as CPARA_ANSWERS
from case_apps.ovc.scoring import BENCHMARKS
from case_apps.ovc.selectors import households_visible_to
from case_apps.ovc.services_assessments import wellbeing_questions
from case_apps.ovc.services_form1b import CHILD_MEMBER_TYPES
from case_apps.ovc.views_common import runs_ovc
from cpims.pagination import BoundedPaginator
from shared_registry.models import Person
from tenants.actor import Actor
from tenants.models import User
from tenants.policy import CaseScope, Permission, case_scope, sees_every_approval

BUNDLE_MAX = 2_000  # households (and open cases) a device carries at most
QUEUE_PAGE = 25  # as the caseload: a page a phone shows without endless scrolling
DEVICE_PAGE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _names(person_ids) -> dict[int, str]:
    people = Person.objects.filter(pk__in=set(person_ids)).only(
        "first_name", "other_names", "surname"
    )
    return {p.pk: p.full_name for p in people}


def bundle(*, actor: Actor) -> dict:
    """What the device carries offline: only the member's own caseload (households, their
    enrolled children, open cases) and the code lists of the field forms."""
    from case_apps.field import kinds

    households = []
    if runs_ovc(actor.organisation):
        rows = list(households_visible_to(actor).order_by("number")[:BUNDLE_MAX])
        children = list(Enrolment.objects.filter(household__in=rows, status=EnrolmentStatus.ACTIVE))
        adults = list(
            HouseholdMember.objects.filter(household__in=rows, alive=True).exclude(
                member_type__in=CHILD_MEMBER_TYPES
            )
        )
        names = _names(
            [h.head_id for h in rows]
            + [e.child_id for e in children]
            + [m.person_id for m in adults]
        )
        caregivers: dict[int, list] = {}
        for member in adults:  # Form 1B: the caregiver served (the head first)
            caregivers.setdefault(member.household_id, []).append(
                {"id": member.pk, "name": names.get(member.person_id, "")}
            )
        by_household: dict[int, list] = {}
        for enrolment in children:
            by_household.setdefault(enrolment.household_id, []).append(
                {
                    "id": enrolment.pk,
                    "name": names.get(enrolment.child_id, ""),
                    "serial": enrolment.serial,
                    "stamp": kinds.stamp(enrolment),
                }
            )
        households = [
            {
                "id": h.pk,
                "number": h.number,
                "village": h.village,
                "head": names.get(h.head_id, ""),
                "children": by_household.get(h.pk, []),
                "caregivers": caregivers.get(h.pk, []),
                "stamp": kinds.stamp(h),
            }
            for h in rows
        ]
    cases = list(
        cases_visible_to(actor=actor)
        .filter(status=CaseStatus.OPEN)
        .order_by("national_reference")[:BUNDLE_MAX]
    )
    case_names = _names(c.child_id for c in cases)
    lists = list_choices_bulk(
        [
            "ovc_domain",
            "ovc_hiv_status",
            "follow_up_type",
            "ovc_wellbeing_kind",
            *(plan_list("ovc_service", d) for d in DOMAINS),
            *(plan_list(FORM1B_KIND, d) for d in DOMAINS),
        ]
    )
    return {
        "households": households,
        "cases": [
            {
                "id": c.pk,
                "reference": c.national_reference,
                "child": case_names.get(c.child_id, ""),
                "stamp": kinds.stamp(c),
            }
            for c in cases
        ],
        "codes": {
            "domains": lists["ovc_domain"],
            "services": {d: lists[plan_list("ovc_service", d)] for d in DOMAINS},
            "hiv_status": lists["ovc_hiv_status"],
            "risks": [(key, str(label)) for key, label, _who in codes.RISK_QUESTIONS],
            "follow_up_types": lists["follow_up_type"],
            "form1b_services": {d: lists[plan_list(FORM1B_KIND, d)] for d in DOMAINS},
            "wellbeing_kinds": lists["ovc_wellbeing_kind"],
            "wellbeing_questions": {
                kind: [(key, str(label)) for key, _domain, label in wellbeing_questions(kind)]
                for kind, _label in lists["ovc_wellbeing_kind"]
            },
            "cpara_benchmarks": [(n, str(label)) for n, (_d, label) in BENCHMARKS.items()],
            "cpara_answers": [(key, str(label)) for key, label in CPARA_ANSWERS],
            "visit_outcomes": [(key, str(label)) for key, label in VisitOutcome.choices],
            "visit_purposes": [(key, str(label)) for key, label in VisitPurpose.choices],
        },
    }


def bundle_open(
    *, actor: Actor, purpose: str = "field app bundle", request: HttpRequest | None = None
) -> dict:
    """The device's bundle (children by name): one access-log entry per read."""
    carried = bundle(actor=actor)
    actor_access_record(actor, FIELD_LISTS, BUNDLE, purpose, request)
    return carried


def my_forms(*, actor: Actor) -> QuerySet[FieldForm]:
    """The member's own synced forms, newest first (statuses and rejection reasons)."""
    return FieldForm.objects.filter(author=actor.user).order_by("-received_at", "-id")


def decidable_forms(*, actor: Actor) -> QuerySet[FieldForm]:
    """The waiting forms this supervisor may decide: their team's (every member's for an
    organisation administrator), never their own."""
    if not actor.may(Permission.SUPERVISE_CASES):
        return FieldForm.objects.none()
    forms = FieldForm.objects.filter(status__in=WAITING).exclude(author=actor.user)
    if sees_every_approval(actor.membership) or case_scope(actor.membership) is CaseScope.ALL:
        return forms
    team = Supervision.objects.filter(supervisor=actor.user).values("officer_id")
    return forms.filter(author__in=team)  # a subquery: no round trip of its own


def approval_queue(*, actor: Actor, search: str = "") -> QuerySet[FieldForm]:
    """The supervisor's queue, oldest first; search by household number or village, child's
    serial or case reference (each a subquery: the forms are read along their own index)."""
    forms = decidable_forms(actor=actor)
    search = (search or "").strip()
    if search:
        households = Household.objects.filter(
            Q(number__icontains=search) | Q(village__icontains=search)
        )
        forms = forms.filter(
            Q(household__in=households.values("pk"))
            | Q(enrolment__in=Enrolment.objects.filter(serial__icontains=search).values("pk"))
            | Q(
                case__in=CaseRecord.objects.filter(national_reference__icontains=search).values(
                    "pk"
                )
            )
        )
    return forms.order_by("received_at", "id")


@dataclass(frozen=True)
class QueueRow:
    """One waiting form as the queue shows it."""

    id: int
    uuid: UUID
    kind: str
    household: str
    child: str
    visit_date: date
    author: str
    status: str
    summary: str
    source: str = ""  # the field app, or typed in the web app (no device)


@dataclass(frozen=True)
class QueuePage:
    """A page of the queue (keyset: ``after`` names the last row of the previous page),
    what waits in all, and per volunteer (when asked for)."""

    rows: list[QueueRow]
    waiting: int
    per_author: list[tuple[str, int]]
    next_after: str = ""


def _cursor(received_at: datetime, pk: int) -> str:
    micros = (received_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{pk}"


def _after(forms: QuerySet[FieldForm], after: str) -> QuerySet[FieldForm]:
    """Rows after the cursor (received_at, id); a cursor that does not read is the start."""
    try:
        micros, pk = (int(part) for part in after.split("."))
        moment = _EPOCH + timedelta(microseconds=micros)
    except (ValueError, OverflowError):
        return forms
    return forms.filter(Q(received_at__gt=moment) | Q(received_at=moment, id__gt=pk))


_NAMES = ("first_name", "other_names", "surname")
# what a row shows, read as plain values (no model instances: the page builds 50 rows, not
# 300 objects of five wide tables)
_ROW_COLUMNS = (
    "id",
    "uuid",
    "kind",
    "status",
    "visit_date",
    "payload",
    "received_at",
    "household__number",
    "household__village",
    "enrolment_id",
    *(f"enrolment__child__{name}" for name in _NAMES),
    "case_id",
    "case__national_reference",
    *(f"case__child__{name}" for name in _NAMES),
    "author__full_name",
    "author__email",
    "device_id",
)


def _full_name(values: dict, prefix: str) -> str:
    """A person's full name as ``Person.full_name`` gives it, from the row's columns."""
    return " ".join(p for p in (values[prefix + name] for name in _NAMES) if p)


def _row(
    values: dict, kinds: dict[str, str], statuses: dict[str, str], sources: dict[bool, str]
) -> QueueRow:
    """One row from the page's values; ``kinds``, ``statuses`` and ``sources`` (from a
    device or not): their labels, translated once for the page."""
    if values["enrolment_id"]:
        child = _full_name(values, "enrolment__child__")
    elif values["case_id"]:
        child = _full_name(values, "case__child__")
    else:
        child = ""
    reference = f"{values['case__national_reference']} " if values["case_id"] else ""
    number, village = values["household__number"], values["household__village"]
    payload = values["payload"]
    return QueueRow(
        id=values["id"],
        uuid=values["uuid"],
        kind=kinds.get(values["kind"], values["kind"]),
        household=f"{number} {village}".strip() if number is not None else "",
        child=reference + child,
        visit_date=values["visit_date"],
        author=values["author__full_name"] or values["author__email"],
        status=statuses.get(values["status"], values["status"]),
        summary=", ".join(str(v) for v in payload.values() if v not in ("", None, [])),
        source=sources[values["device_id"] is not None],
    )


def queue_page_open(
    *,
    actor: Actor,
    search: str = "",
    after: str = "",
    purpose: str = "field forms queue",
    request: HttpRequest | None = None,
    per_volunteer: bool = False,
) -> QueuePage:
    """A page of the supervisor's queue as rows (households and children by name: one
    access-log entry per list read, with the search that narrowed it). The page is one
    query: its forms picked along the waiting forms' index (stopping at the page, whatever
    the planner knows of the joined tables), then joined to household, child and author,
    reading only the columns shown."""
    page = _after(approval_queue(actor=actor, search=search), after).values("pk")
    forms = list(
        FieldForm.objects.filter(pk__in=page[: QUEUE_PAGE + 1])
        .order_by("received_at", "id")
        .values(*_ROW_COLUMNS)
    )
    # what waits per volunteer only when asked for (a few hundred names are read on demand,
    # not on every page); the total is one COUNT(*) along the waiting forms' index
    per_author = waiting_by_author(actor=actor) if per_volunteer else []
    waiting = sum(n for _name, n in per_author) if per_volunteer else to_decide_count(actor=actor)
    said = (search or "").strip()[:64]
    actor_access_record(
        actor, FIELD_LISTS, QUEUE, f"{purpose}: q={said}" if said else purpose, request
    )
    kinds = {value: str(label) for value, label in FormKind.choices}
    statuses = {value: str(label) for value, label in FormStatus.choices}
    sources = {True: gettext("field app"), False: gettext("typed in the web app")}
    last = forms[QUEUE_PAGE - 1] if len(forms) > QUEUE_PAGE else None
    return QueuePage(
        rows=[_row(values, kinds, statuses, sources) for values in forms[:QUEUE_PAGE]],
        waiting=waiting,
        per_author=per_author,
        next_after=_cursor(last["received_at"], last["id"]) if last else "",
    )


def waiting_by_author(*, actor: Actor) -> list[tuple[str, int]]:
    """Waiting forms per volunteer in the supervisor's queue: (name, count), most first;
    counted along the index of (author, status) alone (``COUNT(*)``: no form row is read
    where the index suffices), then the volunteers' names read once each."""
    counts = list(
        decidable_forms(actor=actor)
        .values_list("author")
        .annotate(n=Count("*"))
        .order_by("-n", "author")
    )
    people = User.objects.filter(pk__in=[author for author, _n in counts])
    names = {
        pk: name or email for pk, name, email in people.values_list("pk", "full_name", "email")
    }
    return [(names.get(author, ""), n) for author, n in counts]


def my_waiting_count(*, actor: Actor) -> int:
    """The member's own forms still waiting for a decision."""
    return FieldForm.objects.filter(author=actor.user, status__in=WAITING).count()


def to_decide_count(*, actor: Actor) -> int:
    """The forms waiting for this supervisor's decision."""
    return decidable_forms(actor=actor).count()


def devices(*, actor: Actor, search: str = "") -> QuerySet[Device]:
    """The organisation's field devices (an administrator's list), newest first; search by
    the member's name or e-mail or the device's label."""
    actor.require(Permission.MANAGE_MEMBERS)
    rows = Device.objects.order_by("-registered_at", "-id")
    search = (search or "").strip()
    if search:
        rows = rows.filter(
            Q(label__icontains=search)
            | Q(user__full_name__icontains=search)
            | Q(user__email__icontains=search)
        )
    return rows


@dataclass(frozen=True)
class DeviceRow:
    """One device as the administrator's screen shows it."""

    id: int
    member: str
    email: str
    label: str
    registered_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str
    waiting: int  # forms sent from it still waiting for a decision


@dataclass(frozen=True)
class DevicePage:
    """A page of the devices screen: its rows, its number and its neighbours."""

    rows: list[DeviceRow]
    number: int
    pages: int
    previous: int | None
    next: int | None
    count: int
    capped: bool  # more devices than the count reads: narrow with the search


def device_page(*, actor: Actor, search: str = "", page: str | int = 1) -> DevicePage:
    """A page of the organisation's devices with member, who revoked it, and the forms
    waiting from each: the page in one query (members joined), the waiting forms counted
    for the page's devices in one aggregate."""
    paginator = BoundedPaginator(
        devices(actor=actor, search=search).select_related("user", "revoked_by"), DEVICE_PAGE
    )
    current = paginator.get_page(page)
    shown = list(current.object_list)
    waiting = dict(
        FieldForm.objects.filter(device__in=[d.pk for d in shown], status__in=WAITING)
        .values_list("device")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        DeviceRow(
            id=d.pk,
            member=d.user.full_name,
            email=d.user.email,
            label=str(d),
            registered_at=d.registered_at,
            last_seen_at=d.last_seen_at,
            revoked_at=d.revoked_at,
            revoked_by=(d.revoked_by.full_name or d.revoked_by.email) if d.revoked_by else "",
            waiting=waiting.get(d.pk, 0),
        )
        for d in shown
    ]
    return DevicePage(
        rows=rows,
        number=current.number,
        pages=paginator.num_pages,
        previous=current.previous_page_number() if current.has_previous() else None,
        next=current.next_page_number() if current.has_next() else None,
        count=paginator.count,
        capped=paginator.capped,
    )

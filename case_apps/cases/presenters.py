"""Turning codes into words for the case screens and exports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from case_apps.cases.models import (
    ApprovalKind,
    ApprovalStatus,
    CaseRecord,
    CaseStage,
    CaseStatus,
    ReferralStatus,
)
from case_apps.cases.selectors import TimelineEntry
from case_apps.cases.selectors_presence import CaseRows, note_rows_present, source_reads
from case_apps.lists.data import LIST_TITLES
from case_apps.lists.selectors import list_labels_bulk
from cpims.links import id_address
from shared_registry.models import full_name
from tenants.capabilities import Capability, CapabilityError, declared, declared_in


class Labels(dict):
    """list name -> {code: label}; ``labels.of("risk_level", code)`` falls back to the code."""

    def of(self, list_name: str, code: str) -> str:
        return self.get(list_name, {}).get(code, code)

    def many(self, list_name: str, codes) -> str:
        return ", ".join(self.of(list_name, c) for c in codes)


def case_labels() -> Labels:
    return Labels(list_labels_bulk(LIST_TITLES))


def coded_label(labels: Labels, list_name: str, code) -> SafeString | str:
    """A coded value as its label with the code in a tooltip (screens show labels; codes
    belong in tooltips and exports); a code with no label known shows as itself."""
    code = "" if code is None else str(code)
    if not code:
        return ""
    text = labels.of(list_name, code)
    if str(text) == code:  # no label known: the code is all there is, no tooltip to add
        return format_html('<span class="code-label">{}</span>', code)
    return format_html('<span class="code-label" title="{}">{}</span>', code, text)


SHORT_DATE = "j M Y"  # "10 Feb 2026", as the screens show dates (issue 17)


def present_caseload(rows, labels: Labels) -> list[dict]:
    """The caseload's rows (``selectors.caseload_rows`` values) as the list shows them, the
    page's repeated work done once: the two addresses reversed once, status and stage
    labels translated once, each date formatted once."""
    case_address, child_address = id_address("cases:detail"), id_address("cases:child")
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    stages = {value: str(label) for value, label in CaseStage.choices}
    risks: dict[str, str] = {}
    days: dict = {}

    def day(value) -> str:
        if value not in days:
            days[value] = format_date(value, SHORT_DATE) if value else ""
        return days[value]

    presented = []
    for row in rows:
        risk = row["risk_level"]
        if risk not in risks:
            risks[risk] = coded_label(labels, "risk_level", risk)
        active_since = row["activated_on"]
        presented.append(
            {
                "case_url": case_address(row["id"]),
                "reference": row["national_reference"],
                "child_url": child_address(row["child_id"]),
                "child_name": full_name(
                    row["child__first_name"], row["child__other_names"], row["child__surname"]
                ),
                "reported": day(row["date_reported"]),
                "risk_level": risk,
                "risk": risks[risk],
                "officer": row["assigned_officer__full_name"]
                or row["assigned_officer__email"]
                or "",
                "status": row["status"],
                "status_label": statuses.get(row["status"], row["status"]),
                "stage": row["stage"],
                "stage_label": stages.get(row["stage"], row["stage"]),
                "stage_title": _("Active since %(d)s") % {"d": day(active_since)}
                if active_since
                else _("Stage"),
            }
        )
    return presented


@dataclass
class TimelineItem:
    on: object
    kind: str
    title: str
    lines: list[str]
    case_reference: str
    link_id: int | None = None
    open_action: str = ""


@dataclass(frozen=True)
class TimelinePresenter:
    """How one kind of timeline entry reads: ``present(entry, case, labels)`` gives its item.
    An app declares its presenters (``timeline_presenters``) and the readers of its entries
    (``timeline_sources``) in its capabilities.py; the case page shows them all."""

    kind: str
    present: Callable[[TimelineEntry, CaseRecord, Labels], TimelineItem]


def _declared(registry: str, capabilities: Sequence[Capability] | None) -> tuple:
    return declared(registry) if capabilities is None else declared_in(registry, capabilities)


def timeline_presenters(
    capabilities: Sequence[Capability] | None = None,
) -> dict[str, TimelinePresenter]:
    """Entry kind -> its presenter, from the installed apps' declarations (or these)."""
    found: dict[str, TimelinePresenter] = {}
    for presenter in _declared("timeline_presenters", capabilities):
        if presenter.kind in found:
            raise CapabilityError(f"two timeline presenters of {presenter.kind}")
        found[presenter.kind] = presenter
    return found


def present_timeline(
    case, labels: Labels | None = None, capabilities: Sequence[Capability] | None = None
) -> list[TimelineItem]:
    """Everything that happened on the case, in time order (the case opened first on its
    day), as the installed apps (or these) declare it; the kinds of record the case has are
    read first in one query, and the sources of kinds it lacks are not asked."""
    labels = labels or case_labels()
    presenters = timeline_presenters(capabilities)
    sources = _declared("timeline_sources", capabilities)
    note_rows_present([case], source_reads(sources))
    entries = [entry for source in sources for entry in source(case)]
    entries.sort(key=lambda e: (e.on, e.kind != "opened"))  # stable: each source's order kept
    items = []
    for entry in entries:
        if entry.kind not in presenters:
            raise CapabilityError(f"no timeline presenter declares {entry.kind}")
        items.append(presenters[entry.kind].present(entry, case, labels))
    return items


def timeline_reads(capabilities: Sequence[Capability] | None = None) -> tuple[CaseRows, ...]:
    """What the installed timeline sources read (selectors_presence.py)."""
    return source_reads(_declared("timeline_sources", capabilities))


def present_timelines(
    cases: Sequence, labels: Labels | None = None, *, also_reads: Sequence[CaseRows] = ()
) -> list[TimelineItem]:
    """The timelines of several cases one after the other (the child's page), what each case
    has read for all of them in one query (with ``also_reads``, for the rest of the page)."""
    labels = labels or case_labels()
    note_rows_present(cases, (*timeline_reads(), *also_reads))
    return [item for case in cases for item in present_timeline(case, labels)]


def _opened(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    return TimelineItem(
        entry.on,
        "opened",
        _("Case reported"),
        [labels.of("reporter_type", case.reporter_type)],
        case.national_reference,
    )


def _follow_up(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    lines = [obj.notes] if obj.notes else []
    if obj.court_session_type:
        lines.append(
            " · ".join(
                filter(
                    None,
                    [
                        obj.court_name,
                        labels.of("court_session_type", obj.court_session_type),
                        labels.of("court_outcome", obj.court_outcome) if obj.court_outcome else "",
                        labels.of("court_order", obj.court_order) if obj.court_order else "",
                    ],
                )
            )
        )
        if obj.next_court_date:
            lines.append(_("Next court date: %(d)s") % {"d": obj.next_court_date})
    if obj.summons_issued_on:
        honoured = _("honoured") if obj.summons_honoured else _("not yet honoured")
        lines.append(_("Summons issued %(d)s, %(h)s") % {"d": obj.summons_issued_on, "h": honoured})
    return TimelineItem(
        entry.on,
        "follow_up",
        labels.of("follow_up_type", obj.follow_up_type),
        lines,
        case.national_reference,
        obj.pk,
    )


def _referral(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    status = ReferralStatus(obj.status).label
    if obj.completed_on:
        status = _("%(status)s on %(d)s") % {
            "status": status,
            "d": date_format(obj.completed_on, "j M Y"),
        }
    lines = [
        ", ".join(labels.of("referral_reason", reason) for reason in obj.reasons),
        obj.destination_name,
        status,
    ]
    if obj.follows_receiver:
        lines.append(_("An organisation on the platform: its status follows the receiver."))
    if obj.outcome:
        lines.append(obj.outcome)
    return TimelineItem(
        entry.on,
        "referral",
        _("Referred to %(d)s") % {"d": labels.of("referral_destination", obj.destination)},
        [line for line in lines if line],
        case.national_reference,
        obj.pk,
        "referral_outcome"
        if obj.status == ReferralStatus.PENDING and not obj.follows_receiver
        else "",
    )


def _placement(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    lines = [obj.placed_with]
    if obj.discharged_on:
        lines.append(_("Discharged %(d)s") % {"d": obj.discharged_on})
    return TimelineItem(
        entry.on,
        "placement",
        labels.of("alternative_care_type", obj.care_type),
        lines,
        case.national_reference,
        obj.pk,
        "" if obj.discharged_on else "discharge",
    )


def _approval(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    title = ApprovalKind(obj.kind).label + " — " + ApprovalStatus(obj.status).label
    lines = [obj.notes] if obj.notes else []
    if obj.closure_reason and obj.kind == ApprovalKind.CLOSURE:
        lines.insert(0, labels.of("closure_reason", obj.closure_reason))
    lines += approval_lines(obj, case, labels)
    if obj.decision_reason:
        lines.append(_("Reason: %(r)s") % {"r": obj.decision_reason})
    return TimelineItem(entry.on, "approval", title, lines, case.national_reference)


def _removed(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    """A record removed with a reason: what it was, who removed it and why (case history)."""
    obj = entry.detail
    titles = {
        "follow_up_deleted": _("Follow-up removed"),
        "referral_deleted": _("Referral removed"),
        "placement_deleted": _("Placement removed"),
        "intervention_deleted": _("Intervention removed"),
    }
    what, _newline, why = obj.reason.partition("\n")
    who = obj.actor.full_name or obj.actor.email
    lines = [what, _("Removed by %(who)s: %(why)s") % {"who": who, "why": why}]
    return TimelineItem(entry.on, "removed", titles[obj.action], lines, case.national_reference)


def approval_lines(obj, case: CaseRecord, labels: Labels) -> list[str]:
    """A closure request's date and final interventions; a reopening's day (the timeline and
    the supervisor's decision page)."""
    lines = []
    if obj.kind == ApprovalKind.CLOSURE and obj.closed_on:
        lines.append(_("Closure date: %(d)s") % {"d": date_format(obj.closed_on, "j M Y")})
    if obj.kind == ApprovalKind.CLOSURE and obj.final_interventions:
        categories = {c.pk: c.category_code for c in case.categories.all()}
        for item in obj.final_interventions:
            code = categories.get(item["category_id"], "")
            lines.append(
                _("Final intervention for %(category)s: %(intervention)s")
                % {
                    "category": labels.of("case_category", code),
                    "intervention": labels.of("intervention", item["intervention_code"]),
                }
            )
    if obj.kind == ApprovalKind.REOPENING and obj.reopened_on:
        lines.append(_("Reopens on %(d)s") % {"d": date_format(obj.reopened_on, "j M Y")})
    return lines


def _intervention(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    title = labels.of("intervention", obj.intervention_code)
    if obj.is_final:
        title = _("Final intervention: %(i)s") % {"i": title}
    lines = [labels.of("case_category", obj.category.category_code)]
    if obj.notes:
        lines.append(obj.notes)
    return TimelineItem(entry.on, "intervention", title, lines, case.national_reference, obj.pk)


def _reopened(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    lines = [obj.notes]
    if obj.decided_by_id:
        who = obj.decided_by.full_name or obj.decided_by.email
        lines.append(_("Approved by %(who)s") % {"who": who})
    return TimelineItem(entry.on, "reopened", _("Case reopened"), lines, case.national_reference)


# What case management declares (case_apps/cases/capabilities.py); its entries are read by
# case_apps.cases.selectors.case_timeline.
TIMELINE_PRESENTERS = (
    TimelinePresenter("opened", _opened),
    TimelinePresenter("follow_up", _follow_up),
    TimelinePresenter("referral", _referral),
    TimelinePresenter("placement", _placement),
    TimelinePresenter("approval", _approval),
    TimelinePresenter("removed", _removed),
    TimelinePresenter("intervention", _intervention),
    TimelinePresenter("reopened", _reopened),
)

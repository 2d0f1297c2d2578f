"""Turning codes into words for the case screens and exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from case_apps.cases.models import ApprovalKind, ApprovalStatus, ReferralStatus
from case_apps.cases.selectors import case_timeline
from case_apps.lists.data import LIST_TITLES
from case_apps.lists.selectors import list_labels_bulk


class Labels(dict):
    """list name -> {code: label}; ``labels.of("risk_level", code)`` falls back to the code."""

    def of(self, list_name: str, code: str) -> str:
        return self.get(list_name, {}).get(code, code)

    def many(self, list_name: str, codes) -> str:
        return ", ".join(self.of(list_name, c) for c in codes)


def case_labels() -> Labels:
    return Labels(list_labels_bulk(LIST_TITLES))


@dataclass
class TimelineItem:
    on: object
    kind: str
    title: str
    lines: list[str]
    case_reference: str
    link_id: int | None = None
    open_action: str = ""


def present_timeline(case, labels: Labels | None = None) -> list[TimelineItem]:
    labels = labels or case_labels()
    items = []
    for entry in case_timeline(case):
        obj = entry.detail
        if entry.kind == "opened":
            items.append(
                TimelineItem(
                    entry.on,
                    "opened",
                    _("Case reported"),
                    [labels.of("reporter_type", case.reporter_type)],
                    case.national_reference,
                )
            )
        elif entry.kind == "follow_up":
            lines = [obj.notes] if obj.notes else []
            if obj.court_session_type:
                lines.append(
                    " · ".join(
                        filter(
                            None,
                            [
                                obj.court_name,
                                labels.of("court_session_type", obj.court_session_type),
                                labels.of("court_outcome", obj.court_outcome)
                                if obj.court_outcome
                                else "",
                                labels.of("court_order", obj.court_order)
                                if obj.court_order
                                else "",
                            ],
                        )
                    )
                )
                if obj.next_court_date:
                    lines.append(_("Next court date: %(d)s") % {"d": obj.next_court_date})
            if obj.summons_issued_on:
                honoured = _("honoured") if obj.summons_honoured else _("not yet honoured")
                lines.append(
                    _("Summons issued %(d)s, %(h)s") % {"d": obj.summons_issued_on, "h": honoured}
                )
            items.append(
                TimelineItem(
                    entry.on,
                    "follow_up",
                    labels.of("follow_up_type", obj.follow_up_type),
                    lines,
                    case.national_reference,
                    obj.pk,
                )
            )
        elif entry.kind == "referral":
            lines = [
                labels.of("referral_reason", obj.reason),
                obj.destination_name,
                ReferralStatus(obj.status).label,
            ]
            if obj.outcome:
                lines.append(obj.outcome)
            items.append(
                TimelineItem(
                    entry.on,
                    "referral",
                    _("Referred to %(d)s")
                    % {"d": labels.of("referral_destination", obj.destination)},
                    [line for line in lines if line],
                    case.national_reference,
                    obj.pk,
                    "referral_outcome" if obj.status == ReferralStatus.PENDING else "",
                )
            )
        elif entry.kind == "placement":
            lines = [obj.placed_with]
            if obj.discharged_on:
                lines.append(_("Discharged %(d)s") % {"d": obj.discharged_on})
            items.append(
                TimelineItem(
                    entry.on,
                    "placement",
                    labels.of("alternative_care_type", obj.care_type),
                    lines,
                    case.national_reference,
                    obj.pk,
                    "" if obj.discharged_on else "discharge",
                )
            )
        elif entry.kind == "approval":
            title = ApprovalKind(obj.kind).label + " — " + ApprovalStatus(obj.status).label
            lines = [obj.notes] if obj.notes else []
            if obj.closure_reason:
                lines.insert(0, labels.of("closure_reason", obj.closure_reason))
            if obj.decision_reason:
                lines.append(_("Reason: %(r)s") % {"r": obj.decision_reason})
            items.append(TimelineItem(entry.on, "approval", title, lines, case.national_reference))
        elif entry.kind == "removed":  # a record removed with a reason (case history)
            titles = {
                "follow_up_deleted": _("Follow-up removed"),
                "referral_deleted": _("Referral removed"),
                "placement_deleted": _("Placement removed"),
            }
            what, _newline, why = obj.reason.partition("\n")
            who = obj.actor.full_name or obj.actor.email
            lines = [what, _("Removed by %(who)s: %(why)s") % {"who": who, "why": why}]
            items.append(
                TimelineItem(
                    entry.on, "removed", titles[obj.action], lines, case.national_reference
                )
            )
    return items

"""The case page's timeline is built from the apps' declared timeline sources and presenters
(issue 16) and reads exactly as the timeline written for case management alone did."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from case_apps.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalStatus,
    FollowUp,
    Placement,
    Referral,
    ReferralStatus,
)
from case_apps.cases.presenters import TimelineItem, case_labels, present_timeline
from case_apps.cases.selectors import case_timeline
from tenants.schema import workspace_context
from tests.case_apps.conftest import open_case, team  # noqa: F401 (fixture)
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _timeline_before(case, labels) -> list[TimelineItem]:
    """present_timeline as case_apps/cases/presenters.py wrote it before the apps declared
    their presenters (literally, but for the layout)."""
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
                court = [
                    obj.court_name,
                    labels.of("court_session_type", obj.court_session_type),
                    labels.of("court_outcome", obj.court_outcome) if obj.court_outcome else "",
                    labels.of("court_order", obj.court_order) if obj.court_order else "",
                ]
                lines.append(" · ".join(filter(None, court)))
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
            status = ReferralStatus(obj.status).label
            if obj.completed_on:  # issue 17: the end date with the status
                status = _("%(status)s on %(d)s") % {
                    "status": status,
                    "d": date_format(obj.completed_on, "j M Y"),
                }
            lines = [
                ", ".join(labels.of("referral_reason", r) for r in obj.reasons),
                obj.destination_name,
                status,
            ]
            if obj.organisation_referral_id:
                lines.append(_("An organisation on the platform: its status follows the receiver."))
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
                    "referral_outcome"
                    if obj.status == ReferralStatus.PENDING and not obj.organisation_referral_id
                    else "",
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


def _case_with_every_kind(world, team):  # noqa: F811
    """A case with every kind of entry case management records, in each of their shapes."""
    case = open_case(world.acme, team.worker)
    day = case.date_reported
    officer = {"officer_id": team.worker.pk}
    with workspace_context(world.acme):
        FollowUp.objects.create(case=case, follow_up_type="HVIS", date=day, notes="", **officer)
        FollowUp.objects.create(
            case=case,
            follow_up_type="COUN",
            date=day + timedelta(days=1),
            notes="Talked with the child",
            court_name="Kibera Law Courts",
            court_session_type="STHR",
            court_outcome="CRCT",
            court_order="OCCI",
            next_court_date=date(2030, 5, 4),
            summons_issued_on=day,
            summons_honoured=True,
            **officer,
        )
        FollowUp.objects.create(
            case=case,
            follow_up_type="SERV",
            date=day + timedelta(days=1),
            court_session_type="STMN",
            summons_issued_on=day + timedelta(days=1),
            summons_honoured=None,
            **officer,
        )
        Referral.objects.create(
            case=case,
            actor="ACPL",
            destination="RDPL",
            reasons=["RMPR"],
            referred_on=day,
            **officer,
        )
        Referral.objects.create(
            case=case,
            actor="ACHF",
            destination="RDPH",
            destination_name="Mbagathi Hospital",
            reasons=["RMTX"],
            referred_on=day + timedelta(days=2),
            status=ReferralStatus.COMPLETED,
            outcome="Treated and discharged",
            completed_on=day + timedelta(days=2),
            **officer,
        )
        Placement.objects.create(
            case=case,
            care_type="AFFC",
            placed_with="The Wanjiru family",
            admitted_on=day,
            **officer,
        )
        Placement.objects.create(
            case=case,
            care_type="AFKS",
            placed_with="An aunt",
            admitted_on=day + timedelta(days=1),
            discharged_on=day + timedelta(days=2),
            **officer,
        )
        ApprovalRequest.objects.create(
            case=case,
            kind=ApprovalKind.CLOSURE,
            status=ApprovalStatus.REJECTED,
            closure_reason="COEN",
            notes="Goals met",
            decision_reason="One more visit first",
            requested_by=team.worker,
            requested_at=timezone.now() - timedelta(days=1),
        )
        ApprovalRequest.objects.create(
            case=case, kind=ApprovalKind.CLOSURE, requested_by=team.worker
        )
    return case


@pytest.mark.parametrize("language", ["en", "sw"])
def test_the_declared_timeline_reads_as_before_for_every_kind(world, team, language):  # noqa: F811
    case = _case_with_every_kind(world, team)
    with workspace_context(world.acme), override(language):
        labels = case_labels()
        before = _timeline_before(case, labels)
        after = present_timeline(case, labels)
    assert after == before
    kinds = [item.kind for item in after]
    assert set(kinds) == {"opened", "follow_up", "referral", "placement", "approval"}
    assert kinds[0] == "opened" and len(after) == 10
    court = next(item for item in after if "Talked with the child" in item.lines)
    assert len(court.lines) == 4  # the notes, the court line, the next date, the summons


def test_the_case_page_shows_the_declared_timeline(world, team):  # noqa: F811
    case = _case_with_every_kind(world, team)
    html = client_on(world.acme, team.worker).get(f"/cases/{case.pk}/").content.decode()
    for text in ("Case reported", "Referred to Police", "Mbagathi Hospital", "The Wanjiru family"):
        assert text in html
    assert "Kibera Law Courts · Hearing · Court order" in html

"""How life in the institution reads on the case's timeline (declared in capabilities.py;
entries from case_apps.institutions.selectors_life.life_timeline)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import Labels, TimelineItem, TimelinePresenter
from case_apps.cases.presenters_court import day
from case_apps.cases.selectors import TimelineEntry


def _item(entry: TimelineEntry, case: CaseRecord, title: str, lines: list[str]) -> TimelineItem:
    lines = [line for line in lines if line]
    return TimelineItem(
        entry.on, entry.kind, title, lines, case.national_reference, entry.detail.pk
    )


def _leave(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    back = (
        _("Back on %(d)s") % {"d": day(obj.returned_on)}
        if obj.returned_on
        else _("Due back on %(d)s") % {"d": day(obj.due_back_on)}
    )
    return _item(entry, case, _("Leave of absence"), [obj.destination, back, obj.reason])


def _adverse_event(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    title = _("Adverse event: %(e)s") % {"e": labels.of("adverse_event", obj.event_code)}
    return _item(entry, case, title, [obj.notes])


def _education(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    level = labels.of("ovc_school_level", obj.level)
    school = " · ".join(filter(None, [obj.school_name, level, obj.class_name]))
    return _item(entry, case, _("Education"), [school, obj.notes])


def _conference(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    lines = [obj.attendees, obj.decisions]
    if obj.next_on:
        lines.append(_("Next conference: %(d)s") % {"d": day(obj.next_on)})
    return _item(entry, case, _("Case conference"), lines)


def _care_plan(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    lines = [f"{domain}: {goals}" for domain, goals in obj.goals()]
    lines.append(_("Review due on %(d)s") % {"d": day(obj.review_due_on)})
    return _item(entry, case, _("Individual care plan"), lines)


def _care_plan_review(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    lines = [obj.progress, _("Next review due on %(d)s") % {"d": day(obj.next_review_on)}]
    return _item(entry, case, _("Care plan review"), lines)


LIFE_TIMELINE_PRESENTERS = (
    TimelinePresenter("life_leave", _leave),
    TimelinePresenter("life_adverse_event", _adverse_event),
    TimelinePresenter("life_education", _education),
    TimelinePresenter("life_conference", _conference),
    TimelinePresenter("life_care_plan", _care_plan),
    TimelinePresenter("life_care_plan_review", _care_plan_review),
)

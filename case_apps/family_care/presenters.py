"""How family care reads on the case's timeline (declared in capabilities.py; entries from
case_apps.family_care.selectors.family_care_timeline)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import Labels, TimelineItem, TimelinePresenter
from case_apps.cases.selectors import TimelineEntry


def _day(value) -> str:
    return formats.date_format(value, "j M Y") if value else ""


def _care_began(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    care = entry.detail
    lines = []
    if care.certificate_number:
        lines.append(
            _("Certificate %(n)s, expires %(d)s")
            % {"n": care.certificate_number, "d": _day(care.certificate_expires_on)}
        )
    court = " · ".join(filter(None, [care.court_name, care.court_file_number]))
    if court:
        lines.append(court)
    if care.admission_id:
        lines.append(_("Discharged from the institution to this care."))
    title = _("Family care began: %(t)s") % {
        "t": labels.of("alternative_care_type", care.care_type)
    }
    return TimelineItem(entry.on, "family_care", title, lines, case.national_reference)


def _care_ended(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    care = entry.detail
    title = _("Family care ended: %(t)s") % {
        "t": labels.of("alternative_care_type", care.care_type)
    }
    lines = [care.end_notes] if care.end_notes else []
    return TimelineItem(entry.on, "family_care_ended", title, lines, case.national_reference)


def _follow_up(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    visit = entry.detail
    lines = [_("Wellbeing: %(w)s") % {"w": labels.of("family_care_wellbeing", visit.wellbeing)}]
    if visit.findings:
        lines.append(visit.findings)
    if visit.next_visit_on:
        lines.append(_("Next visit due %(d)s") % {"d": _day(visit.next_visit_on)})
    title = labels.of("family_care_follow_up", visit.kind)
    return TimelineItem(entry.on, "family_care_follow_up", title, lines, case.national_reference)


FAMILY_CARE_TIMELINE_PRESENTERS = (
    TimelinePresenter("family_care", _care_began),
    TimelinePresenter("family_care_ended", _care_ended),
    TimelinePresenter("family_care_follow_up", _follow_up),
)

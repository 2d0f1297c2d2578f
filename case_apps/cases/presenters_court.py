"""How court sessions and summons read on the case's timeline (declared in
case_apps/cases/capabilities.py; entries from case_apps.cases.selectors_court.court_timeline)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import Labels, TimelineItem, TimelinePresenter
from case_apps.cases.selectors import TimelineEntry


def day(value) -> str:
    """A date as a busy officer reads it: 10 Feb 2026."""
    return formats.date_format(value, "j M Y") if value else ""


def _court_session(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    heading = " · ".join(filter(None, [obj.court_name, obj.court_file_number]))
    outcome = [labels.of("court_outcome", obj.outcome)] if obj.outcome else []
    if obj.plea:
        outcome.append(labels.of("court_plea", obj.plea))
    if obj.application_outcome:
        outcome.append(labels.of("court_application_outcome", obj.application_outcome))
    if obj.adjournment_reason:
        outcome.append(
            _("adjourned for %(r)s")
            % {"r": labels.of("adjournment_reason", obj.adjournment_reason)}
        )
    lines = [line for line in (heading, " · ".join(outcome)) if line]
    for order in obj.orders.all():
        period = _("from %(d)s") % {"d": day(order.starts_on)}
        if order.ends_on:
            period += " " + _("until %(d)s") % {"d": day(order.ends_on)}
        lines.append(
            _("Order: %(o)s, %(p)s")
            % {"o": labels.of("court_order", order.order_code), "p": period}
        )
    if obj.next_court_date:
        lines.append(_("Next court date: %(d)s") % {"d": day(obj.next_court_date)})
    if obj.notes:
        lines.append(obj.notes)
    title = _("Court session: %(t)s") % {"t": labels.of("court_session_type", obj.session_type)}
    return TimelineItem(entry.on, "court_session", title, lines, case.national_reference, obj.pk)


def _summons(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    person = obj.person_name or _("person not named")
    if obj.person_role:
        person = f"{person} ({obj.person_role})"
    lines = [person]
    if obj.appear_on:
        place = f" · {obj.place}" if obj.place else ""
        lines.append(_("To appear on %(d)s") % {"d": day(obj.appear_on)} + place)
    if obj.served_on:
        lines.append(_("Served on %(d)s") % {"d": day(obj.served_on)})
    status = obj.status.label
    if obj.honoured and obj.honoured_on:
        status = _("Honoured on %(d)s") % {"d": day(obj.honoured_on)}
    lines.append(status)
    if obj.notes:
        lines.append(obj.notes)
    return TimelineItem(entry.on, "summons", _("Summons"), lines, case.national_reference, obj.pk)


COURT_TIMELINE_PRESENTERS = (
    TimelinePresenter("court_session", _court_session),
    TimelinePresenter("summons", _summons),
)

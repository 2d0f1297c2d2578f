"""How admissions and discharges read on the case's timeline (declared in
case_apps/institutions/capabilities.py; entries from
case_apps.institutions.selectors_admissions.admissions_timeline)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import Labels, TimelineItem, TimelinePresenter
from case_apps.cases.selectors import TimelineEntry
from case_apps.institutions.models import AdmissionSource, ResidentialStatus


def _day(value) -> str:
    return formats.date_format(value, "j M Y") if value else ""


def _admitted(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    title = _("Admitted: %(t)s") % {"t": labels.of("admission_type", obj.admission_type)}
    parts = [
        labels.of("admission_reason", obj.admission_reason),
        str(AdmissionSource(obj.source).label) if obj.source in AdmissionSource.values else "",
        _("emergency placement") if obj.is_emergency else "",
    ]
    lines = [" · ".join(p for p in parts if p)]
    if obj.admission_number:
        lines.append(_("Admission number %(n)s") % {"n": obj.admission_number})
    if obj.committal_order_number:
        lines.append(
            _("Committal order %(n)s, %(c)s")
            % {"n": obj.committal_order_number, "c": obj.committal_court}
        )
    if obj.ob_number:
        lines.append(_("OB number %(n)s") % {"n": obj.ob_number})
    if obj.expected_exit_on:
        lines.append(_("Expected exit %(d)s") % {"d": _day(obj.expected_exit_on)})
    return TimelineItem(entry.on, "admitted", title, lines, case.national_reference, obj.pk)


def _discharged(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    obj = entry.detail
    status = ResidentialStatus(obj.residential_status).label
    title = _("Residence ended: %(s)s") % {"s": status}
    lines = [labels.of("discharge_type", obj.discharge_type)] if obj.discharge_type else []
    if obj.discharge_notes:
        lines.append(obj.discharge_notes)
    return TimelineItem(
        entry.on, "resident_discharged", title, lines, case.national_reference, obj.pk
    )


ADMISSION_TIMELINE_PRESENTERS = (
    TimelinePresenter("admitted", _admitted),
    TimelinePresenter("resident_discharged", _discharged),
)

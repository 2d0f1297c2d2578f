"""How a statutory institution vacancy reads on the applying office's case timeline: the
application, HQ's decision, a withdrawal and the admission, each on the day it happened
(declared in case_apps/institutions/capabilities.py)."""

from __future__ import annotations

from django.db import connection
from django.utils import formats
from django.utils.translation import gettext as _

from case_apps.cases.models import CaseRecord
from case_apps.cases.presenters import Labels, TimelineItem, TimelinePresenter
from case_apps.cases.selectors import TimelineEntry
from case_apps.cases.selectors_presence import CaseRows, reads_case_rows
from sharing.models_vacancies import (
    InstitutionType,
    VacancyApplication,
    VacancyEvent,
    VacancyEventKind,
)

KIND = "vacancy"


def _day_of(event: VacancyEvent):
    application = event.application
    if event.kind == VacancyEventKind.APPLIED:
        return application.applied_on
    if event.kind in (VacancyEventKind.CONFIRMED, VacancyEventKind.DECLINED):
        return application.decided_on or event.occurred_at.date()
    if event.kind == VacancyEventKind.ADMITTED:
        return application.admitted_on or event.occurred_at.date()
    return event.occurred_at.date()


@reads_case_rows(CaseRows(VacancyApplication, "applicant_case_id", "applicant_id"))
def vacancies_timeline(case: CaseRecord) -> list[TimelineEntry]:
    """The steps of the vacancy applications this organisation made for the case (one
    query)."""
    events = (
        VacancyEvent.objects.filter(
            application__applicant_id=connection.tenant.pk,
            application__applicant_case_id=case.pk,
        )
        .select_related("application", "application__institution")
        .order_by("occurred_at", "id")
    )
    return [TimelineEntry(_day_of(event), KIND, "", event) for event in events]


def _day(value) -> str:
    return formats.date_format(value, "j M Y") if value else ""


def _lines(event: VacancyEvent) -> tuple[str, list[str]]:
    application: VacancyApplication = event.application
    kind = event.kind
    if kind == VacancyEventKind.APPLIED:
        wanted = InstitutionType(application.institution_type).label
        return _("Vacancy applied for: %(t)s") % {"t": wanted}, [
            _("Court file %(n)s, %(c)s, before %(j)s")
            % {"n": application.court_number, "c": application.court, "j": application.judge},
            _("Next mention %(d)s") % {"d": _day(application.next_mention_on)},
        ]
    institution = application.institution.name if application.institution_id else ""
    if kind == VacancyEventKind.CONFIRMED:
        return _("Vacancy confirmed by DCS headquarters"), [
            _("%(i)s, %(m)s months approved") % {"i": institution, "m": application.months_approved}
        ]
    if kind == VacancyEventKind.DECLINED:
        return _("Vacancy declined by DCS headquarters"), [application.decline_reason]
    if kind == VacancyEventKind.ADMITTED:
        return _("Admitted to %(i)s on the vacancy") % {"i": institution}, []
    return _("Vacancy application withdrawn"), [event.reason] if event.reason else []


def _vacancy(entry: TimelineEntry, case: CaseRecord, labels: Labels) -> TimelineItem:
    title, lines = _lines(entry.detail)
    return TimelineItem(
        entry.on, KIND, title, [line for line in lines if line], case.national_reference
    )


VACANCY_TIMELINE_PRESENTERS = (TimelinePresenter(KIND, _vacancy),)

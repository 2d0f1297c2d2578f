"""The test-only app's timeline entries and home-page line (tests/capability_app/)."""

from datetime import timedelta

from case_apps.cases.presenters import TimelineItem, TimelinePresenter
from case_apps.cases.selectors import TimelineEntry
from tenants.capabilities import Waiting


def field_reports_of(case) -> list[TimelineEntry]:
    """A field report filed the day after the case was reported, on every case."""
    return [TimelineEntry(case.date_reported + timedelta(days=1), "field_report", "", case)]


def _present(entry: TimelineEntry, case, labels) -> TimelineItem:
    return TimelineItem(entry.on, "field_report", "Field report", [case.status], "FR-1")


FIELD_REPORT = TimelinePresenter("field_report", _present)


def reports_to_file(request) -> list[Waiting]:
    return [Waiting(f"Reports to file for {request.organisation.name}", "/field-reports/", 1)]

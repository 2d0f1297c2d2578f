"""A test-only app that exists only through its declaration (tests/tenants/test_capabilities.py):
a permission held by case workers, a navigation entry for those who hold it, in implementing
partners' workspaces only, a URL module, a kind of entry on the case timeline with its
presenter, a line of the home page's "Waiting for you" and a periodic task."""

from tenants.capabilities import Capability, Grant, HomeWaiting, Mount, NavEntry, PeriodicTask
from tenants.models import Role

CAPABILITY = Capability(
    app="tests.capability_app",
    permissions=(Grant("file_field_reports", roles=(Role.CASE_WORKER,), flag="can_file"),),
    navigation=(
        NavEntry("Field reports", "field_reports:index", permission="file_field_reports", order=45),
    ),
    organisation_kinds=frozenset({"ip"}),
    urls=(Mount("field-reports/", "tests.capability_app.urls"),),
    timeline_sources=("tests.capability_app.timeline.field_reports_of",),
    timeline_presenters=("tests.capability_app.timeline.FIELD_REPORT",),
    home_waiting=(
        HomeWaiting("tests.capability_app.timeline.reports_to_file", "file_field_reports", order=5),
    ),
    periodic_tasks=(PeriodicTask("ping-field-reports", "cpims.ping", 600, "CPIMS_FIELD_SECONDS"),),
)

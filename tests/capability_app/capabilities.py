"""A test-only app that exists only through its declaration (tests/tenants/test_capabilities.py):
a permission held by case workers, a navigation entry for those who hold it, in implementing
partners' workspaces only, and a URL module."""

from tenants.capabilities import Capability, Grant, Mount, NavEntry
from tenants.models import Role

CAPABILITY = Capability(
    app="tests.capability_app",
    permissions=(Grant("file_field_reports", roles=(Role.CASE_WORKER,), flag="can_file"),),
    navigation=(
        NavEntry("Field reports", "field_reports:index", permission="file_field_reports", order=45),
    ),
    organisation_kinds=frozenset({"ip"}),
    urls=(Mount("field-reports/", "tests.capability_app.urls"),),
)

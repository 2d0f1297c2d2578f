"""Case screens of an organisation's workspace: thin views over services and selectors, one
module per subject (``case_apps/cases/urls.py`` names them)."""

from case_apps.cases.views.common import CASE_ROLES, on_case, refusals_as_pages

__all__ = ["CASE_ROLES", "on_case", "refusals_as_pages"]

"""OVC programme models: graduation (issue 18), imported by case_apps/ovc/models.py."""

from __future__ import annotations

"""Reads of alternative family care (issue 19)."""

from __future__ import annotations


def certificates_expiring(*, within_days: int = 60, limit: int = 10) -> list:
    """Family care records whose certificate expires within ``within_days`` (or has expired
    while the care runs), soonest first: the institution manager's morning list."""
    return []

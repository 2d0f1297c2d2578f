"""How far back an OVC form may be dated when it is entered (GLOSSARY.md, "OVC programme").

Officers enter paper forms late, and the date recorded is the day a thing happened; but
the national CPIMS refuses a registration dated more than 28 days before the day it is
entered, and an exit more than 90 days back. Services, assessments (CPARA, wellbeing,
benchmark monitoring) and HIV screening follow the exit's window: one reporting quarter.

The day of entry is today, unless a caller that replays history (the demo data, tests)
says which day the form was entered on with ``entered_on``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext

REGISTRATION_MAX_DAYS_BACK = 28
EVENT_MAX_DAYS_BACK = 90  # services, assessments, screenings, exits

_entry_day: ContextVar[date | None] = ContextVar("ovc_entry_day", default=None)


def entry_day() -> date:
    """The day the form is entered: today, or the day ``entered_on`` set."""
    return _entry_day.get() or timezone.localdate()


@contextmanager
def entered_on(day: date) -> Iterator[None]:
    """Enter forms as on ``day`` (replaying paper forms of the past: demo data, tests)."""
    token = _entry_day.set(day)
    try:
        yield
    finally:
        _entry_day.reset(token)


def too_far_back(value: date | None, max_days_back: int) -> str | None:
    """The error when ``value`` lies more than ``max_days_back`` days before the entry."""
    if value is None or value >= entry_day() - timedelta(days=max_days_back):
        return None
    return gettext(
        "This date is more than %(days)s days back: a form may be entered at most "
        "%(days)s days after the day it records."
    ) % {"days": max_days_back}

"""Court sessions, court orders and summons of a case.

A court session is one sitting of the court on the child's matter (application, plea,
hearing, mention) with its outcome; an adjournment carries the next court date. Orders the
court makes are coded (``court_order`` list) with the period they are in force. A summons
calls a person (a parent, a caregiver, a perpetrator...) to appear; its status is derived
from what was recorded and from the date to appear (``Summons.status``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_apps.client_ids import client_uuid
from tenants.limits import NOTES_MAX_LENGTH


def _user_ref() -> models.ForeignKey:
    """A reference to a user in public: no constraint, no cascade (as in models.py)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class CourtSession(models.Model):
    """One sitting of the court on the case (GLOSSARY §4: STAP, STPL, STHR, STMN)."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.CASCADE, related_name="court_sessions"
    )
    session_date = models.DateField(_("date of the session"))
    court_name = models.CharField(_("court"), max_length=200)
    court_file_number = models.CharField(_("court file number"), max_length=64, blank=True)
    session_type = models.CharField(_("session"), max_length=16)
    plea = models.CharField(_("plea"), max_length=16, blank=True)
    application_outcome = models.CharField(_("application outcome"), max_length=16, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, blank=True)
    adjournment_reason = models.CharField(_("adjourned for"), max_length=16, blank=True)
    next_court_date = models.DateField(_("next court date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    officer = _user_ref()
    created_at = models.DateTimeField(default=timezone.now)
    # the follow-up this session was recorded as before court sessions had their own records
    legacy_follow_up_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["session_date", "id"]
        indexes = [
            models.Index(fields=["case", "session_date"], name="court_session_case_idx"),
            models.Index(fields=["next_court_date"], name="court_session_next_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_type} at {self.court_name} on {self.session_date}"


class CourtOrder(models.Model):
    """An order the court made at a session: in force from ``starts_on`` until ``ends_on``
    (open-ended without it)."""

    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.CASCADE, related_name="court_orders"
    )
    session = models.ForeignKey(CourtSession, on_delete=models.CASCADE, related_name="orders")
    order_code = models.CharField(_("court order"), max_length=16)
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="court_order_period_idx")]

    def __str__(self) -> str:
        return f"{self.order_code} from {self.starts_on}"

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @property
    def in_force(self) -> bool:
        return self.in_force_on(timezone.localdate())


class SummonsStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    SERVED = "served", _("Served")
    HONOURED = "honoured", _("Honoured")
    NOT_HONOURED = "not_honoured", _("Not honoured")


def summons_status(
    *, served_on: date | None, honoured: bool | None, appear_on: date | None, today: date
) -> SummonsStatus:
    """Issued → served → honoured or not honoured. Once the date to appear is past and the
    summons was not honoured it reads "not honoured" (never "not yet" after the date)."""
    if honoured:
        return SummonsStatus.HONOURED
    if honoured is False or (appear_on is not None and appear_on < today):
        return SummonsStatus.NOT_HONOURED
    if served_on is not None:
        return SummonsStatus.SERVED
    return SummonsStatus.ISSUED


class Summons(models.Model):
    """A summons calling a person to appear (GLOSSARY §4: issued, honoured y/n + date)."""

    uuid = client_uuid()  # chosen by the client (offline capture) or drawn here
    case = models.ForeignKey("cases.CaseRecord", on_delete=models.CASCADE, related_name="summonses")
    person_name = models.CharField(_("person summoned"), max_length=200)
    person_role = models.CharField(_("relationship or role"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    appear_on = models.DateField(_("date to appear"), null=True, blank=True)
    appear_at = models.TimeField(_("time to appear"), null=True, blank=True)
    place = models.CharField(_("place to appear"), max_length=200, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    honoured = models.BooleanField(_("honoured"), null=True, blank=True)
    honoured_on = models.DateField(_("honoured on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    officer = _user_ref()
    created_at = models.DateTimeField(default=timezone.now)
    # the follow-up this summons was recorded as before summons had their own records
    legacy_follow_up_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name_plural = "summonses"
        indexes = [
            models.Index(fields=["case", "issued_on"], name="summons_case_idx"),
            models.Index(fields=["appear_on"], name="summons_appear_idx"),
        ]

    def __str__(self) -> str:
        return f"Summons to {self.person_name} issued {self.issued_on}"

    @property
    def status(self) -> SummonsStatus:
        return summons_status(
            served_on=self.served_on,
            honoured=self.honoured,
            appear_on=self.appear_on,
            today=timezone.localdate(),
        )

"""Exits from the programme: graduation (only on a CPARA meeting every benchmark) and the
other exit reasons."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext

from case_apps.lists.checks import CodeChecks
from case_apps.ovc import codes
from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.facts import _fact
from case_apps.ovc.models import Enrolment, EnrolmentStatus
from case_apps.ovc.selectors_transfers import transfer_receiver_get
from case_apps.ovc.services_common import (
    checks,
    child_of,
    not_future,
    plausible,
    recording_enrolment,
    within_days_back,
)
from case_apps.ovc.services_transfers import TRANSFER_REASON, transfer_send
from tenants.actor import Actor
from tenants.limits import NOTES_MAX_LENGTH
from tenants.models import Organisation

EXIT_MAX_DAYS_BACK = EVENT_MAX_DAYS_BACK


@transaction.atomic
def enrolment_exit(
    *,
    actor: Actor,
    enrolment: Enrolment | int,
    exit_reason: str,
    exit_date: date,
    exit_notes: str = "",
    receiver: Organisation | int | None = None,
    transfer_note: str = "",
) -> Enrolment:
    """Exit a child: graduation only when the household's latest CPARA meets every
    benchmark; exit date not future, at most 90 days back, not before enrolment. A transfer
    to a PEPFAR partner (``ERFO``) names the ``receiver`` (one of
    ``selectors_transfers.transfer_receivers``) and sends it the transfer with
    ``transfer_note``; no other exit names one. An exit is never changed afterwards."""
    enrolment = recording_enrolment(actor, enrolment)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    errors = checks()
    errors.check("exit_reason", "ovc_exit_reason", exit_reason)
    if not enrolment.is_active:
        errors.add("__all__", gettext("This child has already exited the programme."))
    if exit_date is None:
        errors.add("exit_date", gettext("This field is required."))
    else:
        not_future(errors, "exit_date", exit_date)
        plausible(errors, "exit_date", exit_date, child_of(enrolment))
        within_days_back(errors, "exit_date", exit_date, EXIT_MAX_DAYS_BACK)
        if exit_date < enrolment.registration_date:
            errors.add("exit_date", gettext("The exit date is before the enrolment."))
    receiver = _check_receiver(errors, actor, exit_reason, receiver, transfer_note)
    if exit_reason == codes.GRADUATION:
        latest = enrolment.household.cparas.order_by("-assessed_on", "-id").first()
        if latest is None:
            errors.add("exit_reason", gettext("Graduation needs a CPARA of the household."))
        elif not latest.all_met:
            errors.add(
                "exit_reason",
                gettext(
                    "Graduation needs every benchmark met; the latest CPARA (%(date)s) "
                    "scores %(total)s/9."
                )
                % {"date": date_format(latest.assessed_on, "d M Y"), "total": latest.total},
            )
    errors.raise_if_any()
    enrolment.status = EnrolmentStatus.EXITED
    enrolment.exit_reason, enrolment.exit_date = exit_reason, exit_date
    enrolment.exit_notes = exit_notes
    enrolment.save(update_fields=["status", "exit_reason", "exit_date", "exit_notes"])
    if exit_reason == "ERDE":
        enrolment.household.members.filter(person=enrolment.child_id).update(alive=False)
    kind = "ovc_graduated" if exit_reason == codes.GRADUATION else "ovc_exited"
    _fact(kind, actor.organisation, enrolment, exit_date, exit_reason, what="exit")
    if receiver is not None:
        transfer_send(actor=actor, enrolment=enrolment, receiver=receiver, note=transfer_note)
    return enrolment


def _check_receiver(
    errors: CodeChecks, actor: Actor, exit_reason: str, receiver, transfer_note: str
) -> Organisation | None:
    """The receiving partner of a transfer to a PEPFAR partner, checked: required for
    ``ERFO`` and only then."""
    if len(transfer_note or "") > NOTES_MAX_LENGTH:
        errors.add("transfer_note", gettext("At most %(n)s characters.") % {"n": NOTES_MAX_LENGTH})
    if exit_reason != TRANSFER_REASON:
        if receiver not in (None, ""):
            errors.add(
                "receiver",
                gettext("Only a transfer to a PEPFAR partner names the receiving partner."),
            )
        return None
    if receiver in (None, ""):
        errors.add("receiver", gettext("Choose the partner that receives the child."))
        return None
    pk = receiver.pk if isinstance(receiver, Organisation) else receiver
    found = transfer_receiver_get(actor=actor, organisation_id=pk)
    if found is None:
        errors.add(
            "receiver", gettext("Choose an active implementing partner other than your own.")
        )
    return found

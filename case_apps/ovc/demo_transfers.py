"""Demo of an OVC transfer between two implementing partners (the coordinator wires it into
platform/cpims/demo.py): the sender transfers one of its demo children to the receiver,
whose members then find it waiting on their home page and in /ovc/transfers/."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from case_apps.ovc import services
from case_apps.ovc.models import Enrolment, EnrolmentStatus
from sharing.models_ovc_transfers import OvcTransfer
from tenants.actor import member_actor
from tenants.models import Organisation, User


@transaction.atomic
def ovc_transfers_load_demo(
    *, sender: Organisation, sender_worker: User, receiver: Organisation
) -> int:
    """Run inside the sender's workspace, after ``ovc_load_demo``: its youngest active child
    leaves today with ``ERFO`` towards ``receiver``, pending there. Does nothing when the
    sender already sent a transfer; returns how many it sent."""
    if OvcTransfer.objects.filter(sender=sender).exists():
        return 0
    actor = member_actor(sender_worker, sender)
    enrolment = (
        Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, created_by=sender_worker)
        .order_by("-registration_date", "-id")
        .first()
    )
    if enrolment is None:
        return 0
    services.enrolment_exit(
        actor=actor,
        enrolment=enrolment,
        exit_reason="ERFO",
        exit_date=timezone.localdate(),
        receiver=receiver,
        transfer_note="The family moved into your area; the child attends school there.",
    )
    return 1

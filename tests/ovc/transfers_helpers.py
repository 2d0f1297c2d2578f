"""What the OVC transfer tests share: acme turns implementing partner for the test (the
session's world stays as it is: only the database row changes, rolled back after the test),
and beta transfers its enrolled child to acme. Each test module makes its own fixtures of
these (pytest finds fixtures only in conftest files and the test module itself)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from case_apps.ovc import services
from sharing.models_ovc_transfers import OvcTransfer
from tenants.models import Organisation, OrganisationKind
from tenants.schema import workspace_context
from tests.ovc.conftest import as_member

TODAY = timezone.localdate


def make_acme_partner(world) -> Organisation:
    """Acme as an implementing partner (a fresh copy of the row)."""
    Organisation.objects.filter(pk=world.acme.pk).update(kind=OrganisationKind.IMPLEMENTING_PARTNER)
    return Organisation.objects.get(pk=world.acme.pk)


def exit_to(world, enrolment, receiver, note: str = "Family moved to Kisumu", days_back: int = 1):
    with workspace_context(world.beta):
        return services.enrolment_exit(
            actor=as_member(world.beta_worker, world.beta),
            enrolment=enrolment,
            exit_reason="ERFO",
            exit_date=TODAY() - timedelta(days=days_back),
            receiver=receiver,
            transfer_note=note,
        )


def send_to(world, beta_household, acme_partner) -> OvcTransfer:
    """Beta's child exited yesterday with ERFO towards acme, pending."""
    exit_to(world, beta_household.enrolment, acme_partner)
    return OvcTransfer.objects.get(
        sender=world.beta, sender_enrolment_id=beta_household.enrolment.pk
    )


def accept_fields(**overrides) -> dict:
    fields = {
        "registration_date": TODAY(),
        "eligibility": ["ECFD"],
        "hiv_status": "HSTN",
        "school_level": "SLPR",
    }
    fields.update(overrides)
    return fields

"""Reads of OVC transfers between implementing partners, always as an actor.

A transfer is a public row (``sharing.models_ovc_transfers.OvcTransfer``) both partners
see. The receiver's members who view cases see what is sent to their organisation; the
sender sees a transfer out only when the child's household is in the actor's caseload, as
the exited enrolment itself. Neither side reads the other's schema: the receiver sees the
child's registry identity, the sender's name, the exit date and note; the sender sees the
status, the date of the decision and a decline's reason.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from audit.services import access_record
from case_apps.ovc.capabilities import OVC_ORGANISATION_KINDS
from case_apps.ovc.models import Enrolment, EnrolmentStatus
from case_apps.ovc.selectors import _int, households_visible_to, person_get
from shared_registry import names
from shared_registry.access import RECORD_KIND_PERSON
from shared_registry.models import Person
from sharing.models_ovc_transfers import OvcTransfer, OvcTransferStatus
from tenants.actor import Actor, NotFound
from tenants.models import Organisation, OrganisationStatus
from tenants.policy import Permission

IN, OUT = "in", "out"
DIRECTIONS = (IN, OUT)
SEARCH_MAX = 100
MAX_CHOICES = 500


def transfer_receivers(*, actor: Actor, search: str = "") -> QuerySet[Organisation]:
    """The partners a child may be transferred to: active implementing partners other than
    the actor's own (a training workspace only to training workspaces, and the other way)."""
    own = actor.organisation
    if own is None:
        return Organisation.objects.none()
    partners = Organisation.objects.filter(
        kind__in=OVC_ORGANISATION_KINDS,
        status=OrganisationStatus.ACTIVE,
        training=own.training,
    ).exclude(pk=own.pk)
    term = (search or "").strip()[:SEARCH_MAX]
    if term:
        partners = partners.filter(name__icontains=term)
    return partners.order_by("name", "id")


def transfer_receiver_get(*, actor: Actor, organisation_id) -> Organisation | None:
    """One of ``transfer_receivers``, or None."""
    pk = _int(organisation_id)
    if pk is None:
        return None
    return transfer_receivers(actor=actor).filter(pk=pk).first()


def _base() -> QuerySet[OvcTransfer]:
    return OvcTransfer.objects.select_related("sender", "receiver", "person", "proposed_caregiver")


def _incoming(actor: Actor) -> QuerySet[OvcTransfer]:
    if actor.organisation is None or not actor.may(Permission.VIEW_CASES):
        return OvcTransfer.objects.none()
    return _base().filter(receiver=actor.organisation)


def _outgoing(actor: Actor) -> QuerySet[OvcTransfer]:
    if actor.organisation is None or not actor.may(Permission.VIEW_CASES):
        return OvcTransfer.objects.none()
    exited = Enrolment.objects.filter(
        household__in=households_visible_to(actor), status=EnrolmentStatus.EXITED
    )
    # a subquery on the sender's own schema (the request's): no schema switch
    return _base().filter(sender=actor.organisation, sender_enrolment_id__in=exited.values("pk"))


def transfer_list(
    *, actor: Actor, direction: str = IN, status: str = "", search: str = ""
) -> QuerySet[OvcTransfer]:
    """Transfers to the actor's organisation (``in``) or out of the actor's caseload
    (``out``), newest first; by status and by the child's name or CPIMS ID."""
    transfers = _outgoing(actor) if direction == OUT else _incoming(actor)
    if status in OvcTransferStatus.values:
        transfers = transfers.filter(status=status)
    term = (search or "").strip()[:SEARCH_MAX]
    if term:
        compact = term.replace("-", "").replace(" ", "")
        if compact.isdigit():
            transfers = transfers.filter(person__cpims_id=compact)
        else:
            for word in names.tokens(term):
                transfers = transfers.filter(person__search_name__contains=word)
    return transfers


def transfer_get(*, actor: Actor, transfer_id) -> OvcTransfer:
    """A transfer the actor's organisation receives, or sends from the actor's caseload;
    ``NotFound`` otherwise, exactly like a missing one."""
    if isinstance(transfer_id, OvcTransfer):
        transfer_id = transfer_id.pk
    pk = _int(transfer_id)
    own = actor.organisation
    if pk is None or own is None or not actor.may(Permission.VIEW_CASES):
        raise NotFound
    found = _base().filter(Q(receiver=own) | Q(sender=own), pk=pk).first()
    if found is None:
        raise NotFound
    if found.receiver_id == own.pk:
        return found
    # the sender's side: only who sees the exited child (its household in their caseload)
    visible = households_visible_to(actor).filter(enrolments__pk=found.sender_enrolment_id)
    if not visible.exists():
        raise NotFound
    return found


def transfer_open(*, actor: Actor, transfer_id, request: HttpRequest | None = None) -> OvcTransfer:
    """A transfer's page: fetched as the actor, the read of the child's registry identity
    logged in the access log."""
    transfer = transfer_get(actor=actor, transfer_id=transfer_id)
    access_record(
        actor=actor.user,
        record_kind=RECORD_KIND_PERSON,
        record_id=transfer.person.cpims_id,
        purpose="OVC transfer",
        membership=actor.membership,
        request=request,
    )
    return transfer


def transfer_side(actor: Actor, transfer: OvcTransfer) -> str:
    """Which side the actor's organisation is on: ``in`` (receiver) or ``out`` (sender)."""
    return IN if actor.organisation and transfer.receiver_id == actor.organisation.pk else OUT


def transfer_of_enrolment(*, actor: Actor, enrolment: Enrolment) -> OvcTransfer | None:
    """The transfer an exited enrolment of the actor's organisation was sent with."""
    if actor.organisation is None:
        return None
    return _base().filter(sender=actor.organisation, sender_enrolment_id=enrolment.pk).first()


def transfer_into(*, actor: Actor, enrolment: Enrolment) -> OvcTransfer | None:
    """The accepted transfer an enrolment of the actor's organisation came in with."""
    if actor.organisation is None:
        return None
    transfers = _base().filter(receiver=actor.organisation, receiver_enrolment_id=enrolment.pk)
    return transfers.first()


def transfers_waiting(*, organisation: Organisation) -> int:
    """How many transfers wait for the organisation's answer."""
    return OvcTransfer.objects.filter(
        receiver=organisation, status=OvcTransferStatus.PENDING
    ).count()


def receiving_household_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """The actor's households a transferred child may join: (id, number and head's name)."""
    households = households_visible_to(actor).select_related("head").order_by("number")
    return [(h.pk, f"{h.number} · {h.head.full_name}") for h in households[:MAX_CHOICES]]


def transfer_caregiver_get(
    *, actor: Actor, transfer: OvcTransfer, person_id, ref: str = ""
) -> Person | None:
    """The caregiver the receiver picks for a new household: the one the sender proposed,
    or a person the receiver's organisation holds a record on (or a registry search just
    showed, ``ref``); None otherwise."""
    pk = _int(person_id)
    if pk is None:
        return None
    if pk == transfer.proposed_caregiver_id:
        return transfer.proposed_caregiver
    try:
        return person_get(actor=actor, person_id=pk, ref=ref)
    except NotFound:
        return None


def child_age(person: Person, on: date | None = None) -> int | None:
    """The child's age in whole years (from the year of birth when the day is unknown)."""
    on = on or timezone.localdate()
    if person.date_of_birth is not None:
        born = person.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return on.year - person.birth_year if person.birth_year else None

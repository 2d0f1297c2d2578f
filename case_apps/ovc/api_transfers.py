"""API of the OVC programme: exits and transfers between partners (issue 18, point 7). The
same services, selectors and policy as the screens (views_exits.py, views_transfers.py);
shared helpers in case_apps/ovc/api.py."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Value
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from case_apps.ovc import selectors_transfers, services, services_transfers
from case_apps.ovc.api import enrolment_for, ovc_actor, run
from case_apps.ovc.models import Enrolment
from sharing.models_ovc_transfers import OvcTransfer
from tenants.api_errors import api_invalid
from tenants.api_input import (
    CODE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    BoundedLimitOffsetPagination,
    Code,
    Codes,
    Reason,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["ovc"])
NOT_FOUND = "No such transfer for your organisation."


class ExitIn(Schema):
    exit_reason: Code
    exit_date: date
    exit_notes: str = model_text(Enrolment, "exit_notes", "")
    receiver: RecordId | None = Field(
        None,
        description="ERFO (transfer to a PEPFAR partner) only: the receiving partner, one of "
        "GET /ovc/transfers/receivers.",
    )
    transfer_note: Reason = Field("", description="ERFO only: a note for the receiving partner.")


class ExitOut(Schema):
    id: int
    status: str
    exit_reason: str
    exit_date: date | None
    transfer_id: int | None = None


class ReceiverOut(Schema):
    id: int
    name: str


class TransferOut(Schema):
    """A transfer as one side sees it: the receiver the child's registry identity, the
    sender's name, the exit date and note; the sender also the status and the answer."""

    id: int
    direction: str
    status: str
    sender_id: int
    sender_name: str
    receiver_id: int
    receiver_name: str
    person_id: int
    child_name: str
    child_sex: str
    child_cpims_id: str
    child_age: int | None
    exit_date: date
    note: str
    proposed_caregiver_id: int | None
    decided_at: datetime | None
    decline_reason: str
    created_at: datetime
    # each side's own enrolment only: never the other partner's record
    sender_enrolment_id: int | None
    receiver_enrolment_id: int | None

    @staticmethod
    def resolve_sender_name(t: OvcTransfer) -> str:
        return t.sender.name

    @staticmethod
    def resolve_receiver_name(t: OvcTransfer) -> str:
        return t.receiver.name

    @staticmethod
    def resolve_child_name(t: OvcTransfer) -> str:
        return t.person.full_name

    @staticmethod
    def resolve_child_sex(t: OvcTransfer) -> str:
        return t.person.sex

    @staticmethod
    def resolve_child_cpims_id(t: OvcTransfer) -> str:
        return t.person.cpims_id

    @staticmethod
    def resolve_child_age(t: OvcTransfer) -> int | None:
        return selectors_transfers.child_age(t.person)

    @staticmethod
    def resolve_proposed_caregiver_id(t: OvcTransfer) -> int | None:
        return t.proposed_caregiver_id if t.direction == selectors_transfers.IN else None

    @staticmethod
    def resolve_sender_enrolment_id(t: OvcTransfer) -> int | None:
        return t.sender_enrolment_id if t.direction == selectors_transfers.OUT else None

    @staticmethod
    def resolve_receiver_enrolment_id(t: OvcTransfer) -> int | None:
        return t.receiver_enrolment_id if t.direction == selectors_transfers.IN else None


class TransferQuery(Schema):
    direction: str = Field(selectors_transfers.IN, pattern="^(in|out)$", max_length=3)
    status: str = Field("", max_length=CODE_MAX_LENGTH)
    q: str = Field("", max_length=SEARCH_MAX_LENGTH)


class AcceptIn(Schema):
    household: RecordId | None = Field(
        None, description="One of your households the child joins (or give caregiver)."
    )
    caregiver: RecordId | None = Field(
        None,
        description="The registry person heading a new household: the proposed caregiver, "
        "or a person your organisation holds a record on.",
    )
    caregiver_ref: str = Field("", max_length=SEARCH_MAX_LENGTH)
    caregiver_relation: Code = "CGPM"
    caregiver_hiv_status: Code = "HSKN"
    registration_date: date
    eligibility: Codes
    hiv_status: Code
    school_level: Code
    programme: Code = "POVC"
    entry_point: Code = "community"
    art_status: Code = ""
    facility: str = model_text(Enrolment, "facility", "")
    ccc_number: str = model_text(Enrolment, "ccc_number", "")
    school_class: str = model_text(Enrolment, "school_class", "")
    birth_certificate: bool = False
    disability: bool = False
    immunisation: Code = ""


class ReasonIn(Schema):
    reason: Reason


def _seen_from(actor, transfer: OvcTransfer) -> OvcTransfer:
    transfer.direction = selectors_transfers.transfer_side(actor, transfer)
    return transfer


def _transfer(request: HttpRequest, transfer_id: int, permission: Permission):
    actor = ovc_actor(request, permission)
    found = run(
        selectors_transfers.transfer_get,
        not_found=NOT_FOUND,
        actor=actor,
        transfer_id=transfer_id,
    )
    return actor, found


@router.post(
    "/ovc/children/{enrolment_id}/exit",
    response=ExitOut,
    summary="Exit a child (ERFO with receiver: transfer to another partner)",
)
def exit_child(request: HttpRequest, enrolment_id: RecordId, payload: ExitIn):
    actor, enrolment = enrolment_for(request, enrolment_id, Permission.RECORD_CASES)
    enrolment = run(services.enrolment_exit, actor=actor, enrolment=enrolment, **payload.dict())
    transfer = selectors_transfers.transfer_of_enrolment(actor=actor, enrolment=enrolment)
    return {
        "id": enrolment.pk,
        "status": enrolment.status,
        "exit_reason": enrolment.exit_reason,
        "exit_date": enrolment.exit_date,
        "transfer_id": transfer.pk if transfer else None,
    }


@router.get(
    "/ovc/transfers/receivers",
    response=list[ReceiverOut],
    summary="The partners a child may be transferred to",
)
@paginate(BoundedLimitOffsetPagination)
def list_receivers(request: HttpRequest, q: str = Query("", max_length=SEARCH_MAX_LENGTH)):
    actor = ovc_actor(request, Permission.RECORD_CASES)
    return selectors_transfers.transfer_receivers(actor=actor, search=q)


@router.get(
    "/ovc/transfers",
    response=list[TransferOut],
    summary="Transfers to your organisation (in) or from your caseload (out)",
)
@paginate(BoundedLimitOffsetPagination)
def list_transfers(request: HttpRequest, filters: Query[TransferQuery]):
    actor = ovc_actor(request)
    transfers = selectors_transfers.transfer_list(
        actor=actor, direction=filters.direction, status=filters.status, search=filters.q
    )
    return transfers.annotate(direction=Value(filters.direction))


@router.get("/ovc/transfers/{transfer_id}", response=TransferOut, summary="One transfer")
def get_transfer(request: HttpRequest, transfer_id: RecordId):
    actor, transfer = _transfer(request, transfer_id, Permission.VIEW_CASES)
    return _seen_from(actor, transfer)


@router.post(
    "/ovc/transfers/{transfer_id}/accept",
    response=TransferOut,
    summary="Accept: enrol the child in one of your households or a new one",
)
def accept_transfer(request: HttpRequest, transfer_id: RecordId, payload: AcceptIn):
    actor, transfer = _transfer(request, transfer_id, Permission.RECORD_CASES)
    data = payload.dict()
    caregiver_id, ref = data.pop("caregiver"), data.pop("caregiver_ref")
    caregiver = None
    if caregiver_id is not None:
        caregiver = selectors_transfers.transfer_caregiver_get(
            actor=actor, transfer=transfer, person_id=caregiver_id, ref=ref
        )
        if caregiver is None:
            message = gettext("Choose the proposed caregiver or a person you hold a record on.")
            raise api_invalid(ValidationError({"caregiver": [message]}))
    accepted = run(
        services_transfers.transfer_accept,
        not_found=NOT_FOUND,
        actor=actor,
        transfer=transfer,
        caregiver=caregiver,
        **data,
    )
    return _seen_from(actor, accepted)


@router.post("/ovc/transfers/{transfer_id}/decline", response=TransferOut, summary="Decline")
def decline_transfer(request: HttpRequest, transfer_id: RecordId, payload: ReasonIn):
    actor, transfer = _transfer(request, transfer_id, Permission.RECORD_CASES)
    declined = run(
        services_transfers.transfer_decline,
        not_found=NOT_FOUND,
        actor=actor,
        transfer=transfer,
        reason=payload.reason,
    )
    return _seen_from(actor, declined)


@router.post(
    "/ovc/transfers/{transfer_id}/withdraw",
    response=TransferOut,
    summary="Withdraw a pending transfer (the sender)",
)
def withdraw_transfer(request: HttpRequest, transfer_id: RecordId, payload: ReasonIn):
    actor, transfer = _transfer(request, transfer_id, Permission.RECORD_CASES)
    withdrawn = run(
        services_transfers.transfer_withdraw,
        not_found=NOT_FOUND,
        actor=actor,
        transfer=transfer,
        reason=payload.reason,
    )
    return _seen_from(actor, withdrawn)

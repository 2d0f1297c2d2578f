"""API: teams: who supervises whom (the right to manage teams; tenants/policy.py).

The same selectors and services as the Team screen (case_apps/cases/views/teams.py): a link
names an active member who may supervise and an active member who holds cases; bad input is
a 422 naming the field, a link of another organisation is not found.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from case_apps.cases import selectors, selectors_teams
from case_apps.cases.api import _run
from case_apps.cases.services import teams as team_services
from tenants.actor import actor_from_request
from tenants.api_errors import ErrorOut, InvalidOut
from tenants.api_input import RecordId

router = Router(tags=["cases"])


class PersonOut(Schema):
    id: int
    name: str
    email: str


class SupervisionOut(Schema):
    id: int
    supervisor: PersonOut
    officer: PersonOut
    supervisor_active: bool  # false: the supervisor left or may no longer supervise
    added_at: datetime | None = None
    added_by: str | None = None


class SupervisionIn(Schema):
    supervisor_id: RecordId
    officer_id: RecordId


def _person(user) -> dict:
    return {"id": user.pk, "name": user.full_name or user.email, "email": user.email}


def _out(link) -> dict:
    added = getattr(link, "added", None)
    return {
        "id": link.pk,
        "supervisor": _person(link.supervisor),
        "officer": _person(link.officer),
        "supervisor_active": getattr(link, "supervisor_active", True),
        "added_at": added.changed_at if added else None,
        "added_by": added.changed_by.email if added else None,
    }


@router.get(
    "/teams/supervisions",
    response={200: list[SupervisionOut], 403: ErrorOut},
    summary="Who supervises whom in your organisation",
)
def list_supervisions(request: HttpRequest):
    links = _run(selectors_teams.supervision_links, actor=actor_from_request(request))
    return [_out(link) for link in links]


@router.post(
    "/teams/supervisions",
    response={201: SupervisionOut, 403: ErrorOut, 422: InvalidOut},
    summary="Name a supervisor for an officer",
)
def add_supervision(request: HttpRequest, payload: SupervisionIn):
    actor = actor_from_request(request)
    link = _run(
        team_services.supervision_add,
        actor=actor,
        supervisor_id=payload.supervisor_id,
        officer_id=payload.officer_id,
    )
    found = next(s for s in selectors_teams.supervision_links(actor=actor) if s.pk == link.pk)
    return Status(201, _out(found))


@router.delete(
    "/teams/supervisions/{supervision_id}",
    response={200: SupervisionOut, 403: ErrorOut, 404: ErrorOut},
    summary="End a supervision link",
)
def remove_supervision(request: HttpRequest, supervision_id: RecordId):
    link = _run(
        team_services.supervision_remove,
        not_found="No such supervision link.",
        actor=actor_from_request(request),
        supervision_id=supervision_id,
    )
    link.supervisor_active = True
    link.added = None
    return _out(link)


class ApprovalWaitingOut(Schema):
    id: int
    kind: str
    case_id: int
    case_reference: str
    requested_by: str
    requested_at: datetime


@router.get(
    "/approvals",
    response={200: list[ApprovalWaitingOut], 403: ErrorOut},
    summary="Approvals waiting for your decision (routed to you as the officers' supervisor)",
)
def list_approvals_waiting(request: HttpRequest):
    waiting = _run(selectors.approvals_waiting_for, actor=actor_from_request(request))
    return [
        {
            "id": a.pk,
            "kind": a.kind,
            "case_id": a.case_id,
            "case_reference": a.case.national_reference,
            "requested_by": a.requested_by.email,
            "requested_at": a.requested_at,
        }
        for a in waiting
    ]

"""Forms typed in the web app by staff (issue 21): they follow the organisation's setting
``staff_forms_need_approval``. When it is on, a member who may not supervise has their form
checked by the kind's service and stored as a waiting field form (no device): it appears in
the supervisors' queue and approval writes it exactly as a synced form. Otherwise, and for
supervisors' own forms (they would need another supervisor), the record is written at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext

from case_apps.field import kinds
from case_apps.field.confirmations import WAITING_MESSAGE
from case_apps.field.models import FieldForm, FormStatus
from case_apps.field.services import field_form_about
from tenants.actor import Actor, Forbidden, NotFound
from tenants.policy import Permission
from tenants.selectors import staff_forms_need_approval

__all__ = ["WAITING_MESSAGE", "StaffSubmission", "staff_form_submit", "staff_form_waits"]


@dataclass(frozen=True)
class StaffSubmission:
    """What became of a web form: the record written at once, or the field form waiting."""

    record: Any = None
    form: FieldForm | None = None

    @property
    def waiting(self) -> bool:
        return self.form is not None


def staff_form_waits(actor: Actor) -> bool:
    """Whether this member's web forms wait for approval: the organisation's setting is on
    and the member may not supervise (a supervisor's own forms are written at once)."""
    return not actor.may(Permission.SUPERVISE_CASES) and staff_forms_need_approval(
        actor.organisation
    )


def _jsonable(payload: dict) -> dict:
    """The payload as the field app sends it: JSON values, dates as ISO strings."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


@transaction.atomic
def staff_form_submit(
    *, actor: Actor, kind: str, target, visit_date: date, payload: dict
) -> StaffSubmission:
    """Record a form typed in the web app about ``target`` (the enrolled child, household or
    case, already fetched as ``actor``): written at once by the kind's service, or, when the
    organisation's setting asks it of this member, checked by that service (refusals as a
    ValidationError naming the fields, nothing stored) and stored as a waiting field form."""
    actor.require(Permission.RECORD_CASES)
    if kind not in kinds.KINDS:
        raise ValidationError({"kind": [gettext("Unknown kind of form.")]})
    payload = _jsonable({k: v for k, v in payload.items() if k != kinds.KINDS[kind].date_name})
    values = kinds.payload_values(kind, visit_date, payload)
    uuid = uuid4()
    if not staff_form_waits(actor):
        return StaffSubmission(record=kinds.write(kind, actor, target, visit_date, values, uuid))
    try:
        kinds.check(kind, actor, target, visit_date, values, uuid)
    except (NotFound, Forbidden):
        message = gettext("No such household, child or case in your caseload.")
        raise ValidationError({"__all__": [message]}) from None
    form = field_form_about(
        kind,
        target,
        uuid=uuid,
        author=actor.user,
        device=None,
        visit_date=visit_date,
        payload=payload,
        status=FormStatus.PENDING,
    )
    form.save()
    return StaffSubmission(form=form)

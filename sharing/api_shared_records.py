"""Sharing API: a person's records other organisations share with yours, read through the
gateway (sharing/gateway.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from shared_registry.access import lookup_allowed
from shared_registry.models import Person
from shared_registry.selectors import person_get_by_cpims_id
from sharing import (
    gateway,
)
from sharing.api_schemas import (
    RefusedOut,
    SharedRecordsOut,
)
from sharing.registry import record_kind_get, record_kinds
from tenants.actor import actor_from_request
from tenants.api_errors import api_too_many
from tenants.api_input import (
    CpimsId,
    Search,
    Word,
)
from tenants.policy import Permission, may

router = Router(tags=["sharing"])


# --- shared records through the gateway ---------------------------------------------------------
@router.get(
    "/sharing/persons/{cpims_id}/shared-records",
    operation_id="sharing_api_shared_records",
    response={200: list[SharedRecordsOut], 403: RefusedOut},
    summary="A person's records other organisations share with you (through the gateway)",
)
def shared_records(
    request: HttpRequest, cpims_id: CpimsId, record_kind: Word = "", fields: Search = ""
):
    """Without ``fields``: everything each agreement in force shares (of ``record_kind``, or
    of every kind). With ``fields`` (comma-separated, ``record_kind`` required): exactly
    those, refused unless one agreement shares them all. Every read is logged by the gateway
    in the three access logs; a refusal logs nothing and says why (403). An unknown CPIMS ID
    is refused exactly like a person nothing is shared on."""
    if not may(
        request.user,
        Permission.VIEW_CASES,
        organisation=request.organisation,
        membership=request.membership,
    ):
        return Status(403, {"detail": "Your role does not allow this.", "reason": "not_allowed"})
    if not lookup_allowed(request):  # a registry look-up: counted like the person pages
        raise api_too_many()
    person = person_get_by_cpims_id(cpims_id)
    if person is None or person.merged_into_id:
        # An ID nobody holds is answered as a person nothing is shared on (the same 403 and
        # reason): a different answer would tell a member which IDs exist. No agreement
        # covers a person that is not saved, so the gateway refuses before reading.
        person = Person(cpims_id="")
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    try:
        if wanted:
            if record_kind_get(record_kind) is None:
                raise gateway.SharingRefused("unknown_kind", "Name a registered record kind.")
            results = gateway.read(
                actor=actor_from_request(request),
                record_kind=record_kind,
                person=person,
                fields=wanted,
                request=request,
            )
        else:
            kinds = [record_kind] if record_kind else [k.name for k in record_kinds()]
            if any(record_kind_get(k) is None for k in kinds):
                raise gateway.SharingRefused("unknown_kind", "Name a registered record kind.")
            results = [
                shared
                for kind in kinds
                for shared in gateway.shared_summary(
                    actor=actor_from_request(request),
                    person=person,
                    record_kind=kind,
                    request=request,
                )
            ]
            if not results:
                raise gateway.SharingRefused(
                    "nothing_shared",
                    "No agreement in force shares this person's records with your organisation.",
                )
    except gateway.SharingRefused as refused:
        return Status(403, {"detail": str(refused), "reason": refused.reason})
    return [
        {
            "provider": r.provider.slug,
            "agreement_id": r.agreement.pk,
            "record_kind": r.record_kind,
            "fields": r.fields,
            "rows": r.rows,
        }
        for r in results
    ]

"""Request access from a registry search result, as a case worker (issue 17).

A case worker (or supervisor) who finds a child known to other organisations drafts a data
sharing agreement request: one named child, the organisation they think holds the data, the
purpose and legal basis, and the smallest scope (``SMALLEST_SCOPE``: the fields they add are
added deliberately; the narrative and the reporter are never pre-selected). The draft waits
for their organisation's administrators (home page, agreements list), who submit it to the
provider as any request (``sharing.services.agreement_submit``) or discard it with a reason;
the drafter follows its status. Nothing leaves the organisation before an administrator
submits it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sharing.events import NotAllowed, as_actor, require_reason
from sharing.models import AgreementEventKind, AgreementStatus, DataSharingAgreement, PersonsMode
from sharing.registry import record_kind_get
from sharing.services import _admins_of, _clean_scope, _lock, _record, _validate
from tenants.actor import Actor
from tenants.models import Organisation
from tenants.policy import Permission

# What a draft asks for unless the drafter adds more: whether the child has a case there, and
# for what. The narrative, the reporter and the village are never pre-selected.
SMALLEST_SCOPE = {"case_summary": ("status", "category_codes")}
DRAFT_DAYS = 90  # a drafted request asks for three months from the day it is drafted


def smallest_scope() -> dict[str, list[str]]:
    """``SMALLEST_SCOPE`` as far as the record kinds are installed."""
    scope: dict[str, list[str]] = {}
    for kind, fields in SMALLEST_SCOPE.items():
        record_kind = record_kind_get(kind)
        if record_kind is not None:
            scope[kind] = [f for f in fields if f in record_kind.fields]
    return {kind: fields for kind, fields in scope.items() if fields}


def _drafting(actor: Actor) -> Organisation:
    actor = as_actor(actor)
    if actor.organisation is None or not actor.may(Permission.DRAFT_ACCESS_REQUESTS):
        raise NotAllowed(_("Your role does not allow drafting access requests."))
    return actor.organisation


@transaction.atomic
def access_request_draft(
    *,
    actor: Actor,
    provider: Organisation | None,
    person_id: int | None,
    purpose: str,
    legal_basis: str,
    scope: dict[str, Iterable[str]] | None = None,
    today: datetime.date | None = None,
) -> DataSharingAgreement:
    """A case worker's draft of a request for one child's records (the right to draft access
    requests): the smallest scope unless ``scope`` says otherwise, for ``DRAFT_DAYS`` from
    today. Their organisation's administrators are told; nothing goes to the provider."""
    requester = _drafting(actor)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    try:
        cleaned = _clean_scope(smallest_scope() if scope is None else scope)
    except ValidationError as error:
        errors.update(error.message_dict)
    if person_id is None:
        errors["person_ids"] = [_("Name the child the request is about.")]
    try:
        _validate(
            requester=requester,
            provider=provider,
            persons_mode=PersonsMode.NAMED,
            person_ids=[person_id] if person_id else [0],
            purpose=purpose,
            legal_basis=legal_basis,
            start_date=today,
            end_date=today + datetime.timedelta(days=DRAFT_DAYS),
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    agreement = DataSharingAgreement.objects.create(
        requester=requester,
        provider=provider,
        scope=cleaned,
        persons_mode=PersonsMode.NAMED,
        person_ids=[int(person_id)],
        purpose=purpose.strip(),
        legal_basis=legal_basis.strip(),
        start_date=today,
        end_date=today + datetime.timedelta(days=DRAFT_DAYS),
        created_by=actor.user,
    )
    _record(
        agreement,
        AgreementEventKind.CREATED,
        actor=actor,
        acting_as="requester",
        notify=_admins_of(requester),
    )
    return agreement


@transaction.atomic
def access_draft_discard(
    *, agreement: DataSharingAgreement, actor: Actor, reason: str
) -> DataSharingAgreement:
    """An administrator of the requesting organisation discards a draft, with the reason the
    drafter reads (the provider never learns of it)."""
    agreement = _lock(agreement)
    actor = as_actor(actor)
    if actor.organisation is None or agreement.requester_id != actor.organisation.pk:
        raise NotAllowed(_("Only the requesting organisation's administrators discard a draft."))
    if not actor.may(Permission.MANAGE_SHARING):
        raise NotAllowed(_("Only the requesting organisation's administrators discard a draft."))
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            _("Request #%(n)s is no longer a draft.") % {"n": agreement.pk},
        )
    require_reason(reason)
    agreement.status = AgreementStatus.REVOKED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        agreement,
        AgreementEventKind.REVOKED,
        actor=actor,
        acting_as="requester",
        reason=reason,
        notify=[agreement.created_by.email],
    )
    return agreement

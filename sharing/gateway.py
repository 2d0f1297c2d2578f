"""The gateway: the only code that reads another organisation's schema.

``read`` checks that an agreement in force covers the requesting organisation, the record
kind, every field asked for and the person; then, for each providing organisation, it runs
the kind's registered reader inside the provider's schema in a READ ONLY transaction (a
savepoint rolled back afterwards, so nothing can be written there), keeps only the scoped
fields, and logs the read in the provider's access log, the requester's access log and the
platform access log. A refused read raises ``SharingRefused`` and logs nothing.

Agreements are read on every call, so a revocation or an expiry takes effect on the next
request.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from audit.services import access_record
from sharing import selectors
from sharing.models import DataSharingAgreement
from sharing.registry import record_kind_get
from tenants.policy import Permission, may

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shared_registry.models import Person
    from tenants.models import Membership, Organisation, User


class SharingRefused(Exception):
    """The gateway refused a read; ``reason`` is a code, the message says why plainly."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class SharedRecords:
    """What one provider shared: its rows of the kind, with only the scoped fields."""

    provider: Organisation
    agreement: DataSharingAgreement
    record_kind: str
    fields: list[str]
    rows: list[dict] = field(default_factory=list)


@contextmanager
def _in_schema(organisation: Organisation | None) -> Iterator[None]:
    """Inside an organisation's schema (or public), then back to where the caller was; no
    switch (and no extra SET search_path) when already there."""
    target = "public" if organisation is None else organisation.schema_name
    if connection.schema_name == target and connection.include_public_schema:
        yield
        return
    previous = connection.tenant
    if organisation is None:
        connection.set_schema_to_public()
    else:
        connection.set_tenant(organisation)
    try:
        yield
    finally:
        if previous is None or previous.schema_name == "public":
            connection.set_schema_to_public()
        else:
            connection.set_tenant(previous)


def _read_only(reader, person_id: int, fields: Sequence[str]) -> list[dict]:
    """Run ``reader`` in a read-only savepoint that is rolled back afterwards (SET TRANSACTION
    READ ONLY cannot be undone inside a transaction; rolling the savepoint back does)."""
    # Issue the provider's SET search_path now, before the savepoint, so that rolling the
    # savepoint back keeps it; django-tenants forgets it on any savepoint rollback, so tell it
    # again afterwards (saves a second SET search_path per read).
    with connection.cursor():
        pass
    search_path = connection.search_path_set_schemas
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
        rows = reader(person_id, fields)
        transaction.set_rollback(True)
    connection.search_path_set_schemas = search_path
    return rows


def _check(
    *, requester_organisation: Organisation, actor: User, record_kind: str, person: Person,
    fields: Sequence[str], provider: Organisation | None, day: datetime.date,
    membership: Membership | None = None,
) -> list[DataSharingAgreement]:  # fmt: skip
    kind = record_kind_get(record_kind)
    if kind is None:
        raise SharingRefused("unknown_kind", f"'{record_kind}' is not a shareable record kind.")
    if not fields:
        raise SharingRefused("no_fields", "Name the fields to read.")
    unknown = [f for f in fields if f not in kind.fields]
    if unknown:
        raise SharingRefused("unknown_field", f"Not shareable fields: {', '.join(unknown)}.")
    if not may(
        actor, Permission.VIEW_CASES, organisation=requester_organisation, membership=membership
    ):
        raise SharingRefused(
            "not_allowed", "Only members of the requesting organisation who see cases may read."
        )
    agreements = [
        a for a in selectors.agreements_in_force(
            requester=requester_organisation, record_kind=record_kind, day=day,
            provider=provider,
        ) if a.provider.is_active
    ]  # fmt: skip
    if not agreements:
        raise SharingRefused(
            "no_agreement",
            f"No agreement in force lets {requester_organisation.name} read {kind.label}.",
        )
    covering = [a for a in agreements if set(fields) <= set(a.fields_of(record_kind))]
    if not covering:
        shared = set().union(*(set(a.fields_of(record_kind)) for a in agreements))
        missing = [f for f in fields if f not in shared] or list(fields)
        raise SharingRefused(
            "field_not_shared", f"No single agreement shares: {', '.join(missing)}."
        )
    in_scope = [a for a in covering if selectors.person_in_scope(a, person)]
    if not in_scope:
        raise SharingRefused("person_out_of_scope", "No agreement covers this person.")
    by_provider: dict[int, DataSharingAgreement] = {}
    for agreement in in_scope:
        by_provider.setdefault(agreement.provider_id, agreement)
    return list(by_provider.values())


def read(
    *, requester_organisation: Organisation, actor: User, record_kind: str, person: Person,
    fields: Sequence[str], provider: Organisation | None = None, purpose: str = "",
    request: HttpRequest | None = None, membership: Membership | None = None,
) -> list[SharedRecords]:  # fmt: skip
    """Read ``person``'s records of ``record_kind`` (only ``fields``) from every provider
    whose agreement covers them (or from ``provider`` only). Raises SharingRefused."""
    fields = list(dict.fromkeys(fields))
    day = timezone.localdate()
    agreements = _check(
        requester_organisation=requester_organisation, actor=actor, record_kind=record_kind,
        person=person, fields=fields, provider=provider, day=day,
        membership=membership or getattr(request, "membership", None),
    )  # fmt: skip
    reader = record_kind_get(record_kind).reader
    results = []
    with transaction.atomic():
        for agreement in agreements:
            note = (
                f"{requester_organisation.slug} read {record_kind} from "
                f"{agreement.provider.slug} under agreement #{agreement.pk}"
                + (f": {purpose}" if purpose else "")
            )
            log = {
                "actor": actor, "record_kind": record_kind, "record_id": person.cpims_id,
                "purpose": note, "agreement": agreement, "request": request,
                "membership": membership,
            }  # fmt: skip
            with _in_schema(requester_organisation):  # the requester's log (usually no switch)
                access_record(**log)
            with _in_schema(agreement.provider):  # the read and the provider's log
                rows = _read_only(reader, person.pk, fields)
                access_record(**log)
            with _in_schema(None):  # the platform's log
                access_record(**log)
            results.append(
                SharedRecords(
                    provider=agreement.provider,
                    agreement=agreement,
                    record_kind=record_kind,
                    fields=fields,
                    rows=[{f: row.get(f) for f in fields} for row in rows],
                )
            )
    return results


def shared_summary(
    *, requester_organisation: Organisation, actor: User, person: Person, record_kind: str,
    request: HttpRequest | None = None,
) -> list[SharedRecords]:  # fmt: skip
    """Everything each provider shares about ``person`` of ``record_kind``: one read per
    agreement in force that covers the person, with that agreement's fields."""
    day = timezone.localdate()
    results: list[SharedRecords] = []
    seen: set[int] = set()
    for agreement in selectors.agreements_in_force(
        requester=requester_organisation, record_kind=record_kind, day=day
    ):
        if agreement.provider_id in seen:
            continue
        try:
            results += read(
                requester_organisation=requester_organisation, actor=actor,
                record_kind=record_kind, person=person, fields=agreement.fields_of(record_kind),
                provider=agreement.provider, purpose=agreement.purpose[:120], request=request,
            )  # fmt: skip
            seen.add(agreement.provider_id)
        except SharingRefused:
            continue
    return results

"""Reads of governed sharing: agreement lists, the approval queue, coverage, the access log."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence

from django.db import connection
from django.db.models import Q, QuerySet

from audit.models import PlatformAccessEntry
from shared_registry.models import Person, PersonLink
from sharing.models import (
    IN_FORCE_STATUSES,
    AgreementStatus,
    DataSharingAgreement,
    PersonsMode,
)
from tenants.models import Organisation


def _base() -> QuerySet[DataSharingAgreement]:
    return DataSharingAgreement.objects.select_related("requester", "provider", "created_by")


def _search(agreements: QuerySet, search: str) -> QuerySet:
    search = (search or "").strip()
    if not search:
        return agreements
    condition = (
        Q(requester__name__icontains=search) | Q(provider__name__icontains=search)
        | Q(requester__slug__icontains=search) | Q(provider__slug__icontains=search)
        | Q(purpose__icontains=search) | Q(legal_basis__icontains=search)
    )  # fmt: skip
    if search.lstrip("#").isdigit():
        condition |= Q(pk=int(search.lstrip("#")))
    return agreements.filter(condition)


def agreements_of_organisation(
    *, organisation: Organisation, direction: str = "", status: str = "", search: str = ""
) -> QuerySet[DataSharingAgreement]:
    """An organisation's agreements: those it requested ("outgoing") and those asked of it
    ("incoming"; drafts of the other side are not shown)."""
    outgoing = Q(requester=organisation)
    incoming = Q(provider=organisation) & ~Q(status=AgreementStatus.DRAFT)
    agreements = _base().filter(
        outgoing if direction == "outgoing" else incoming if direction == "incoming"
        else outgoing | incoming
    )  # fmt: skip
    if status in AgreementStatus.values:
        agreements = agreements.filter(status=status)
    return _search(agreements, search)


def agreement_of_organisation(
    *, organisation: Organisation, agreement_id: int
) -> DataSharingAgreement | None:
    return agreements_of_organisation(organisation=organisation).filter(pk=agreement_id).first()


def agreement_get(agreement_id: int) -> DataSharingAgreement | None:
    return _base().filter(pk=agreement_id).first()


def approval_queue(*, search: str = "") -> QuerySet[DataSharingAgreement]:
    """Agreements the provider accepted, waiting for DCS headquarters (oldest first)."""
    return _search(_base().filter(status=AgreementStatus.ACCEPTED), search).order_by(
        "updated_at", "id"
    )


def agreements_all(
    *, search: str = "", status: str = "", organisation_id: int | None = None,
    county_code: str = "", expires_before: datetime.date | None = None,
) -> QuerySet[DataSharingAgreement]:  # fmt: skip
    agreements = _base()
    if status == "in_force":
        agreements = agreements.filter(status__in=IN_FORCE_STATUSES)
    elif status in AgreementStatus.values:
        agreements = agreements.filter(status=status)
    if organisation_id:
        agreements = agreements.filter(
            Q(requester_id=organisation_id) | Q(provider_id=organisation_id)
        )
    if county_code:
        agreements = agreements.filter(
            Q(requester__county_code=county_code) | Q(provider__county_code=county_code)
        )
    if expires_before:
        agreements = agreements.filter(end_date__lte=expires_before)
    return _search(agreements, search)


def agreements_in_force(
    *, requester: Organisation, record_kind: str, day: datetime.date,
    provider: Organisation | None = None,
) -> list[DataSharingAgreement]:  # fmt: skip
    """Agreements that let ``requester`` read ``record_kind`` today (any field, any person),
    oldest first, each with its provider.

    The gateway asks this on every read (so a revocation counts on the next request): one
    plain statement, without the ORM's query compilation, which cost more than the query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _in_force_sql(),
            [requester.pk, list(IN_FORCE_STATUSES), day, day, record_kind,
             getattr(provider, "pk", None), getattr(provider, "pk", None)],
        )  # fmt: skip
        rows = cursor.fetchall()
    return [_agreement_with_provider(row) for row in rows]


@functools.cache
def _in_force_sql() -> str:
    quote = connection.ops.quote_name
    columns = [f"a.{quote(f.column)}" for f in _agreement_fields()] + [
        f"o.{quote(f.column)}" for f in _organisation_fields()
    ]
    return (
        f"SELECT {', '.join(columns)} FROM {quote(DataSharingAgreement._meta.db_table)} a "  # noqa: S608 (quoted names)
        f"JOIN {quote(Organisation._meta.db_table)} o ON o.id = a.provider_id "
        "WHERE a.requester_id = %s AND a.status = ANY(%s) AND a.start_date <= %s "
        "AND a.end_date >= %s AND a.scope ? %s AND (%s::bigint IS NULL OR a.provider_id = %s) "
        "ORDER BY a.id"
    )


def _agreement_fields() -> tuple:
    return DataSharingAgreement._meta.concrete_fields


def _organisation_fields() -> tuple:
    return Organisation._meta.concrete_fields


def _from_row(model: type, fields: Sequence, values: Sequence):
    """A model instance from a plain row, with the field converters the ORM would apply."""
    converted = []
    for field, value in zip(fields, values, strict=True):
        for converter in field.get_db_converters(connection):
            value = converter(value, field, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def _agreement_with_provider(row: Sequence) -> DataSharingAgreement:
    split = len(_agreement_fields())
    agreement = _from_row(DataSharingAgreement, _agreement_fields(), row[:split])
    provider = _from_row(Organisation, _organisation_fields(), row[split:])
    DataSharingAgreement._meta.get_field("provider").set_cached_value(agreement, provider)
    return agreement


def person_in_scope(agreement: DataSharingAgreement, person: Person) -> bool:
    """Whether the agreement's persons cover ``person``."""
    if agreement.persons_mode == PersonsMode.NAMED:
        return person.pk in agreement.person_ids
    links = PersonLink.objects.filter(person_id=person.pk)
    if agreement.persons_mode == PersonsMode.ALL:
        return links.filter(organisation_id=agreement.provider_id).exists()
    if agreement.persons_mode == PersonsMode.REFERRED:
        found = set(
            links.filter(
                organisation_id__in=[agreement.provider_id, agreement.requester_id]
            ).values_list("organisation_id", flat=True)
        )
        return found == {agreement.provider_id, agreement.requester_id}
    return False


def persons_named(agreement: DataSharingAgreement) -> list[Person]:
    return list(Person.objects.filter(pk__in=agreement.person_ids).order_by("surname"))


def sharing_access_entries(
    *, search: str = "", agreement_id: int | None = None,
    since: datetime.date | None = None, until: datetime.date | None = None,
) -> QuerySet[PlatformAccessEntry]:  # fmt: skip
    """The platform's log of reads through the gateway."""
    entries = PlatformAccessEntry.objects.filter(agreement_id__isnull=False)
    if agreement_id:
        entries = entries.filter(agreement_id=agreement_id)
    if since:
        entries = entries.filter(occurred_at__date__gte=since)
    if until:
        entries = entries.filter(occurred_at__date__lte=until)
    search = (search or "").strip()
    if search:
        entries = entries.filter(
            Q(actor_email__icontains=search) | Q(organisation_slug__icontains=search)
            | Q(record_id__icontains=search) | Q(purpose__icontains=search)
        )  # fmt: skip
    return entries


def organisations_for_filter() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(schema_name="public").order_by("name")


def providers_for(
    *, requester: Organisation, person: Person | None = None
) -> QuerySet[Organisation]:
    """Organisations a request may go to: active ones other than the requester (those that
    know the person first, when one is given)."""
    organisations = (
        Organisation.objects.filter(status="active")
        .exclude(pk=requester.pk)
        .exclude(schema_name="public")
    )
    if person is not None:
        known = PersonLink.objects.filter(person_id=person.pk).values("organisation_id")
        narrowed = organisations.filter(pk__in=known)
        if narrowed.exists():
            return narrowed.order_by("name")
    return organisations.order_by("name")

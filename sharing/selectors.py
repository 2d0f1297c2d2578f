"""Reads of governed sharing: agreement lists, the approval queue, coverage, the access log."""

from __future__ import annotations

import datetime

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
    """Agreements that let ``requester`` read ``record_kind`` today (any field, any person)."""
    agreements = DataSharingAgreement.objects.select_related("provider").filter(
        requester=requester, status__in=IN_FORCE_STATUSES, start_date__lte=day,
        end_date__gte=day, scope__has_key=record_kind,
    )  # fmt: skip
    if provider is not None:
        agreements = agreements.filter(provider=provider)
    return list(agreements.order_by("pk"))  # oldest first; no sort on the list's ordering


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

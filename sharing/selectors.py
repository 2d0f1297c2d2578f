"""Reads of governed sharing: agreement lists, the approval queue, coverage (with consent),
the access log, consent records, referrals between organisations and the receiving
organisations' directory."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.models import PlatformAccessEntry
from shared_registry.models import Person, PersonLink
from sharing.models import (
    IN_FORCE_STATUSES,
    AgreementEvent,
    AgreementEventKind,
    AgreementStatus,
    Consent,
    DataSharingAgreement,
    OrganisationReferral,
    OrganisationServices,
    PersonsMode,
    ReferralStatus,
)
from tenants.models import Organisation


def _base() -> QuerySet[DataSharingAgreement]:
    return DataSharingAgreement.objects.select_related("requester", "provider", "created_by")


def _search(agreements: QuerySet, search: str) -> QuerySet:
    search = (search or "").strip()
    if not search:
        return agreements
    condition = (
        Q(requester__name__icontains=search)
        | Q(provider__name__icontains=search)
        | Q(requester__slug__icontains=search)
        | Q(provider__slug__icontains=search)
        | Q(purpose__icontains=search)
        | Q(legal_basis__icontains=search)
    )
    return agreements.filter(condition | _number_is_id(search))


BIGINT_MAX = 2**63 - 1


def _number_is_id(search: str) -> Q:
    """A search like "#12" or "12" also finds the row with that id (never an id out of the
    database's range: a longer number matches no id rather than failing)."""
    digits = search.strip().lstrip("#")
    if digits.isascii() and digits.isdigit() and int(digits) <= BIGINT_MAX:
        return Q(pk=int(digits))
    return Q(pk__in=[])


def agreements_of_organisation(
    *,
    organisation: Organisation,
    direction: str = "",
    status: str = "",
    search: str = "",
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
) -> QuerySet[DataSharingAgreement]:
    """An organisation's agreements: those it requested ("outgoing") and those asked of it
    ("incoming"; only those submitted to it: a draft of the other side, or one discarded
    before it was submitted, is not shown); ``period_from``/``period_to`` keep those whose
    period overlaps those days."""
    outgoing = Q(requester=organisation)
    submitted = AgreementEvent.objects.filter(
        agreement=OuterRef("pk"), kind=AgreementEventKind.SUBMITTED
    )
    incoming = Q(provider=organisation) & ~Q(status=AgreementStatus.DRAFT) & Q(Exists(submitted))
    agreements = _base().filter(
        outgoing
        if direction == "outgoing"
        else incoming
        if direction == "incoming"
        else outgoing | incoming
    )
    if status in AgreementStatus.values:
        agreements = agreements.filter(status=status)
    if period_from:
        agreements = agreements.filter(end_date__gte=period_from)
    if period_to:
        agreements = agreements.filter(start_date__lte=period_to)
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
    *,
    search: str = "",
    status: str = "",
    organisation_id: int | None = None,
    county_code: str = "",
    expires_before: datetime.date | None = None,
) -> QuerySet[DataSharingAgreement]:
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
    *,
    requester: Organisation,
    record_kind: str,
    day: datetime.date,
    provider: Organisation | None = None,
) -> list[DataSharingAgreement]:
    """Agreements that let ``requester`` read ``record_kind`` today (any field, any person),
    oldest first, each with its provider; read afresh."""
    return agreements_in_force_known(
        requester=requester, record_kind=record_kind, day=day, provider=provider, fresh=True
    ).agreements


@dataclass(frozen=True)
class AgreementsInForce:
    """Agreements in force, and the sharing generation they were read at (None: unknown)."""

    agreements: list[DataSharingAgreement]
    generation: int | None


# (requester id, record kind) -> what was read last, at which generation (per process).
_known: dict[tuple[int, str], AgreementsInForce] = {}


def agreements_in_force_known(
    *,
    requester: Organisation,
    record_kind: str,
    day: datetime.date,
    provider: Organisation | None = None,
    fresh: bool = False,
) -> AgreementsInForce:
    """``agreements_in_force`` from this process's memory unless ``fresh`` (or not known
    yet). Before relying on remembered agreements, check that the sharing generation still
    has the value returned (the gateway does it in its read's first round trip); a
    different value means they are stale."""
    key = (requester.pk, record_kind)
    known = None if fresh else _known.get(key)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute(_in_force_sql(), [requester.pk, list(IN_FORCE_STATUSES), record_kind])
            rows = cursor.fetchall()
        generation = rows[0][0] if rows else _generation()
        known = AgreementsInForce([_agreement_with_provider(row[1:]) for row in rows], generation)
        if generation is not None:
            _known[key] = known
    return AgreementsInForce(
        [
            a
            for a in known.agreements
            if a.start_date <= day <= a.end_date
            and (provider is None or a.provider_id == provider.pk)
        ],
        known.generation,
    )


def agreements_forget() -> None:
    """Forget the remembered agreements (tests; the generation check makes it unnecessary)."""
    _known.clear()


GENERATION_SQL = "SELECT value FROM public.sharing_generation WHERE id = 1"


def _generation() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


@functools.cache
def _in_force_sql() -> str:
    """Every agreement in force or approved to start later, of one requester and kind, with
    its provider and the generation read in the same statement."""
    quote = connection.ops.quote_name
    columns = [f"a.{quote(f.column)}" for f in _agreement_fields()] + [
        f"o.{quote(f.column)}" for f in _organisation_fields()
    ]
    return (
        f"SELECT ({GENERATION_SQL}), {', '.join(columns)} "  # noqa: S608 (quoted names)
        f"FROM public.{quote(DataSharingAgreement._meta.db_table)} a "
        f"JOIN public.{quote(Organisation._meta.db_table)} o ON o.id = a.provider_id "
        "WHERE a.requester_id = %s AND a.status = ANY(%s) AND a.scope ? %s ORDER BY a.id"
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
    """Whether the agreement's persons cover ``person`` (and, for an agreement that relies on
    consent, whether a consent in force covers everything it shares about them)."""
    if agreement.consent_based and not consent_covers_agreement(agreement, person):
        return False
    return _persons_cover(agreement, person)


def _persons_cover(agreement: DataSharingAgreement, person: Person) -> bool:
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
    *,
    search: str = "",
    agreement_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[PlatformAccessEntry]:
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
            Q(actor_email__icontains=search)
            | Q(organisation_slug__icontains=search)
            | Q(record_id__icontains=search)
            | Q(purpose__icontains=search)
        )
    return entries


def organisations_for_filter() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(schema_name="public").order_by("name")


def providers_for(*, requester: Organisation) -> QuerySet[Organisation]:
    """Organisations a request may go to: every active one other than the requester. Never
    narrowed to those holding records on a person: that would tell the requester which
    organisations know someone (docs/registry.md: "known to N", never which)."""
    return (
        Organisation.objects.filter(status="active")
        .exclude(pk=requester.pk)
        .exclude(schema_name="public")
        .order_by("name")
    )


# --- consent ------------------------------------------------------------------------------------
def consents_in_force(
    *, person: Person, organisation_ids, day: datetime.date | None = None
) -> list[Consent]:
    """Consents in force today for ``person`` recorded by any of ``organisation_ids``."""
    day = day or timezone.localdate()
    return list(
        Consent.objects.filter(
            person_id=person.pk,
            organisation_id__in=list(organisation_ids),
            withdrawn_at__isnull=True,
            superseded_at__isnull=True,
            given_on__lte=day,
            valid_until__gte=day,
        ).order_by("pk")
    )


def consent_covers_agreement(
    agreement: DataSharingAgreement, person: Person, day: datetime.date | None = None
) -> bool:
    """A consent in force, recorded by either organisation of the agreement, covers the
    person and every record kind and field the agreement shares (read on every request, so a
    withdrawal takes effect on the next one)."""
    for consent in consents_in_force(
        person=person, organisation_ids=[agreement.provider_id, agreement.requester_id], day=day
    ):
        if all(consent.covers(kind, fields) for kind, fields in agreement.scope.items()):
            return True
    return False


def consents_of_person(*, organisation: Organisation, person_id: int) -> list[list[Consent]]:
    """Every consent the organisation recorded for the person: one list of versions per
    consent (newest version first), the consents newest first."""
    series: dict = {}
    for consent in (
        Consent.objects.filter(organisation=organisation, person_id=person_id)
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-recorded_at", "-version")
    ):
        series.setdefault(consent.series, []).append(consent)
    for versions in series.values():
        versions.sort(key=lambda c: -c.version)
    return list(series.values())


def consent_of_organisation(
    *, organisation: Organisation, consent_id: int, person_id: int | None = None
) -> Consent | None:
    consents = Consent.objects.filter(pk=consent_id, organisation=organisation)
    if person_id is not None:
        consents = consents.filter(person_id=person_id)
    return consents.select_related("person").first()


def consents_usable(*, organisation: Organisation, person_id: int) -> QuerySet[Consent]:
    """The organisation's consents in force for the person (what a referral may rely on)."""
    today = timezone.localdate()
    return Consent.objects.filter(
        organisation=organisation,
        person_id=person_id,
        withdrawn_at__isnull=True,
        superseded_at__isnull=True,
        given_on__lte=today,
        valid_until__gte=today,
    ).order_by("-recorded_at")


# --- referral and transfer between organisations -------------------------------------------------
def _referrals() -> QuerySet[OrganisationReferral]:
    return OrganisationReferral.objects.select_related(
        "sender", "receiver", "person", "consent", "created_by"
    )


def referrals_received(
    *, organisation: Organisation, search: str = "", status: str = ""
) -> QuerySet[OrganisationReferral]:
    """The receiver's inbox: referrals and transfers sent to ``organisation`` (withdrawn ones
    only when asked for by status)."""
    referrals = _referrals().filter(receiver=organisation)
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    else:
        referrals = referrals.exclude(status=ReferralStatus.WITHDRAWN)
    search = (search or "").strip()
    if search:
        condition = (
            Q(sender__name__icontains=search)
            | Q(reason__icontains=search)
            | Q(person__surname__icontains=search)
            | Q(person__first_name__icontains=search)
            | Q(person__cpims_id=search.replace("-", "").replace(" ", ""))
        )
        referrals = referrals.filter(condition | _number_is_id(search))
    return referrals


def referrals_sent(
    *, organisation: Organisation, search: str = "", status: str = ""
) -> QuerySet[OrganisationReferral]:
    """The sender's referrals and transfers out, every case (the API's list; the screens
    show them per case), newest first."""
    referrals = _referrals().filter(sender=organisation)
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    search = (search or "").strip()
    if search:
        condition = (
            Q(receiver__name__icontains=search)
            | Q(reason__icontains=search)
            | Q(person__surname__icontains=search)
            | Q(person__first_name__icontains=search)
            | Q(person__cpims_id=search.replace("-", "").replace(" ", ""))
            | Q(sender_case_reference__icontains=search)
        )
        referrals = referrals.filter(condition | _number_is_id(search))
    return referrals.order_by("-created_at", "-id")


def referral_received(
    *, organisation: Organisation, referral_id: int
) -> OrganisationReferral | None:
    return _referrals().filter(receiver=organisation, pk=referral_id).first()


def referrals_waiting(*, organisation: Organisation) -> int:
    return OrganisationReferral.objects.filter(
        receiver=organisation, status=ReferralStatus.PENDING
    ).count()


def referrals_of_case(*, organisation: Organisation, case_id: int) -> list[OrganisationReferral]:
    """What the sender sees on its case page: the case's referrals out, with their history."""
    return list(
        _referrals()
        .filter(sender=organisation, sender_case_id=case_id)
        .prefetch_related("events")
        .order_by("-created_at", "-id")
    )


def referral_sent(
    *, organisation: Organisation, referral_id: int, case_id: int | None = None
) -> OrganisationReferral | None:
    referrals = _referrals().filter(sender=organisation, pk=referral_id)
    if case_id is not None:
        referrals = referrals.filter(sender_case_id=case_id)
    return referrals.first()


def receiving_organisations(
    *,
    sender: Organisation,
    kind: str = "",
    county_code: str = "",
    service: str = "",
    search: str = "",
) -> QuerySet[Organisation]:
    """Active organisations a child may be referred to, by kind, county and service."""
    organisations = (
        Organisation.objects.filter(status="active")
        .exclude(pk=sender.pk)
        .exclude(schema_name="public")
        .select_related("referral_services")
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    if county_code:
        organisations = organisations.filter(county_code=county_code)
    if service:
        organisations = organisations.filter(referral_services__services__contains=[service])
    search = (search or "").strip()
    if search:
        organisations = organisations.filter(Q(name__icontains=search) | Q(slug__icontains=search))
    return organisations.order_by("name")


def services_of(organisation: Organisation) -> list[str]:
    row = OrganisationServices.objects.filter(organisation=organisation).first()
    return list(row.services) if row else []

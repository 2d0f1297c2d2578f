"""The gateway: the only code that reads another organisation's schema.

``read`` checks that an agreement in force covers the requesting organisation, the record
kind, every field asked for and the person; then, for each providing organisation, it runs
the kind's registered reader inside the provider's schema in a READ ONLY transaction (a
savepoint rolled back afterwards, so nothing can be written there), keeps only the scoped
fields, and logs the read in the provider's access log, the requester's access log and the
platform access log. A refused read raises ``SharingRefused`` and logs nothing.

Agreements in force are remembered per process and checked against the sharing generation
(moved by database triggers on any change to agreements, consents or organisations) in the
read's first round trip, and read afresh when it moved or when they would refuse: a
revocation or an expiry takes effect on the next request. docs/sharing.md explains the
batches that keep a gateway read within 1.5x of a local one.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from audit.services import access_entries_statement
from cpims.request_transaction import commit_point, in_request_transaction, write_alone
from sharing import selectors
from sharing.models import DataSharingAgreement
from sharing.registry import record_kind_get
from tenants.actor import Actor
from tenants.policy import Permission, may

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shared_registry.models import Person
    from tenants.models import Organisation


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


SAVEPOINT = "cpims_gateway"


# --- our one wrapper over django-tenants' connection --------------------------------------------
class SearchPath:
    """The gateway's batched schema switches, through django-tenants' public API.

    django-tenants points the connection at a schema with ``connection.set_tenant`` or
    ``connection.set_schema_to_public``; the first cursor after that sends ``SET search_path``
    and, with ``TENANT_LIMIT_SET_CALLS`` (our settings), no later cursor sends it again while
    the backend remembers the path it last set. The gateway sends that ``SET`` itself, inside
    the batches that also carry ``BEGIN``, the savepoint and the access-log entries
    (docs/sharing.md: a round trip saved each way), so django-tenants must be told the path
    is set already, or it would send its own ``SET`` first, in a round trip of its own, and on
    the way back before ``ROLLBACK TO SAVEPOINT`` (which would then undo it).

    This class is the only code that tells it: ``switch_statement`` points django-tenants at
    an organisation through the public API and returns the ``SET`` for the caller's next
    batch; ``forget`` points it at an organisation with the path unknown (after an error), so
    the next cursor sets it again. The backend's memory of the path is written here only
    (``_remember``); tests/sharing/test_search_path.py pins this contract against the
    installed django-tenants.
    """

    REMEMBERED = "search_path_set_schemas"  # django_tenants.postgresql_backend.base

    @staticmethod
    def paths_of(organisation: Organisation | None) -> list[str]:
        """The search path of ``organisation``'s workspace (None or public: the platform's)."""
        if organisation is None or organisation.schema_name == "public":
            return ["public"]
        return [organisation.schema_name, "public"]

    @staticmethod
    def _point_at(organisation: Organisation | None) -> None:
        if organisation is None or organisation.schema_name == "public":
            connection.set_schema_to_public()
        else:
            connection.set_tenant(organisation)

    @classmethod
    def switch_statement(cls, organisation: Organisation | None) -> str:
        """Point django-tenants at ``organisation`` (None: public) and return the ``SET`` the
        caller sends in its next batch, on the next cursor; django-tenants sends none."""
        cls._point_at(organisation)
        paths = cls.paths_of(organisation)
        cls._remember(paths)
        return "SET search_path = " + ",".join(connection.ops.quote_name(p) for p in paths)

    @classmethod
    def forget(cls, organisation: Organisation | None) -> None:
        """After an error: point django-tenants at ``organisation`` with the path unknown (the
        public API forgets it), so the next cursor sends the ``SET`` itself."""
        cls._point_at(organisation)

    @classmethod
    def _remember(cls, paths: list[str]) -> None:
        if not hasattr(connection, cls.REMEMBERED):
            raise RuntimeError("django-tenants no longer remembers the search path it set.")
        setattr(connection, cls.REMEMBERED, paths)


def _read_then_log(
    provider: Organisation,
    reader,
    person_ids: Sequence[int],
    fields: Sequence[str],
    log: dict,
    logs: Sequence[str],
    *,
    own_transaction: bool,
    expect_generation: int | None = None,
) -> list[dict]:
    """Run ``reader`` (for each of ``person_ids``) in the provider's schema in a read-only
    savepoint, come back, and write the read into ``logs`` (schemas; "public" is the
    platform log), all in one transaction.

    Two round trips besides the reader's own statements: the switch and the read-only
    savepoint go in one batch, undoing them goes in one batch with the log entries. With
    ``own_transaction`` (the caller is in autocommit mode), BEGIN and COMMIT ride in those
    batches too and any error sends ROLLBACK; otherwise the caller's atomic() undoes
    everything on an error. Either way the rows are returned only once the log is written.
    With ``expect_generation``, the first batch also reads the sharing generation and raises
    _StaleAgreements, before reading anything, when it differs.
    """
    previous = connection.tenant
    back = None if previous is None or previous.schema_name == "public" else previous
    # Inside a read request's one transaction behind the pooler (cpims.request_transaction),
    # within a block of the caller's (a savepoint there): the entries commit on their own
    # after the read, as in autocommit mode. Within the request's block alone, the caller
    # commits them at once (``commit_point``).
    log_alone = (
        not own_transaction
        and in_request_transaction(connection)
        and len(connection.atomic_blocks) > 2  # the request's, a caller's and the gateway's
    )
    # in its own transaction, the gateway writes nothing but the log entries
    statement, params = access_entries_statement(
        logs=logs, alone=own_transaction or log_alone, **log
    )
    # The switches ride in the gateway's own batches (``SearchPath`` above): django-tenants
    # points at the provider, then back, and sends no SET of its own.
    into = SearchPath.switch_statement(provider)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                ("BEGIN; " if own_transaction else "")
                + (f"{selectors.GENERATION_SQL}; " if expect_generation is not None else "")
                + f"{into}; SAVEPOINT {SAVEPOINT}; "
                "SET TRANSACTION READ ONLY"
            )
            if expect_generation is not None and _first_value(cursor) != expect_generation:
                raise _StaleAgreements
        rows = [row for person_id in person_ids for row in reader(person_id, fields)]
        out = SearchPath.switch_statement(back)
        with connection.cursor() as cursor:
            cursor.execute(
                f"ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}; {out}"
                + ("" if log_alone else f"; {statement}")
                + ("; COMMIT" if own_transaction else ""),
                None if log_alone else params,
            )
        if log_alone:
            write_alone(connection, statement, params)
    except BaseException:
        SearchPath.forget(back)  # unknown now: the next cursor sets it
        if own_transaction:
            _rollback_quietly()
        raise
    return rows


def _first_value(cursor) -> object:
    """The first column of the first row among a batch's results (None without rows)."""
    while cursor.description is None:
        if not cursor.nextset():
            return None
    row = cursor.fetchone()
    return row[0] if row else None


def _rollback_quietly() -> None:
    """End the gateway's own transaction after an error (a broken connection is closed by
    Django anyway)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")
    except Exception:  # noqa: BLE001, S110 (the original error is what matters)
        pass


def _acting(actor: Actor) -> Actor:
    """Only an ``Actor`` reads through the gateway (a bare user is a programming error)."""
    if not isinstance(actor, Actor):
        raise TypeError(f"the gateway takes an Actor, not {type(actor).__name__}")
    return actor


def _check(
    *,
    actor: Actor,
    record_kind: str,
    person: Person,
    fields: Sequence[str],
    provider: Organisation | None,
    day: datetime.date,
    fresh: bool,
) -> tuple[list[DataSharingAgreement], int | None]:
    """The agreements to read under (one per provider) and the sharing generation they were
    read at; from memory unless ``fresh``. Raises SharingRefused."""
    kind = record_kind_get(record_kind)
    if kind is None:
        raise SharingRefused("unknown_kind", f"'{record_kind}' is not a shareable record kind.")
    if not fields:
        raise SharingRefused("no_fields", "Name the fields to read.")
    unknown = [f for f in fields if f not in kind.fields]
    if unknown:
        raise SharingRefused("unknown_field", f"Not shareable fields: {', '.join(unknown)}.")
    requester_organisation = actor.organisation
    if requester_organisation is None or not actor.may(Permission.VIEW_CASES):
        raise SharingRefused(
            "not_allowed", "Only members of the requesting organisation who see cases may read."
        )
    known = selectors.agreements_in_force_known(
        requester=requester_organisation,
        record_kind=record_kind,
        day=day,
        provider=provider,
        fresh=fresh,
    )
    agreements = [a for a in known.agreements if a.provider.is_active]
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
    return list(by_provider.values()), known.generation


def read(
    *,
    actor: Actor,
    record_kind: str,
    person: Person,
    fields: Sequence[str],
    provider: Organisation | None = None,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> list[SharedRecords]:
    """Read ``person``'s records of ``record_kind`` (only ``fields``) from every provider
    whose agreement covers them (or from ``provider`` only), for the actor's organisation
    (the requester). Raises SharingRefused."""
    actor = _acting(actor)
    fields = list(dict.fromkeys(fields))
    day = timezone.localdate()
    # First with the agreements this process remembers, checked against the sharing
    # generation in the read's first round trip; afresh when they turn out stale or when
    # they would refuse (an agreement approved a moment ago counts at once).
    for fresh in (False, True):
        try:
            agreements, generation = _check(
                actor=actor,
                record_kind=record_kind,
                person=person,
                fields=fields,
                provider=provider,
                day=day,
                fresh=fresh,
            )
            return _read_under(
                agreements,
                actor=actor,
                record_kind=record_kind,
                person=person,
                fields=fields,
                purpose=purpose,
                request=request,
                expect_generation=None if fresh else generation,
            )
        except (SharingRefused, _StaleAgreements):
            if fresh:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


class _StaleAgreements(Exception):
    """The sharing generation changed since the remembered agreements were read."""


def _read_under(
    agreements: list[DataSharingAgreement],
    *,
    actor: Actor,
    record_kind: str,
    person: Person,
    fields: list[str],
    purpose: str,
    request: HttpRequest | None,
    expect_generation: int | None,
) -> list[SharedRecords]:
    requester_organisation = actor.organisation
    reader = record_kind_get(record_kind).reader
    results = []
    # In autocommit mode (a plain request) the gateway runs its own transaction per provider,
    # folding BEGIN and COMMIT into its batches; inside a caller's transaction it nests.
    own_transaction = connection.get_autocommit() and not connection.in_atomic_block
    with nullcontext() if own_transaction else transaction.atomic():
        for agreement in agreements:
            note = (
                f"{requester_organisation.slug} read {record_kind} from "
                f"{agreement.provider.slug} under agreement #{agreement.pk}"
                + (f": {purpose}" if purpose else "")
            )
            log = {
                "actor": actor.user,
                "record_kind": record_kind,
                "record_id": person.cpims_id,
                "purpose": note,
                "agreement": agreement,
                "request": request,
                "membership": actor.membership,
                "organisation_slug": requester_organisation.slug,
            }
            rows = _read_then_log(
                agreement.provider,
                reader,
                [person.pk],
                fields,
                log,
                logs=[requester_organisation.schema_name, agreement.provider.schema_name, "public"],
                own_transaction=own_transaction,
                expect_generation=expect_generation,
            )
            results.append(
                SharedRecords(
                    provider=agreement.provider,
                    agreement=agreement,
                    record_kind=record_kind,
                    fields=fields,
                    rows=[{f: row.get(f) for f in fields} for row in rows],
                )
            )
    commit_point(connection)  # a read request's transaction: its entries committed now
    return results


def shared_summary(
    *,
    actor: Actor,
    person: Person,
    record_kind: str,
    request: HttpRequest | None = None,
) -> list[SharedRecords]:
    """Everything each provider shares about ``person`` of ``record_kind`` with the actor's
    organisation: one read per agreement in force that covers the person, with that
    agreement's fields."""
    requester_organisation = _acting(actor).organisation
    if requester_organisation is None:
        return []
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
                actor=actor,
                record_kind=record_kind,
                person=person,
                fields=agreement.fields_of(record_kind),
                provider=agreement.provider,
                purpose=agreement.purpose[:120],
                request=request,
            )
            seen.add(agreement.provider_id)
        except SharingRefused:
            continue
    return results


# --- Data subject requests (DPA 2019 s.26): DCS headquarters reads everything on one person ---
DATA_SUBJECT_REQUEST = "data_subject_request"  # record kind of the request's own log entries


@dataclass
class SubjectRecords:
    """One organisation's records of one kind about the data subject (all their fields)."""

    organisation: Organisation
    record_kind: str
    label: str
    rows: list[dict] = field(default_factory=list)


def read_for_data_subject_request(
    *,
    actor: Actor,
    person: Person,
    reference: str,
    organisations: Sequence[Organisation],
    request: HttpRequest | None = None,
) -> list[SubjectRecords]:
    """Everything ``organisations`` hold on ``person``: every subject-access reader the case
    apps registered and every shareable kind with all its fields, read inside each
    organisation's schema, read-only. No agreement is needed, only the policy's
    HANDLE_DATA_SUBJECT_REQUESTS (DCS headquarters) and the request's reference; each read
    is logged in that organisation's access log and the platform's, under the reference.
    Records linked to registry ids merged into ``person`` are read too. Raises
    SharingRefused."""
    from sharing.registry import record_kinds
    from sharing.subject_access import subject_readers

    if not may(_acting(actor).user, Permission.HANDLE_DATA_SUBJECT_REQUESTS):
        raise SharingRefused(
            "not_allowed", "Only DCS headquarters may answer data subject requests."
        )
    reference = (reference or "").strip()
    if not reference:
        raise SharingRefused("no_reference", "Give the data subject request's reference.")
    kinds = [(k.name, k.label, k.reader, []) for k in subject_readers()] + [
        (k.name, str(k.label), k.reader, list(k.fields)) for k in record_kinds()
    ]
    # records stay linked to a merged-away registry id: read those ids too
    person_ids = [
        person.pk,
        *type(person).objects.filter(merged_into=person).values_list("pk", flat=True),
    ]
    results: list[SubjectRecords] = []
    with transaction.atomic():
        for organisation in organisations:
            for name, label, reader, fields in kinds:
                log = {
                    "actor": actor.user,
                    "record_kind": name,
                    "record_id": person.cpims_id,
                    "purpose": f"{DATA_SUBJECT_REQUEST} {reference}: {name} of "
                    f"{organisation.slug} read by DCS headquarters",
                    "request": request,
                    "organisation_slug": "",
                }
                rows = _read_then_log(
                    organisation,
                    reader,
                    person_ids,
                    fields,
                    log,
                    logs=[organisation.schema_name, "public"],
                    own_transaction=False,
                )
                results.append(SubjectRecords(organisation, name, str(label), rows))
    commit_point(connection)  # a read request's transaction: its entries committed now
    return results

"""Who may look a registry person up, how often, and the record of every look-up.

- **Reachability**: a person's page (and the API's read) answers a member only for a person
  their organisation holds a record on, or one they were just shown in a search result: each
  result carries a ``ref``, signed for that member, organisation and CPIMS ID, valid for
  ``PERSON_REF_SECONDS``. A typed or counted ID without a ref answers "not found".
- **Rate limit**: look-ups (searches, candidate checks, person pages, reads) are counted per
  member in the database (``RegistryLookupCount``: one upsert per look-up, shared by every
  process) per minute and per day.
- **Access log**: every look-up is announced with ``tenants.reads.record_read_send``; the audit
  app writes it into the access log of the schema being read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from shared_registry.models import Person, PersonLink, RegistryLookupCount
from tenants.actor import Actor
from tenants.models import Organisation
from tenants.reads import record_read_send

PERSON_REF_SECONDS = 3600
_REF_SALT = "cpims.registry.person-ref"

RECORD_KIND_PERSON = "registry_person"
RECORD_KIND_SEARCH = "registry_search"


# --- reachability -------------------------------------------------------------------------------
def _ref_value(user, organisation: Organisation | None, cpims_id: str) -> str:
    return f"{getattr(user, 'pk', 0)}.{getattr(organisation, 'pk', 0)}.{cpims_id}"


def person_ref(*, user, organisation: Organisation | None, cpims_id: str) -> str:
    """The token a search result carries to open this person's page (this member only)."""
    value = _ref_value(user, organisation, cpims_id)
    signed = signing.TimestampSigner(salt=_REF_SALT).sign(value)
    return signed[len(value) + 1 :]


def person_ref_valid(ref: str, *, user, organisation: Organisation | None, cpims_id: str) -> bool:
    if not ref or len(ref) > 100:
        return False
    value = _ref_value(user, organisation, cpims_id)
    try:
        signing.TimestampSigner(salt=_REF_SALT).unsign(f"{value}:{ref}", max_age=PERSON_REF_SECONDS)
    except signing.BadSignature:
        return False
    return True


def person_linked(person: Person, organisation: Organisation | None) -> bool:
    """Whether the organisation holds a record on the person (shared_registry/links.py)."""
    return (
        organisation is not None
        and PersonLink.objects.filter(person=person, organisation=organisation).exists()
    )


def person_reachable(
    person: Person, *, user, organisation: Organisation | None, ref: str, cpims_id: str
) -> bool:
    """A workspace member reaches a person their organisation holds a record on, or one a
    search showed them (``ref`` signed for the ID they followed, which may be merged away)."""
    if person_linked(person, organisation):
        return True
    return any(
        person_ref_valid(ref, user=user, organisation=organisation, cpims_id=value)
        for value in {cpims_id, person.cpims_id}
    )


# --- rate limit ---------------------------------------------------------------------------------
def _limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "REGISTRY_LOOKUPS_PER_MINUTE", 30)),
        int(getattr(settings, "REGISTRY_LOOKUPS_PER_DAY", 1000)),
    )


def lookup_key(user, organisation: Organisation | None) -> str:
    return f"{getattr(organisation, 'schema_name', 'public')}:{user.pk}"


def lookup_count(key: str, *, now: dt.datetime | None = None) -> bool:
    """Count one look-up of ``key``; False when it is over the minute's or the day's limit
    (one statement; windows older than two days are dropped now and then)."""
    per_minute, per_day = _limits()
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    table = connection.ops.quote_name(RegistryLookupCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO public.{table} AS t (key, window_start, count) "  # noqa: S608
            "VALUES (%s, %s, 1), (%s, %s, 1) ON CONFLICT (key, window_start) "
            "DO UPDATE SET count = t.count + 1 RETURNING key, count",
            [f"m:{key}", minute, f"d:{key}", day],
        )
        counts = dict(cursor.fetchall())
    if counts[f"d:{key}"] == 1:  # the first look-up of a day tidies this member's old windows
        RegistryLookupCount.objects.filter(
            key__in=[f"m:{key}", f"d:{key}"], window_start__lt=day - dt.timedelta(days=1)
        ).delete()
    return counts[f"m:{key}"] <= per_minute and counts[f"d:{key}"] <= per_day


class TooManyLookups(Exception):
    """The member is over the look-up limit: screens answer 429, the API too."""


def lookup_allowed(request: HttpRequest) -> bool:
    """Count this request's look-up for its member (workspace members only: registry
    managers on the platform site are not limited, but logged)."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return True
    return lookup_count(lookup_key(request.user, organisation))


def lookup_counted(actor: Actor) -> None:
    """Count one look-up for a workspace member (``TooManyLookups`` over the limit);
    registry managers on the platform site are not limited, but logged."""
    if actor.organisation is not None and not lookup_count(
        lookup_key(actor.user, actor.organisation)
    ):
        raise TooManyLookups


# --- access log ---------------------------------------------------------------------------------
def log_person_read(
    request: HttpRequest | None, person: Person, *, details: bool, user=None
) -> None:
    """One entry per person read (``user`` when there is no request, else the request's)."""
    record_read_send(
        actor=user if user is not None else request.user,
        record_kind=RECORD_KIND_PERSON,
        record_id=person.cpims_id,
        purpose="registry details" if details else "registry summary",
        request=request,
    )


def log_search(request: HttpRequest | None, *, query: str, found: Sequence[str], user=None) -> None:
    """One entry per search: the query typed (the record) and the CPIMS IDs shown."""
    record_read_send(
        actor=user if user is not None else request.user,
        record_kind=RECORD_KIND_SEARCH,
        record_id=query[:64],
        purpose=("found " + " ".join(found))[:255] if found else "found nobody",
        request=request,
    )


def summaries_with_refs(request: HttpRequest, summaries: Sequence) -> list[dict]:
    """Search results as dicts, each with the ``ref`` that opens that person's page for this
    member."""
    return summaries_with_refs_for(request.user, getattr(request, "organisation", None), summaries)


def summaries_with_refs_for(
    user, organisation: Organisation | None, summaries: Sequence
) -> list[dict]:
    """Search results as dicts, each with the ``ref`` that opens the person's page for
    ``user`` in ``organisation``."""
    return [
        dict(vars(s), ref=person_ref(user=user, organisation=organisation, cpims_id=s.cpims_id))
        for s in summaries
    ]

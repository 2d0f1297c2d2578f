"""Data subject requests (DPA 2019 s.26): one registry person's data, across organisations.

``data_subject_export`` builds a zip for DCS headquarters: ``manifest.json`` (the request,
who made the export and when, per organisation and record kind how many rows, and the
SHA-256 of every file), ``person.json`` (the registry record, identifiers, which
organisations know the person, merges), ``platform.json`` (rows of the platform's shared
tables naming the person: consents, referrals between organisations) and
``organisations/<slug>.json`` (what the gateway read there). The reads go through
``gateway.read_for_data_subject_request`` (logged in each organisation's and the platform's
access logs under the reference); the export itself is one more platform access entry, which
is also the list of past requests.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import PlatformAccessEntry
from audit.services import access_record
from shared_registry.models import Person, PersonIdentifier, PersonLink, PersonMerge
from sharing import gateway
from tenants.actor import Actor
from tenants.models import Organisation, OrganisationStatus

if TYPE_CHECKING:
    from django.http import HttpRequest


EXPORT_RECORD_KIND = "data_subject_export"
READABLE = (OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED)


@dataclass
class SubjectExport:
    filename: str
    content: bytes
    manifest: dict


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _registry_record(person: Person) -> dict:
    record = Person.objects.filter(pk=person.pk).values().get()
    record.pop("search_name", None)  # matching keys, not data about the person
    record["identifiers"] = list(
        PersonIdentifier.objects.filter(person=person).values(
            "identifier_type", "value", "created_at"
        )
    )
    record["known_to"] = [
        {"organisation": name, "workspace": slug, "kind": kind, "since": since}
        for name, slug, kind, since in PersonLink.objects.filter(person=person)
        .order_by("created_at")
        .values_list("organisation__name", "organisation__slug", "organisation__kind", "created_at")
    ]
    record["merges"] = list(
        PersonMerge.objects.filter(Q(survivor=person) | Q(merged=person)).values(
            "survivor__cpims_id", "merged__cpims_id", "merged_at", "undone_at"
        )
    )
    record["merged_away_ids"] = list(
        Person.objects.filter(merged_into=person).values_list("cpims_id", flat=True)
    )
    return record


def _platform_records(person: Person) -> dict[str, list[dict]]:
    """Rows of the platform's own tables (public, outside the registry) that name the person
    or an id merged into them: consents, referrals between organisations, and whatever a
    later app adds with a key to the registry."""
    ids = [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]
    records: dict[str, list[dict]] = {}
    for relation in Person._meta._get_fields(forward=False, reverse=True, include_hidden=True):
        model = relation.related_model
        config = model._meta.app_config
        if getattr(config, "placement", "") != "public" or config.label == "shared_registry":
            continue
        if relation.many_to_many or not relation.field.concrete:
            continue
        rows = list(model._default_manager.filter(**{f"{relation.field.name}__in": ids}).values())
        records.setdefault(model._meta.label, []).extend(rows)
    return records


def organisations_knowing(person: Person) -> list[Organisation]:
    """The organisations whose workspace can be read that hold records on the person (the
    registry's links, of the person and of records merged into them)."""
    persons = Person.objects.filter(Q(pk=person.pk) | Q(merged_into=person)).values("pk")
    return list(
        Organisation.objects.filter(
            pk__in=PersonLink.objects.filter(person__in=persons).values("organisation"),
            status__in=READABLE,
        ).order_by("slug")
    )


def data_subject_export(
    *,
    actor: Actor,
    person: Person,
    reference: str,
    reason: str,
    request: HttpRequest | None = None,
) -> SubjectExport:
    """Everything the platform holds on ``person`` as a zip (raises gateway.SharingRefused
    when the actor may not, or the reference is missing)."""
    reference = reference.strip()[:60]
    reason = reason.strip()[:180]
    organisations = organisations_knowing(person)
    with transaction.atomic():
        records = gateway.read_for_data_subject_request(
            actor=actor,
            person=person,
            reference=reference,
            organisations=organisations,
            request=request,
        )
        access_record(
            actor=actor.user,
            record_kind=EXPORT_RECORD_KIND,
            record_id=person.cpims_id,
            purpose=f"{reference}: {reason}",
            request=request,
        )
    now = timezone.now()
    files: dict[str, bytes] = {
        "person.json": _json(_registry_record(person)),
        "platform.json": _json(_platform_records(person)),
    }
    summary = []
    for organisation in organisations:
        mine = [r for r in records if r.organisation.pk == organisation.pk]
        files[f"organisations/{organisation.slug}.json"] = _json(
            {
                "organisation": organisation.name,
                "workspace": organisation.slug,
                "records": {r.record_kind: {"label": r.label, "rows": r.rows} for r in mine},
            }
        )
        summary.append(
            {
                "organisation": organisation.name,
                "workspace": organisation.slug,
                "rows": {r.record_kind: len(r.rows) for r in mine},
            }
        )
    manifest = {
        "reference": reference,
        "reason": reason,
        "cpims_id": person.cpims_id,
        "generated_at": now,
        "generated_by": actor.user.email,
        "organisations": summary,
        "files": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ],
        "note": "Read through the sharing gateway; each read is in the organisation's and the "
        "platform's access logs under this reference. Review third parties' data "
        "(reporters, perpetrators, other household members) before release.",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(manifest))
        for name, data in files.items():
            archive.writestr(name, data)
    safe_reference = "".join(c if c.isalnum() or c in "-_" else "-" for c in reference)
    filename = f"dsr-{person.cpims_id}-{safe_reference}-{now:%Y%m%d}.zip"
    return SubjectExport(filename, buffer.getvalue(), json.loads(_json(manifest)))


def data_subject_requests(search: str = "") -> QuerySet[PlatformAccessEntry]:
    """Past exports (newest first), searched by CPIMS ID, reference, reason or who."""
    entries = PlatformAccessEntry.objects.filter(record_kind=EXPORT_RECORD_KIND)
    if search:
        entries = entries.filter(
            Q(record_id__iexact=search)
            | Q(purpose__icontains=search)
            | Q(actor_email__icontains=search)
        )
    return entries

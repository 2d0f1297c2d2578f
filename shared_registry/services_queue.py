"""Writes of the registry manager's desk: merges and their undo, decisions on the
duplicates queue, and sibling links (issue 15). Every decision is a row django-auditlog
records (who, when, what changed) with its reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_registry.frequencies import name_frequency_adjust
from shared_registry.models import (
    DuplicateStatus,
    Person,
    PersonIdentifier,
    PersonLink,
    PersonMerge,
    PotentialDuplicate,
    SiblingKind,
    SiblingLink,
    SiblingSource,
)
from shared_registry.models_residence import Residence
from shared_registry.services import _refresh_keys
from tenants.models import User

_REPOINTED = "_repointed"  # persons merged into the merged person earlier, re-pointed
_RESIDENCES = "_residences"  # the merged person's residences in institutions, moved
_MERGE_FIELDS = (
    "other_names",
    "also_known_as",
    "mother_name",
    "date_of_birth",
    "birth_year",
    "date_of_death",
    "county_id",
    "sub_county_id",
    "ward_id",
)


def _residences_move(survivor: Person, merged: Person) -> list[int]:
    """The merged person's residences in institutions move to the survivor; refused when
    both are resident somewhere now (one child cannot live in two institutions: one of the
    admissions is wrong and must end first)."""
    current = Residence.objects.select_related("organisation").filter(
        person__in=(survivor, merged), ended_on__isnull=True
    )
    if len(current) > 1:
        names = sorted({r.organisation.name for r in current})
        raise ValidationError(
            {
                "merged": [
                    _(
                        "Both persons are resident in an institution now (%(institutions)s): "
                        "one of those admissions must end before they can be merged."
                    )
                    % {"institutions": ", ".join(names)}
                ]
            }
        )
    moved = list(Residence.objects.filter(person=merged).values_list("pk", flat=True))
    Residence.objects.filter(pk__in=moved).update(person=survivor)
    return moved


@transaction.atomic
def person_merge(
    *, survivor: Person, merged: Person, merged_by: User | None, reason: str = ""
) -> PersonMerge:
    """Merge ``merged`` into ``survivor``: links and identifiers move, gaps in the
    survivor are filled from the merged person, the merged CPIMS ID resolves to the
    survivor. Undone by person_unmerge."""
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if survivor.pk == merged.pk:
        raise ValidationError({"merged": [_("A person cannot be merged into themselves.")]})
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError({"merged": [_("One of these persons is already merged away.")]})
    before = {f: getattr(survivor, f) for f in (*_MERGE_FIELDS, "also_known_as")}
    before = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in before.items()}
    moved_residences = _residences_move(survivor, merged)
    survivor_orgs = set(survivor.links.values_list("organisation_id", flat=True))
    moved_links = list(
        merged.links.exclude(organisation_id__in=survivor_orgs).values_list("pk", flat=True)
    )
    PersonLink.objects.filter(pk__in=moved_links).update(person=survivor)
    moved_identifiers = list(merged.identifiers.values_list("pk", flat=True))
    PersonIdentifier.objects.filter(pk__in=moved_identifiers).update(person=survivor)
    for f in _MERGE_FIELDS:
        if getattr(survivor, f) in (None, "") and getattr(merged, f) not in (None, ""):
            setattr(survivor, f, getattr(merged, f))
    if merged.also_known_as or merged.full_name != survivor.full_name:
        alias = " ".join(
            dict.fromkeys(
                t for t in (survivor.also_known_as, merged.first_name, merged.surname) if t
            )
        )
        survivor.also_known_as = alias[:200]
    old_keys = list(survivor.name_keys)
    _refresh_keys(survivor)
    survivor.save()
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    name_frequency_adjust(removed=[*old_keys, *merged.name_keys], added=survivor.name_keys)
    repointed = list(Person.objects.filter(merged_into=merged).values_list("pk", flat=True))
    Person.objects.filter(pk__in=repointed).update(merged_into=survivor)
    before[_REPOINTED] = repointed
    before[_RESIDENCES] = moved_residences
    PotentialDuplicate.objects.filter(
        person_a_id=min(survivor.pk, merged.pk), person_b_id=max(survivor.pk, merged.pk)
    ).update(status=DuplicateStatus.MERGED, decided_by=merged_by, decided_at=timezone.now())
    return PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        moved_link_ids=moved_links,
        moved_identifier_ids=moved_identifiers,
        survivor_before=before,
        reason=reason,
        merged_by=merged_by,
    )


@transaction.atomic
def person_unmerge(*, merge: PersonMerge, undone_by: User | None) -> PersonMerge:
    """Undo a merge: moved links and identifiers go back, the survivor's fields return."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError({"merge": [_("This merge has already been undone.")]})
    survivor, merged = merge.survivor, merge.merged
    if survivor.merged_into_id is not None:
        raise ValidationError(
            {"merge": [_("The survivor was merged again later: undo that merge first.")]}
        )
    before = dict(merge.survivor_before)
    Person.objects.filter(pk__in=before.pop(_REPOINTED, [])).update(merged_into=merged)
    Residence.objects.filter(pk__in=before.pop(_RESIDENCES, [])).update(person=merged)
    PersonLink.objects.filter(pk__in=merge.moved_link_ids).update(person=merged)
    PersonIdentifier.objects.filter(pk__in=merge.moved_identifier_ids).update(person=merged)
    for f, value in before.items():
        field = Person._meta.get_field(f.removesuffix("_id"))
        if value and field.get_internal_type() == "DateField":
            value = dt.date.fromisoformat(value)
        setattr(survivor, f, value)
    old_keys = list(survivor.name_keys)
    _refresh_keys(survivor)
    survivor.save()
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    name_frequency_adjust(removed=old_keys, added=[*survivor.name_keys, *merged.name_keys])
    PotentialDuplicate.objects.filter(
        person_a_id=min(survivor.pk, merged.pk), person_b_id=max(survivor.pk, merged.pk)
    ).update(status=DuplicateStatus.OPEN, decided_by=None, decided_at=None)
    merge.undone_at = timezone.now()
    merge.undone_by = undone_by
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge


def _decide(
    duplicate: PotentialDuplicate, *, status: str, decided_by: User | None, reason: str
) -> PotentialDuplicate:
    duplicate = PotentialDuplicate.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.status != DuplicateStatus.OPEN:
        raise ValidationError({"duplicate": [_("This pair has already been decided.")]})
    duplicate.status = status
    duplicate.decided_by = decided_by
    duplicate.decided_at = timezone.now()
    duplicate.decision_reason = (reason or "").strip()[:1000]
    duplicate.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return duplicate


@transaction.atomic
def potential_duplicate_dismiss(
    *, duplicate: PotentialDuplicate, decided_by: User | None, reason: str = ""
) -> PotentialDuplicate:
    """ "Not the same person": the pair leaves the queue for good (matching never queues a
    decided pair again)."""
    return _decide(
        duplicate, status=DuplicateStatus.DISMISSED, decided_by=decided_by, reason=reason
    )


@transaction.atomic
def potential_duplicate_merge(
    *, duplicate: PotentialDuplicate, keep: str, decided_by: User | None, reason: str
) -> PersonMerge:
    """Merge the pair, keeping person A (``keep="a"``) or B; a reason is required."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if keep not in ("a", "b"):
        errors["keep"] = [_("Choose which person to keep.")]
    if not reason:
        errors["reason"] = [_("Say why these are the same person.")]
    if errors:
        raise ValidationError(errors)
    survivor, merged = (
        (duplicate.person_a, duplicate.person_b)
        if keep == "a"
        else (duplicate.person_b, duplicate.person_a)
    )
    locked = PotentialDuplicate.objects.select_for_update().get(pk=duplicate.pk)
    if locked.status != DuplicateStatus.OPEN:
        raise ValidationError({"duplicate": [_("This pair has already been decided.")]})
    merge = person_merge(survivor=survivor, merged=merged, merged_by=decided_by, reason=reason)
    PotentialDuplicate.objects.filter(pk=duplicate.pk).update(decision_reason=reason[:1000])
    return merge


@transaction.atomic
def potential_duplicate_mark_siblings(
    *, duplicate: PotentialDuplicate, kind: str, decided_by: User | None, reason: str = ""
) -> SiblingLink:
    """Siblings or twins, not one person: the pair leaves the queue and the registry
    records the sibling link, which matching uses from then on."""
    if kind not in SiblingKind.values:
        raise ValidationError({"kind": [_("Choose siblings or twins.")]})
    _decide(duplicate, status=DuplicateStatus.SIBLINGS, decided_by=decided_by, reason=reason)
    return sibling_link_record(
        person=duplicate.person_a,
        sibling=duplicate.person_b,
        kind=kind,
        source=SiblingSource.QUEUE,
        created_by=decided_by,
    )


@transaction.atomic
def sibling_link_record(
    *, person: Person, sibling: Person, kind: str, source: str, created_by: User | None = None
) -> SiblingLink:
    """Record that two persons are siblings or twins (idempotent; a household record or a
    decision in the queue): matching never calls them "probably the same" again, and an
    open pair between them leaves the queue."""
    if kind not in SiblingKind.values:
        raise ValidationError({"kind": [_("Choose siblings or twins.")]})
    if source not in SiblingSource.values:
        raise ValidationError({"source": [_("Unknown source of a sibling link.")]})
    if person.pk == sibling.pk:
        raise ValidationError({"sibling": [_("A person cannot be their own sibling.")]})
    a, b = sorted((person.pk, sibling.pk))
    link, created = SiblingLink.objects.get_or_create(
        person_a_id=a,
        person_b_id=b,
        defaults={"kind": kind, "source": source, "created_by": created_by},
    )
    if not created and link.kind != kind:
        link.kind = kind
        link.save(update_fields=["kind"])
    PotentialDuplicate.objects.filter(
        person_a_id=a, person_b_id=b, status=DuplicateStatus.OPEN
    ).update(status=DuplicateStatus.SIBLINGS, decided_by=created_by, decided_at=timezone.now())
    return link

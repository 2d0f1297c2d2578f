"""Reads from the shared registry. Search results disclose only what identification
needs: name, sex, age or year of birth, county, and how many other organisations
know the person, never which ones or what their records say."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shared_registry import checkdigit, matching
from shared_registry.identifiers import IdentifierType, identifier_normalise
from shared_registry.models import (
    County,
    DirectoryEntry,
    DuplicateStatus,
    Person,
    PersonIdentifier,
    PersonLink,
    PersonMerge,
    PotentialDuplicate,
    SiblingLink,
)
from tenants.models import Organisation


def person_get_by_cpims_id(cpims_id: str) -> Person | None:
    """The person with this CPIMS ID; a merged-away ID resolves to its survivor. None for
    an unknown ID or a wrong check digit."""
    value = checkdigit.normalise(cpims_id)
    if not checkdigit.is_valid(value):
        return None
    person = (
        Person.objects.select_related("county", "sub_county", "ward").filter(cpims_id=value).first()
    )
    seen: set[int] = set()
    while person is not None and person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.select_related("county", "sub_county", "ward").get(
            pk=person.merged_into_id
        )
    return person


def cpims_id_fails_check(text: str) -> bool:
    """Whether ``text`` was typed as a CPIMS ID (ten digits, grouping allowed) but its
    check character is wrong, and no identifier number reads the same: a mistyped ID,
    which deserves "invalid ID" rather than "no one found"."""
    value = checkdigit.normalise((text or "").strip())
    if len(value) != checkdigit.ID_LENGTH or not value.isascii() or not value.isdigit():
        return False
    if checkdigit.is_valid(value):
        return False
    return not PersonIdentifier.objects.filter(value=identifier_normalise(value)).exists()


@dataclass(frozen=True)
class PersonSummary:
    """The minimal disclosure of a person in search results: the card an officer sees."""

    cpims_id: str
    name: str
    sex: str
    year_of_birth: str  # "2014", or "about 2014" when estimated; never an age
    county: str
    sub_county: str
    known_to_others: int
    score: int | None = None
    reasons: tuple[str, ...] = ()
    level: str | None = None  # matching.LIKELY or matching.SIMILAR for candidates

    @property
    def age_or_year(self) -> str:
        """The year of birth (screens written before the card showed the year)."""
        return self.year_of_birth


def _year_of_birth(person: Person) -> str:
    if not person.year_of_birth:
        return ""
    if person.birth_date_estimated or not person.date_of_birth:
        return _("about %(year)s") % {"year": person.year_of_birth}
    return str(person.year_of_birth)


def person_known_to_counts(
    person_ids: list[int], *, exclude_organisation: Organisation | None
) -> dict[int, int]:
    links = PersonLink.objects.filter(person_id__in=person_ids)
    if exclude_organisation is not None:
        links = links.exclude(organisation=exclude_organisation)
    return dict(links.values("person_id").annotate(n=Count("id")).values_list("person_id", "n"))


def person_summaries(
    persons: list[Person],
    *,
    exclude_organisation: Organisation | None = None,
    scores: dict[int, matching.Candidate] | None = None,
) -> list[PersonSummary]:
    counts = person_known_to_counts(
        [p.pk for p in persons], exclude_organisation=exclude_organisation
    )
    out = []
    for p in persons:
        candidate = (scores or {}).get(p.pk)
        out.append(
            PersonSummary(
                cpims_id=p.cpims_id,
                name=p.full_name,
                sex=p.get_sex_display(),
                year_of_birth=_year_of_birth(p),
                county=p.county.name if p.county_id else "",
                sub_county=p.sub_county.name if p.sub_county_id else "",
                known_to_others=counts.get(p.pk, 0),
                score=candidate.score if candidate else None,
                reasons=tuple(candidate.reasons) if candidate else (),
                level=candidate.level if candidate else None,
            )
        )
    return out


def person_match_candidates(
    *,
    first_name: str = "",
    other_names: str = "",
    surname: str = "",
    also_known_as: str = "",
    mother_name: str = "",
    sex: str = "",
    date_of_birth: dt.date | None = None,
    birth_year: int | None = None,
    birth_date_estimated: bool = False,
    county_code: str | None = None,
    sub_county_code: str | None = None,
    ward_code: str | None = None,
    identifiers: list[tuple[str, str]] | None = None,
    limit: int = 10,
) -> list[matching.Candidate]:
    """Ranked candidates for a person about to be registered, each with its score (0..100)
    and the reasons for it. Unknown geography codes are ignored here (registration
    reports them)."""
    geo = {}
    if county_code:
        geo["county_id"] = (
            County.objects.filter(code=county_code).values_list("pk", flat=True).first()
        )
    if sub_county_code:
        from shared_registry.models import SubCounty

        geo["sub_county_id"] = (
            SubCounty.objects.filter(code=sub_county_code).values_list("pk", flat=True).first()
        )
    if ward_code:
        from shared_registry.models import Ward

        geo["ward_id"] = Ward.objects.filter(code=ward_code).values_list("pk", flat=True).first()
    query = matching.MatchQuery(
        first_name=first_name,
        other_names=other_names,
        surname=surname,
        also_known_as=also_known_as,
        mother_name=mother_name,
        sex=sex,
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        birth_date_estimated=birth_date_estimated,
        identifiers=list(identifiers or []),
        **geo,
    )
    return matching.match(query, limit=limit)


def person_search(
    *,
    query: str = "",
    sex: str = "",
    birth_year: int | None = None,
    county_code: str | None = None,
    exclude_organisation: Organisation | None = None,
    limit: int = 20,
) -> list[PersonSummary]:
    """Search by CPIMS ID, identifier number or name (ranked as in matching), returning
    minimal-disclosure summaries. ``exclude_organisation`` is the searcher's own
    organisation, left out of "known to N other organisations"."""
    text = (query or "").strip()
    if not text:
        return []
    compact = checkdigit.normalise(text)
    if checkdigit.is_valid(compact):
        person = person_get_by_cpims_id(compact)
        return (
            person_summaries([person], exclude_organisation=exclude_organisation) if person else []
        )
    if any(ch.isdigit() for ch in text):
        ids = PersonIdentifier.objects.filter(value=identifier_normalise(text)).values_list(
            "person_id", flat=True
        )
        persons = list(
            Person.objects.filter(pk__in=ids).select_related("county", "sub_county")[:limit]
        )
        return person_summaries(persons, exclude_organisation=exclude_organisation)
    parts = text.split()
    candidates = person_match_candidates(
        first_name=parts[0],
        other_names=" ".join(parts[1:-1]),
        surname=parts[-1] if len(parts) > 1 else "",
        sex=sex,
        birth_year=birth_year,
        county_code=county_code,
        limit=limit,
    )
    by_id = {c.person.pk: c for c in candidates}
    return person_summaries(
        [c.person for c in candidates], exclude_organisation=exclude_organisation, scores=by_id
    )


def person_identifiers(person: Person) -> QuerySet[PersonIdentifier]:
    return person.identifiers.order_by("identifier_type")


def potential_duplicates_open(*, county_code: str = "") -> QuerySet[PotentialDuplicate]:
    """The open pairs of the registry manager's queue, strongest evidence first."""
    qs = PotentialDuplicate.objects.filter(status=DuplicateStatus.OPEN).select_related(
        "person_a", "person_b", "person_a__county", "person_b__county"
    )
    if county_code:
        qs = qs.filter(
            Q(person_a__county__code=county_code) | Q(person_b__county__code=county_code)
        )
    return qs.order_by("-score", "created_at", "pk")


def potential_duplicates_by_county() -> list[tuple[str, str, int]]:
    """How many open pairs the queue holds per county (code, name, count), by the county of
    the later registration (or the earlier one's when it has none); "" for no county."""
    rows = (
        PotentialDuplicate.objects.filter(status=DuplicateStatus.OPEN)
        .annotate(
            code=Coalesce("person_b__county__code", "person_a__county__code", Value("")),
            name=Coalesce("person_b__county__name", "person_a__county__name", Value("")),
        )
        .values("code", "name")
        .annotate(n=Count("id"))
        .order_by("-n", "code")
    )
    return [(r["code"], r["name"], r["n"]) for r in rows]


def potential_duplicate_get(pk: int) -> PotentialDuplicate | None:
    return (
        PotentialDuplicate.objects.select_related(
            "person_a__county",
            "person_a__sub_county",
            "person_a__ward",
            "person_b__county",
            "person_b__sub_county",
            "person_b__ward",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class ComparedPerson:
    """One side of the registry manager's side-by-side comparison."""

    person: Person
    identifiers: tuple[str, ...]
    organisations: int
    registered_by: str
    siblings: int


def duplicate_comparison(duplicate: PotentialDuplicate) -> tuple[ComparedPerson, ComparedPerson]:
    """Both persons of a pair, with what a registry manager weighs: identifiers, how many
    organisations hold records on each (never which), who registered them, siblings."""
    sides = []
    for person in (duplicate.person_a, duplicate.person_b):
        siblings = SiblingLink.objects.filter(Q(person_a=person) | Q(person_b=person)).count()
        sides.append(
            ComparedPerson(
                person=person,
                identifiers=tuple(
                    f"{i.get_identifier_type_display()} {i.value}"
                    for i in person.identifiers.order_by("identifier_type")
                ),
                organisations=person.links.count(),
                registered_by=person.created_in.name if person.created_in_id else "",
                siblings=siblings,
            )
        )
    return sides[0], sides[1]


def person_merges(person: Person | None = None) -> QuerySet[PersonMerge]:
    qs = PersonMerge.objects.select_related("survivor", "merged", "merged_by", "undone_by")
    if person is not None:
        qs = qs.filter(Q(survivor=person) | Q(merged=person))
    return qs


def identifier_types() -> list[tuple[str, str]]:
    return list(IdentifierType.choices)


def directory_search(
    *, query: str = "", kind: str = "", county_code: str = ""
) -> QuerySet[DirectoryEntry]:
    """Directory entries by name, code or registration number (referrals and placements
    name these)."""
    qs = DirectoryEntry.objects.select_related("county", "sub_county", "organisation")
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(code__iexact=query) | Q(registration_number__iexact=query)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if county_code:
        qs = qs.filter(county__code=county_code)
    return qs

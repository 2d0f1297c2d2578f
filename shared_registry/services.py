"""Writes to the shared registry. Every function validates first and saves nothing on
bad input (ValidationError with one message per field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_registry import checkdigit, matching, names
from shared_registry.frequencies import name_frequency_adjust
from shared_registry.identifiers import IdentifierType, identifier_validate
from shared_registry.models import (
    County,
    DirectoryEntry,
    Person,
    PersonIdentifier,
    PersonLink,
    PotentialDuplicate,
    Sex,
    SiblingLink,
    SubCounty,
    Ward,
)
from tenants.models import Organisation, User

OLDEST_AGE_YEARS = 120
ADULT_AGE_YEARS = 18


def _next_cpims_id() -> str:
    """A CPIMS ID no one holds, drawn at random from the whole ID space (so IDs cannot be
    read by counting); the Damm check digit is kept, so IDs issued before stay valid."""
    while True:
        cpims_id = checkdigit.cpims_id_random()
        if not Person.objects.filter(cpims_id=cpims_id).exists():
            return cpims_id


def _resolve_geography(
    errors: dict[str, list[str]],
    county_code: str | None,
    sub_county_code: str | None,
    ward_code: str | None,
) -> tuple[County | None, SubCounty | None, Ward | None]:
    county = sub_county = ward = None
    if county_code:
        county = County.objects.filter(code=county_code.strip()).first()
        if county is None:
            errors.setdefault("county", []).append(
                _("Unknown county code “%(code)s”.") % {"code": county_code}
            )
    if sub_county_code:
        sub_county = SubCounty.objects.filter(code=sub_county_code.strip()).first()
        if sub_county is None:
            errors.setdefault("sub_county", []).append(
                _("Unknown sub-county code “%(code)s”.") % {"code": sub_county_code}
            )
    if ward_code:
        ward = Ward.objects.select_related("sub_county").filter(code=ward_code.strip()).first()
        if ward is None:
            errors.setdefault("ward", []).append(
                _("Unknown ward code “%(code)s”.") % {"code": ward_code}
            )
    if ward and sub_county is None:
        sub_county = ward.sub_county
    if sub_county and county is None and "county" not in errors:
        county = sub_county.county
    if ward and sub_county and ward.sub_county_id != sub_county.pk:
        errors.setdefault("ward", []).append(_("This ward is not in that sub-county."))
    if sub_county and county and sub_county.county_id != county.pk:
        errors.setdefault("sub_county", []).append(_("This sub-county is not in that county."))
    return county, sub_county, ward


def _validate_birth(
    errors: dict[str, list[str]],
    date_of_birth: dt.date | None,
    birth_year: int | None,
) -> None:
    today = timezone.localdate()
    if date_of_birth:
        if date_of_birth > today:
            errors.setdefault("date_of_birth", []).append(_("The date of birth is in the future."))
        elif date_of_birth.year < today.year - OLDEST_AGE_YEARS:
            errors.setdefault("date_of_birth", []).append(
                _("The date of birth is implausible (over %(n)s years ago).")
                % {"n": OLDEST_AGE_YEARS}
            )
    if birth_year is not None:
        if birth_year > today.year:
            errors.setdefault("birth_year", []).append(_("The year of birth is in the future."))
        elif birth_year < today.year - OLDEST_AGE_YEARS:
            errors.setdefault("birth_year", []).append(_("The year of birth is implausible."))


def _validate_identifiers(
    errors: dict[str, list[str]],
    identifiers: Iterable[tuple[str, str]],
    *,
    date_of_birth: dt.date | None,
    exclude_person: Person | None = None,
) -> list[tuple[str, str]]:
    clean: list[tuple[str, str]] = []
    for identifier_type, value in identifiers:
        if not (value or "").strip():
            continue
        key = f"identifier_{identifier_type}"
        try:
            normalised = identifier_validate(identifier_type, value)
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
            continue
        if identifier_type == IdentifierType.NATIONAL_ID and date_of_birth:
            age = (timezone.localdate() - date_of_birth).days // 365
            if age < ADULT_AGE_YEARS:
                errors.setdefault(key, []).append(
                    _("A national ID is issued to adults only (this person is %(age)s).")
                    % {"age": age}
                )
                continue
        holder = (
            PersonIdentifier.objects.filter(identifier_type=identifier_type, value=normalised)
            .select_related("person")
            .first()
        )
        if holder and holder.person != exclude_person:
            errors.setdefault(key, []).append(
                _("This number already belongs to CPIMS person %(id)s.")
                % {"id": holder.person.cpims_id}
            )
            continue
        clean.append((identifier_type, normalised))
    return clean


def _refresh_keys(person: Person) -> None:
    parts = (person.first_name, person.other_names, person.surname, person.also_known_as)
    person.search_name = names.sorted_name(*parts)[:400]
    year = person.date_of_birth.year if person.date_of_birth else person.birth_year
    person.name_keys = names.person_keys(*parts, year=year)


def _person_clean(
    *,
    first_name,
    surname,
    sex,
    date_of_birth,
    birth_year,
    county_code,
    sub_county_code,
    ward_code,
    identifiers,
):
    errors: dict[str, list[str]] = {}
    if not (first_name or "").strip():
        errors["first_name"] = [_("Enter the first name.")]
    if not (surname or "").strip():
        errors["surname"] = [_("Enter the surname.")]
    if sex not in Sex.values:
        errors["sex"] = [_("Choose the sex.")]
    _validate_birth(errors, date_of_birth, birth_year)
    county, sub_county, ward = _resolve_geography(errors, county_code, sub_county_code, ward_code)
    clean_identifiers = _validate_identifiers(errors, identifiers, date_of_birth=date_of_birth)
    if errors:
        raise ValidationError(errors)
    return county, sub_county, ward, clean_identifiers


def person_validate(
    *,
    first_name: str,
    surname: str,
    sex: str,
    date_of_birth: dt.date | None = None,
    birth_year: int | None = None,
    county_code: str | None = None,
    sub_county_code: str | None = None,
    ward_code: str | None = None,
    identifiers: Iterable[tuple[str, str]] = (),
    **_ignored,
) -> None:
    """The checks person_register makes, without saving (ValidationError per field)."""
    _person_clean(
        first_name=first_name,
        surname=surname,
        sex=sex,
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        county_code=county_code,
        sub_county_code=sub_county_code,
        ward_code=ward_code,
        identifiers=identifiers,
    )


@transaction.atomic
def person_register(
    *,
    first_name: str,
    surname: str,
    sex: str,
    other_names: str = "",
    also_known_as: str = "",
    mother_name: str = "",
    date_of_birth: dt.date | None = None,
    birth_year: int | None = None,
    birth_date_estimated: bool = False,
    county_code: str | None = None,
    sub_county_code: str | None = None,
    ward_code: str | None = None,
    identifiers: Iterable[tuple[str, str]] = (),
    created_by: User | None = None,
    organisation: Organisation | None = None,
    queue_duplicates: bool = True,
    registered_anyway_reason: str = "",
    uuid: UUID | None = None,
) -> Person:
    """Register a new person (after the clerk has seen the candidates and confirmed a new
    one). Close candidates still found are queued as potential duplicates, with the
    clerk's reason for registering anyway; when an organisation registers the person, its
    link is recorded."""
    first_name, surname = (first_name or "").strip(), (surname or "").strip()
    county, sub_county, ward, clean_identifiers = _person_clean(
        first_name=first_name,
        surname=surname,
        sex=sex,
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        county_code=county_code,
        sub_county_code=sub_county_code,
        ward_code=ward_code,
        identifiers=identifiers,
    )
    person = Person(
        cpims_id=_next_cpims_id(),
        first_name=first_name.upper(),
        other_names=(other_names or "").strip().upper(),
        surname=surname.upper(),
        also_known_as=(also_known_as or "").strip().upper(),
        mother_name=" ".join((mother_name or "").split()).upper()[:200],
        sex=sex,
        date_of_birth=date_of_birth,
        birth_year=date_of_birth.year if date_of_birth else birth_year,
        birth_date_estimated=birth_date_estimated or (not date_of_birth and bool(birth_year)),
        county=county,
        sub_county=sub_county,
        ward=ward,
        created_by=created_by,
        created_in=organisation,
        **({"uuid": uuid} if uuid else {}),
    )
    _refresh_keys(person)
    for attempt in range(5):
        try:
            with transaction.atomic():
                person.save()
            break
        except IntegrityError:  # another registration drew the same ID a moment ago
            if attempt == 4:
                raise
            person.pk, person.cpims_id = None, _next_cpims_id()
    name_frequency_adjust(added=person.name_keys)
    for identifier_type, value in clean_identifiers:
        try:
            with transaction.atomic():
                PersonIdentifier.objects.create(
                    person=person, identifier_type=identifier_type, value=value
                )
        except IntegrityError as exc:  # a concurrent registration took the number
            raise ValidationError(
                {f"identifier_{identifier_type}": [_("This number is already registered.")]}
            ) from exc
    if organisation is not None:
        person_link_record(person=person, organisation=organisation)
    if queue_duplicates:
        person_queue_potential_duplicates(
            person=person, registered_anyway_reason=registered_anyway_reason
        )
    return person


def person_likely_matches(**values) -> list[matching.Candidate]:
    """The candidates at the "probably the same child" level for a person about to be
    registered (``values`` as for person_register)."""
    from shared_registry.selectors import person_match_candidates

    wanted = (
        "first_name",
        "other_names",
        "surname",
        "also_known_as",
        "mother_name",
        "sex",
        "date_of_birth",
        "birth_year",
        "birth_date_estimated",
        "county_code",
        "sub_county_code",
        "ward_code",
        "identifiers",
    )
    found = person_match_candidates(**{k: v for k, v in values.items() if k in wanted})
    return [c for c in found if c.level == matching.LIKELY]


def person_register_checked(*, registered_anyway_reason: str = "", **values) -> Person:
    """Register a new person from a screen or the API: when someone is probably the same
    child, a reason to register anyway is required (it goes to the duplicates queue with
    the pair)."""
    reason = (registered_anyway_reason or "").strip()
    person_validate(**values)
    if not reason and person_likely_matches(**values):
        raise ValidationError(
            {
                "registered_anyway_reason": [
                    _(
                        "Someone in the registry is probably this child: open that person, "
                        "or say why this is a different child."
                    )
                ]
            }
        )
    return person_register(**values, registered_anyway_reason=reason[:1000])


_UPDATABLE = frozenset(
    {
        "first_name",
        "other_names",
        "surname",
        "also_known_as",
        "mother_name",
        "sex",
        "date_of_birth",
        "birth_year",
        "birth_date_estimated",
        "date_of_death",
        "county_code",
        "sub_county_code",
        "ward_code",
    }
)


@transaction.atomic
def person_update(*, person: Person, **changes) -> Person:
    """Correct a person's registry details (same checks as registration; identifiers go
    through person_identifier_add). Keys are kept in step for matching."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise TypeError(f"person_update cannot change {', '.join(sorted(unknown))}")
    current = {
        "first_name": person.first_name,
        "other_names": person.other_names,
        "surname": person.surname,
        "also_known_as": person.also_known_as,
        "mother_name": person.mother_name,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "birth_year": person.birth_year,
        "birth_date_estimated": person.birth_date_estimated,
        "date_of_death": person.date_of_death,
        "county_code": person.county.code if person.county_id else None,
        "sub_county_code": person.sub_county.code if person.sub_county_id else None,
        "ward_code": person.ward.code if person.ward_id else None,
    }
    values = current | changes
    county, sub_county, ward, _clean = _person_clean(
        first_name=values["first_name"],
        surname=values["surname"],
        sex=values["sex"],
        date_of_birth=values["date_of_birth"],
        birth_year=values["birth_year"],
        county_code=values["county_code"],
        sub_county_code=values["sub_county_code"],
        ward_code=values["ward_code"],
        identifiers=(),
    )
    death = values["date_of_death"]
    if death and (
        death > timezone.localdate()
        or (values["date_of_birth"] and death < values["date_of_birth"])
    ):
        raise ValidationError({"date_of_death": [_("The date of death is not plausible.")]})
    for name in ("first_name", "other_names", "surname", "also_known_as"):
        setattr(person, name, (values[name] or "").strip().upper())
    person.mother_name = " ".join((values["mother_name"] or "").split()).upper()[:200]
    person.sex = values["sex"]
    person.date_of_birth = values["date_of_birth"]
    person.birth_year = (
        values["date_of_birth"].year if values["date_of_birth"] else values["birth_year"]
    )
    person.birth_date_estimated = values["birth_date_estimated"]
    person.date_of_death = death
    person.county, person.sub_county, person.ward = county, sub_county, ward
    old_keys = list(person.name_keys)
    _refresh_keys(person)
    person.save()
    if person.merged_into_id is None:
        name_frequency_adjust(removed=old_keys, added=person.name_keys)
    return person


def person_match_query(person: Person) -> matching.MatchQuery:
    return matching.MatchQuery(
        first_name=person.first_name,
        other_names=person.other_names,
        surname=person.surname,
        also_known_as=person.also_known_as,
        mother_name=person.mother_name,
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        birth_year=person.birth_year,
        birth_date_estimated=person.birth_date_estimated,
        county_id=person.county_id,
        sub_county_id=person.sub_county_id,
        ward_id=person.ward_id,
        identifiers=list(person.identifiers.values_list("identifier_type", "value")),
        sibling_ids=person_sibling_ids(person),
    )


def person_sibling_ids(person: Person) -> set[int]:
    """The persons recorded as ``person``'s siblings or twins."""
    rows = SiblingLink.objects.filter(Q(person_a=person) | Q(person_b=person)).values_list(
        "person_a_id", "person_b_id"
    )
    return {b if a == person.pk else a for a, b in rows}


def person_queue_potential_duplicates(
    *, person: Person, registered_anyway_reason: str = ""
) -> list[PotentialDuplicate]:
    """Queue every active person scoring at least DUPLICATE_THRESHOLD against ``person``;
    a pair already decided stays decided (a "not the same person" pair never returns)."""
    queued = []
    candidates = matching.match(
        person_match_query(person),
        limit=10,
        threshold=matching.DUPLICATE_THRESHOLD,
        exclude_ids={person.pk},
    )
    for candidate in candidates:
        a, b = sorted((person.pk, candidate.person.pk))
        duplicate, _created = PotentialDuplicate.objects.get_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={
                "score": candidate.score,
                "reasons": candidate.reasons,
                "registered_anyway_reason": registered_anyway_reason,
            },
        )
        queued.append(duplicate)
    return queued


@transaction.atomic
def person_identifier_add(*, person: Person, identifier_type: str, value: str) -> PersonIdentifier:
    errors: dict[str, list[str]] = {}
    clean = _validate_identifiers(
        errors,
        [(identifier_type, value)],
        date_of_birth=person.date_of_birth,
        exclude_person=person,
    )
    if errors:
        raise ValidationError(errors)
    identifier_type, normalised = clean[0]
    identifier, _created = PersonIdentifier.objects.get_or_create(
        identifier_type=identifier_type, value=normalised, defaults={"person": person}
    )
    return identifier


def _survivor(person: Person) -> Person:
    """The active person a (possibly merged-away, possibly stale) person resolves to."""
    seen: set[int] = set()
    pk = person.pk
    while pk not in seen:
        seen.add(pk)
        next_pk = Person.objects.filter(pk=pk).values_list("merged_into_id", flat=True).get()
        if next_pk is None:
            break
        pk = next_pk
    return person if pk == person.pk else Person.objects.get(pk=pk)


@transaction.atomic
def person_link_record(*, person: Person, organisation: Organisation) -> PersonLink:
    """Record that ``organisation`` holds records on ``person`` (idempotent; a merged-away
    person's link goes to its survivor)."""
    person = _survivor(person)
    link, _created = PersonLink.objects.get_or_create(person=person, organisation=organisation)
    return link


@transaction.atomic
def directory_entry_link_organisation(
    *, entry: DirectoryEntry, organisation: Organisation | None
) -> DirectoryEntry:
    """Link an onboarded organisation to its directory entry (None unlinks)."""
    if organisation is not None:
        DirectoryEntry.objects.filter(organisation=organisation).exclude(pk=entry.pk).update(
            organisation=None
        )
    entry.organisation = organisation
    entry.save(update_fields=["organisation", "updated_at"])
    return entry


# merges and the duplicates queue live in services_queue (re-exported for callers)
from shared_registry.services_queue import (  # noqa: E402, F401
    person_merge,
    person_unmerge,
    potential_duplicate_dismiss,
    potential_duplicate_mark_siblings,
    potential_duplicate_merge,
    sibling_link_record,
)

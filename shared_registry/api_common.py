"""What the registry's API modules share (django-ninja): the two routers, the person
schemas, the actor of a call and the answers to a refusal. ``shared_registry.api`` gathers
the endpoints (api_persons, api_desk, api_directory) onto these routers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from shared_registry.access import TooManyLookups
from shared_registry.models import County, Person, PersonIdentifier, SubCounty, Ward
from shared_registry.selectors_lookups import PersonRead
from tenants.actor import Actor, Forbidden, NotFound, actor_from_request
from tenants.api_errors import NOT_ALLOWED, api_too_many
from tenants.api_input import MAX_ITEMS, ClientUuid, Year, model_text

workspace_router = Router(tags=["registry"])
platform_router = Router(tags=["registry"], auth=django_auth)


class IdentifierIn(Schema):
    type: str = model_text(
        PersonIdentifier,
        "identifier_type",
        description="IdentifierType code, e.g. ISOV, INTL, INEM, ISHA",
    )
    value: str = model_text(PersonIdentifier, "value")


class PersonIn(Schema):
    first_name: str = model_text(Person, "first_name")
    surname: str = model_text(Person, "surname")
    sex: str = model_text(Person, "sex", description="SMAL, SFEM or SINT")
    other_names: str = model_text(Person, "other_names", "")
    also_known_as: str = model_text(Person, "also_known_as", "")
    mother_name: str = model_text(Person, "mother_name", "")
    date_of_birth: dt.date | None = None
    birth_year: Year | None = None
    birth_date_estimated: bool = False
    county_code: str | None = model_text(County, "code", None)
    sub_county_code: str | None = model_text(SubCounty, "code", None)
    ward_code: str | None = model_text(Ward, "code", None)
    identifiers: list[IdentifierIn] = Field([], max_length=MAX_ITEMS)
    confirm_new: bool = Field(
        False, description="Register even though likely matches exist (after review)"
    )
    registered_anyway_reason: str = Field(
        "",
        max_length=1000,
        description="Why this is a different child: required with confirm_new when someone "
        "is probably the same child (it goes to the duplicates queue with the pair)",
    )
    uuid: ClientUuid | None = Field(
        None,
        description="The client's own id for this registration: a repeat with the same uuid "
        "and names answers 200 with the person and writes nothing; the same uuid with other "
        "names is a 422 naming uuid. The CPIMS ID stays the registry's.",
    )

    def service_values(self) -> dict:
        values = self.dict(
            exclude={"identifiers", "confirm_new", "registered_anyway_reason", "uuid"}
        )
        values["identifiers"] = [(i.type, i.value) for i in self.identifiers]
        return values


class PersonSummaryOut(Schema):
    cpims_id: str
    name: str
    sex: str
    year_of_birth: str = Field(description='"2014", or "about 2014" when estimated')
    county: str
    sub_county: str
    known_to_others: int
    score: int | None = None
    reasons: list[str] = []
    ref: str = Field(
        "",
        description="Opens this person's record (GET /registry/persons/{cpims_id}?ref=) for "
        "the member who searched, for an hour",
    )
    level: str | None = Field(
        None,
        description='"likely": probably the same child; "similar": other persons with '
        "similar names (candidates only)",
    )


class IdentifierOut(Schema):
    type: str
    value: str


class PersonDetailOut(PersonSummaryOut):
    details_disclosed: bool
    uuid: UUID | None = Field(None, description="Only in the answer to a registration")
    also_known_as: str | None = None
    mother_name: str | None = None
    date_of_birth: dt.date | None = None
    birth_year: int | None = None
    birth_date_estimated: bool | None = None
    county_code: str | None = None
    sub_county_code: str | None = None
    ward_code: str | None = None
    identifiers: list[IdentifierOut] = []


class InvalidOut(Schema):
    """A refused input: the message names the field (ninja's own checks give a list)."""

    detail: str | list[dict[str, Any]]


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class LikelyMatchesOut(Schema):
    detail: str
    candidates: list[PersonSummaryOut]


def workspace_actor(request: HttpRequest) -> Actor:
    """The member calling a workspace endpoint (403 outside a workspace)."""
    actor = actor_from_request(request)
    if actor.organisation is None:
        raise HttpError(403, NOT_ALLOWED)
    return actor


def platform_actor(request: HttpRequest) -> Actor:
    """The registry manager calling a platform endpoint (403 inside a workspace)."""
    actor = actor_from_request(request)
    if actor.organisation is not None:
        raise HttpError(403, NOT_ALLOWED)
    return actor


@contextmanager
def answered() -> Iterator[None]:
    """A selector's or service's refusal as the API answers it: ``NotFound`` 404,
    ``Forbidden`` 403, too many look-ups 429."""
    try:
        yield
    except NotFound:
        raise HttpError(404, "Not found") from None
    except Forbidden:
        raise HttpError(403, NOT_ALLOWED) from None
    except TooManyLookups:
        raise api_too_many() from None


def person_detail(read: PersonRead) -> dict:
    """A person's card, and their registry details when the reader may see them."""
    person = read.person
    out = dict(vars(read.summary), details_disclosed=read.show_details)
    if read.show_details:
        out |= {
            "also_known_as": person.also_known_as,
            "mother_name": person.mother_name,
            "date_of_birth": person.date_of_birth,
            "birth_year": person.birth_year,
            "birth_date_estimated": person.birth_date_estimated,
            "county_code": person.county.code if person.county_id else None,
            "sub_county_code": person.sub_county.code if person.sub_county_id else None,
            "ward_code": person.ward.code if person.ward_id else None,
            "identifiers": [
                {"type": i.identifier_type, "value": i.value} for i in read.identifiers
            ],
        }
    return out

"""Bounds on API input, from the same source as the models and forms: a text field's maximum
length is its model field's ``max_length``; ids, list sizes, limits and offsets have ceilings;
no text may hold a NUL byte or an unpaired surrogate (PostgreSQL and UTF-8 cannot store them).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from django.db import models
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator, WithJsonSchema

from tenants.limits import NOTES_MAX_LENGTH, max_length_of

MAX_ID = 2**63 - 1  # bigint keys (ARCHITECTURE.md: 64-bit keys everywhere)
MAX_LIMIT = 200
MAX_OFFSET = 100_000
MAX_ITEMS = 50  # list inputs: categories, needs, services, identifiers...
MAX_FIELDS = 100  # fields of one record kind in a sharing scope
SLUG_MAX_LENGTH = 40  # tenants.Organisation.slug
SEARCH_MAX_LENGTH = 200
CODE_MAX_LENGTH = 16  # code-list codes (case_apps.lists)
CPIMS_ID_MAX_LENGTH = 32  # a CPIMS ID as typed (with spaces or dashes)
NAME_MAX_LENGTH = 64  # record kinds, field names, statuses, directions
FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")


def _not_true_or_false(value: Any) -> Any:
    """JSON's true and false are not the numbers 1 and 0 (pydantic would read them so)."""
    if isinstance(value, bool):
        raise ValueError("a whole number is expected, not true or false")
    return value


def whole_number(minimum: int, maximum: int) -> Any:
    """A whole number in a request (body, path or query) between ``minimum`` and ``maximum``:
    true and false are refused, not read as 1 and 0. (Bounds inside the type, not on the
    field: pydantic documents a bounded alias under ``| None`` with ``minimum``/``maximum``.)"""
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_not_true_or_false)]


# the client's own record id (tenants/client_ids.py): a UUID's text is 36 characters
ClientUuid = Annotated[UUID, WithJsonSchema({"type": "string", "format": "uuid", "maxLength": 36})]
RecordId = whole_number(1, MAX_ID)
Search = Annotated[str, Field(max_length=SEARCH_MAX_LENGTH)]
Code = Annotated[str, Field(max_length=CODE_MAX_LENGTH)]
Codes = Annotated[list[Code], Field(max_length=MAX_ITEMS)]
Reason = Annotated[str, Field(max_length=NOTES_MAX_LENGTH)]
Word = Annotated[str, Field(max_length=NAME_MAX_LENGTH)]
Slug = Annotated[str, Field(max_length=SLUG_MAX_LENGTH)]
CpimsId = Annotated[str, Field(max_length=CPIMS_ID_MAX_LENGTH)]
Scope = Annotated[
    dict[Word, Annotated[list[Word], Field(max_length=MAX_FIELDS)]], Field(max_length=MAX_ITEMS)
]
Year = whole_number(1900, 2200)


def text_problem(value: str) -> str:
    """Why no field may hold this text ("" when it may)."""
    match = FORBIDDEN_TEXT.search(value)
    if match is None:
        return ""
    if match.group() == "\x00":
        return "Null characters are not allowed."
    return "Unpaired surrogate characters are not allowed."


def model_text(model: type[models.Model], field_name: str, default: Any = ..., **extra) -> Any:
    """A schema field bounded like the model field: ``name: str = model_text(Person, "name")``."""
    return Field(default, max_length=max_length_of(model, field_name), **extra)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit and offset with ceilings (an offset of 10**20 would overflow the database)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BoundedCountPagination(BoundedLimitOffsetPagination):
    """Limit and offset whose ``count`` reads at most ``cpims.pagination.COUNT_CAP`` matches
    (as the screens' pages do): a long list answers ``count`` = the cap and
    ``count_is_capped`` true instead of counting every row on each call."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            description="How many items match, counted up to a cap (10,000): when "
            "count_is_capped is true there are more; narrow the list with its filters."
        )
        count_is_capped: bool = Field(
            description="True when more items match than count says (the count stopped at its cap)."
        )

    def paginate_queryset(self, queryset, pagination, request, **params) -> dict[str, Any]:
        from cpims.pagination import bounded_count

        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        count, capped = bounded_count(queryset)
        return {
            self.items_attribute: queryset[offset : offset + limit],
            "count": count,
            "count_is_capped": capped,
        }

"""Registry endpoints for the directory of organisations (referrals and placements name
these), in workspaces (``search_registry``) and on the platform site (``manage_registry``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Schema

from shared_registry import selectors_lookups
from shared_registry.api_common import (
    answered,
    platform_actor,
    platform_router,
    workspace_actor,
    workspace_router,
)
from tenants.actor import Actor
from tenants.api_input import Search, Word


class DirectoryEntryOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    county_code: str
    sub_county_code: str | None
    capacity: int | None
    min_age: int | None
    max_age: int | None
    sexes_admitted: str
    phone: str
    email: str
    has_workspace: bool


def _directory_out(entry) -> dict:
    return {
        "code": entry.code,
        "name": entry.name,
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "county_code": entry.county.code,
        "sub_county_code": entry.sub_county.code if entry.sub_county_id else None,
        "capacity": entry.capacity,
        "min_age": entry.min_age,
        "max_age": entry.max_age,
        "sexes_admitted": entry.sexes_admitted,
        "phone": entry.phone,
        "email": entry.email,
        "has_workspace": entry.organisation_id is not None,
    }


def _entries(actor: Actor, *, q: str, kind: str, county: str) -> list[dict]:
    with answered():
        entries = selectors_lookups.directory_entries(
            actor=actor, query=q, kind=kind, county_code=county
        )
    return [_directory_out(e) for e in entries]


@workspace_router.get(
    "/registry/directory",
    response=list[DirectoryEntryOut],
    summary="The directory of organisations (referrals and placements name these)",
    operation_id="shared_registry_api_workspace_directory",
)
def workspace_directory(request: HttpRequest, q: Search = "", kind: Word = "", county: Word = ""):
    return _entries(workspace_actor(request), q=q, kind=kind, county=county)


@platform_router.get(
    "/registry/directory",
    response=list[DirectoryEntryOut],
    summary="The directory of organisations",
    operation_id="shared_registry_api_platform_directory",
)
def platform_directory(request: HttpRequest, q: Search = "", kind: Word = "", county: Word = ""):
    return _entries(platform_actor(request), q=q, kind=kind, county=county)

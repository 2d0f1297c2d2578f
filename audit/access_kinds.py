"""The access log in words: what each record kind is called and, where the app that logs it
says so, which record an identifier names (a case's reference, a child's name) and where it
is seen. The trail is generic: domain apps declare their kinds (``access_kinds`` in their
capabilities.py: ``AccessKind`` objects); the raw kind and identifier stay in a tooltip and in
exports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tenants.capabilities import declared

# ids -> {id: (words, url or "")}; called with the page's identifiers of one kind, in the
# schema whose log is shown; "scope" is "workspace" or "platform".
Describe = Callable[[list[str], str], dict[str, tuple[str, str]]]


@dataclass(frozen=True)
class AccessKind:
    name: str
    label: str
    describe: Describe | None = None


_KINDS: dict[str, AccessKind] = {}


def register_access_kind(kind: str, *, label, describe: Describe | None = None) -> None:
    """Name a record kind of the access log at run time (the last one of a name wins)."""
    _KINDS[kind] = AccessKind(kind, label, describe)


def _all_kinds() -> dict[str, AccessKind]:
    kinds = {kind.name: kind for kind in declared("access_kinds")}
    kinds.update(_KINDS)
    return kinds


def access_kind_label(kind: str) -> str:
    """What a record kind is called (the kind itself when nobody named it)."""
    found = _all_kinds().get(kind)
    return str(found.label) if found else kind.replace("_", " ")


def access_kind_choices(kinds: Iterable[str]) -> list[tuple[str, str]]:
    return [(kind, access_kind_label(kind)) for kind in kinds]


@dataclass(frozen=True)
class AccessRow:
    entry: object
    kind: str
    record: str
    url: str
    under: str
    codes: str


def access_rows(entries: Iterable, *, scope: str) -> list[AccessRow]:
    """A page of access entries in words: one describe call per record kind on the page."""
    from tenants.models import Organisation

    entries = list(entries)
    wanted: dict[str, set[str]] = {}
    for e in entries:
        wanted.setdefault(e.record_kind, set()).add(str(e.record_id))
    described: dict[tuple[str, str], tuple[str, str]] = {}
    kinds = _all_kinds()
    for kind, ids in wanted.items():
        found = kinds.get(kind)
        if found and found.describe:
            for record_id, words in found.describe(sorted(ids), scope).items():
                described[(kind, str(record_id))] = words
    slugs = {e.organisation_slug for e in entries if getattr(e, "organisation_slug", "")}
    names = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))
    rows = []
    for e in entries:
        record, url = described.get((e.record_kind, str(e.record_id)), ("", ""))
        if e.agreement_id:
            under = _("Agreement #%(n)s") % {"n": e.agreement_id}
        elif e.membership_id:
            under = _("Own membership")
        else:
            under = ""
        slug = getattr(e, "organisation_slug", "")
        if slug:
            under = f"{under} · {names.get(slug, slug)}" if under else names.get(slug, slug)
        rows.append(
            AccessRow(
                entry=e,
                kind=access_kind_label(e.record_kind),
                record=record,
                url=url,
                under=under,
                codes=f"{e.record_kind} {e.record_id}",
            )
        )
    return rows

"""What a data subject request exports from each organisation: the readers case apps declare.

A shareable record kind (``sharing.registry``) says what an agreement may share; a data
subject request must return everything held. So each case app also declares
(``subject_readers`` in its capabilities.py: ``SubjectKind`` objects) a reader that returns
every record it holds about one registry person, with all their fields and the rows under
them (JSON-serialisable dicts). The gateway (``gateway.read_for_data_subject_request``) runs
these readers, and every shareable kind with all its fields, inside each organisation's
schema, read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tenants.capabilities import declared

SubjectReader = Callable[[int, Sequence[str]], list[dict]]


@dataclass(frozen=True)
class SubjectKind:
    name: str
    label: Any  # may be lazily translated: the gateway puts it in words per request
    reader: SubjectReader


_READERS: dict[str, SubjectKind] = {}


def register_subject_reader(kind: str, *, label: str, reader: SubjectReader) -> SubjectKind:
    """Add at run time a reader of everything one app holds on a person (the last one of a
    name wins)."""
    subject_kind = SubjectKind(name=kind, label=str(label), reader=reader)
    _READERS[kind] = subject_kind
    return subject_kind


def subject_readers() -> list[SubjectKind]:
    """The declared readers (in the order of the installed apps), then those added at run
    time."""
    readers = {kind.name: kind for kind in declared("subject_readers")}
    readers.update(_READERS)
    return list(readers.values())


def rows_with_children(queryset, *, exclude: Sequence[str] = ()) -> list[dict]:
    """``queryset``'s rows as dicts with every one-to-many relation under each row (one query
    per relation), for readers that export a record with everything attached to it."""
    model = queryset.model
    rows = list(queryset.values())
    by_id = {row["id"]: row for row in rows}
    for relation in model._meta.related_objects:
        if not relation.one_to_many or relation.related_name in (None, "+"):
            continue
        name = relation.get_accessor_name()
        if name in exclude:
            continue
        field = relation.field.attname
        for row in rows:
            row[name] = []
        for child in relation.related_model.objects.filter(
            **{f"{field}__in": list(by_id)}
        ).values():
            by_id[child[field]][name].append(child)
    return rows

"""What can be shared: the record kinds case apps register, each with its fields and reader.

The sharing app knows no case data. A case app declares its record kinds in its
capabilities.py (``shareable_kinds``, dotted paths to ``RecordKind`` objects; see
tenants/capabilities.py), each with the fields an agreement may name and a reader that,
inside the providing organisation's schema, returns one person's rows of that kind (dicts
keyed by field name). The gateway calls the reader and keeps only the fields in scope.
``register_record_kind`` adds a kind at run time (the last one of a name wins).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tenants.capabilities import declared

Reader = Callable[[int, Sequence[str]], list[dict]]
# Optional: a field's value in words (codes become their labels) for the screens; exports
# and the stored summary keep the codes.
Presenter = Callable[[str, object], str | None]


@dataclass(frozen=True)
class RecordKind:
    name: str
    label: str
    fields: dict[str, str]  # field name -> label, in display order
    reader: Reader
    # Optional: one record's rows (by the record id the case app knows, e.g. the case a
    # referral is sent from), for summaries that must carry that record only.
    record_reader: Reader | None = None
    presenter: Presenter | None = None


_KINDS: dict[str, RecordKind] = {}


def register_record_kind(
    kind: str,
    *,
    label: str,
    fields: dict[str, str],
    reader: Reader,
    record_reader: Reader | None = None,
    presenter: Presenter | None = None,
) -> RecordKind:
    """Add a shareable record kind at run time (idempotent: the last registration wins)."""
    record_kind = RecordKind(
        name=kind,
        label=label,
        fields=dict(fields),
        reader=reader,
        record_reader=record_reader,
        presenter=presenter,
    )
    _KINDS[kind] = record_kind
    return record_kind


def _all_kinds() -> dict[str, RecordKind]:
    """The declared kinds (in the order of the installed apps), then those added at run time."""
    kinds = {kind.name: kind for kind in declared("shareable_kinds")}
    kinds.update(_KINDS)
    return kinds


def record_kind_get(kind: str) -> RecordKind | None:
    return _all_kinds().get(kind)


def record_kinds() -> list[RecordKind]:
    return list(_all_kinds().values())


# Whether a member may see some record of a person in their organisation (their caseload
# scope): each case app declares its check (``person_access`` in its capabilities.py); sharing
# asks them before showing or changing a person's consent records, since it knows no case
# data itself.
PersonAccess = Callable[..., bool]  # (user, membership, person_id) -> bool
_PERSON_ACCESS: dict[str, PersonAccess] = {}


def register_person_access(app: str, check: PersonAccess) -> None:
    """Add at run time how ``app`` decides whether a member sees a person (idempotent)."""
    _PERSON_ACCESS[app] = check


def person_in_caseload(user, membership, person_id: int) -> bool:
    """Whether some case app lets this member see a record of the person (in the current
    organisation's schema); False when no app says so."""
    checks = [*declared("person_access"), *_PERSON_ACCESS.values()]
    return any(check(user, membership, person_id) for check in checks)


def field_label(kind: str, field: str) -> str:
    record_kind = record_kind_get(kind)
    return record_kind.fields.get(field, field) if record_kind else field


def field_display(kind: str, field: str, value) -> str:
    """A shared value as a screen shows it: the record kind's words for it when it gives
    them, else the value itself ("—" for nothing, lists joined)."""
    record_kind = record_kind_get(kind)
    if record_kind is not None and record_kind.presenter is not None and value not in (None, ""):
        shown = record_kind.presenter(field, value)
        if shown is not None:
            return shown
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)

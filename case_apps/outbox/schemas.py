"""The event stream's types: every kind of outbox event, its version and its typed payload.

The outbox refuses, in the change's own transaction, a payload its schema does not accept;
readers (the statistics drain, the events API) read every event through its schema and
refuse loudly a kind or version they do not know. A change to a payload's shape is a new
version of its kind (readers keep the old versions they still meet in stored events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# Keys allowed in a fact payload: de-identified dimensions only, with the width of the fact
# column each one becomes (national_statistics.models.Fact; a test keeps the two equal).
FACT_DIMENSION_WIDTHS = {
    "programme": 32,
    "category": 16,
    "sex": 8,
    "age_band": 16,
    "county": 8,
    "sub_county": 8,
    "ward": 8,
    "case_ref": 40,
    "person_ref": 40,
}
FACT_DIMENSIONS = frozenset(FACT_DIMENSION_WIDTHS)
# The kind of an event that withdraws its source's fact (a deletion or disposal).
RETRACTED = "retracted"


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class FactPayloadV1(_Payload):
    """Version 1 of a fact: the de-identified dimensions, each as wide as its fact column."""

    programme: str = Field("", max_length=FACT_DIMENSION_WIDTHS["programme"])
    category: str = Field("", max_length=FACT_DIMENSION_WIDTHS["category"])
    sex: str = Field("", max_length=FACT_DIMENSION_WIDTHS["sex"])
    age_band: str = Field("", max_length=FACT_DIMENSION_WIDTHS["age_band"])
    county: str = Field("", max_length=FACT_DIMENSION_WIDTHS["county"])
    sub_county: str = Field("", max_length=FACT_DIMENSION_WIDTHS["sub_county"])
    ward: str = Field("", max_length=FACT_DIMENSION_WIDTHS["ward"])
    case_ref: str = Field("", max_length=FACT_DIMENSION_WIDTHS["case_ref"])
    person_ref: str = Field("", max_length=FACT_DIMENSION_WIDTHS["person_ref"])

    @field_validator("*", mode="before")
    @classmethod
    def _none_is_blank(cls, value: Any) -> Any:
        return "" if value is None else value


class RetractionPayloadV1(_Payload):
    """Version 1 of a retraction: no payload, the event's source says what is withdrawn."""


@dataclass(frozen=True)
class EventType:
    """One kind of event: its current version and the payload schema of every version."""

    kind: str
    description: str
    versions: dict[int, type[_Payload]]

    @property
    def current(self) -> int:
        return max(self.versions)


def _fact(kind: str, description: str) -> EventType:
    return EventType(kind, description, {1: FactPayloadV1})


EVENT_TYPES: dict[str, EventType] = {
    t.kind: t
    for t in (
        _fact("case_opened", "A case opened (dated by its date reported)."),
        _fact(
            "case_activated", "A case became active: its first action after intake (dated by it)."
        ),
        _fact("case_category_added", "A case category of a case (category: its code)."),
        _fact("transfer_in", "A case opened by accepting another organisation's transfer."),
        _fact("follow_up", "A follow-up of a case (category: its type)."),
        _fact("referral", "A referral of a case (category: its reason)."),
        _fact("placement", "A placement of a child (category: the care type)."),
        _fact("bursary", "A bursary awarded (category: the bursary type)."),
        _fact("court_session", "A court session of a case (category: the session type)."),
        _fact("court_order", "A court order made at a session (category: the order code)."),
        _fact("bursary_approved", "A bursary application approved (category: the type)."),
        _fact("case_closed", "A case closed (category: the closure reason)."),
        _fact("intervention", "An intervention on a case (category: the intervention code)."),
        _fact("case_reopened", "A closed case reopened after a supervisor's approval."),
        _fact("transfer_out", "A case closed by a completed transfer to another organisation."),
        _fact("ovc_enrolled", "An OVC beneficiary enrolled (dated by the registration date)."),
        _fact("ovc_hiv_status", "An OVC beneficiary's HIV status (category: the status)."),
        _fact("ovc_school_status", "An OVC beneficiary's school level (category: its code)."),
        _fact("ovc_service", "A service delivered to an OVC beneficiary (category: domain)."),
        _fact("ovc_hiv_test_not_required", "A risk screening that required no HIV test."),
        _fact("ovc_exited", "An OVC beneficiary exited (category: the exit reason)."),
        _fact("ovc_graduated", "An OVC beneficiary graduated (category: the exit reason)."),
        _fact(
            "resident_admitted",
            "A child admitted to an institution (category: the admission type; age band at "
            "admission, the institution's county).",
        ),
        _fact(
            "resident_discharged",
            "A child's residence in an institution ended (category: the residential status; "
            "age band at admission).",
        ),
        EventType(RETRACTED, "The fact of the source is withdrawn.", {1: RetractionPayloadV1}),
    )
}


class UnknownEvent(ValueError):
    """An event whose kind or version has no schema: never read silently."""


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'payload'}: {e['msg']}" for e in error.errors()
    )


def event_schema(kind: str, version: int) -> type[_Payload]:
    """The payload schema of ``kind`` at ``version``; ``UnknownEvent`` when there is none."""
    event_type = EVENT_TYPES.get(kind)
    if event_type is None:
        raise UnknownEvent(f"Unknown outbox event type {kind!r}")
    schema = event_type.versions.get(version)
    if schema is None:
        raise UnknownEvent(f"Unknown version {version} of outbox event type {kind!r}")
    return schema


def payload_validate(kind: str, payload: dict, version: int | None = None) -> tuple[int, dict]:
    """The version and the payload to store for a new event (``ValueError`` naming the
    fields a payload gets wrong: unknown keys, values too wide for their fact column)."""
    version = EVENT_TYPES[kind].current if version is None and kind in EVENT_TYPES else version
    schema = event_schema(kind, version or 1)
    try:
        checked = schema.model_validate(payload)
    except ValidationError as error:
        raise ValueError(f"Outbox payload refused for {kind!r}: {_problems(error)}") from None
    return version or 1, checked.model_dump(exclude_unset=True)


def payload_read(kind: str, version: int, payload: dict | None) -> _Payload:
    """A stored event's payload through its schema (``UnknownEvent`` if it does not fit)."""
    schema = event_schema(kind, version)
    try:
        return schema.model_validate(payload or {})
    except ValidationError as error:
        raise UnknownEvent(
            f"A stored {kind!r} v{version} event does not fit its schema: {_problems(error)}"
        ) from None

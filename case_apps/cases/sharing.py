"""What case management shares through the gateway: a child's case summary.

Declared (``CASE_SUMMARY_KIND``, ``child_in_caseload``) in case_apps/cases/capabilities.py.
The reader runs inside the
providing organisation's schema (the gateway switches to it, read-only) and returns one
row per case of the child; the gateway keeps only the fields an agreement names.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from sharing.registry import RecordKind

CASE_SUMMARY = "case_summary"
CASE_SUMMARY_FIELDS = {
    "national_reference": _("Case reference"),
    "date_reported": _("Date reported"),
    "status": _("Status"),
    "category_codes": _("Case categories"),
    "risk_level": _("Risk level"),
    "occurrence_county_code": _("County of occurrence"),
    "occurrence_village": _("Village / estate"),
    "intake_intervention": _("Intervention at intake"),
    "reporter_name": _("Reporter's name"),
    "narrative": _("Case narrative"),
    "child_date_of_birth": _("Child's date of birth"),
}

# What a referral's send form starts with: the smallest summary (the case, its categories
# and risk); the child's identity (name, CPIMS ID, sex and age), the reasons and the sending
# officer's name go with every referral, the officer's work phone when they tick it. The
# officer adds any other field deliberately; these are never pre-selected.
SMALLEST_SCOPE = {CASE_SUMMARY: ["national_reference", "category_codes", "risk_level"]}
NEVER_PRESELECTED = ("narrative", "reporter_name", "child_date_of_birth")

# fields read from the child's registry entry rather than the case's own columns
_PERSON_COLUMNS = {"child_date_of_birth": F("child__date_of_birth")}


def smallest_scope_values(consent_scope: dict) -> list[str]:
    """The send form's pre-selected ``kind:field`` values: the smallest scope, as far as
    the consent covers it (never a field of ``NEVER_PRESELECTED``)."""
    return [
        f"{kind}:{name}"
        for kind, names in SMALLEST_SCOPE.items()
        for name in names
        if name in consent_scope.get(kind, []) and name not in NEVER_PRESELECTED
    ]


def _rows(queryset, fields: Sequence[str]) -> list[dict]:
    columns = [f for f in fields if f in CASE_SUMMARY_FIELDS]
    if not columns:
        return []
    annotations = {f: _PERSON_COLUMNS[f] for f in columns if f in _PERSON_COLUMNS}
    return list(queryset.annotate(**annotations).values(*columns))


def case_summary_rows(person_id: int, fields: Sequence[str]) -> list[dict]:
    """The child's cases in the current schema, only ``fields`` (known ones) per row."""
    from case_apps.cases.models import CaseRecord

    return _rows(
        CaseRecord.objects.filter(child_id=person_id).order_by("-date_reported", "-id"), fields
    )


def case_summary_row(case_id: int, fields: Sequence[str]) -> list[dict]:
    """One case's summary row in the current schema (the case a referral is sent from)."""
    from case_apps.cases.models import CaseRecord

    return _rows(CaseRecord.objects.filter(pk=case_id), fields)


def child_in_caseload(user, membership, person_id: int) -> bool:
    """Whether the member sees at least one of the child's cases (their caseload scope)."""
    from case_apps.cases.selectors import cases_visible_to
    from tenants.actor import Actor

    actor = Actor(user=user, membership=membership)
    return cases_visible_to(actor=actor).filter(child_id=person_id).exists()


DATE_FIELDS = ("date_reported", "child_date_of_birth")

CODED_FIELDS = {
    "category_codes": "case_category",
    "risk_level": "risk_level",
    "intake_intervention": "intervention",
}


def case_summary_value(field: str, value) -> str | None:
    """A shared case summary value in words: labels for codes, names for places; None
    leaves the value as it is."""
    import datetime

    from django.utils.formats import date_format

    from case_apps.cases.models import CaseStatus
    from case_apps.lists.selectors import list_labels_bulk
    from shared_registry.places import place_names

    if field in CODED_FIELDS:
        labels = list_labels_bulk([CODED_FIELDS[field]]).get(CODED_FIELDS[field], {})
        codes = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(labels.get(c, c) for c in codes)
    if field == "status":
        return str(CaseStatus(value).label) if value in CaseStatus.values else str(value)
    if field == "occurrence_county_code":
        return place_names(value).county
    if field in DATE_FIELDS and isinstance(value, str):  # a stored summary keeps ISO dates
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")  # as every screen shows a date
    return None


CASE_SUMMARY_KIND = RecordKind(
    name=CASE_SUMMARY,
    label=_("case summary"),
    fields=dict(CASE_SUMMARY_FIELDS),
    reader=case_summary_rows,
    record_reader=case_summary_row,
    presenter=case_summary_value,
)

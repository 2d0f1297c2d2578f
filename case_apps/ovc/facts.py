"""What an OVC enrolment tells national statistics: one outbox event per fact, dated by
the day it records, with a source under ``ovc:<enrolment>:`` so that a correction restates
it and a disposal retracts everything under the enrolment."""

from __future__ import annotations

from datetime import date

from case_apps.outbox.services import outbox_event_record, person_ref
from case_apps.ovc.models import Enrolment
from cpims.pseudonyms import OVC_BENEFICIARY, pseudonym
from shared_registry.models import Person
from tenants.models import Organisation


def mer_age_band(person: Person, on: date) -> str:
    """PEPFAR MER age bands: <1, 1-4, 5-9, 10-14, 15-17, 18-20, 21+ (age on ``on``)."""
    dob = person.date_of_birth
    if dob is not None:
        years = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    elif person.birth_year:
        years = on.year - person.birth_year
    else:
        return "unknown"
    for upper, band in ((0, "<1"), (4, "1-4"), (9, "5-9"), (14, "10-14"), (17, "15-17")):
        if years <= upper:
            return band
    return "18-20" if years <= 20 else "21+"


def _ref(organisation: Organisation, enrolment: Enrolment) -> str:
    """An opaque, stable reference for counting unique beneficiaries in facts."""
    return _ref_of(organisation.schema_name, enrolment.pk)


def _ref_of(schema_name: str, enrolment_id: int) -> str:
    """The keyed pseudonym of an enrolment (platform/cpims/pseudonyms.py)."""
    return pseudonym(OVC_BENEFICIARY, f"{schema_name}:{enrolment_id}", length=20)


def _fact(
    kind: str,
    organisation: Organisation,
    enrolment: Enrolment,
    on: date,
    category: str = "",
    *,
    what: str,
) -> None:
    """One fact of the enrolment, dated ``on``, with source ``ovc:<enrolment>:<what>`` (the
    same source written again restates it; disposal retracts everything under it)."""
    child = Person.objects.get(pk=enrolment.child_id)
    household = enrolment.household
    outbox_event_record(
        kind=kind,
        payload={
            "category": category,
            "sex": child.sex or "",
            "age_band": mer_age_band(child, on),
            "county": household.county_code or organisation.county_code or "",
            "sub_county": household.sub_county_code or organisation.sub_county_code or "",
            "ward": household.ward_code,
            "programme": enrolment.programme,
            "case_ref": _ref(organisation, enrolment),
            "person_ref": person_ref(enrolment.child_id),
        },
        on=on,  # the day it happened (a service recorded late counts in its own quarter)
        source=f"ovc:{enrolment.pk}:{what}",
    )


def person_sources(person_ids: set[int] | None) -> list[tuple[str, int, str]]:
    """The enrolments of these registry persons (``None``: every enrolment), as fact source
    prefixes with the child and the beneficiary reference (for merges and restatement)."""
    from django.db import connection

    enrolments = Enrolment.objects.all()
    if person_ids is not None:
        enrolments = enrolments.filter(child_id__in=person_ids)
    rows = enrolments.values_list("pk", "child_id")
    return [(f"ovc:{pk}:", child_id, _ref_of(connection.schema_name, pk)) for pk, child_id in rows]


# The facts dated on the registration day: (kind, source suffix).
ENROLMENT_DAY_FACTS = (
    ("ovc_enrolled", "enrolled"),
    ("ovc_hiv_status", "hiv:enrolment"),
    ("ovc_school_status", "school:enrolment"),
)


def _enrolment_day_restate(organisation: Organisation, enrolment: Enrolment) -> None:
    """A corrected registration date: its facts again on the new day, each with the status
    it recorded then (a later status has facts of its own)."""
    from case_apps.outbox.models import OutboxEvent

    for kind, what in ENROLMENT_DAY_FACTS:
        earlier = (
            OutboxEvent.objects.filter(source=f"ovc:{enrolment.pk}:{what}").order_by("-id").first()
        )
        category = (earlier.payload or {}).get("category", "") if earlier else ""
        _fact(kind, organisation, enrolment, enrolment.registration_date, category, what=what)

"""What an institution's admissions tell national statistics (issue 19): a ``resident_admitted``
fact on the day of admission and a ``resident_discharged`` fact on the day residence ended,
both under the case's sources (``case:<id>:admission:<pk>``, ``case:<id>:discharge:<pk>``) so a
correction restates them and a disposal retracts them. Both carry the age band at admission
and the institution's county and sub-county: the population on a day is the admissions up to
it less the discharges, per sex and age band, and never goes negative."""

from __future__ import annotations

from case_apps.cases.facts import age_band, dimensions
from case_apps.institutions.models import Admission
from case_apps.outbox.services import outbox_event_record, outbox_retraction_record
from tenants.models import Organisation

PROGRAMME = "institutions"


def _payload(admission: Admission, organisation: Organisation, category: str) -> dict:
    case, child = admission.case, admission.case.child
    return dimensions(
        case,
        organisation,
        category=category,
        programme=PROGRAMME,
        age_band=age_band(child.date_of_birth, child.birth_year, admission.admitted_on),
        county=organisation.county_code,
        sub_county=organisation.sub_county_code,
        ward="",
    )


def _record(admission: Admission, kind: str, on, what: str, category: str, organisation) -> None:
    source = f"case:{admission.case_id}:{what}:{admission.pk}"
    outbox_event_record(
        kind=kind, payload=_payload(admission, organisation, category), on=on, source=source
    )
    written = getattr(admission.case, "_sources_written", None)
    if written is not None:
        written.add(source)


def admission_facts(admission: Admission, organisation: Organisation) -> None:
    """The admission's facts as the admission now stands (written again on a correction)."""
    _record(
        admission,
        "resident_admitted",
        admission.admitted_on,
        "admission",
        admission.admission_type,
        organisation,
    )
    if admission.discharged_on is not None:
        _record(
            admission,
            "resident_discharged",
            admission.discharged_on,
            "discharge",
            admission.residential_status,
            organisation,
        )
    elif getattr(admission.case, "_sources_written", None) is None:
        outbox_retraction_record(source=f"case:{admission.case_id}:discharge:{admission.pk}")


def admission_facts_restate(case, organisation: Organisation) -> None:
    """Every admission of the case, for ``case_facts_restate`` (it sets ``_sources_written``:
    sources not written again are retracted at its end)."""
    for admission in Admission.objects.filter(case=case).select_related("case__child"):
        admission.case = case
        admission_facts(admission, organisation)

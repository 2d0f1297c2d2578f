"""Everything case management holds on one registry person, for a data subject request.

Declared (``CASE_RECORDS_READER``) in case_apps/cases/capabilities.py; the gateway runs it inside
each organisation's schema, read-only. Rows: the person's own cases as the child, with every
row under each case (categories, perpetrators, caregivers, follow-ups, referrals,
placements, bursaries, plans, approvals, events, attachment details), and the cases in which
the person is named as a parent or caregiver (the link only, not the other child's case).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from sharing.subject_access import SubjectKind, rows_with_children

CASE_RECORDS = "case_records"


def case_records_of_person(person_id: int, fields: Sequence[str] = ()) -> list[dict]:
    from case_apps.cases.models import CaseCaregiver, CaseRecord

    cases = CaseRecord.objects.filter(child_id=person_id).order_by("date_reported", "id")
    rows = [{"role": "child", **row} for row in rows_with_children(cases)]
    rows += [
        {"role": "caregiver", **row}
        for row in CaseCaregiver.objects.filter(person_id=person_id)
        .order_by("id")
        .values("id", "case_id", "case__national_reference", "relationship_code")
    ]
    return rows


CASE_RECORDS_READER = SubjectKind(CASE_RECORDS, _("case records"), case_records_of_person)

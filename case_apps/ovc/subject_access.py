"""Everything the OVC programme holds on one registry person, for a data subject request.

Declared (``OVC_RECORDS_READER``) in case_apps/ovc/capabilities.py. Rows: the person's
enrolments (with services, HIV screenings and visits, case plan lines, wellbeing
assessments and the household visits where the child was seen), the households they belong
to (their membership row), and the households they head (with members, CPARA assessments,
plan lines, household assessments and visits; not the other children's enrolments).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from sharing.subject_access import SubjectKind, rows_with_children

OVC_RECORDS = "ovc_records"


def ovc_records_of_person(person_id: int, fields: Sequence[str] = ()) -> list[dict]:
    from case_apps.ovc.models import Enrolment, Household, HouseholdMember, WellbeingAssessment
    from case_apps.ovc.models_visits import HouseholdVisit

    enrolments = rows_with_children(
        Enrolment.objects.filter(child_id=person_id).order_by("registration_date", "id")
    )
    for row in enrolments:
        row["wellbeing_assessments"] = list(
            WellbeingAssessment.objects.filter(enrolment_id=row["id"]).values()
        )
        row["household_visits_seen"] = list(
            HouseholdVisit.objects.filter(children_seen=row["id"]).values()
        )
    rows = [{"role": "enrolled child", **row} for row in enrolments]
    rows += [
        {"role": "household member", **row}
        for row in HouseholdMember.objects.filter(person_id=person_id)
        .order_by("id")
        .values(
            "id",
            "household_id",
            "household__number",
            "member_type",
            "is_head",
            "alive",
            "death_cause",
            "hiv_status",
        )
    ]
    rows += [
        {"role": "household head", **row}
        for row in rows_with_children(
            Household.objects.filter(head_id=person_id).order_by("id"), exclude=("enrolments",)
        )
    ]
    return rows


OVC_RECORDS_READER = SubjectKind(OVC_RECORDS, _("OVC records"), ovc_records_of_person)

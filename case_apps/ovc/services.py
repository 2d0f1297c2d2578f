"""Writes of the OVC programme, one subject module each; ``from case_apps.ovc import
services`` keeps reaching them all here.

Every write takes the actor (``tenants.actor.Actor``): it asks the policy whether the
actor may record, fetches the household or child as the actor (not found when missing or
outside the actor's caseload), validates per field (nothing saved on errors), then changes
state and records the de-identified outbox event in the same transaction.
"""

from __future__ import annotations

from case_apps.ovc.facts import _fact, _ref, mer_age_band, person_sources
from case_apps.ovc.services_assessments import cpara_record, wellbeing_questions, wellbeing_record
from case_apps.ovc.services_care import (
    RECENT_TEST_DAYS,
    RISK_KEYS,
    SUPPRESSION_THRESHOLD,
    SUPPRESSION_WINDOW_DAYS,
    hiv_management_visit_record,
    hiv_referral_result_record,
    hiv_screening_record,
    hiv_test_required,
    virally_suppressed,
)
from case_apps.ovc.services_case_plans import case_plan_item_add, case_plan_item_complete
from case_apps.ovc.services_delivered import service_record
from case_apps.ovc.services_enrolment import (
    ENROLMENT_EDITABLE,
    REGISTRATION_DATE_MAX_MOVE_DAYS,
    child_enrol,
    enrolment_update,
)
from case_apps.ovc.services_exits import EXIT_MAX_DAYS_BACK, enrolment_exit
from case_apps.ovc.services_households import (
    MemberInput,
    household_assign,
    household_member_add,
    household_register,
    member_caregivers_set,
)

__all__ = [
    "ENROLMENT_EDITABLE",
    "EXIT_MAX_DAYS_BACK",
    "RECENT_TEST_DAYS",
    "REGISTRATION_DATE_MAX_MOVE_DAYS",
    "RISK_KEYS",
    "SUPPRESSION_THRESHOLD",
    "SUPPRESSION_WINDOW_DAYS",
    "MemberInput",
    "_fact",
    "_ref",
    "case_plan_item_add",
    "case_plan_item_complete",
    "child_enrol",
    "cpara_record",
    "enrolment_exit",
    "enrolment_update",
    "hiv_management_visit_record",
    "hiv_referral_result_record",
    "hiv_screening_record",
    "hiv_test_required",
    "household_assign",
    "household_member_add",
    "household_register",
    "member_caregivers_set",
    "mer_age_band",
    "person_sources",
    "service_record",
    "virally_suppressed",
    "wellbeing_questions",
    "wellbeing_record",
]

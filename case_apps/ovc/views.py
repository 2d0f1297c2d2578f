"""OVC programme screens of an implementing partner's workspace: thin views over services
and selectors, one subject module each (households, enrolment, assessments, case plans,
care, exits); ``case_apps.ovc.views`` keeps reaching them all here. Only implementing
partners (kind "ip" or "lip") run the programme."""

from __future__ import annotations

from case_apps.ovc.views_assessments import cpara_create, wellbeing_create
from case_apps.ovc.views_care import hiv_visit_add, screening_add, screening_result
from case_apps.ovc.views_case_plans import case_plan_add, case_plan_complete
from case_apps.ovc.views_common import OVC_ORGANISATION_KINDS, ovc_permission, runs_ovc
from case_apps.ovc.views_delivered import service_add
from case_apps.ovc.views_enrolment import enrol, enrolment_detail, enrolment_edit
from case_apps.ovc.views_exits import exit_record
from case_apps.ovc.views_households import (
    PERSON_PURPOSES,
    children_list,
    find_person,
    household_assign,
    household_create,
    household_detail,
    household_list,
    member_add,
)

__all__ = [
    "OVC_ORGANISATION_KINDS",
    "PERSON_PURPOSES",
    "case_plan_add",
    "case_plan_complete",
    "children_list",
    "cpara_create",
    "enrol",
    "enrolment_detail",
    "enrolment_edit",
    "exit_record",
    "find_person",
    "hiv_visit_add",
    "household_assign",
    "household_create",
    "household_detail",
    "household_list",
    "member_add",
    "ovc_permission",
    "runs_ovc",
    "screening_add",
    "screening_result",
    "service_add",
    "wellbeing_create",
]

"""Writes on cases: each one takes the actor, fetches its case as that actor, asks the
policy, then validates, changes state, records who/when/why and the outbox event in one
transaction. One module per subject; every public name is importable from here."""

from case_apps.cases.facts import PROGRAMME, age_band
from case_apps.cases.services.approvals import approval_decide, case_reassign, closure_request
from case_apps.cases.services.attachments import (
    ALLOWED_ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    attachment_add,
)
from case_apps.cases.services.bursaries import bursary_award_record
from case_apps.cases.services.case_plans import case_plan_submit
from case_apps.cases.services.common import CaseConflict, CaseStateError, as_actor, case_for
from case_apps.cases.services.follow_ups import (
    follow_up_date_correct,
    follow_up_delete,
    follow_up_record,
)
from case_apps.cases.services.placements import (
    placement_delete,
    placement_discharge,
    placement_record,
)
from case_apps.cases.services.record_sheet import (
    EDITABLE_FIELDS,
    RESTATING_FIELDS,
    CaregiverInput,
    CategoryInput,
    PerpetratorInput,
    case_open,
    case_update,
    national_reference,
)
from case_apps.cases.services.referrals import (
    referral_complete,
    referral_delete,
    referral_record,
)
from case_apps.cases.services.replays import was_replayed
from case_apps.cases.services.transfer_closure import transferred_case_close

__all__ = [
    "ALLOWED_ATTACHMENT_TYPES",
    "EDITABLE_FIELDS",
    "MAX_ATTACHMENT_BYTES",
    "PROGRAMME",
    "RESTATING_FIELDS",
    "CaregiverInput",
    "CaseConflict",
    "CaseStateError",
    "CategoryInput",
    "PerpetratorInput",
    "age_band",
    "approval_decide",
    "as_actor",
    "attachment_add",
    "bursary_award_record",
    "case_for",
    "case_open",
    "case_plan_submit",
    "case_reassign",
    "case_update",
    "closure_request",
    "follow_up_date_correct",
    "follow_up_delete",
    "follow_up_record",
    "national_reference",
    "placement_delete",
    "placement_discharge",
    "placement_record",
    "referral_complete",
    "referral_delete",
    "referral_record",
    "transferred_case_close",
    "was_replayed",
]

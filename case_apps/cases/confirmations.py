"""What an action on a case did, in words: the thing and the outcome (docs/ui.md,
*Confirmations*; issue 13). "Case CCO/42/... closed on 2 Dec 2026", not "Decision
recorded."."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from case_apps.cases.models import ApprovalKind, ApprovalStatus
from case_apps.cases.presenters import case_labels


def follow_up_recorded(case, follow_up) -> str:
    return _("%(type)s of %(date)s recorded on case %(ref)s.") % {
        "type": case_labels().of("follow_up_type", follow_up.follow_up_type),
        "date": date_format(follow_up.date),
        "ref": case.national_reference,
    }


def _referred_to(referral) -> str:
    return referral.destination_name or case_labels().of(
        "referral_destination", referral.destination
    )


def referral_recorded(case, referral) -> str:
    return _("Referral to %(to)s recorded on case %(ref)s.") % {
        "to": _referred_to(referral),
        "ref": case.national_reference,
    }


def referral_outcome_recorded(case, referral) -> str:
    return _("Outcome of the referral to %(to)s recorded: %(status)s.") % {
        "to": _referred_to(referral),
        "status": referral.get_status_display().lower(),
    }


def placement_recorded(case, placement) -> str:
    return _("Placement with %(with)s from %(date)s recorded on case %(ref)s.") % {
        "with": placement.placed_with,
        "date": date_format(placement.admitted_on),
        "ref": case.national_reference,
    }


def placement_discharged(case, placement) -> str:
    return _("Discharge from %(with)s on %(date)s recorded.") % {
        "with": placement.placed_with,
        "date": date_format(placement.discharged_on),
    }


def bursary_recorded(case, award) -> str:
    return _("Bursary (%(bursary)s, KES %(amount)s) recorded on case %(ref)s.") % {
        "bursary": case_labels().of("bursary_type", award.bursary_type),
        "amount": award.amount_kes,
        "ref": case.national_reference,
    }


def case_plan_submitted(case) -> str:
    return _("Case plan of case %(ref)s sent to a supervisor for approval.") % {
        "ref": case.national_reference
    }


def closure_requested(case) -> str:
    return _("Closure of case %(ref)s sent to a supervisor for approval.") % {
        "ref": case.national_reference
    }


def case_reassigned(case, officer) -> str:
    return _("Case %(ref)s moved to %(officer)s.") % {
        "ref": case.national_reference,
        "officer": officer.full_name or officer.email,
    }


def approval_decided(approval) -> str:
    case = approval.case
    values = {
        "ref": case.national_reference,
        "date": date_format(timezone.localdate(approval.decided_at)),
    }
    if approval.kind == ApprovalKind.REOPENING:
        if approval.status == ApprovalStatus.APPROVED:
            values["date"] = date_format(approval.reopened_on)
            return _("Case %(ref)s reopened on %(date)s.") % values
        return _("Reopening of case %(ref)s sent back: the case stays closed.") % values
    if approval.kind == ApprovalKind.CLOSURE:
        if approval.status == ApprovalStatus.APPROVED:
            if approval.closed_on:  # the closure date the officer gave
                values["date"] = date_format(approval.closed_on)
            return _("Case %(ref)s closed on %(date)s.") % values
        return _("Closure of case %(ref)s sent back: the case stays open.") % values
    if approval.status == ApprovalStatus.APPROVED:
        return _("Case plan of case %(ref)s approved on %(date)s.") % values
    return _("Case plan of case %(ref)s sent back with your reason.") % values


def record_sheet_saved(case) -> str:
    return _("Record sheet of case %(ref)s saved.") % {"ref": case.national_reference}


def document_attached(case, attachment) -> str:
    return _("Document “%(title)s” attached to case %(ref)s.") % {
        "title": attachment.title,
        "ref": case.national_reference,
    }


def consent_recorded(case, consent) -> str:
    return _("Consent recorded for %(child)s, given by %(giver)s, valid until %(until)s.") % {
        "child": case.child.full_name,
        "giver": consent.giver_name,
        "until": date_format(consent.valid_until),
    }


def consent_changed(case, consent) -> str:
    return _("Consent for %(child)s changed: version %(v)s, valid until %(until)s.") % {
        "child": case.child.full_name,
        "v": consent.version,
        "until": date_format(consent.valid_until),
    }


def consent_withdrawn(case) -> str:
    return _("Consent for %(child)s withdrawn: sharing that relied on it stops.") % {
        "child": case.child.full_name
    }


def org_referral_withdrawn(referral) -> str:
    return _("%(kind)s to %(org)s withdrawn.") % {
        "kind": referral.get_kind_display().split(" (")[0],
        "org": referral.receiver.name,
    }


def org_referral_declined(referral) -> str:
    return _("Referral of %(child)s from %(org)s declined: the sender sees your reason.") % {
        "child": referral.person.full_name,
        "org": referral.sender.name,
    }


def follow_up_date_corrected(case, follow_up, before) -> str:
    return _("Date of the %(type)s corrected from %(before)s to %(date)s on case %(ref)s.") % {
        "type": case_labels().of("follow_up_type", follow_up.follow_up_type),
        "before": date_format(before),
        "date": date_format(follow_up.date),
        "ref": case.national_reference,
    }


def intervention_recorded(case, intervention) -> str:
    return _("%(intervention)s of %(date)s recorded on case %(ref)s.") % {
        "intervention": case_labels().of("intervention", intervention.intervention_code),
        "date": date_format(intervention.date),
        "ref": case.national_reference,
    }


def reopening_requested(case) -> str:
    return _("Reopening of case %(ref)s sent to a supervisor for approval.") % {
        "ref": case.national_reference
    }


def intervention_described(intervention) -> str:
    return _("Intervention %(intervention)s of %(date)s") % {
        "intervention": case_labels().of("intervention", intervention.intervention_code),
        "date": date_format(intervention.date),
    }


def record_removed(case, what: str) -> str:
    return _(
        "%(what)s removed from case %(ref)s; its history keeps what it was, who removed it and why."
    ) % {"what": what, "ref": case.national_reference}


def follow_up_described(follow_up) -> str:
    return _("%(type)s of %(date)s") % {
        "type": case_labels().of("follow_up_type", follow_up.follow_up_type),
        "date": date_format(follow_up.date),
    }


def referral_described(referral) -> str:
    return _("Referral to %(to)s of %(date)s") % {
        "to": _referred_to(referral),
        "date": date_format(referral.referred_on),
    }


def placement_described(placement) -> str:
    return _("Placement with %(with)s from %(date)s") % {
        "with": placement.placed_with,
        "date": date_format(placement.admitted_on),
    }

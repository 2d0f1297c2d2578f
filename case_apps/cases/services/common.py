"""What every case service shares: the acting member and their case, coded-field checks,
the case history, and the errors a service raises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import selectors
from case_apps.cases.models import CaseEvent, CaseRecord, CaseStage
from case_apps.lists.checks import CodeChecks
from shared_registry.models import County, SubCounty
from tenants.actor import Actor, Forbidden, NotFound
from tenants.models import Organisation
from tenants.policy import Permission


class CaseConflict(Exception):
    """The case changed since the form was opened: the save is refused, nothing is lost."""

    def __init__(self, current: CaseRecord):
        super().__init__(gettext("This case was changed by someone else since you opened it."))
        self.current = current


class CaseStateError(ValidationError):
    """The case is not in a state that allows this action."""


Codes = CodeChecks  # one code checker for every case app (case_apps/lists/checks.py)


def check_geography(
    codes: Codes, county_code: str, sub_county_code: str, *, field_prefix: str = "occurrence"
) -> None:
    """A place (of occurrence by default) must be a real county, and the sub-county one of
    its own; errors name ``<field_prefix>_county_code`` and ``..._sub_county_code``."""
    if county_code and not County.objects.filter(code=county_code).exists():
        codes.add(
            f"{field_prefix}_county_code",
            gettext("Unknown county code “%(code)s”.") % {"code": county_code},
        )
    if sub_county_code:
        sub_county = SubCounty.objects.filter(code=sub_county_code).select_related("county").first()
        if sub_county is None:
            codes.add(
                f"{field_prefix}_sub_county_code",
                gettext("Unknown sub-county code “%(code)s”.") % {"code": sub_county_code},
            )
        elif county_code and sub_county.county.code != county_code:
            codes.add(
                f"{field_prefix}_sub_county_code",
                gettext("This sub-county is not in the chosen county."),
            )


def as_actor(actor: Actor, organisation: Organisation | None = None) -> Actor:
    """The acting member, checked: only an ``Actor`` acts (a bare user is a programming
    error, not a guess at their membership), and never for another organisation."""
    if not isinstance(actor, Actor):
        raise TypeError(f"case services take an Actor, not {type(actor).__name__}")
    other = organisation is not None and actor.organisation is not None
    if other and organisation.pk != actor.organisation.pk:
        raise Forbidden("another organisation")
    return actor


def acting_organisation(actor: Actor, organisation: Organisation | None) -> Organisation:
    return organisation or actor.organisation or connection.tenant


def case_for(
    actor: Actor, case: CaseRecord | int, permission: Permission = Permission.RECORD_CASES
) -> CaseRecord:
    """The case as the actor, fresh from the database (``NotFound``/``Forbidden``)."""
    case_id = case.pk if isinstance(case, CaseRecord) else case
    return selectors.case_get(actor=actor, case_id=case_id, permission=permission)


# Actions that are part of intake or of keeping the record, not work with the child: they
# leave a pending case pending (docs/case-management.md, "Stages and the national
# reference"). Every other action recorded on a case makes a pending case active.
INTAKE_ACTIONS = frozenset(
    {
        "opened",  # the case record sheet itself
        "updated",  # corrections of the sheet
        "referral_accepted",  # a case opened from another organisation's referral
        "reassigned",  # moved to another officer
        "attachment_added",  # a document filed with the record
        "consent_recorded",
        "consent_changed",
        "consent_withdrawn",
        "follow_up_date_corrected",  # a correction, not a new action
        "follow_up_deleted",  # removals of records entered by mistake
        "referral_deleted",
        "placement_deleted",
        "intervention_deleted",
        "referral_followed",  # the receiver's answer to a referral, not this office's action
        "closure_requested",  # closing is not working with the child
        "closure_approved",
        "closure_rejected",
        "closed",
        "transferred",
        "reopening_requested",  # reopening sets its own stage (reopened)
        "case_reopened",
        "reopening_rejected",
        "activated",  # the stage change itself
    }
)


def record_event(
    case: CaseRecord,
    actor: Actor,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    on: date | None = None,
) -> None:
    """Write the case's history; an action after intake (any action not in
    ``INTAKE_ACTIONS``) makes a pending case active from ``on``, the date the action
    happened (today when not given)."""
    CaseEvent.objects.create(
        case=case,
        actor=actor.user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    if action not in INTAKE_ACTIONS:
        case_activate(case, actor, on or timezone.localdate(), action)


def case_activate(case: CaseRecord, actor: Actor, on: date, action: str) -> bool:
    """Move a pending case to active on ``on`` (its first action after intake), with its
    ``case_activated`` fact; a later action dated before ``activated_on`` moves the date
    back (the first action is the earliest, whatever the order of typing). Only the row's
    stage and date change (no version: a sheet being edited is not in conflict). Returns
    whether anything changed."""
    from case_apps.cases import facts

    activated = CaseRecord.objects.filter(pk=case.pk, stage=CaseStage.PENDING).update(
        stage=CaseStage.ACTIVE, activated_on=on
    )
    if not activated:
        earlier = CaseRecord.objects.filter(pk=case.pk, activated_on__gt=on).update(activated_on=on)
        if not earlier:
            return False
    case.stage, case.activated_on = (
        CaseRecord.objects.filter(pk=case.pk).values_list("stage", "activated_on").get()
    )
    if activated:
        CaseEvent.objects.create(
            case=case,
            actor=actor.user,
            action="activated",
            from_status=CaseStage.PENDING,
            to_status=CaseStage.ACTIVE,
            reason=f"{action} {on.isoformat()}",
        )
    facts.case_activated_fact(case, acting_organisation(actor, None))
    return True


def require_open(case: CaseRecord) -> None:
    if not case.is_open:
        raise CaseStateError(
            gettext("The case is %(status)s.") % {"status": case.get_status_display().lower()}
        )


REASON_MIN_LENGTH, REASON_MAX_LENGTH = 10, 2_000


def removal_reason_check(reason: str) -> str:
    """A record is removed only with a reason a reader can follow later (10 characters or
    more); the reason is kept on the case's history."""
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    gettext("Say why the record is removed (%(n)s characters or more).")
                    % {"n": REASON_MIN_LENGTH}
                ]
            }
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    gettext("Keep the reason under %(n)s characters.") % {"n": REASON_MAX_LENGTH}
                ]
            }
        )
    return reason


def record_removal(case: CaseRecord, actor: Actor, action: str, what: str, reason: str) -> None:
    """Keep a removed record on the case's history: what it was, who removed it, when, why.
    ``what`` describes the record in codes and dates (it is shown on the timeline)."""
    record_event(case, actor, action, reason=f"{what}\n{reason}")


def case_record_remove(
    *,
    actor: Actor,
    case: CaseRecord | int,
    model: type[Model],
    record_id: int,
    reason: str,
    action: str,
    fact_source: str,
    describe: Callable[[Model], str],
) -> Model:
    """Remove one of a case's records entered by mistake (a follow-up, a referral of the
    sheet, a placement). Supervised: a supervisor or an organisation admin on a case they
    see, with a reason; the case's history keeps what it was (``describe``), who removed it,
    when and why, and its fact (``fact_source:<id>``) is withdrawn. Returns the removed
    record (no longer saved)."""
    from case_apps.cases import facts

    case = case_for(actor, case, Permission.SUPERVISE_CASES)
    require_open(case)
    record = model.objects.select_for_update().filter(pk=record_id, case=case).first()
    if record is None:
        raise NotFound
    reason = removal_reason_check(reason)
    record_removal(case, actor, action, describe(record), reason)
    removed_id = record.pk
    record.delete()
    record.pk = removed_id
    facts.record_fact_retract(case, f"{fact_source}:{removed_id}")
    return record

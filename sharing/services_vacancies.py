"""Writes of vacancy applications for statutory institutions (issue 19, point 5).

A DCS county or sub-county children officer applies for a place for a child before a court
(from a case of theirs: the case app checks the case and calls ``vacancy_apply``); DCS
headquarters confirms (the institution, months approved, approver, date) or declines with a
reason; the institution then expects the child and admits them (the institutions app opens
its case and admission and calls ``vacancy_admitted`` in the same transaction); the office
may withdraw an application not yet admitted. Each step is a ``VacancyEvent`` (who, which
side, when, why), e-mails those concerned after the commit naming no child
(sharing/events.py), and is in the platform's change log (django-auditlog records every
change of these public rows with its actor, as it does agreements' decisions).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from shared_registry.models import Person
from sharing import selectors_vacancies as selectors
from sharing.events import EventLog, event_mail_send, member_emails, require_reason
from sharing.models_vacancies import (
    MONTHS_MAX,
    ONE_OPEN_PER_CHILD,
    InstitutionType,
    VacancyApplication,
    VacancyEvent,
    VacancyEventKind,
    VacancyStatus,
)
from tenants.actor import Actor, Forbidden
from tenants.limits import NOTES_MAX_LENGTH
from tenants.models import Organisation, OrganisationKind, User
from tenants.policy import PLATFORM_ROLE_PERMISSIONS, ROLE_PERMISSIONS, Permission

S = VacancyStatus
E = VacancyEventKind
TEXT_MAX = 200
NUMBER_MAX = 64


# --- notifications ------------------------------------------------------------------------------
def _recording_members(organisation: Organisation) -> list[str]:
    roles = sorted(r for r, ps in ROLE_PERMISSIONS.items() if Permission.RECORD_CASES in ps)
    return member_emails(organisation, roles)


def _hq() -> list[str]:
    roles = sorted(
        r for r, ps in PLATFORM_ROLE_PERMISSIONS.items() if Permission.CONFIRM_VACANCIES in ps
    )
    return list(
        User.objects.filter(is_active=True, platform_roles__overlap=roles).values_list(
            "email", flat=True
        )
    )


def _applicant_side(application: VacancyApplication) -> list[str]:
    return [application.created_by.email, *_recording_members(application.applicant)]


def _institution_side(application: VacancyApplication) -> list[str]:
    return _recording_members(application.institution) if application.institution else []


def _notify(application: VacancyApplication, event: VacancyEvent, recipients: list[str]) -> None:
    where = f" to {application.institution.name}" if application.institution else ""
    event_mail_send(
        subject=(
            f"Vacancy application #{application.pk} ({application.applicant.name}{where}): "
            f"{event.get_kind_display().lower()}"
        ),
        event=event,
        status=application.get_status_display(),
        details="Sign in to CPIMS to see it. (This message names no child on purpose.)\n",
        recipients=recipients,
    )


_events = EventLog(VacancyEvent, "application", _notify)


# --- checks -------------------------------------------------------------------------------------
class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _text(errors: _Errors, field: str, value: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(field, gettext("This field is required."))
    elif len(value) > limit:
        errors.add(field, gettext("At most %(n)s characters.") % {"n": limit})
    return value


def _reason(reason: str) -> str:
    require_reason(reason or "")
    if len(reason) > NOTES_MAX_LENGTH:
        message = gettext("At most %(n)s characters.") % {"n": NOTES_MAX_LENGTH}
        raise ValidationError({"reason": [message]})
    return reason.strip()


def _lock(application: VacancyApplication) -> VacancyApplication:
    return (
        VacancyApplication.objects.select_for_update(of=("self",))
        .select_related("applicant", "person", "institution", "created_by")
        .get(pk=application.pk)
    )


def _require(application: VacancyApplication, *statuses: str) -> None:
    if application.status not in statuses:
        raise ValidationError(
            gettext("This application is %(status)s; this step is not possible now.")
            % {"status": application.get_status_display().lower()}
        )


def _as_side(actor: Actor, application_id, side: str, permission: Permission) -> VacancyApplication:
    """The application as the actor's side sees it (``NotFound`` otherwise), locked, when
    the actor acts for ``side`` with ``permission`` (``Forbidden`` otherwise)."""
    application = selectors.vacancy_get(actor=actor, application_id=application_id)
    if selectors.vacancy_side(actor, application) != side or not actor.may(permission):
        raise Forbidden(permission)
    return _lock(application)


def _decision_day(errors: _Errors, decided_on: date | None, applied_on: date) -> date:
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        errors.add("decided_on", gettext("The date of the decision cannot be in the future."))
    elif decided_on < applied_on:
        errors.add("decided_on", gettext("The date of the decision is before the application."))
    return decided_on


# --- the applying office ------------------------------------------------------------------------
@transaction.atomic
def vacancy_apply(
    *,
    actor: Actor,
    person: Person,
    case_id: int,
    case_reference: str,
    court_number: str,
    judge: str,
    court: str,
    next_mention_on: date | None,
    institution_type: str,
    notes: str = "",
) -> VacancyApplication:
    """Apply for a place for ``person`` (the child of the applicant's case ``case_id``,
    checked by the case app) in a statutory institution of ``institution_type``: only a DCS
    county or sub-county office's members who record cases; dated today; the next mention
    not already past; one open application per child. HQ is told."""
    actor.require(Permission.RECORD_CASES)
    if not selectors.applies_for_vacancies(actor.organisation):
        raise Forbidden(Permission.RECORD_CASES)
    errors = _Errors()
    court_number = _text(errors, "court_number", court_number, NUMBER_MAX)
    judge = _text(errors, "judge", judge, TEXT_MAX)
    court = _text(errors, "court", court, TEXT_MAX)
    notes = _text(errors, "notes", notes, NOTES_MAX_LENGTH, required=False)
    today = timezone.localdate()
    if next_mention_on is None:
        errors.add("next_mention_on", gettext("This field is required."))
    elif next_mention_on < today:
        errors.add("next_mention_on", gettext("The next mention date has already passed."))
    if institution_type not in InstitutionType.values:
        errors.add("institution_type", gettext("Choose a type of statutory institution."))
    open_one = VacancyApplication.objects.filter(
        person=person, status__in=[S.APPLIED, S.CONFIRMED]
    ).first()
    if open_one is not None:
        errors.add(
            "__all__",
            gettext("An application for this child is already open (#%(n)s, %(office)s).")
            % {"n": open_one.pk, "office": open_one.applicant.name},
        )
    errors.raise_if_any()
    try:
        with transaction.atomic():
            application = VacancyApplication.objects.create(
                applicant=actor.organisation,
                person=person,
                applicant_case_id=case_id,
                applicant_case_reference=case_reference,
                court_number=court_number,
                judge=judge,
                court=court,
                next_mention_on=next_mention_on,
                institution_type=institution_type,
                notes=notes,
                applied_on=today,
                created_by=actor.user,
            )
    except IntegrityError as error:
        if ONE_OPEN_PER_CHILD not in str(error):
            raise
        raise ValidationError(gettext("An application for this child is already open.")) from None
    _events.record(application, E.APPLIED, actor=actor, acting_as="applicant", notify=_hq())
    return application


@transaction.atomic
def vacancy_withdraw(
    *, actor: Actor, application: VacancyApplication | int, reason: str
) -> VacancyApplication:
    """The applying office takes back an application not yet admitted, saying why; HQ and
    (when confirmed) the institution are told."""
    application = _as_side(actor, application, selectors.APPLICANT, Permission.RECORD_CASES)
    _require(application, S.APPLIED, S.CONFIRMED)
    reason = _reason(reason)
    told = _hq() + _institution_side(application)
    application.status = S.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _events.record(
        application, E.WITHDRAWN, actor=actor, acting_as="applicant", reason=reason, notify=told
    )
    return application


# --- DCS headquarters ---------------------------------------------------------------------------
@transaction.atomic
def vacancy_confirm(
    *,
    actor: Actor,
    application: VacancyApplication | int,
    institution: Organisation | int | None,
    months_approved: int | None,
    decided_on: date | None = None,
    any_type: bool = False,
    reason: str = "",
) -> VacancyApplication:
    """DCS headquarters confirms: an active statutory institution (of the type wanted
    unless ``any_type``), the months approved (1 to 60), the date of the decision (not in
    the future, not before the application); the approver is the actor. The applying
    office and the institution are told."""
    application = _as_side(actor, application, selectors.DCS, Permission.CONFIRM_VACANCIES)
    _require(application, S.APPLIED)
    errors = _Errors()
    pk = institution.pk if isinstance(institution, Organisation) else institution
    found = Organisation.objects.filter(pk=pk).first() if pk else None
    if found is None:
        errors.add("institution", gettext("Choose the institution."))
    elif found.kind != OrganisationKind.STATUTORY_INSTITUTION or not found.is_active:
        errors.add("institution", gettext("Choose an active statutory institution."))
    elif not any_type and selectors.institution_type_of(found) not in (
        "",
        application.institution_type,
    ):
        errors.add(
            "institution",
            gettext(
                "This institution is not of the type applied for: choose another, or say "
                "that another type is acceptable."
            ),
        )
    if months_approved is None:
        errors.add("months_approved", gettext("This field is required."))
    elif not 1 <= months_approved <= MONTHS_MAX:
        errors.add(
            "months_approved",
            gettext("Between 1 and %(n)s months.") % {"n": MONTHS_MAX},
        )
    decided_on = _decision_day(errors, decided_on, application.applied_on)
    if len(reason or "") > NOTES_MAX_LENGTH:
        errors.add("reason", gettext("At most %(n)s characters.") % {"n": NOTES_MAX_LENGTH})
    errors.raise_if_any()
    application.status = S.CONFIRMED
    application.institution = found
    application.months_approved = months_approved
    application.decided_by = actor.user
    application.decided_on = decided_on
    application.save(
        update_fields=[
            "status",
            "institution",
            "months_approved",
            "decided_by",
            "decided_on",
            "updated_at",
        ]
    )
    _events.record(
        application,
        E.CONFIRMED,
        actor=actor,
        acting_as="dcs",
        reason=reason or "",
        notify=_applicant_side(application) + _institution_side(application),
    )
    return application


@transaction.atomic
def vacancy_decline(
    *,
    actor: Actor,
    application: VacancyApplication | int,
    reason: str,
    decided_on: date | None = None,
) -> VacancyApplication:
    """DCS headquarters declines, saying why (the applying office sees the reason)."""
    application = _as_side(actor, application, selectors.DCS, Permission.CONFIRM_VACANCIES)
    _require(application, S.APPLIED)
    errors = _Errors()
    decided_on = _decision_day(errors, decided_on, application.applied_on)
    errors.raise_if_any()
    reason = _reason(reason)
    application.status = S.DECLINED
    application.decline_reason = reason
    application.decided_by = actor.user
    application.decided_on = decided_on
    application.save(
        update_fields=["status", "decline_reason", "decided_by", "decided_on", "updated_at"]
    )
    _events.record(
        application,
        E.DECLINED,
        actor=actor,
        acting_as="dcs",
        reason=reason,
        notify=_applicant_side(application),
    )
    return application


# --- the institution ----------------------------------------------------------------------------
def vacancy_for_admission(*, actor: Actor, application: VacancyApplication | int):
    """The confirmed application the actor's institution is about to admit on, locked
    (inside the admission's transaction): ``NotFound`` unless confirmed to the actor's
    institution, refused unless still confirmed."""
    application = _as_side(actor, application, selectors.INSTITUTION, Permission.RECORD_CASES)
    _require(application, S.CONFIRMED)
    return application


def vacancy_admitted(
    *, actor: Actor, application: VacancyApplication, admission_id: int, admitted_on: date
) -> VacancyApplication:
    """Mark the application (from ``vacancy_for_admission``, in the same transaction)
    admitted with the institution's admission; the applying office is told."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A vacancy is marked admitted inside the admission's transaction.")
    application.status = S.ADMITTED
    application.admission_id = admission_id
    application.admitted_on = admitted_on
    application.save(update_fields=["status", "admission_id", "admitted_on", "updated_at"])
    _events.record(
        application,
        E.ADMITTED,
        actor=actor,
        acting_as="institution",
        notify=_applicant_side(application) + _hq(),
    )
    return application

"""The office's decisions on a report: accept it into a case record sheet, forward it to
another office, or reject it. Each in one transaction, recorded in the report's history
(audited) and told to the source through its outcome webhook (reference, status and date of
the decision: nothing else)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases.models import CaseRecord
from case_apps.cases.services import CategoryInput, case_open
from intake import routing
from intake.models import IntakeReport, IntakeReportEvent, IntakeStatus, SourceKind, Urgency
from intake.selectors import OPEN_STATUSES, report_for
from shared_registry.models import Person
from shared_registry.services import person_register
from tenants.actor import Actor
from tenants.models import Organisation, OrganisationStatus
from tenants.policy import Permission
from webhooks.events import INTAKE_OUTCOME
from webhooks.models import WebhookSubscription
from webhooks.services import webhook_emit

CASE_UUID_NAMESPACE = uuid.UUID("5b0c6f52-3f0e-4d55-9a57-6f1d3c2a9e11")
HOW_REPORTED = {
    SourceKind.HELPLINE_116: "helpline",
    SourceKind.COMMUNITY: "outreach",
    SourceKind.SCHOOL: "referral",
    SourceKind.HEALTH_FACILITY: "referral",
}
REPORTER_TYPE = {SourceKind.HELPLINE_116: "CRHE"}  # others: "service providers" by default


def outcome_data(report: IntakeReport) -> dict[str, str | None]:
    """What the source hears: the reference, the status and the date of the decision
    (``occurred_on``: the webhooks' data keys, webhooks/events.py); nothing else."""
    return {
        "reference": report.reference,
        "status": report.status,
        "occurred_on": report.decided_on.isoformat() if report.decided_on else None,
    }


def outcome_emit(report: IntakeReport) -> None:
    """The source's outcome webhook, when its client has a callback subscription: the
    delivery is made in this transaction and sent after the commit (webhooks app)."""
    client = report.client
    if client is None or not client.subscription_id:
        return
    subscriptions = WebhookSubscription.objects.filter(pk=client.subscription_id)
    webhook_emit(event=INTAKE_OUTCOME, data=outcome_data(report), subscriptions=subscriptions)


def _open_report(actor: Actor, reference: str) -> IntakeReport:
    actor.require(Permission.TRIAGE_INTAKE)
    report = report_for(actor, reference)
    report = (
        IntakeReport.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=report.pk)
    )
    if report.status not in OPEN_STATUSES or report.office_id != actor.organisation.pk:
        raise ValidationError(
            {"__all__": [gettext("This report was decided already; reload the page.")]}
        )
    return report


def _decided(report: IntakeReport, actor: Actor, status: str, decided_on: date) -> None:
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [gettext("The date cannot be in the future.")]})
    if decided_on < report.reported_on:
        raise ValidationError({"decided_on": [gettext("The date is before the report.")]})
    report.status = status
    report.decided_on = decided_on
    report.decided_by = actor.user


@transaction.atomic
def intake_report_accept(
    *,
    actor: Actor,
    reference: str,
    person: Person | None,
    risk_level: str,
    decided_on: date | None = None,
):
    """Accept the report into a case record sheet of this office: its serial here, the date
    reported the report's, the reporter kept, the report's reference attached (the case's
    uuid derives from it, and its narrative names it); the child is the registry person the
    officer matched, or a new one registered from the report."""
    report = _open_report(actor, reference)
    _decided(report, actor, IntakeStatus.ACCEPTED, decided_on or timezone.localdate())
    if person is None:
        birth_year = None
        if report.child_date_of_birth is None and report.child_age is not None:
            birth_year = report.reported_on.year - report.child_age
        person = person_register(
            first_name=report.child_first_name,
            other_names=report.child_other_names,
            surname=report.child_surname,
            sex=report.child_sex,
            date_of_birth=report.child_date_of_birth,
            birth_year=birth_year,
            birth_date_estimated=birth_year is not None,
            county_code=report.county_code or None,
            sub_county_code=report.sub_county_code or None,
            ward_code=report.ward_code or None,
            created_by=actor.user,
            organisation=actor.organisation,
            registered_anyway_reason=gettext("Registered from intake report %(reference)s")
            % {"reference": report.reference},
        )
    narrative = (
        f"{report.narrative}\n\n"
        + gettext("Intake report %(reference)s (%(source)s).")
        % {"reference": report.reference, "source": report.get_source_kind_display()}
    )[: CaseRecord._meta.get_field("narrative").max_length]
    case = case_open(
        actor=actor,
        child=person,
        date_reported=report.reported_on,
        how_reported=HOW_REPORTED.get(report.source_kind, "phone"),
        reporter_type=REPORTER_TYPE.get(report.source_kind, "CRSP"),
        risk_level=risk_level,
        categories=[CategoryInput(category_code=report.category_code)],
        reporter_name=report.reporter_name,
        reporter_phone=report.reporter_phone,
        reporter_relationship=report.reporter_relationship,
        occurrence_county_code=report.county_code,
        occurrence_sub_county_code=report.sub_county_code,
        occurrence_ward_code=report.ward_code,
        is_emergency=report.urgency == Urgency.URGENT,
        narrative=narrative,
        uuid=uuid.uuid5(CASE_UUID_NAMESPACE, report.reference),
    )
    report.person = person
    report.case_reference = case.national_reference
    report.case_uuid = case.uuid
    report.save()
    IntakeReportEvent.objects.create(
        report=report, action="accepted", actor=actor.user, office=actor.organisation
    )
    outcome_emit(report)
    return case


@transaction.atomic
def intake_report_forward(
    *,
    actor: Actor,
    reference: str,
    office: Organisation,
    reason: str,
    decided_on: date | None = None,
) -> IntakeReport:
    """Send the report to another DCS office with a reason: it waits in that office's queue."""
    report = _open_report(actor, reference)
    if not reason.strip():
        raise ValidationError({"reason": [gettext("Give a reason.")]})
    if (
        office.pk == actor.organisation.pk
        or office.kind not in routing.OFFICE_KINDS
        or office.status != OrganisationStatus.ACTIVE
    ):
        raise ValidationError({"office": [gettext("Choose another active DCS office.")]})
    _decided(report, actor, IntakeStatus.FORWARDED, decided_on or timezone.localdate())
    report.office = office
    report.decision_reason = reason.strip()
    report.supervisors_told_at = None  # the new office's supervisors are told in turn
    report.received_at = timezone.now()
    report.save()
    IntakeReportEvent.objects.create(
        report=report, action="forwarded", actor=actor.user, office=office, reason=reason
    )
    outcome_emit(report)
    return report


@transaction.atomic
def intake_report_reject(
    *, actor: Actor, reference: str, reason: str, decided_on: date | None = None
) -> IntakeReport:
    """Reject the report with a reason: it is kept, with the reason, out of the queue."""
    report = _open_report(actor, reference)
    if not reason.strip():
        raise ValidationError({"reason": [gettext("Give a reason.")]})
    _decided(report, actor, IntakeStatus.REJECTED, decided_on or timezone.localdate())
    report.decision_reason = reason.strip()
    report.save()
    IntakeReportEvent.objects.create(
        report=report, action="rejected", actor=actor.user, office=actor.organisation, reason=reason
    )
    outcome_emit(report)
    return report


def intake_supervisors_tell() -> int:
    """Mail each office's supervisors the reports waiting there more than 24 hours, once per
    report (the beat task). Returns how many reports were told."""
    from django.conf import settings
    from django.core.mail import send_mail

    from intake.selectors import reports_overdue_untold
    from tenants.models import Membership
    from tenants.policy import supervising_roles

    told = 0
    for report in reports_overdue_untold():
        with transaction.atomic():
            claimed = IntakeReport.objects.filter(
                pk=report.pk, supervisors_told_at__isnull=True
            ).update(supervisors_told_at=timezone.now())
            if not claimed:
                continue
            recipients = sorted(
                Membership.objects.filter(
                    organisation=report.office,
                    is_active=True,
                    user__is_active=True,
                    roles__overlap=supervising_roles(),
                ).values_list("user__email", flat=True)
            )
            if recipients:
                subject = gettext("Intake report %(reference)s waits more than 24 hours") % {
                    "reference": report.reference
                }
                body = gettext(
                    "The intake report %(reference)s (%(urgency)s), received on %(received)s, "
                    "waits in the intake queue of %(office)s for a decision."
                ) % {
                    "reference": report.reference,
                    "urgency": report.get_urgency_display().lower(),
                    "received": timezone.localtime(report.received_at).strftime("%d %b %Y %H:%M"),
                    "office": report.office.name,
                }
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(
                        s, b, settings.DEFAULT_FROM_EMAIL, r, fail_silently=True
                    )
                )
            told += 1
    return told

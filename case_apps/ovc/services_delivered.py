"""Services delivered to an enrolled child (Form 1A), coded from the domain's national list
(``ovc_service_<domain>``) so they count in the services-by-domain report."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.facts import _fact
from case_apps.ovc.models import Enrolment, ServiceRecord
from case_apps.ovc.services_case_plans import check_in_domain, plan_checks
from case_apps.ovc.services_common import (
    child_of,
    not_future,
    plausible,
    recording_enrolment,
    within_days_back,
)
from tenants.actor import Actor


def service_checks(
    *, enrolment: Enrolment, domain: str, service: str, provider: str, date: date | None
) -> None:
    """The refusals of a service for an enrolled child already fetched as the recording
    actor, naming the fields; nothing is written (the offline app's sync checks with them)."""
    errors = plan_checks()
    errors.check("domain", "ovc_domain", domain)
    check_in_domain(errors, "service", "ovc_service", domain, service)
    if not (provider or "").strip():
        errors.add("provider", gettext("This field is required."))
    if date is None:
        errors.add("date", gettext("This field is required."))
    else:
        not_future(errors, "date", date)
        plausible(errors, "date", date, child_of(enrolment))
        within_days_back(errors, "date", date, EVENT_MAX_DAYS_BACK)
        if date < enrolment.registration_date:
            errors.add("date", gettext("The service date is before the child's enrolment."))
    if not enrolment.is_active:
        errors.add("__all__", gettext("This child has exited the programme."))
    errors.raise_if_any()


@transaction.atomic
def service_record(
    *,
    actor: Actor,
    enrolment: Enrolment | int,
    domain: str,
    service: str,
    provider: str,
    date: date,
    place: str = "",
) -> ServiceRecord:
    """Record a service delivered to an enrolled child: a service code of its domain."""
    enrolment = recording_enrolment(actor, enrolment)
    service_checks(
        enrolment=enrolment, domain=domain, service=service, provider=provider, date=date
    )
    record = ServiceRecord.objects.create(
        enrolment=enrolment,
        domain=domain,
        service=service,
        provider=provider.strip(),
        place=(place or "").strip(),
        date=date,
        recorded_by=actor.user,
    )
    _fact("ovc_service", actor.organisation, enrolment, date, domain, what=f"service:{record.pk}")
    return record

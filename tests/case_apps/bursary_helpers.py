"""Shared steps of the bursary tests: an application and the steps of its chain."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from case_apps.cases.services.bursaries import bursary_application_record, bursary_step_record
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


APPLICATION = {
    "bursary_type": "BPRE",
    "school_name": "Kisumu Girls High School",
    "nemis_upi": "a1b2c3d4",
    "class_level": "Form 2",
    "annual_fees_kes": Decimal("53000"),
    "fee_balance_kes": Decimal("21000"),
    "parents_status": "partial_orphan",
    "family_situation": "Lives with the mother, a casual labourer.",
}


def apply(organisation, user, case, **overrides):
    data = {**APPLICATION, "year": timezone.localdate().year, "applied_on": days_ago(2)}
    data.update(overrides)
    with workspace_context(organisation):
        return bursary_application_record(case=case, actor=actor_of(organisation, user), **data)


def step(organisation, user, application, kind, *, recommended=True, **overrides):
    data = {"on": days_ago(1), "signatory_name": f"{kind} signatory", "comment": ""}
    data.update(overrides)
    with workspace_context(organisation):
        return bursary_step_record(
            application=application,
            actor=actor_of(organisation, user),
            step=kind,
            recommended=recommended,
            **data,
        )


def full_chain(organisation, team, application, amount=Decimal("30000")):
    """The four steps of a Presidential bursary, all positive; returns the committee's."""
    step(organisation, team.worker, application, "principal", signatory_name="Mrs Achieng")
    step(organisation, team.worker, application, "chief", signatory_name="Chief Omondi")
    step(organisation, team.supervisor, application, "sub_county")
    return step(
        organisation,
        team.supervisor,
        application,
        "committee",
        signatory_name="Dr Wanjiru (chair)",
        approved_amount_kes=amount,
        on=timezone.localdate(),
    )

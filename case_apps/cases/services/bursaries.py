"""Education bursaries awarded to the child of a case."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts
from case_apps.cases.models import BursaryAward, CaseRecord
from case_apps.cases.services.common import (
    acting_organisation,
    as_actor,
    case_for,
    record_event,
    require_open,
)
from tenants.actor import Actor
from tenants.models import Organisation

BURSARY_TYPES = ("CDF", "Presidential", "USG", "Bank", "Charity", "County")


@transaction.atomic
def bursary_award_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    bursary_type: str,
    amount_kes,
    year: int,
    awarded_on: date,
    term: int | None = None,
) -> BursaryAward:
    """An education bursary awarded to the child (CDF, Presidential, USG, bank, charity...)."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    errors: dict[str, list[str]] = {}
    if bursary_type not in BURSARY_TYPES:
        errors["bursary_type"] = [gettext("Choose the kind of bursary.")]
    if amount_kes is None or amount_kes <= 0:
        errors["amount_kes"] = [gettext("The amount must be more than zero.")]
    if term is not None and term not in (1, 2, 3):
        errors["term"] = [gettext("A school term is 1, 2 or 3.")]
    if awarded_on > timezone.localdate():
        errors["awarded_on"] = [gettext("An award cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    award = BursaryAward.objects.create(
        case=case,
        bursary_type=bursary_type,
        amount_kes=amount_kes,
        year=year,
        term=term,
        awarded_on=awarded_on,
    )
    facts.bursary_fact(case, organisation, award)
    record_event(
        case, actor, "bursary_awarded", reason=f"{bursary_type} {amount_kes}", on=awarded_on
    )
    return award

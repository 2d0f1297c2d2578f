"""Placements in institutional or alternative family care, and their end."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts, selectors
from case_apps.cases.models import CaseRecord, Placement
from case_apps.cases.services.common import (
    CaseStateError,
    Codes,
    acting_organisation,
    as_actor,
    case_for,
    case_record_remove,
    record_event,
    require_open,
)
from shared_registry.plausibility import implausible_date
from tenants.actor import Actor
from tenants.models import Organisation


@transaction.atomic
def placement_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    care_type: str,
    placed_with: str,
    admitted_on: date,
    **details,
) -> Placement:
    """Institutional placement or alternative family care (the right to record cases)."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    codes = Codes("alternative_care_type", "admission_type", "admission_reason")
    codes.check("care_type", "alternative_care_type", care_type)
    codes.check(
        "admission_type", "admission_type", details.get("admission_type", ""), required=False
    )
    codes.check(
        "admission_reason", "admission_reason", details.get("admission_reason", ""), required=False
    )
    if not placed_with.strip():
        codes.add("placed_with", gettext("Name the institution or family."))
    if admitted_on > timezone.localdate():
        codes.add("admitted_on", gettext("A placement cannot start in the future."))
    if problem := implausible_date(admitted_on, case.child):
        codes.add("admitted_on", problem)
    expected = details.get("expected_exit_on")
    if expected and expected < admitted_on:
        codes.add("expected_exit_on", gettext("The expected exit cannot be before admission."))
    codes.raise_if_any()
    placement = Placement.objects.create(
        case=case,
        care_type=care_type,
        placed_with=placed_with.strip(),
        admitted_on=admitted_on,
        officer=actor.user,
        **{k: v for k, v in details.items() if v not in (None, "")},
    )
    facts.placement_fact(case, organisation, placement)
    record_event(
        case, actor, "placement_recorded", reason=f"{placement.pk} {care_type}", on=admitted_on
    )
    return placement


@transaction.atomic
def placement_discharge(
    *, placement: Placement, actor: Actor, discharged_on: date, notes: str = ""
) -> Placement:
    """End a placement; it is read afresh as the actor (the right to record cases)."""
    given, actor = placement, as_actor(actor)
    placement = selectors.placement_get(
        actor=actor, case_id=placement.case_id, placement_id=placement.pk
    )
    if placement.discharged_on:
        raise CaseStateError(gettext("This placement has already ended."))
    if discharged_on < placement.admitted_on or discharged_on > timezone.localdate():
        raise ValidationError(
            {"discharged_on": [gettext("Give a date between admission and today.")]}
        )
    placement.discharged_on, placement.discharge_notes = discharged_on, notes
    placement.save(update_fields=["discharged_on", "discharge_notes"])
    given.refresh_from_db()
    record_event(placement.case, actor, "discharged", reason=notes, on=discharged_on)
    return placement


@transaction.atomic
def placement_delete(
    *, actor: Actor, case: CaseRecord | int, placement_id: int, reason: str
) -> Placement:
    """Remove a placement recorded by mistake (``case_record_remove``)."""
    return case_record_remove(
        actor=actor,
        case=case,
        model=Placement,
        record_id=placement_id,
        reason=reason,
        action="placement_deleted",
        fact_source="placement",
        describe=lambda placement: (
            f"placement {placement.pk}: {placement.care_type} with {placement.placed_with} "
            f"from {placement.admitted_on}"
            + (f" to {placement.discharged_on}" if placement.discharged_on else "")
        ),
    )

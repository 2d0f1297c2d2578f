"""Interventions after intake (the 36 ``intervention`` codes), each recorded against one of
the case's categories; the final intervention of every category checked for a closure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from case_apps.cases import facts
from case_apps.cases.models import CaseCategory, CaseRecord
from case_apps.cases.models_interventions import CaseIntervention
from case_apps.cases.services.common import (
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
from tenants.limits import NOTES_MAX_LENGTH
from tenants.models import Organisation

INTERVENTION_LIST = "intervention"


@dataclass(frozen=True)
class FinalIntervention:
    """The final intervention of one of the case's categories, given at closure."""

    category_id: int
    intervention_code: str
    notes: str = ""

    def as_dict(self) -> dict:
        return {
            "category_id": self.category_id,
            "intervention_code": self.intervention_code,
            "notes": self.notes,
        }


def date_problem(case: CaseRecord, on: date | None, *, future: str, before: str) -> str:
    """Why ``on`` cannot be the date of an intervention or a closure of the case ("" when it
    can): not in the future (``future`` says so), not before the case was reported
    (``before``) or the child was born."""
    if on is None:
        return gettext("This field is required.")
    if on > timezone.localdate():
        return future
    if on < case.date_reported:
        return before
    return implausible_date(on, case.child)


@transaction.atomic
def intervention_record(
    *,
    case: CaseRecord,
    actor: Actor,
    organisation: Organisation | None = None,
    category_id: int,
    intervention_code: str,
    date: date,
    notes: str = "",
) -> CaseIntervention:
    """Record an intervention on one of the case's categories (the right to record cases, on
    an open case the actor sees), dated by the day it happened; its fact is dated the same."""
    actor = as_actor(actor, organisation)
    organisation = acting_organisation(actor, organisation)
    case = case_for(actor, case)
    require_open(case)
    codes = Codes(INTERVENTION_LIST)
    codes.check("intervention_code", INTERVENTION_LIST, intervention_code)
    category = CaseCategory.objects.filter(pk=category_id, case=case).first()
    if category is None:
        codes.add("category_id", gettext("Choose one of the case's categories."))
    if problem := date_problem(
        case,
        date,
        future=gettext("An intervention cannot be recorded for a future date."),
        before=gettext("An intervention cannot be before the date the case was reported."),
    ):
        codes.add("date", problem)
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        codes.add(
            "notes", gettext("Keep the notes under %(n)s characters.") % {"n": NOTES_MAX_LENGTH}
        )
    codes.raise_if_any()
    intervention = CaseIntervention.objects.create(
        case=case,
        category=category,
        intervention_code=intervention_code,
        date=date,
        notes=notes,
        officer=actor.user,
    )
    record_event(
        case,
        actor,
        "intervention_recorded",
        reason=f"{category.category_code}: {intervention_code} {date.isoformat()}",
    )
    facts.intervention_fact(case, organisation, intervention)
    return intervention


def _describe(intervention: CaseIntervention) -> str:
    return (
        f"{gettext('Intervention')} {intervention.intervention_code} · "
        f"{intervention.category.category_code} · {intervention.date.isoformat()}"
    )


@transaction.atomic
def intervention_delete(
    *, case: CaseRecord | int, actor: Actor, intervention_id: int, reason: str
) -> CaseIntervention:
    """Remove an intervention recorded by mistake (a supervisor or an organisation admin, on
    an open case they see, with a reason: case_record_remove in
    case_apps/cases/services/common.py): the case's history keeps what it was, and its fact
    is withdrawn."""
    actor = as_actor(actor)
    return case_record_remove(
        actor=actor,
        case=case,
        model=CaseIntervention,
        record_id=intervention_id,
        reason=reason,
        action="intervention_deleted",
        fact_source="intervention",
        describe=_describe,
    )


def final_interventions_check(
    codes: Codes, case: CaseRecord, finals: Iterable[FinalIntervention | dict] | None
) -> list[FinalIntervention]:
    """One final intervention for each category of the case, each a code of the list (errors
    added to ``codes``, which knows the intervention list, under ``final_interventions``; the
    API gives them as dicts). Returns them in category order."""
    finals = [
        f if isinstance(f, FinalIntervention) else FinalIntervention(**f) for f in finals or []
    ]
    categories = {c.pk: c for c in case.categories.all()}
    by_category: dict[int, FinalIntervention] = {}
    for final in finals:
        if final.category_id not in categories:
            codes.add("final_interventions", gettext("Choose one of the case's categories."))
        elif final.category_id in by_category:
            codes.add(
                "final_interventions",
                gettext("Give one final intervention for each category."),
            )
        else:
            by_category[final.category_id] = final
        codes.check("final_interventions", INTERVENTION_LIST, final.intervention_code)
        if len(final.notes or "") > NOTES_MAX_LENGTH:
            codes.add(
                "final_interventions",
                gettext("Keep the notes under %(n)s characters.") % {"n": NOTES_MAX_LENGTH},
            )
    missing = [c.category_code for pk, c in categories.items() if pk not in by_category]
    if missing:
        labels = Codes("case_category").labels.get("case_category", {})
        codes.add(
            "final_interventions",
            gettext("Give the final intervention of every category: missing for %(c)s.")
            % {"c": ", ".join(labels.get(code, code) for code in missing)},
        )
    return [by_category[pk] for pk in categories if pk in by_category]


def final_interventions_record(
    *, case: CaseRecord, approval, on: date, officer_id: int
) -> list[CaseIntervention]:
    """The final interventions of an approved closure, recorded on the case (dated by the
    closure date, by the officer who asked)."""
    categories = set(case.categories.values_list("pk", flat=True))
    return [
        CaseIntervention.objects.create(
            case=case,
            category_id=item["category_id"],
            intervention_code=item["intervention_code"],
            notes=item.get("notes", ""),
            date=on,
            officer_id=officer_id,
            is_final=True,
            approval=approval,
        )
        for item in approval.final_interventions
        if item["category_id"] in categories  # a category removed since: nothing to attach
    ]

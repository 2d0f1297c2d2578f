"""Assessments of a household: the CPARA (scored per domain, with its pathway) and the
household and adolescent wellbeing forms."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from case_apps.ovc import codes, scoring
from case_apps.ovc.date_rules import EVENT_MAX_DAYS_BACK
from case_apps.ovc.models import Cpara, Enrolment, Household, WellbeingAssessment
from case_apps.ovc.services_common import (
    checks,
    child_of,
    not_future,
    plausible,
    recording_enrolment,
    recording_household,
    within_days_back,
)
from tenants.actor import Actor


def cpara_checks(*, assessed_on: date | None, answers: dict[int, str]) -> None:
    """The refusals of a CPARA, naming the fields (nothing is written)."""
    errors = checks()
    if assessed_on is None:
        errors.add("assessed_on", gettext("This field is required."))
    not_future(errors, "assessed_on", assessed_on)
    within_days_back(errors, "assessed_on", assessed_on, EVENT_MAX_DAYS_BACK)
    plausible(errors, "assessed_on", assessed_on, None)
    within_days_back(errors, "assessed_on", assessed_on, EVENT_MAX_DAYS_BACK)
    for number in scoring.BENCHMARKS:
        if answers.get(number) not in (scoring.YES, scoring.NO, scoring.NOT_APPLICABLE):
            errors.add(f"benchmark_{number}", gettext("Answer yes, no or not applicable."))
    errors.raise_if_any()


@transaction.atomic
def cpara_record(
    *, actor: Actor, household: Household | int, assessed_on: date, answers: dict[int, str]
) -> Cpara:
    """Record a CPARA with its score per domain and the pathway."""
    household = recording_household(actor, household)
    cpara_checks(assessed_on=assessed_on, answers=answers)
    score = scoring.cpara_score(answers)
    return Cpara.objects.create(
        household=household,
        assessed_on=assessed_on,
        answers={str(n): a for n, a in sorted(answers.items())},
        total=score.total,
        pathway=score.pathway,
        assessed_by=actor.user,
        **score.by_domain,
    )


def wellbeing_questions(kind: str) -> list[tuple[str, str, str]]:
    return codes.WELLBEING_ADOLESCENT if kind == "WBGA" else codes.WELLBEING_HOUSEHOLD


def wellbeing_checks(
    *,
    household: Household,
    kind: str,
    assessed_on: date | None,
    answers: dict[str, bool],
    enrolment: Enrolment | None = None,
) -> list[tuple[str, str, str]]:
    """The refusals of a wellbeing assessment of a household (and child) already fetched as
    the recording actor, naming the fields (nothing is written); its questions otherwise."""
    errors = checks()
    errors.check("kind", "ovc_wellbeing_kind", kind)
    if assessed_on is None:
        errors.add("assessed_on", gettext("This field is required."))
    not_future(errors, "assessed_on", assessed_on)
    plausible(
        errors, "assessed_on", assessed_on, child_of(enrolment) if enrolment is not None else None
    )
    if kind == "WBGA" and enrolment is None:
        errors.add("enrolment", gettext("The adolescent form is about one enrolled child."))
    if enrolment is not None and enrolment.household_id != household.pk:
        errors.add("enrolment", gettext("This child is not in the household."))
    questions = wellbeing_questions(kind)
    for key, _domain, _label in questions:
        if not isinstance(answers.get(key), bool):
            errors.add(f"q_{key}", gettext("Answer yes or no."))
    unknown = set(answers) - {key for key, _d, _l in questions}
    if unknown:
        errors.add(
            "__all__",
            gettext("Unknown questions: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
        )
    errors.raise_if_any()
    return questions


@transaction.atomic
def wellbeing_record(
    *,
    actor: Actor,
    household: Household | int,
    kind: str,
    assessed_on: date,
    answers: dict[str, bool],
    enrolment: Enrolment | int | None = None,
    notes: str = "",
) -> WellbeingAssessment:
    """Record a wellbeing assessment; every question answered, scored per domain."""
    household = recording_household(actor, household)
    if enrolment is not None:
        enrolment = recording_enrolment(actor, enrolment)
    questions = wellbeing_checks(
        household=household,
        kind=kind,
        assessed_on=assessed_on,
        answers=answers,
        enrolment=enrolment,
    )
    scores: dict[str, list[int]] = {}
    for key, domain, _label in questions:
        yes, total = scores.get(domain, [0, 0])
        scores[domain] = [yes + int(answers[key]), total + 1]
    return WellbeingAssessment.objects.create(
        household=household,
        enrolment=enrolment,
        kind=kind,
        assessed_on=assessed_on,
        answers=answers,
        scores=scores,
        notes=notes,
        assessed_by=actor.user,
    )

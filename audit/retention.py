"""Retention and disposal: how long each kind of record is kept, and the disposal itself.

The audit app knows no case data. A case app declares each kind of record it keeps
(``retention_kinds`` in its capabilities.py: ``DisposableKind`` objects made with
``disposable_kind``): a default period (months after the record ends), an optional
minimum age of the person the record is about, the actions it supports, and two functions
that run inside the organisation's schema:

- ``find(ended_before, born_before)``: the records whose end (closure, exit) falls before
  ``ended_before`` and whose person was born before ``born_before`` (``None``: no age
  condition), as ``Candidate`` rows;
- ``dispose(ids, action)``: deletes (or de-identifies) those records, returning how many.

DCS headquarters overrides a default with a ``RetentionRule`` row (the console page).
``dispose_expired`` runs in the current organisation's schema: it finds what each enabled
rule has let expire, and unless dry, disposes of it with django-auditlog switched off (its
delete entries would copy every field of the record into the append-only log) and writes
instead one change-log entry per record naming the record, the rule and the run; then it
records the run (``DisposalRun``) and a summary entry in the platform access log.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from audit.models import DisposalAction, DisposalRun, PlatformAccessEntry, RetentionRule
from tenants.actor import Actor
from tenants.capabilities import declared
from tenants.policy import Permission
from tenants.schema import current_schema_name

if TYPE_CHECKING:
    from tenants.models import Organisation, User

RETENTION_RECORD_KIND = "retention_disposal"  # record kind of the platform log's summaries


@dataclass(frozen=True)
class Candidate:
    """A record past its retention period: its id, a reference people recognise (never a
    name), and the date it ended."""

    id: int
    reference: str
    ended_on: datetime.date | None


@dataclass(frozen=True)
class DisposableKind:
    name: str
    label: str  # may be lazily translated, as ends and basis
    model: str  # app_label.ModelName of the records (for the change-log entries)
    ends: str  # what starts the period, in words ("closure of the case")
    default_months: int
    default_min_age_years: int | None
    actions: tuple[str, ...]
    default_action: str
    basis: str
    find: Callable[[datetime.date, datetime.date | None], list[Candidate]]
    dispose: Callable[[Sequence[int], str], int]


_KINDS: dict[str, DisposableKind] = {}


def disposable_kind(
    name: str,
    *,
    label: str,
    model: str,
    ends: str,
    default_months: int,
    default_min_age_years: int | None,
    find,
    dispose,
    actions: tuple[str, ...] = (DisposalAction.DELETE,),
    default_action: str = DisposalAction.DELETE,
    basis: str = "",
) -> DisposableKind:
    """A kind of record that retention applies to, for a capability's ``retention_kinds``."""
    if default_action not in actions:
        raise ValueError(f"{name}: the default action must be one of {actions}")
    kind = DisposableKind(
        name=name,
        label=label,
        model=model,
        ends=ends,
        default_months=default_months,
        default_min_age_years=default_min_age_years,
        actions=tuple(actions),
        default_action=default_action,
        basis=basis,
        find=find,
        dispose=dispose,
    )
    return kind


def register_disposable_kind(name: str, **kwargs) -> DisposableKind:
    """Add a kind at run time (the last one of a name wins); apps declare theirs instead."""
    kind = disposable_kind(name, **kwargs)
    _KINDS[name] = kind
    return kind


def disposable_kinds() -> list[DisposableKind]:
    """The declared kinds in the order of the installed apps and of their declarations (a
    run disposes of them in this order), then those added at run time."""
    kinds = {kind.name: kind for kind in declared("retention_kinds")}
    kinds.update(_KINDS)
    return list(kinds.values())


def disposable_kind_get(name: str) -> DisposableKind | None:
    return next((kind for kind in disposable_kinds() if kind.name == name), None)


@dataclass(frozen=True)
class EffectiveRule:
    kind: DisposableKind
    months: int
    min_age_years: int | None
    action: str
    legal_basis: str
    enabled: bool
    overridden: bool  # a RetentionRule row (set by DCS headquarters) rather than the default

    def cutoffs(self, today: datetime.date) -> tuple[datetime.date, datetime.date | None]:
        """(records must have ended before, the person must have been born before)."""
        born_before = _years_before(today, self.min_age_years) if self.min_age_years else None
        return _months_before(today, self.months), born_before


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return _months_before(day, years * 12)


def effective_rules() -> list[EffectiveRule]:
    """Every registered kind with the rule in force: DCS headquarters' row, else the default."""
    rows = {rule.record_kind: rule for rule in RetentionRule.objects.all()}
    rules = []
    for kind in disposable_kinds():
        row = rows.get(kind.name)
        if row is None:
            rules.append(
                EffectiveRule(
                    kind,
                    kind.default_months,
                    kind.default_min_age_years,
                    kind.default_action,
                    kind.basis,
                    True,
                    False,
                )
            )
        else:
            action = row.action if row.action in kind.actions else kind.default_action
            rules.append(
                EffectiveRule(
                    kind,
                    row.months,
                    row.min_age_years,
                    action,
                    row.legal_basis or kind.basis,
                    row.enabled,
                    True,
                )
            )
    return rules


@transaction.atomic
def retention_rule_set(
    *,
    record_kind: str,
    months: int,
    min_age_years: int | None,
    action: str,
    legal_basis: str,
    enabled: bool,
    actor: Actor,
) -> RetentionRule:
    """DCS headquarters sets one kind's rule (validated; the change is in the change log)."""
    from django.core.exceptions import ValidationError

    actor.require(Permission.MANAGE_RETENTION)
    kind = disposable_kind_get(record_kind)
    errors: dict[str, str] = {}
    if kind is None:
        raise ValidationError({"record_kind": "Unknown record kind."})
    if not isinstance(months, int) or months < 12:
        errors["months"] = "Keep records at least 12 months."
    if min_age_years is not None and not (0 <= min_age_years <= 120):
        errors["min_age_years"] = "An age between 0 and 120, or empty."
    if action not in kind.actions:
        errors["action"] = f"{kind.label} can only be: {', '.join(kind.actions)}."
    if errors:
        raise ValidationError(errors)
    rule, _created = RetentionRule.objects.update_or_create(
        record_kind=record_kind,
        defaults={
            "months": months,
            "min_age_years": min_age_years,
            "action": action,
            "legal_basis": legal_basis.strip()[:300],
            "enabled": enabled,
            "updated_by": actor.user,
        },
    )
    return rule


def _log_disposal(
    kind: DisposableKind,
    rule: EffectiveRule,
    candidate: Candidate,
    run_note: dict,
    content_type: ContentType,
) -> None:
    """One change-log entry per disposed record: which record, which rule, when (no values)."""
    LogEntry.objects.create(
        content_type=content_type,
        object_pk=str(candidate.id),
        object_id=candidate.id,
        object_repr=candidate.reference[:200],
        action=LogEntry.Action.DELETE,
        changes={"retention": [rule.action, f"{kind.name}: {rule.months} months"]},
        changes_text="",
        actor=None,
        additional_data={
            "retention": {
                **run_note,
                "record_kind": kind.name,
                "action": rule.action,
                "months": rule.months,
                "min_age_years": rule.min_age_years,
                "ended_on": candidate.ended_on.isoformat() if candidate.ended_on else None,
                "legal_basis": str(rule.legal_basis),
            }
        },
    )


def dispose_expired(
    *,
    organisation: Organisation,
    dry_run: bool = False,
    today: datetime.date | None = None,
    requested_by: User | None = None,
) -> DisposalRun:
    """Dispose of (or, dry, list) what has expired in ``organisation``; must run in its schema
    (the Celery task is routed there). One transaction: all of it or none."""
    if current_schema_name() != organisation.schema_name:
        raise RuntimeError(
            f"dispose_expired for {organisation.slug} ran in schema {current_schema_name()}"
        )
    today = today or timezone.localdate()
    now = timezone.now()
    results = []
    total = 0
    with transaction.atomic():
        # find everything first, then dispose: a run disposes of exactly what a dry run on
        # the same day lists (a record that expires because of another disposal, e.g. a
        # household left without enrolments, goes on the next run)
        found = []
        for rule in effective_rules():
            if rule.enabled:
                ended_before, born_before = rule.cutoffs(today)
                found.append(
                    (rule, ended_before, born_before, rule.kind.find(ended_before, born_before))
                )
        for rule, ended_before, born_before, candidates in found:
            kind = rule.kind
            if candidates and not dry_run:
                app_label, model_name = kind.model.split(".")
                content_type = ContentType.objects.get_by_natural_key(app_label, model_name.lower())
                note = {"run_at": now.isoformat(), "rule_set_by_hq": rule.overridden}
                with disable_auditlog():
                    kind.dispose([c.id for c in candidates], rule.action)
                for candidate in candidates:
                    _log_disposal(kind, rule, candidate, note, content_type)
            total += len(candidates)
            results.append(
                {
                    "kind": kind.name,
                    "label": str(kind.label),
                    "months": rule.months,
                    "min_age_years": rule.min_age_years,
                    "action": rule.action,
                    "ended_before": ended_before.isoformat(),
                    "born_before": born_before.isoformat() if born_before else None,
                    "records": [
                        {
                            "id": c.id,
                            "reference": c.reference,
                            "ended_on": c.ended_on.isoformat() if c.ended_on else None,
                        }
                        for c in candidates
                    ],
                }
            )
        # public tables (on the search path of every workspace): the report and the summary
        run = DisposalRun.objects.create(
            organisation=organisation,
            ran_at=now,
            dry_run=dry_run,
            requested_by=requested_by,
            total=total,
            results=results,
        )
        if not dry_run:
            counts = ", ".join(f"{r['kind']} {len(r['records'])}" for r in results) or "nothing"
            PlatformAccessEntry.objects.create(
                actor=requested_by,
                actor_email=getattr(requested_by, "email", "") or "",
                organisation_slug=organisation.slug,
                record_kind=RETENTION_RECORD_KIND,
                record_id=str(run.pk),
                purpose=f"retention run #{run.pk}: disposed {counts}",
            )
    return run


def organisations_for_retention() -> list[Organisation]:
    """Organisations whose workspace holds records: active and suspended ones (an archived
    workspace is out of use; its retention is the archive's)."""
    from tenants.models import Organisation, OrganisationStatus

    return list(
        Organisation.objects.filter(
            status__in=[OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED]
        ).order_by("pk")
    )


def latest_runs(*, organisation_id: int | None = None, dry_run: bool | None = None, limit=50):
    """The newest disposal runs, for the console's report."""
    runs = DisposalRun.objects.select_related("organisation", "requested_by")
    if organisation_id:
        runs = runs.filter(organisation_id=organisation_id)
    if dry_run is not None:
        runs = runs.filter(dry_run=dry_run)
    return list(runs[:limit])

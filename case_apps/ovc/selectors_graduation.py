"""Reads of the graduation pathway, always as an actor and within the actor's caseload
(``selectors.households_visible_to``): the household's benchmarks (latest CPARA against
latest monitoring), readiness bands and their movement by quarter, the graduation report
and the exits report by reason, sex and MER age band."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext

from case_apps.lists.selectors import list_labels
from case_apps.ovc import codes, scoring, selectors
from case_apps.ovc.facts import mer_age_band
from case_apps.ovc.models import Cpara, Enrolment, EnrolmentStatus, Household
from case_apps.ovc.models_graduation import BenchmarkMonitoring
from shared_registry.models import Sex
from tenants.actor import Actor

BANDS = [code for code, _label in scoring.PATHWAYS]  # least ready first
AGE_BANDS = ("<1", "1-4", "5-9", "10-14", "15-17", "18-20", "21+", "unknown")
SEXES = tuple(code for code, _label in Sex.choices)
EARLIEST = date(1990, 1, 1)
MAX_QUARTERS = 12


# --- the household's benchmarks ------------------------------------------------------


def benchmark_monitoring_list(*, actor: Actor, household_id) -> QuerySet[BenchmarkMonitoring]:
    """The household's monitoring visits, newest first (``NotFound`` outside the caseload)."""
    household = selectors.household_get(actor=actor, household_id=household_id)
    return household.benchmark_monitorings.order_by("-monitored_on", "-id")


@dataclass(frozen=True)
class BenchmarkRow:
    number: int
    label: str
    cpara: bool | None  # met at the latest CPARA (None: no CPARA)
    monitoring: bool | None  # met at the latest monitoring (None: none yet)

    @property
    def trend(self) -> str:
        """ "up" (met since the CPARA), "down" (no longer met), "same" or "" (not comparable)."""
        if self.cpara is None or self.monitoring is None:
            return ""
        if self.cpara == self.monitoring:
            return "same"
        return "up" if self.monitoring else "down"


def graduation_panel(*, household: Household) -> dict:
    """The household page's graduation panel: the latest CPARA against the latest
    monitoring, benchmark by benchmark, and the scores over time (newest first)."""
    cpara = selectors.cpara_latest(household=household)
    monitorings = list(household.benchmark_monitorings.order_by("-monitored_on", "-id")[:6])
    latest = monitorings[0] if monitorings else None
    rows = [
        BenchmarkRow(
            number,
            str(label),
            None if cpara is None else cpara.answers.get(str(number)) != scoring.NO,
            None if latest is None else latest.is_met(number),
        )
        for number, (_domain, label) in sorted(scoring.BENCHMARKS.items())
    ]
    cparas = household.cparas.order_by("-assessed_on", "-id")[:6]
    timeline = sorted(
        [("cpara", c.assessed_on, c.total) for c in cparas]
        + [("monitoring", m.monitored_on, m.total) for m in monitorings],
        key=lambda row: row[1],
        reverse=True,
    )[:8]
    return {
        "graduation_cpara": cpara,
        "graduation_monitoring": latest,
        "graduation_rows": rows,
        "graduation_timeline": timeline,
    }


# --- periods -------------------------------------------------------------------------


def report_period(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """A report's period, checked: both days given, from 1990, start not after end, not in
    the future. Defaults: the quarter of ``today`` up to ``today``."""
    start = start or quarter_start(today)
    end = end or today
    errors: dict[str, str] = {}
    if start < EARLIEST:
        errors["start"] = gettext("A period starts in 1990 or later.")
    if end > today:
        errors["end"] = gettext("This date cannot be in the future.")
    if start > end:
        errors["end"] = gettext("The end of the period is before its start.")
    if errors:
        raise ValidationError(errors)
    return start, end


def report_day(day: date | None, *, today: date) -> date:
    """The day a dashboard is read on, checked: from 1990, not in the future (default today)."""
    day = day or today
    if day < EARLIEST:
        raise ValidationError({"as_of": gettext("A period starts in 1990 or later.")})
    if day > today:
        raise ValidationError({"as_of": gettext("This date cannot be in the future.")})
    return day


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarters_until(day: date, count: int) -> list[tuple[date, date]]:
    """The last ``count`` calendar quarters up to ``day`` (the last one ends on ``day``),
    oldest first."""
    periods = []
    start = quarter_start(day)
    end = day
    for _n in range(count):
        periods.append((start, end))
        end = start - timedelta(days=1)
        start = quarter_start(end)
    return periods[::-1]


# --- readiness bands -----------------------------------------------------------------


class _CparaHistory:
    """Each household's CPARA totals in date order, to read its band on any day."""

    def __init__(self, households: QuerySet[Household], until: date):
        self.by_household: dict[int, list[tuple[date, int]]] = defaultdict(list)
        rows = (
            Cpara.objects.filter(household__in=households, assessed_on__lte=until)
            .order_by("assessed_on", "id")
            .values_list("household_id", "assessed_on", "total")
        )
        for household_id, assessed_on, total in rows:
            self.by_household[household_id].append((assessed_on, total))

    def band_on(self, household_id: int, day: date) -> str | None:
        total = None
        for assessed_on, score in self.by_household.get(household_id, ()):
            if assessed_on > day:
                break
            total = score
        return None if total is None else scoring.pathway_for(total)


@dataclass
class QuarterMovement:
    label: str
    start: date
    end: date
    up: int = 0
    down: int = 0
    stayed: int = 0
    first: int = 0  # first CPARA in the quarter: no band to move from


def readiness_dashboard(*, actor: Actor, as_of: date, quarters: int = 4) -> dict:
    """Households of the actor's caseload by readiness band (each household's latest CPARA
    on ``as_of``) and, per quarter, how many moved up, down or stayed (band at the
    quarter's end against the band the day before it began)."""
    quarters = max(1, min(quarters, MAX_QUARTERS))
    households = selectors.households_visible_to(actor)
    household_ids = list(households.values_list("pk", flat=True))
    history = _CparaHistory(households, as_of)
    counts = Counter(history.band_on(pk, as_of) for pk in household_ids)
    labels = dict(scoring.PATHWAYS)
    bands = [(code, str(labels[code]), counts.get(code, 0)) for code in BANDS]
    movements = []
    for start, end in quarters_until(as_of, quarters):
        label = f"{start.year} Q{(start.month - 1) // 3 + 1}"
        movement = QuarterMovement(label, start, end)
        for pk in household_ids:
            before = history.band_on(pk, start - timedelta(days=1))
            after = history.band_on(pk, end)
            if after is None:
                continue
            if before is None:
                movement.first += 1
            elif BANDS.index(after) > BANDS.index(before):
                movement.up += 1
            elif BANDS.index(after) < BANDS.index(before):
                movement.down += 1
            else:
                movement.stayed += 1
        movements.append(movement)
    return {
        "as_of": as_of,
        "households": len(household_ids),
        "bands": bands,
        "without_cpara": counts.get(None, 0),
        "movements": movements,
    }


# --- graduation report ---------------------------------------------------------------


@dataclass
class GraduatedHousehold:
    household: Household
    cpara: Cpara | None
    graduated: list[Enrolment] = field(default_factory=list)
    still_active: int = 0

    @property
    def fully_graduated(self) -> bool:
        return self.still_active == 0


def _allowing_cpara(cparas: list[Cpara], exit_date: date) -> Cpara | None:
    """The CPARA that allowed a graduation: the latest 9/9 assessed by the exit date (or,
    for an exit dated before its assessment was entered, the latest 9/9)."""
    met = [c for c in cparas if c.all_met]
    before = [c for c in met if c.assessed_on <= exit_date]
    return (before or met or [None])[-1]


def graduation_report(*, actor: Actor, start: date, end: date) -> dict:
    """Children graduated (exit reason ERCP) in the period with the CPARA that allowed it,
    grouped by household; and the households ready to graduate (latest CPARA 9/9 by
    ``end``) that still have children active in the programme."""
    households = selectors.households_visible_to(actor)
    children = list(
        Enrolment.objects.filter(
            household__in=households,
            exit_reason=codes.GRADUATION,
            exit_date__range=(start, end),
        )
        .select_related("child", "household", "household__head")
        .order_by("exit_date", "id")
    )
    household_ids = {e.household_id for e in children}
    cparas: dict[int, list[Cpara]] = defaultdict(list)
    for cpara in Cpara.objects.filter(household_id__in=household_ids).order_by("assessed_on", "id"):
        cparas[cpara.household_id].append(cpara)
    active = Counter(
        Enrolment.objects.filter(
            household_id__in=household_ids, status=EnrolmentStatus.ACTIVE
        ).values_list("household_id", flat=True)
    )
    grouped: dict[int, GraduatedHousehold] = {}
    for enrolment in children:
        enrolment.cpara = _allowing_cpara(cparas[enrolment.household_id], enrolment.exit_date)
        row = grouped.setdefault(
            enrolment.household_id,
            GraduatedHousehold(
                enrolment.household, None, still_active=active[enrolment.household_id]
            ),
        )
        row.graduated.append(enrolment)
        row.cpara = enrolment.cpara
    return {
        "start": start,
        "end": end,
        "children": children,
        "households": list(grouped.values()),
        "households_graduated": sum(1 for row in grouped.values() if row.fully_graduated),
        "ready": ready_not_graduated(households=households, on=end),
    }


def ready_not_graduated(*, households: QuerySet[Household], on: date) -> list[dict]:
    """Households whose latest CPARA by ``on`` scores 9/9 and that still have active children."""
    latest: dict[int, Cpara] = {}
    for cpara in Cpara.objects.filter(household__in=households, assessed_on__lte=on).order_by(
        "assessed_on", "id"
    ):
        latest[cpara.household_id] = cpara
    ready = {pk: c for pk, c in latest.items() if c.all_met}
    active = Counter(
        Enrolment.objects.filter(household_id__in=ready, status=EnrolmentStatus.ACTIVE).values_list(
            "household_id", flat=True
        )
    )
    found = Household.objects.filter(pk__in=[pk for pk in ready if active[pk]]).select_related(
        "head"
    )
    return [
        {"household": h, "cpara": ready[h.pk], "active": active[h.pk]}
        for h in found.order_by("number")
    ]


# --- exits report --------------------------------------------------------------------


def _exits(actor: Actor, start: date, end: date) -> list[Enrolment]:
    exits = (
        Enrolment.objects.filter(
            household__in=selectors.households_visible_to(actor),
            status=EnrolmentStatus.EXITED,
            exit_date__range=(start, end),
        )
        .select_related("child", "household")
        .order_by("exit_date", "id")
    )
    found = list(exits)
    for enrolment in found:
        enrolment.age_band = mer_age_band(enrolment.child, enrolment.exit_date)
    return found


@dataclass
class ExitRow:
    reason: str
    label: str
    total: int = 0
    by_sex: Counter = field(default_factory=Counter)
    by_age: Counter = field(default_factory=Counter)

    def sexes(self) -> list[int]:
        return [self.by_sex[sex] for sex in SEXES]

    def ages(self) -> list[int]:
        return [self.by_age[band] for band in AGE_BANDS]

    def sex_cells(self) -> list[tuple[str, int]]:
        return list(zip(SEXES, self.sexes(), strict=True))

    def age_cells(self) -> list[tuple[str, int]]:
        return list(zip(AGE_BANDS, self.ages(), strict=True))


def exits_report(*, actor: Actor, start: date, end: date) -> dict:
    """Exits in the period (exit date) by reason of the ``ovc_exit_reason`` list, each by
    sex and by MER age band on the exit date; with the totals."""
    reasons = list_labels("ovc_exit_reason")
    rows = {code: ExitRow(code, label) for code, label in reasons.items()}
    total = ExitRow("", gettext("Total"))
    for enrolment in _exits(actor, start, end):
        row = rows.setdefault(
            enrolment.exit_reason, ExitRow(enrolment.exit_reason, enrolment.exit_reason)
        )
        for counted in (row, total):
            counted.total += 1
            counted.by_sex[enrolment.child.sex] += 1
            counted.by_age[enrolment.age_band] += 1
    return {
        "start": start,
        "end": end,
        "rows": list(rows.values()),
        "total": total,
        "sexes": [(code, str(label)) for code, label in Sex.choices],
        "age_bands": AGE_BANDS,
    }


def exits_children(
    *, actor: Actor, start: date, end: date, reason: str = "", sex: str = "", age_band: str = ""
) -> list[Enrolment]:
    """The children behind one figure of the exits report (each filter optional)."""
    errors: dict[str, str] = {}
    if reason and reason not in list_labels("ovc_exit_reason"):
        errors["reason"] = gettext("Unknown exit reason.")
    if sex and sex not in SEXES:
        errors["sex"] = gettext("Unknown sex.")
    if age_band and age_band not in AGE_BANDS:
        errors["age_band"] = gettext("Unknown age band.")
    if errors:
        raise ValidationError(errors)
    return [
        e
        for e in _exits(actor, start, end)
        if (not reason or e.exit_reason == reason)
        and (not sex or e.child.sex == sex)
        and (not age_band or e.age_band == age_band)
    ]

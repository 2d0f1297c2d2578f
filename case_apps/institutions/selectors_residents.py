"""Reads of the residents register (issue 19): the running admissions of the institution with
their filters, the places and vacancies per sex and age band, and the morning lists.

The list rows go through the member's case scope (``cases_visible_to``: a case worker sees
the residents of their cases, a supervisor their team's, an administrator all); the figures
(residents per group, vacancies, counts due for discharge and overstaying) are the whole
institution's, as they are about places, not records. Every read is a fixed number of
queries whatever the number of residents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from audit.services import actor_access_record
from case_apps.cases import selectors as case_selectors
from case_apps.cases.models_court import CourtSession
from case_apps.institutions.access_kinds import RESIDENTS, RESIDENTS_EXPORT
from case_apps.institutions.models import Admission, InstitutionCapacity
from shared_registry.models import Sex
from tenants.actor import Actor
from tenants.policy import Permission

# The case-load age bands (case_apps/cases/facts.py age_band), by current age: (first, last)
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "0-5": (0, 5),
    "6-10": (6, 10),
    "11-15": (11, 15),
    "16-17": (16, 17),
    "18+": (18, None),
}
CAPACITY_SEXES = (Sex.MALE, Sex.FEMALE)  # SMAL, SFEM: places are counted for boys and girls
ADMISSION_TYPES = ("TANA", "TARE", "TARR", "TATR", "TRIN")
DUE_DAYS = 30
DUE, OVERSTAY = "due", "overstay"


@dataclass
class ResidentFilters:
    """What the register is narrowed to: a name, admission number or CPIMS ID (``search``),
    the child's sex, current age band, the admission type, and ``when``: due for discharge
    within 30 days or overstaying the expected exit."""

    search: str = ""
    sex: str = ""
    age_band: str = ""
    admission_type: str = ""
    when: str = ""
    today: date = field(default_factory=timezone.localdate)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band_q(band: str, today: date, prefix: str = "case__child__") -> Q:
    """The children whose current age is in ``band``: by date of birth, or by year of birth
    when only the year is known."""
    first, last = AGE_BANDS[band]
    by_date = Q(**{f"{prefix}date_of_birth__lte": _years_before(today, first)})
    by_year = Q(**{f"{prefix}birth_year__lte": today.year - first})
    if last is not None:
        # older than ``last`` means born on or before the day ``last + 1`` years ago
        by_date &= Q(**{f"{prefix}date_of_birth__gt": _years_before(today, last + 1)})
        by_year &= Q(**{f"{prefix}birth_year__gte": today.year - last})
    no_date = Q(**{f"{prefix}date_of_birth__isnull": True})
    return by_date | (no_date & by_year)


def _band_expression(today: date, prefix: str = "case__child__") -> Case:
    return Case(
        *(When(age_band_q(band, today, prefix), then=Value(band)) for band in AGE_BANDS),
        default=Value("unknown"),
        output_field=CharField(),
    )


def running_admissions() -> QuerySet[Admission]:
    """Every running admission of the institution (the workspace)."""
    return Admission.objects.filter(discharged_on__isnull=True)


def _when_q(when: str, today: date) -> Q:
    if when == DUE:
        return Q(expected_exit_on__gte=today, expected_exit_on__lte=today + timedelta(DUE_DAYS))
    if when == OVERSTAY:
        return Q(expected_exit_on__lt=today)
    return Q()


def residents(*, actor: Actor, filters: ResidentFilters) -> QuerySet[Admission]:
    """The residents the member may see (running admissions of their visible cases), most
    recently admitted first."""
    actor.require(Permission.VIEW_CASES)
    cases = case_selectors.cases_visible_to(actor=actor)
    rows = running_admissions()
    if filters.search:
        term = filters.search.strip()[:64]
        # an admission number as written (its unique index), else the case search
        numbered = list(
            rows.filter(admission_number__in={term, term.upper()}).values_list("pk", flat=True)
        )
        if numbered:
            rows = rows.filter(pk__in=numbered)
        else:
            cases = cases.filter(case_selectors._search(term))
    if cases.query.where:  # not every case (a caseload scope or a search): narrow to them
        rows = rows.filter(case__in=cases)
    if filters.sex:
        rows = rows.filter(case__child__sex=filters.sex)
    if filters.age_band in AGE_BANDS:
        rows = rows.filter(age_band_q(filters.age_band, filters.today))
    if filters.admission_type:
        rows = rows.filter(admission_type=filters.admission_type)
    rows = rows.filter(_when_q(filters.when, filters.today))
    order = "expected_exit_on" if filters.when else "-admitted_on"
    return rows.select_related("case", "case__child").order_by(order, "-id")


def filters_said(filters: ResidentFilters) -> str:
    """What narrowed the list, for the access log: ``q=…&sex=…`` (empty for the whole list)."""
    said = (
        ("q", filters.search.strip()[:64]),
        ("sex", filters.sex),
        ("age_band", filters.age_band),
        ("admission_type", filters.admission_type),
        ("when", filters.when),
    )
    return "&".join(f"{name}={value}" for name, value in said if value)


# the list reads of the access log (record ids of ``institution_residents``)
REGISTER, MORNING = "register", "today"


def residents_open(
    *,
    actor: Actor,
    filters: ResidentFilters,
    purpose: str = "residents register",
    request: HttpRequest | None = None,
) -> QuerySet[Admission]:
    """The register's rows (the screen, a page of it, or the API list): one access-log entry
    per list read, with what narrowed it; refused (no right to see cases), nothing logged."""
    rows = residents(actor=actor, filters=filters)
    said = filters_said(filters)
    actor_access_record(
        actor, RESIDENTS, REGISTER, f"{purpose}: {said}" if said else purpose, request
    )
    return rows


def morning_lists_logged(*, actor: Actor, request: HttpRequest | None = None) -> None:
    """The manager's morning lists name residents (due, overstaying, court dates) and foster
    children (expiring certificates): one access-log entry per read of the page."""
    actor.require(Permission.VIEW_CASES)
    actor_access_record(actor, RESIDENTS, MORNING, "morning lists", request)


def residents_export_read(
    *,
    actor: Actor,
    filters: ResidentFilters,
    export_format: str,
    purpose: str,
    request: HttpRequest | None = None,
) -> QuerySet[Admission]:
    """The register's rows for an export, the export logged with what selected it (as the
    OVC children export: the query, or the export's name when there is none)."""
    rows = residents(actor=actor, filters=filters)
    actor_access_record(
        actor, RESIDENTS_EXPORT, export_format, purpose[:200] or "residents export", request
    )
    return rows


def age_in_years(child, today: date) -> int | None:
    if child.date_of_birth is not None:
        born = child.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if child.birth_year:
        return today.year - child.birth_year
    return None


def days_to_exit(admission: Admission, today: date) -> int | None:
    """Days left to the expected exit (negative: days over it)."""
    if admission.expected_exit_on is None:
        return None
    return (admission.expected_exit_on - today).days


@dataclass
class CapacityRow:
    sex: str
    age_band: str
    places: int | None  # None: no places set for this group
    residents: int

    @property
    def vacancies(self) -> int:
        return max((self.places or 0) - self.residents, 0)

    @property
    def over_by(self) -> int:
        return max(self.residents - (self.places or 0), 0)


@dataclass
class CapacityTable:
    rows: list[CapacityRow]

    @property
    def places(self) -> int:
        return sum(row.places or 0 for row in self.rows)

    @property
    def residents(self) -> int:
        return sum(row.residents for row in self.rows)

    @property
    def vacancies(self) -> int:
        return sum(row.vacancies for row in self.rows)


def residents_by_group(
    organisation_id: int, today: date | None = None
) -> dict[tuple[str, str], int]:
    """The institution's residents counted by sex and current age band, in one query on the
    national residences (``shared_registry.Residence``, kept in step with the running
    admissions in the same transactions): it reaches the child without the case table."""
    from shared_registry.models_residence import Residence

    today = today or timezone.localdate()
    grouped = (
        Residence.objects.filter(organisation_id=organisation_id, ended_on__isnull=True)
        .annotate(band=_band_expression(today, prefix="person__"))
        .values_list("person__sex", "band")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(sex, band): n for sex, band, n in grouped}


def capacity_table(*, actor: Actor, today: date | None = None) -> CapacityTable:
    """Places, residents and vacancies per sex (boys, girls) and age band; a group with
    more residents than places shows how far over it is, never negative vacancies. Groups
    outside the places (intersex, unknown age) are listed when they have residents."""
    actor.require(Permission.VIEW_CASES)
    counts = residents_by_group(actor.organisation.pk, today)
    places = {(c.sex, c.age_band): c.places for c in InstitutionCapacity.objects.all()}
    groups = [(sex.value, band) for sex in CAPACITY_SEXES for band in AGE_BANDS]
    groups += sorted(group for group in counts if group not in groups)
    return CapacityTable(
        [
            CapacityRow(sex, band, places.get((sex, band)), counts.get((sex, band), 0))
            for sex, band in groups
        ]
    )


@dataclass
class MorningCounts:
    residents: int
    due: int
    overstays: int


def morning_counts(today: date | None = None) -> MorningCounts:
    """The institution's residents, those due for discharge in 30 days and those past their
    expected exit, in one query."""
    today = today or timezone.localdate()
    figures = running_admissions().aggregate(
        residents=Count("id"),
        due=Count("id", filter=_when_q(DUE, today)),
        overstays=Count("id", filter=_when_q(OVERSTAY, today)),
    )
    return MorningCounts(**figures)


def residents_court_dates(*, actor: Actor, today: date | None = None) -> QuerySet[CourtSession]:
    """Upcoming court dates of the residents' cases (the latest session's next date)."""
    from case_apps.cases.selectors_court import CourtFilters, upcoming_court_dates

    filters = CourtFilters(today=today or timezone.localdate())
    sessions = upcoming_court_dates(actor=actor, filters=filters)
    # the morning list shows the date, the court, the child and the case: no officer joins
    # (each join costs the planner time on every page)
    return (
        sessions.filter(case__in=running_admissions().values("case_id"))
        .select_related(None)
        .select_related("case__child")
    )


@dataclass
class PopulationMonth:
    month: date
    residents: dict[tuple[str, str], int] = field(default_factory=dict)
    admissions: int = 0
    discharges: int = 0


def _month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def population_by_month(*, actor: Actor, months: list[date]) -> list[PopulationMonth]:
    """The institution's own residents at each month's end by sex and age band at admission
    (as the national report counts them), with the month's admissions and discharges, from
    its admissions as they stand (one query: the admissions that overlap the months)."""
    from case_apps.cases.facts import age_band

    actor.require(Permission.VIEW_CASES)
    first, last = months[0], _month_end(months[-1])
    rows = (
        Admission.objects.filter(admitted_on__lte=last)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=first))
        .values_list(
            "admitted_on",
            "discharged_on",
            "case__child__sex",
            "case__child__date_of_birth",
            "case__child__birth_year",
        )
    )
    lines = [PopulationMonth(month) for month in months]
    for admitted_on, discharged_on, sex, born, birth_year in rows.iterator(chunk_size=2000):
        group = (sex, age_band(born, birth_year, admitted_on))
        for line in lines:
            end = _month_end(line.month)
            if line.month <= admitted_on <= end:
                line.admissions += 1
            if discharged_on and line.month <= discharged_on <= end:
                line.discharges += 1
            if admitted_on <= end and (discharged_on is None or discharged_on > end):
                line.residents[group] = line.residents.get(group, 0) + 1
    return lines

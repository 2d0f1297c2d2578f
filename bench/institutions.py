"""Institutions at scale (issue 19): an institution with 2,000 residents and 20,000 past
admissions, and a county of 200 institutions. Prints p50 and p95 of the residents register
(first page, filtered, searched, due for discharge, the API), the morning page and the
population report (county, national; 12 and 3 months), with the SQL queries per request, and
whether each meets the target.

    .venv/bin/python bench/institutions.py [--residents 2000] [--past 20000]
        [--institutions 200] [--requests 200]

Target (the issue's): the residents list and the population report p95 under 50 ms, the same
number of queries whatever the scope and period. The morning page is timed too, without a target.

The county's institutions are not provisioned as 200 workspaces: their drained figures are
written straight into the public monthly counts (``national_statistics_monthlycount``), one
row per institution, month, kind, sex and age band, and the population rollups the drain keeps
are rebuilt from them (``population_rollup_rebuild``, as the rollups' migration does); the one
provisioned institution's admissions are written in bulk in its own schema. In the same run
the report is also timed as it was before the rollups (every admission and discharge since
1900 summed from the monthly counts: "recount"), and the two must give the same figures.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402
from bench.caseload import FIRST, SURNAMES, _load, measure  # noqa: E402

SEXES = ("SFEM", "SMAL")
BANDS = ("0-5", "6-10", "11-15", "16-17", "18+")
TYPES = ("TANA", "TARE", "TARR", "TATR", "TRIN")
FAKE_ORGANISATIONS = 900_000_000  # ids of the county's institutions that have no workspace


def load_institution(organisation, officer, residents: int, past: int) -> None:
    from django.db import connection, transaction

    from case_apps.cases.models import CaseRecord
    from case_apps.institutions.models import Admission, InstitutionCapacity
    from shared_registry import checkdigit, names
    from shared_registry.models import Person
    from tenants.schema import workspace_context

    total = residents + past
    with workspace_context(organisation):
        if Admission.objects.count() >= total:
            return
        Admission.objects.all().delete()
        CaseRecord.objects.all().delete()
    rng = random.Random(19)
    today = date.today()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval('public.shared_registry_cpims_id_seq', "
            "nextval('public.shared_registry_cpims_id_seq') + %s)",
            [total],
        )
        start_number = cursor.fetchone()[0] - total
    batch = 5_000
    for offset in range(0, total, batch):
        people = []
        for i in range(offset, min(offset + batch, total)):
            first, surname = rng.choice(FIRST), rng.choice(SURNAMES)
            person = Person(
                cpims_id=checkdigit.cpims_id_from_number(start_number + i),
                first_name=first,
                surname=surname,
                sex=rng.choice(SEXES),
                date_of_birth=today - timedelta(days=365 + rng.randrange(17 * 365)),
            )
            person.search_name = names.sorted_name(first, surname)
            person.name_keys = names.name_keys(first, surname)
            people.append(person)
        Person.objects.bulk_create(people)
        with workspace_context(organisation), transaction.atomic():
            cases = CaseRecord.objects.bulk_create(
                [
                    CaseRecord(
                        serial_number=offset + n + 1,
                        year=2024,
                        national_reference=f"CPIMS/042/INST/{offset + n + 1:06d}/2024",
                        child=person,
                        date_reported=today - timedelta(days=1000 - (offset + n) % 900),
                        how_reported="walk_in",
                        reporter_type="CRMO",
                        risk_level="RLHG",
                        occurrence_county_code="042",
                        assigned_officer=officer,
                        created_by=officer,
                        category_codes=["CSIC"],
                        stage="active",
                    )
                    for n, person in enumerate(people)
                ]
            )
            admissions = []
            for n, case in enumerate(cases):
                number = offset + n
                admitted = case.date_reported
                running = number >= past
                admissions.append(
                    Admission(
                        case=case,
                        admission_number=f"ADM/{number:06d}",
                        admitted_on=admitted,
                        admission_type=rng.choice(TYPES),
                        admission_reason="RACP",
                        source="direct",
                        expected_exit_on=today + timedelta(days=rng.randrange(-60, 400)),
                        residential_status="resident" if running else "discharged",
                        discharged_on=None if running else admitted + timedelta(days=30),
                        discharge_type="" if running else "DREU",
                        officer_id=officer.pk,
                    )
                )
            Admission.objects.bulk_create(admissions)
        print(f"  {offset + len(people):,} admissions", flush=True)
    residences_load(organisation)
    with workspace_context(organisation):
        InstitutionCapacity.objects.all().delete()
        InstitutionCapacity.objects.bulk_create(
            InstitutionCapacity(sex=sex, age_band=band, places=220)
            for sex in SEXES
            for band in BANDS
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def residences_load(organisation) -> None:
    """The national residence of every running admission (what the admission service writes
    with it: the register's places and vacancies count residents from it)."""
    from case_apps.institutions.models import Admission
    from shared_registry.models_residence import Residence
    from tenants.schema import workspace_context

    Residence.objects.filter(organisation=organisation).delete()
    with workspace_context(organisation):
        running = list(
            Admission.objects.filter(discharged_on__isnull=True).values_list(
                "pk", "admitted_on", "case__child_id"
            )
        )
    Residence.objects.bulk_create(
        Residence(
            person_id=child_id, organisation=organisation, admission_id=pk, admitted_on=admitted_on
        )
        for pk, admitted_on, child_id in running
    )


def load_county(institutions: int, months: int) -> int:
    """The drained figures of ``institutions`` institutions in county 042 and half as many in
    047, for ``months`` months up to this one: admissions and discharges per sex and band."""
    from django.db import connection

    from national_statistics.models import MonthlyCount

    MonthlyCount.objects.filter(organisation_id__gte=FAKE_ORGANISATIONS).delete()
    rng = random.Random(42)
    first = date.today().replace(day=1)
    month_list = []
    for _ in range(months):
        month_list.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    rows = []
    for n in range(institutions + institutions // 2):
        county = "042" if n < institutions else "047"
        sub_county = f"{240 + n % 6}"
        for month in month_list:
            for sex in SEXES:
                for band in BANDS:
                    admitted = rng.randrange(0, 6)
                    for kind, count in (
                        ("resident_admitted", admitted),
                        ("resident_discharged", rng.randrange(0, admitted + 1)),
                    ):
                        if count:
                            rows.append(
                                MonthlyCount(
                                    month=month,
                                    organisation_id=FAKE_ORGANISATIONS + n,
                                    event_kind=kind,
                                    programme="institutions",
                                    category="TANA"
                                    if kind == "resident_admitted"
                                    else "discharged",
                                    sex=sex,
                                    age_band=band,
                                    county=county,
                                    sub_county=sub_county,
                                    n=count,
                                )
                            )
    MonthlyCount.objects.bulk_create(rows, batch_size=10_000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE national_statistics_monthlycount")
    from national_statistics.rollups import population_rollup_rebuild

    population_rollup_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE national_statistics_populationmonth")
        cursor.execute("VACUUM ANALYZE national_statistics_populationbalance")
    return len(rows)


def recount_by_month(scope, month_from, month_to) -> list:
    """The report's figures as they were computed before the rollups: every admission and
    discharge since 1900 summed from the monthly counts for the balance before the period."""
    from django.db.models import Sum

    from national_statistics.institutions import KINDS, MonthPopulation, months_of
    from national_statistics.selectors import counts_in

    months = months_of(month_from, month_to)
    facts = counts_in(scope, date(1900, 1, 1), month_to).filter(event_kind__in=KINDS)
    balance: dict = {}
    before = facts.filter(month__lt=months[0]).values_list("event_kind", "sex", "age_band")
    for kind, sex, band, n in before.annotate(total=Sum("n")).order_by():
        group = (sex, band or "unknown")
        balance[group] = balance.get(group, 0) + (int(n) if kind == KINDS[0] else -int(n))
    during = {m: MonthPopulation(m) for m in months}
    rows = facts.filter(month__gte=months[0]).values_list("month", "event_kind", "sex", "age_band")
    for month, kind, sex, band, n in rows.annotate(total=Sum("n")).order_by():
        figures = during[month].admissions if kind == KINDS[0] else during[month].discharges
        if n:
            figures[(sex, band or "unknown")] = figures.get((sex, band or "unknown"), 0) + int(n)
    for month in months:
        line = during[month]
        for group, n in line.admissions.items():
            balance[group] = balance.get(group, 0) + n
        for group, n in line.discharges.items():
            balance[group] = balance.get(group, 0) - n
        line.residents = {group: n for group, n in balance.items() if n > 0}
    return [during[m] for m in months]


def time_report(scope, month_from, month_to, requests: int, *, recount: bool = False):
    """p50, p95 and queries of the released report (``recount``: as computed before the
    rollups)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from national_statistics import institutions
    from national_statistics.definitions import report_build
    from national_statistics.reports import release

    def once():
        return release(report_build("institution_population", scope, month_from, month_to), "")

    rolled_up = institutions.population_by_month
    if recount:
        institutions.population_by_month = recount_by_month
    try:
        once()
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            once()
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            once()
    finally:
        institutions.population_by_month = rolled_up
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95) - 1], len(queries)


TARGET_MS = 50.0


def verdict(p95: float) -> str:
    return "met" if p95 < TARGET_MS else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=2_000)
    parser.add_argument("--past", type=int, default=20_000)
    parser.add_argument("--institutions", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    setup_django("cpims_bench_institutions")

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from case_apps.institutions.models import Admission
    from national_statistics.selectors import StatisticsScope
    from provisioning.services import organisation_provision
    from tenants.models import Organisation, Role, User
    from tenants.schema import workspace_context
    from tenants.services import SESSION_HOST_KEY, membership_grant, organisation_create

    settings.ALLOWED_HOSTS = ["*"]
    from constance import config

    if hasattr(config, "MFA_REQUIRED_FOR_ADMINS"):
        config.MFA_REQUIRED_FOR_ADMINS = False
    if hasattr(config, "API_REQUESTS_PER_MINUTE"):
        config.API_REQUESTS_PER_MINUTE = 1_000_000
    call_command("load_reference_lists", verbosity=0)
    organisation = Organisation.objects.filter(slug="institution-bench").first() or (
        organisation_create(
            name="Institution bench",
            slug="institution-bench",
            kind="statutory_institution",
            county_code="042",
            sub_county_code="240",
        )
    )
    organisation = organisation_provision(organisation=organisation)
    call_command("migrate_schemas", interactive=False, verbosity=0)
    admin = User.objects.filter(email="manager@institution.bench").first() or (
        User.objects.create_user(email="manager@institution.bench", password="x" * 12)
    )
    membership_grant(user=admin, organisation=organisation, roles=[Role.ORGANISATION_ADMIN])
    print(f"loading {args.residents:,} residents and {args.past:,} past admissions ...")
    load_institution(organisation, admin, args.residents, args.past)
    from shared_registry.models_residence import Residence

    if not Residence.objects.filter(organisation=organisation).exists():
        residences_load(organisation)
    cells = load_county(args.institutions, 24)
    with workspace_context(organisation):
        running = Admission.objects.filter(discharged_on__isnull=True).count()
        total = Admission.objects.count()

    client = Client(HTTP_HOST=f"{organisation.slug}.localhost")
    client.force_login(admin)
    session = client.session
    session[SESSION_HOST_KEY] = organisation.schema_name
    session.save()

    print(
        f"{running:,} residents, {total:,} admissions; {cells:,} monthly cells of "
        f"{args.institutions} + {args.institutions // 2} institutions; "
        f"{args.requests} requests per line"
    )
    print(f"load average before: {_load()}")
    print(f"{'request':62} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, url in [
        ("residents register, first page (2,000 residents)", "/institution/"),
        ("residents register, search by admission number (1 match)", "/institution/?q=ADM/020500"),
        ("residents register, girls 11-15", "/institution/?sex=SFEM&age_band=11-15"),
        ("residents register, due for discharge in 30 days", "/institution/?when=due"),
        ("residents register, overstays, page 2", "/institution/?when=overstay&page=2"),
        ("residents API, limit 100", "/api/v1/institution/residents?limit=100"),
        ("morning page (no target: six lists on one page)", "/institution/today/"),
    ]:
        p50, p95, queries = measure(client, url, args.requests)
        said = "" if url.endswith("/today/") else verdict(p95)
        print(f"{label:62} {p50:8.1f} {p95:8.1f} {queries:8d}  {said}")
    this_month = date.today().replace(day=1)
    year_ago = (this_month - timedelta(days=335)).replace(day=1)
    quarter_ago = (this_month - timedelta(days=62)).replace(day=1)
    from national_statistics.institutions import population_by_month

    report_queries = set()
    for label, scope, first in [
        (
            f"population report, county 042 ({args.institutions}), 12 months",
            StatisticsScope(county="042"),
            year_ago,
        ),
        (
            f"population report, county 047 ({args.institutions // 2}), 12 months",
            StatisticsScope(county="047"),
            year_ago,
        ),
        (
            f"population report, county 042 ({args.institutions}), 3 months",
            StatisticsScope(county="042"),
            quarter_ago,
        ),
        ("population report, national, 12 months", StatisticsScope(), year_ago),
    ]:
        # the rollups give exactly what summing every fact gives
        assert population_by_month(scope, first, this_month) == recount_by_month(
            scope, first, this_month
        ), label
        p50, p95, queries = time_report(scope, first, this_month, args.requests, recount=True)
        print(f"{label + ', recount':62} {p50:8.1f} {p95:8.1f} {queries:8d}")
        p50, p95, queries = time_report(scope, first, this_month, args.requests)
        report_queries.add(queries)
        print(f"{label:62} {p50:8.1f} {p95:8.1f} {queries:8d}  {verdict(p95)}")
    page = (
        f"/statistics/reports/institution_population/?from={year_ago:%Y-%m}&to={this_month:%Y-%m}"
    )
    p50, p95, queries = measure(client, page, args.requests)
    print(
        f"{'population report page, the institution, 12 months':62} {p50:8.1f} {p95:8.1f} "
        f"{queries:8d}  {verdict(p95)}"
    )
    print(
        f"population report queries per request: {sorted(report_queries)} "
        f"({'constant' if len(report_queries) == 1 else 'NOT constant'} across scopes and periods)"
    )
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()

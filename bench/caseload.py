"""The caseload at scale: 100,000 cases with follow-ups in one organisation. Prints p50 and
p95 of the caseload list (plain, filtered, searched) and of the child page, and the SQL
queries per request (which must not grow with page size or case count).

    .venv/bin/python bench/caseload.py [--cases 100000] [--requests 200]

Target: p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

FIRST = [
    "AKINYI",
    "WANJIKU",
    "KIPCHOGE",
    "OTIENO",
    "NJERI",
    "BARAKA",
    "CHEBET",
    "MUTUA",
    "ACHIENG",
    "KAMAU",
    "WAFULA",
    "NEKESA",
    "HALIMA",
    "ABDI",
    "ZAWADI",
    "IMANI",
]
SURNAMES = [
    "OCHIENG",
    "MWANGI",
    "KIPROTICH",
    "WEKESA",
    "ODHIAMBO",
    "KARIUKI",
    "MOHAMED",
    "NJOROGE",
    "CHERUIYOT",
    "OMONDI",
    "MUTISO",
    "WAMBUA",
    "HASSAN",
    "KILONZO",
]
CATEGORIES = ["CSIC", "CCDF", "CTRF", "CSNG", "CCEA", "CIDC", "CDIS", "CSAD"]
RISKS = ["RLLW", "RLMD", "RLHG"]


def load(organisation, officers, total: int) -> None:
    from django.db import transaction

    from case_apps.cases.models import CaseCategory, CaseRecord, FollowUp
    from shared_registry import checkdigit, names
    from shared_registry.models import Person
    from tenants.schema import workspace_context

    rng = random.Random(7)
    with workspace_context(organisation):
        if CaseRecord.objects.count() >= total:
            return
        CaseRecord.objects.all().delete()
    from django.db import connection

    with connection.cursor() as cursor:  # reserve a block of CPIMS IDs from the registry
        cursor.execute(
            "SELECT setval('public.shared_registry_cpims_id_seq', "
            "nextval('public.shared_registry_cpims_id_seq') + %s)",
            [total],
        )
        start_number = cursor.fetchone()[0] - total
    batch = 10_000
    for offset in range(0, total, batch):
        people = []
        for i in range(offset, min(offset + batch, total)):
            first, surname = rng.choice(FIRST), rng.choice(SURNAMES)
            person = Person(
                cpims_id=checkdigit.cpims_id_from_number(start_number + i),
                first_name=first,
                surname=surname,
                sex=rng.choice(["SFEM", "SMAL"]),
                date_of_birth=date(2008, 1, 1) + timedelta(days=rng.randrange(5000)),
            )
            person.search_name = names.sorted_name(first, surname)
            person.name_keys = names.name_keys(first, surname)
            people.append(person)
        Person.objects.bulk_create(people)
        codes = [rng.choice(CATEGORIES) for _ in people]
        with workspace_context(organisation), transaction.atomic():
            cases = CaseRecord.objects.bulk_create(
                [
                    CaseRecord(
                        serial_number=offset + n + 1,
                        year=2025,
                        national_reference=f"CPIMS/042/BENCH/{offset + n + 1:06d}/2025",
                        child=person,
                        date_reported=date(2025, 1, 1) + timedelta(days=n % 300),
                        how_reported="walk_in",
                        reporter_type="CRMO",
                        risk_level=rng.choice(RISKS),
                        occurrence_county_code="042",
                        assigned_officer=officers[n % len(officers)],
                        created_by=officers[n % len(officers)],
                        category_codes=[codes[n]],
                        # one case in four still waits for its first action (issue 17)
                        stage="pending" if n % 4 == 0 else "active",
                        activated_on=None
                        if n % 4 == 0
                        else date(2025, 1, 1) + timedelta(days=n % 300 + 7),
                        police_station="Kisumu Central" if n % 3 == 0 else "",
                        ob_number=f"OB {n % 90}/2025" if n % 3 == 0 else "",
                    )
                    for n, person in enumerate(people)
                ]
            )
            CaseCategory.objects.bulk_create(
                CaseCategory(case=c, category_code=code)
                for c, code in zip(cases, codes, strict=True)
            )
            FollowUp.objects.bulk_create(
                FollowUp(
                    case=c,
                    follow_up_type="HVIS",
                    date=c.date_reported + timedelta(days=d),
                    officer=c.assigned_officer,
                )
                for c in cases
                for d in (7, 30)
            )
        print(f"  {offset + len(people):,} cases", flush=True)
    with connection.cursor() as cursor:
        # as autovacuum would leave it: statistics, visibility map (index-only scans) and the
        # GIN indexes' pending lists merged (a fresh bulk load has neither)
        cursor.execute("VACUUM ANALYZE")


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    # (no `import statistics`: bench/statistics.py, named by its issue, would shadow it)
    return times[len(times) // 2], times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", default="", help="measure only the lines naming this")
    args = parser.parse_args()
    setup_django("cpims_bench_caseload")

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from case_apps.cases.models import CaseRecord
    from provisioning.services import organisation_provision
    from tenants.models import Organisation, Role, User
    from tenants.schema import workspace_context
    from tenants.services import SESSION_HOST_KEY, membership_grant, organisation_create

    settings.ALLOWED_HOSTS = ["*"]
    from constance import config

    if hasattr(config, "MFA_REQUIRED_FOR_ADMINS"):  # the bench measures lists, not sign-in
        config.MFA_REQUIRED_FOR_ADMINS = False
    if hasattr(config, "API_REQUESTS_PER_MINUTE"):  # nor the API rate limit
        config.API_REQUESTS_PER_MINUTE = 1_000_000
    call_command("load_reference_lists", verbosity=0)
    organisation = Organisation.objects.filter(slug="caseload-bench").first() or (
        organisation_create(
            name="Caseload bench", slug="caseload-bench", kind="cci", county_code="042"
        )
    )
    organisation = organisation_provision(organisation=organisation)
    call_command("migrate_schemas", interactive=False, verbosity=0)
    officers = []
    for n in range(20):
        user = User.objects.filter(email=f"officer{n}@bench.test").first() or (
            User.objects.create_user(email=f"officer{n}@bench.test", password="x" * 12)
        )
        membership_grant(
            user=user,
            organisation=organisation,
            roles=[Role.ORGANISATION_ADMIN if n == 0 else Role.CASE_WORKER],
        )
        officers.append(user)
    print(f"loading {args.cases:,} cases ...", flush=True)
    load(organisation, officers, args.cases)
    with workspace_context(organisation):
        total = CaseRecord.objects.count()
        child_id = CaseRecord.objects.order_by("id").values_list("child_id", flat=True)[500]

    def client_for(user):
        client = Client(HTTP_HOST=f"{organisation.slug}.localhost")
        client.force_login(user)
        session = client.session
        session[SESSION_HOST_KEY] = organisation.schema_name
        session.save()
        return client

    from case_apps.cases.views import caseload as views

    admin, worker = client_for(officers[0]), client_for(officers[1])
    print(f"{total:,} cases in the organisation; {args.requests} requests per line")
    print(f"load average before: {_load()}")
    print(f"{'request':58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, client, url in [
        ("caseload, organisation admin (all cases)", admin, "/cases/"),
        (
            "caseload, admin, filtered (risk + category + status)",
            admin,
            "/cases/?risk_level=RLHG&category=CCDF&status=open",
        ),
        ("caseload, admin, search by surname", admin, "/cases/?q=wekesa"),
        ("caseload, admin, by stage (pending)", admin, "/cases/?stage=pending"),
        ("caseload, admin, search by reference", admin, "/cases/?q=BENCH/001234"),
        ("caseload, admin, page 40", admin, "/cases/?page=40"),
        ("caseload, case worker (own cases)", worker, "/cases/"),
        ("child page", admin, f"/cases/children/{child_id}/"),
        ("API caseload, limit 100", admin, "/api/v1/cases?limit=100"),
        ("API caseload by stage, limit 100", admin, "/api/v1/cases?stage=active&limit=100"),
        ("workspace home (stage tiles)", admin, "/"),
        ("workspace home, case worker", worker, "/"),
        # the same search counted to the list's own cap, as before the search's cap: the
        # difference is what counting every match cost, measured in this run
        ("caseload, admin, search by surname, counted to 10,000", admin, "/cases/?q=wekesa"),
    ]:
        if args.only not in label:
            continue
        counted_to = 10_000 if label.endswith("counted to 10,000") else views.SEARCH_COUNT_CAP
        with _search_count_cap(counted_to):
            p50, p95, queries = measure(client, url, args.requests)
        print(f"{label:58} {p50:8.1f} {p95:8.1f} {queries:8d}")
    print(f"load average after: {_load()}")


@contextmanager
def _search_count_cap(cap: int):
    from case_apps.cases.views import caseload as views

    kept, views.SEARCH_COUNT_CAP = views.SEARCH_COUNT_CAP, cap
    try:
        yield
    finally:
        views.SEARCH_COUNT_CAP = kept


def _load() -> str:
    """The machine's load average (1, 5, 15 minutes): the figures mean little without it."""
    import os

    return " ".join(f"{n:.2f}" for n in os.getloadavg())


if __name__ == "__main__":
    main()

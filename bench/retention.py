"""Cost of retention and of a data subject request (docs/security.md).

Opens ``--cases`` cases of adults in one organisation, closed 11 years ago (past the
default rule: 10 years and the child 25), then times the dry run, the disposal (one
transaction: the deletes, one change-log entry per case, the report and the platform
summary) and a second run (nothing left). Then a person with ``--per-person`` cases in each of
two organisations: the median time of a data subject export (zip) through the gateway.

    .venv/bin/python bench/retention.py [--cases 1000] [--per-person 20] [--exports 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402


def _organisation(slug: str, name: str, county: str):
    from provisioning.services import organisation_provision
    from tenants.models import Organisation
    from tenants.services import organisation_create

    organisation = Organisation.objects.filter(slug=slug).first() or organisation_create(
        name=name, slug=slug, kind="cci", county_code=county
    )
    return organisation_provision(organisation=organisation)


def _user(email: str, **extra):
    from tenants.models import User

    return User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=None, **extra
    )


def _open(organisation, actor, child, count: int, reporter: str) -> list[int]:
    from django.utils import timezone

    from case_apps.cases import services as cases
    from tenants.actor import member_actor
    from tenants.schema import workspace_context

    ids = []
    with workspace_context(organisation):
        for _ in range(count):
            ids.append(
                cases.case_open(
                    organisation=organisation,
                    actor=member_actor(actor, organisation),
                    child=child,
                    date_reported=timezone.localdate() - timedelta(days=3),
                    how_reported="walk_in",
                    reporter_type="CRMO",
                    reporter_name=reporter,
                    risk_level="RLHG",
                    narrative="bench narrative " * 20,
                    categories=[
                        cases.CategoryInput(category_code="CSIC", sub_category_codes=["NDED"])
                    ],
                ).pk
            )
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--per-person", type=int, default=20)
    parser.add_argument("--exports", type=int, default=20)
    args = parser.parse_args()
    setup_django("cpims_bench_retention")

    from django.utils import timezone

    from audit.tasks import dispose_expired_organisation_task
    from case_apps.cases.models import CaseRecord
    from case_apps.lists.services import lists_load_national
    from shared_registry.services import person_register
    from sharing.dsr import data_subject_export
    from tenants.actor import Actor
    from tenants.models import PlatformRole, Role
    from tenants.schema import workspace_context
    from tenants.services import membership_grant

    lists_load_national()
    home = _organisation("bench-retention", "Bench retention", "042")
    other = _organisation("bench-retention-b", "Bench retention B", "047")
    worker = _user("worker@bench-retention.test")
    hq = _user("hq@bench-retention.test", platform_roles=[PlatformRole.NATIONAL_ADMINISTRATOR])
    for organisation in (home, other):
        if not worker.memberships.filter(organisation=organisation).exists():
            membership_grant(user=worker, organisation=organisation, roles=[Role.CASE_WORKER])

    # --- disposal -------------------------------------------------------------------------
    adult = person_register(
        first_name="Bench", surname="Adult", sex="SFEM", date_of_birth=date(1990, 1, 1)
    )
    start = time.perf_counter()
    ids = _open(home, worker, adult, args.cases, "bench retention")
    opened = time.perf_counter() - start
    closed_at = timezone.now().replace(year=timezone.now().year - 11)
    with workspace_context(home):
        CaseRecord.objects.filter(pk__in=ids).update(status="closed", closed_at=closed_at)

    def run(dry: bool) -> tuple[int, float]:
        start = time.perf_counter()
        total = dispose_expired_organisation_task.apply(
            args=[home.pk, dry], headers={"_schema_name": home.schema_name}
        ).get()
        return total, time.perf_counter() - start

    dry_total, dry_s = run(True)
    real_total, real_s = run(False)
    again_total, again_s = run(False)
    print(f"cases opened (setup):                 {args.cases} in {opened:.1f} s")
    print(f"dry run:                              {dry_total} listed in {dry_s * 1000:.0f} ms")
    print(
        f"disposal:                             {real_total} disposed in {real_s:.2f} s "
        f"({real_total / real_s:.0f} cases/s, with their rows and log entries)"
    )
    print(
        f"second run:                           {again_total} disposed in {again_s * 1000:.0f} ms"
    )

    # --- data subject export ----------------------------------------------------------------
    subject = person_register(
        first_name="Bench", surname="Subject", sex="SMAL", date_of_birth=date(2012, 6, 1)
    )
    _open(home, worker, subject, args.per_person, "bench subject")
    _open(other, worker, subject, args.per_person, "bench subject")
    samples, size = [], 0
    for number in range(args.exports):
        start = time.perf_counter()
        export = data_subject_export(
            actor=Actor(user=hq), person=subject, reference=f"BENCH-{number}", reason="benchmark"
        )
        samples.append(time.perf_counter() - start)
        size = len(export.content)
    samples.sort()
    print(
        f"data subject export ({2 * args.per_person} cases in 2 organisations): "
        f"median {samples[len(samples) // 2] * 1000:.0f} ms, max {samples[-1] * 1000:.0f} ms, "
        f"zip {size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()

"""Requests per second one application process serves (issue 22, docs/scale-out.md,
*Capacity*): a signed-in case worker's pages through the full middleware stack, one request
at a time in one process (as one WSGI worker thread of ``ctl.py run``), with a caseload of
``--cases`` open cases. Prints per page the median and p95 time, the requests per second
of one busy process (1 / mean), the application's own CPU time per request (the rest is
waiting for PostgreSQL) and so the requests per second one core can serve, and the machine's
load average (other work on the machine slows every figure: read them with it).

    .venv/bin/python bench/capacity.py [--requests 300] [--cases 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

PAGES = ["/", "/cases/", "/cases/?q=otieno", "/statistics/"]


def _caseload(organisation, user, cases: int) -> None:
    """Open cases for the worker until there are ``cases`` of them."""
    from django.utils import timezone

    from case_apps.cases import services
    from case_apps.cases.models import CaseRecord
    from shared_registry.services import person_register
    from tenants.actor import Actor
    from tenants.models import Membership
    from tenants.schema import workspace_context

    membership = Membership.objects.get(user=user, organisation=organisation)
    actor = Actor(user=user, membership=membership, organisation=organisation)
    with workspace_context(organisation):
        have = CaseRecord.objects.count()
        for number in range(have, cases):
            child = person_register(
                first_name=f"AKINYI{number}", surname="OTIENO", sex="SFEM", date_of_birth=None
            )
            services.case_open(
                organisation=organisation,
                actor=actor,
                child=child,
                date_reported=timezone.localdate() - timedelta(days=3),
                how_reported="walk_in",
                reporter_type="CRMO",
                risk_level="RLHG",
                categories=[
                    services.CategoryInput(category_code="CSIC", sub_category_codes=["NDED"])
                ],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.test import Client

    from provisioning.services import organisation_provision
    from tenants.models import Organisation, Role, User
    from tenants.services import SESSION_HOST_KEY, membership_grant, organisation_create

    call_command("load_reference_lists", verbosity=0)
    organisation = Organisation.objects.filter(slug="bench").first() or organisation_create(
        name="Bench organisation", slug="bench", kind="cci"
    )
    organisation_provision(organisation=organisation)
    user = User.objects.filter(email="worker@bench.test").first()
    if user is None:
        user = User.objects.create_user(email="worker@bench.test", password="bench-password-1")
        membership_grant(user=user, organisation=organisation, roles=[Role.CASE_WORKER])
    _caseload(organisation, user, args.cases)

    client = Client(HTTP_HOST=f"{organisation.slug}.localhost")
    client.force_login(user)
    session = client.session
    session[SESSION_HOST_KEY] = organisation.schema_name
    session.save()
    print(f"requests per page: {args.requests}, open cases: {args.cases}")
    for page in PAGES:
        assert client.get(page).status_code == 200, page
        for _ in range(20):  # warm-up
            client.get(page)
        times = []
        cpu_start = time.process_time()
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(page)
            times.append(time.perf_counter() - start)
        cpu = (time.process_time() - cpu_start) / args.requests
        times.sort()
        mean = sum(times) / len(times)
        print(
            f"{page:18} median {times[len(times) // 2] * 1000:5.1f} ms  "
            f"p95 {times[int(len(times) * 0.95)] * 1000:5.1f} ms  "
            f"one process: {1 / mean:4.0f}/s  "
            f"app CPU {cpu * 1000:5.1f} ms a request: {1 / cpu:4.0f}/s per core"
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average after the run (1, 5, 15 min) on {os.cpu_count()} cores: {load}")


if __name__ == "__main__":
    main()

"""Load through the cluster (``python3 platform/ctl.py cluster``): N concurrent sessions over M
organisations, through HAProxy and PgBouncer; every answer checked for its own organisation's
markers and for any other's (a wrong-schema answer); errors; latency. With ``--kill-app``
one app process is killed (SIGKILL) halfway and the figures are given before and after.

    .venv/bin/python bench/cluster.py                       # 40 sessions, 20 organisations, 60 s
    .venv/bin/python bench/cluster.py --kill-app            # the same, app1 killed at 30 s
    .venv/bin/python bench/cluster.py --full                # the issue's 200 sessions, 100, 5 min

Each load organisation ("Cluster load abc", host ``loadabc``) gets a case worker with a case
of a child whose surname is that organisation's marker (shown in capitals); the page read is
the caseload, whose rows come from the organisation's schema (its name, from public, is a
second marker).
Sessions are made in the database (as the tests' ``force_login``), not through the sign-in
form and its rate limit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATE = REPO / ".local" / "cluster" / "state.json"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def code(number: int) -> str:
    """Three letters for a number (names and surnames take no digits)."""
    return "".join(LETTERS[(number // 26**i) % 26] for i in (2, 1, 0))


@dataclass
class Target:
    slug: str
    name: str
    surname: str
    cookie: str


def setup(state: dict, organisations: int) -> tuple[list[Target], str]:
    """The load organisations, each with a case and a signed-in session (made once)."""
    os.environ["DATABASE_URL"] = state["urls"]["primary"]
    os.environ["CPIMS_PG_RANDOM_PAGE_COST"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    for path in (REPO / "platform", REPO):
        sys.path.insert(0, str(path))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from case_apps.cases import services
    from case_apps.cases.models import CaseRecord
    from provisioning.services import organisation_provision
    from shared_registry.services import person_register
    from tenants.actor import Actor
    from tenants.models import Membership, Organisation, OrganisationKind, Role, User
    from tenants.schema import workspace_context
    from tenants.services import (
        SESSION_HOST_KEY,
        membership_grant,
        organisation_create,
        user_create,
    )

    call_command("load_reference_lists", verbosity=0)  # the codes a case needs (--no-demo)
    page = reverse("cases:caseload", urlconf=settings.ROOT_URLCONF)
    targets = []
    for number in range(organisations):
        letters = code(number)
        slug, name, surname = f"load{letters}", f"Cluster load {letters}", f"Zq{letters}"
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = organisation_create(
                name=name, slug=slug, kind=OrganisationKind.CCI, county_code="042"
            )
        organisation = organisation_provision(organisation=organisation)
        email = f"worker@{slug}.load"
        user = User.objects.filter(email=email).first() or user_create(
            email=email, password=None, full_name=f"Worker {letters}", email_verified=True
        )
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            membership_grant(user=user, organisation=organisation, roles=[Role.CASE_WORKER])
        membership = Membership.objects.get(user=user, organisation=organisation)
        with workspace_context(organisation):
            if not CaseRecord.objects.exists():
                child = person_register(first_name="Load", surname=surname, sex="SFEM")
                services.case_open(
                    organisation=organisation,
                    actor=Actor(user=user, membership=membership, organisation=organisation),
                    child=child,
                    date_reported=timezone.localdate() - timedelta(days=3),
                    how_reported="walk_in",
                    reporter_type="CRMO",
                    risk_level="RLHG",
                    categories=[
                        services.CategoryInput(category_code="CSIC", sub_category_codes=["NDED"])
                    ],
                )
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_HOST_KEY] = organisation.schema_name
        session.save()
        targets.append(
            Target(slug, name, surname, f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
        )
    from django.db import connections

    connections.close_all()
    return targets, page


@dataclass
class Tally:
    started: float
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (at, seconds)
    errors: list[tuple[float, str]] = field(default_factory=list)
    wrong_schema: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def session_loop(
    number: int, targets: list[Target], page: str, port: int, until: float, tally: Tally
) -> None:
    """One session: its organisation's caseload, again and again, on one kept-alive socket."""
    target = targets[number % len(targets)]
    others = "|".join(t.surname for t in targets if t is not target)
    foreign = re.compile(r"\b(" + others + r")\b", re.IGNORECASE)
    host = f"{target.slug}.localhost:{port}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        began = time.monotonic()
        problem = None
        for attempt in (1, 2):
            try:
                conn.request("GET", page, headers={"Host": host, "Cookie": target.cookie})
                response = conn.getresponse()
                body = response.read().decode("utf-8", "replace")
            except http.client.RemoteDisconnected:
                # a kept-alive socket the balancer had closed: a new one, once (as browsers do)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                if attempt == 1:
                    continue
                problem = "RemoteDisconnected"
            except (OSError, http.client.HTTPException) as exc:
                problem = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            break
        wrong = None
        if problem is None:
            if response.status != 200:
                problem = f"HTTP {response.status}"
            elif foreign.search(body):
                wrong = f"{target.slug}: {foreign.search(body)[0]}"
            elif target.surname.upper() not in body.upper() or target.name not in body:
                problem = "own marker missing"
        with tally.lock:
            if wrong:
                tally.wrong_schema.append((began, wrong))
            elif problem:
                tally.errors.append((began, problem))
            else:
                tally.latencies.append((began, time.monotonic() - began))
    conn.close()


def wait_until_all_up(stats_port: int, seconds: float = 60) -> None:
    """Until HAProxy's statistics show every app process up (a restarted one comes back)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", stats_port, timeout=5)
        conn.request("GET", "/;csv")
        rows = conn.getresponse().read().decode().splitlines()
        conn.close()
        states = [r.split(",")[17] for r in rows if r.startswith("app,app")]
        if states and all(state == "UP" for state in states):
            return
        time.sleep(0.5)
    print("not every app process is up in HAProxy; measuring anyway")


def figures(tally: Tally, since: float, until: float, label: str) -> None:
    latencies = sorted(s for at, s in tally.latencies if since <= at < until)
    errors = [p for at, p in tally.errors if since <= at < until]
    wrong = [p for at, p in tally.wrong_schema if since <= at < until]
    seconds = max(until - since, 1e-9)
    total = len(latencies) + len(errors) + len(wrong)

    def pct(q: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0
        )

    print(
        f"{label:24} requests {total:7}  {total / seconds:7.1f}/s  errors {len(errors):4}  "
        f"wrong-schema {len(wrong):3}  p50 {pct(0.5):6.0f} ms  p95 {pct(0.95):6.0f} ms  "
        f"p99 {pct(0.99):6.0f} ms"
    )
    kinds: dict[str, int] = {}
    for problem in errors + wrong:
        kinds[problem.split(":")[0]] = kinds.get(problem.split(":")[0], 0) + 1
    if kinds:
        print(f"{'':24} {kinds}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--organisations", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--full", action="store_true", help="200 sessions, 100 orgs, 300 s")
    parser.add_argument("--kill-app", action="store_true", help="kill app1 halfway (SIGKILL)")
    parser.add_argument("--state", type=Path, default=STATE, help="the cluster's state.json")
    parser.add_argument("--port", type=int, help="send to this port instead of HAProxy's")
    args = parser.parse_args()
    if args.full:
        args.sessions, args.organisations, args.seconds = 200, 100, 300
    if not args.state.exists():
        print(f"no running cluster ({args.state}): start python3 platform/ctl.py cluster")
        return 2
    state = json.loads(args.state.read_text())
    port = args.port or state["ports"]["web"]
    print(f"setting up {args.organisations} organisations (first time: provisioning each)")
    targets, page = setup(state, args.organisations)
    print(
        f"{args.sessions} sessions over {len(targets)} organisations for {args.seconds:.0f} s "
        f"through HAProxy :{port} and PgBouncer :{state['ports']['pgbouncer']}, GET {page}"
    )
    if not args.port:
        wait_until_all_up(state["ports"]["stats"])
    tally = Tally(started=time.monotonic())
    until = tally.started + args.seconds
    threads = [
        threading.Thread(target=session_loop, args=(n, targets, page, port, until, tally))
        for n in range(args.sessions)
    ]
    for thread in threads:
        thread.start()
    killed_at = None
    if args.kill_app:
        time.sleep(args.seconds / 2)
        pid = json.loads(args.state.read_text())["pids"]["app1"]
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        print(f"killed app1 (pid {pid}) at {killed_at - tally.started:.0f} s")
    for thread in threads:
        thread.join()
    figures(tally, tally.started, until, "whole run")
    if killed_at:
        figures(tally, tally.started, killed_at, "before the kill")
        figures(tally, killed_at, killed_at + 3, "first 3 s after it")
        figures(tally, killed_at + 3, until, "after that")
    failed = bool(tally.errors or tally.wrong_schema)
    print("FAIL" if failed else "PASS: no wrong-schema answer, no error")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

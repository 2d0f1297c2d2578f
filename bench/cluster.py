"""Load through the cluster (``python3 platform/ctl.py cluster``): N concurrent officers'
sessions over M organisations, through HAProxy and PgBouncer; every answer checked for its
own organisation's markers and for any other's (a wrong-schema answer); errors; latency. With
``--kill-app`` one app process is killed (SIGKILL) halfway and the figures are given before
and after.

    .venv/bin/python bench/cluster.py                       # 40 sessions, 20 organisations, 60 s
    .venv/bin/python bench/cluster.py --kill-app            # the same, app1 killed at 30 s
    .venv/bin/python bench/cluster.py --full                # the issue's 200 sessions, 100, 5 min
    .venv/bin/python bench/cluster.py --full --think-seconds 0   # saturation: no think time
    nice -n 19 .venv/bin/python bench/cluster.py --full --setup-only  # make the data first

The load model. A session is a case worker signed in. It opens a page, reads it for a think
time, then opens the next (a closed loop with think time, as a person at a screen). Think
times are drawn from an exponential distribution with mean ``--think-seconds`` (default 10 s,
the capacity model's one page every 10 s an officer, docs/scale-out.md), or uniformly from
[0, 2 x mean] with ``--think-distribution uniform``; each session has its own generator
seeded with ``--seed`` and its number, so a run repeats its pages and waits. A session's
first request also waits one think time, so sessions do not all start at once. With
``--think-seconds 0`` each session sends its next request the moment the last answer came:
the saturation test (the most the cluster serves).

Pages, drawn with these weights (``PAGES``): the caseload 35%, a child's page 30%, a search
of the caseload by the child's surname 20%, the home page 15%.

Each load organisation ("Cluster load abc", host ``loadabc``) gets a case worker with a case
of a child whose surname is that organisation's marker (``Zqabc``, shown in capitals). The
caseload, the search and the child's page read the case from the organisation's schema and
must show that surname and the organisation's name; the home page must show the name. No
answer may hold any other load organisation's surname or name (a wrong-schema answer).
Sessions are made in the database (as the tests' ``force_login``), not through the sign-in
form and its rate limit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: bench/ is importable from the repository
    sys.path.insert(0, str(REPO))
from bench.cluster_profile import STATE, Profile  # noqa: E402

LETTERS = "abcdefghijklmnopqrstuvwxyz"
DEFAULT_THINK_SECONDS = 10.0
DISTRIBUTIONS = ("exponential", "uniform")
# Any load organisation's markers: the child's surname and the organisation's name.
SURNAMES = re.compile(r"\bzq([a-z]{3})\b", re.IGNORECASE)
NAMES = re.compile(r"\bcluster load ([a-z]{3})\b", re.IGNORECASE)


def code(number: int) -> str:
    """Three letters for a number (names and surnames take no digits)."""
    return "".join(LETTERS[(number // 26**i) % 26] for i in (2, 1, 0))


@dataclass(frozen=True)
class Target:
    slug: str
    name: str
    surname: str
    cookie: str
    person_id: int = 0

    @property
    def letters(self) -> str:
        return self.slug.removeprefix("load")


@dataclass(frozen=True)
class Page:
    """A page a case worker opens: its share of the clicks, its address for a session, and
    whether it must show the child's surname (read from the organisation's schema)."""

    name: str
    weight: float
    path: Callable[[Target], str]
    shows_case: bool


PAGES = (
    Page("caseload", 35, lambda t: "/cases/", True),
    Page("child", 30, lambda t: f"/cases/children/{t.person_id}/", True),
    Page("search", 20, lambda t: f"/cases/?q={t.surname}", True),
    Page("home", 15, lambda t: "/", False),
)


class LoadModel:
    """One session's sequence of pages and think times, from its own seeded generator."""

    def __init__(
        self,
        think_seconds: float,
        distribution: str = "exponential",
        seed: int = 0,
        session: int = 0,
        pages: tuple[Page, ...] = PAGES,
    ) -> None:
        if distribution not in DISTRIBUTIONS:
            raise ValueError(f"think-time distribution {distribution!r}: one of {DISTRIBUTIONS}")
        if think_seconds < 0:
            raise ValueError("a think time cannot be negative")
        self.mean = think_seconds
        self.distribution = distribution
        self.pages = pages
        self.weights = [page.weight for page in pages]
        self.random = random.Random(f"{seed}:{session}")

    def think(self) -> float:
        """Seconds to read the last page before the next click (0 when the mean is 0)."""
        if self.mean == 0:
            return 0.0
        if self.distribution == "uniform":
            return self.random.uniform(0, 2 * self.mean)
        return self.random.expovariate(1 / self.mean)

    def page(self) -> Page:
        return self.random.choices(self.pages, weights=self.weights)[0]


def describe_model(think_seconds: float, distribution: str, seed: int) -> str:
    mix = ", ".join(
        f"{page.name} {page.weight / sum(p.weight for p in PAGES):.0%}" for page in PAGES
    )
    if think_seconds == 0:
        return f"no think time (saturation: closed loop, next request on each answer); {mix}"
    spread = "exponential" if distribution == "exponential" else "uniform on [0, 2 x mean]"
    return f"think time {spread}, mean {think_seconds:g} s, seed {seed}; {mix}"


def check_answer(status: int, body: str, target: Target, page: Page) -> tuple[str, str]:
    """(problem, wrong-schema) for one answer; both empty when the answer is right.

    Wrong schema: any other load organisation's surname or name in the body. A problem: not
    200, or the page's own markers missing (the name; the surname where the page shows the
    case)."""
    others = {m.lower() for m in SURNAMES.findall(body)} | {m.lower() for m in NAMES.findall(body)}
    others.discard(target.letters)
    if others:
        return "", f"{target.slug}: {', '.join(sorted(others)[:3])}"
    if status != 200:
        return f"HTTP {status}", ""
    if target.name.lower() not in body.lower():
        return "own name missing", ""
    if page.shows_case and target.surname.lower() not in body.lower():
        return "own case missing", ""
    return "", ""


def percentile(ordered: list[float], q: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    if not ordered:
        return 0.0
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def setup(state: dict, organisations: int) -> list[Target]:
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
            person_id = CaseRecord.objects.values_list("child_id", flat=True).first()
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_HOST_KEY] = organisation.schema_name
        session.save()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        targets.append(Target(slug, name, surname, cookie, person_id))
    from django.db import connections

    connections.close_all()
    return targets


@dataclass
class Outcome:
    at: float  # when the request was sent (monotonic)
    page: str
    seconds: float
    problem: str = ""
    wrong: str = ""


@dataclass
class Tally:
    started: float
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def fetch(
    conn: http.client.HTTPConnection, path: str, headers: dict, port: int
) -> tuple[http.client.HTTPConnection, int, str, str]:
    """GET on the session's kept-alive socket: (socket, status, body, problem). A socket the
    balancer closed while the officer was reading (its keep-alive timeout) is replaced once,
    as browsers do; any other failure is a problem."""
    for attempt in (1, 2):
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return conn, response.status, response.read().decode("utf-8", "replace"), ""
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if attempt == 2:
                return conn, 0, "", f"{type(exc).__name__}: {exc}"[:120]
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            return fresh, 0, "", f"{type(exc).__name__}: {exc!r}"[:120]
    raise AssertionError("unreachable")


def session_loop(
    number: int, targets: list[Target], port: int, until: float, tally: Tally, model: LoadModel
) -> None:
    """One officer: think, open a page of the mix, check it; until the run ends."""
    target = targets[number % len(targets)]
    headers = {"Host": f"{target.slug}.localhost:{port}", "Cookie": target.cookie}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        pause = model.think()
        if time.monotonic() + pause >= until:
            break
        time.sleep(pause)
        page = model.page()
        began = time.monotonic()
        conn, status, body, problem = fetch(conn, page.path(target), headers, port)
        seconds = time.monotonic() - began
        wrong = ""
        if not problem:
            problem, wrong = check_answer(status, body, target, page)
        tally.add(Outcome(began, page.name, seconds, problem, wrong))
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


def summarise(outcomes: list[Outcome], since: float, until: float) -> dict:
    """Requests, rate, errors, wrong-schema and latency percentiles (ms) of the answers sent
    in [since, until); latencies of right answers only."""
    chosen = [o for o in outcomes if since <= o.at < until]
    good = sorted(o.seconds * 1000 for o in chosen if not o.problem and not o.wrong)
    kinds: dict[str, int] = {}
    for outcome in chosen:
        if outcome.problem or outcome.wrong:
            kind = (outcome.problem or "wrong schema").split(":")[0]
            kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "requests": len(chosen),
        "rate": len(chosen) / max(until - since, 1e-9),
        "errors": sum(1 for o in chosen if o.problem),
        "wrong_schema": sum(1 for o in chosen if o.wrong),
        "p50": percentile(good, 0.50),
        "p95": percentile(good, 0.95),
        "p99": percentile(good, 0.99),
        "max": good[-1] if good else 0.0,
        "kinds": kinds,
    }


def figures_line(label: str, figures: dict) -> str:
    line = (
        f"{label:22} requests {figures['requests']:6}  {figures['rate']:6.1f}/s  "
        f"errors {figures['errors']:4}  wrong-schema {figures['wrong_schema']:3}  "
        f"p50 {figures['p50']:5.0f}  p95 {figures['p95']:5.0f}  p99 {figures['p99']:5.0f}  "
        f"max {figures['max']:5.0f} ms"
    )
    if figures["kinds"]:
        line += f"\n{'':22} {figures['kinds']}"
    return line


def print_figures(tally: Tally, since: float, until: float, label: str, by_page: bool) -> None:
    print(figures_line(label, summarise(tally.outcomes, since, until)))
    if by_page:  # the first few failures, each when it happened
        failed = [o for o in tally.outcomes if (o.problem or o.wrong) and since <= o.at < until]
        for outcome in sorted(failed, key=lambda o: o.at)[:8]:
            print(
                f"{'':22} at {outcome.at - tally.started:6.1f} s  {outcome.page}: "
                f"{outcome.problem or outcome.wrong}"
            )
    if by_page:
        for page in PAGES:
            chosen = [o for o in tally.outcomes if o.page == page.name]
            print(figures_line(f"  {page.name}", summarise(chosen, since, until)))


def uptime() -> str:
    one, five, fifteen = os.getloadavg()
    now = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    return f"{now} load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--organisations", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--full", action="store_true", help="200 sessions, 100 orgs, 300 s")
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=DEFAULT_THINK_SECONDS,
        help=f"mean think time between a session's requests (default {DEFAULT_THINK_SECONDS:g}; "
        "0: none, the saturation test)",
    )
    parser.add_argument("--think-distribution", choices=DISTRIBUTIONS, default="exponential")
    parser.add_argument("--seed", type=int, default=22, help="seeds every session's generator")
    parser.add_argument("--kill-app", action="store_true", help="kill app1 halfway (SIGKILL)")
    parser.add_argument("--setup-only", action="store_true", help="make the data, send nothing")
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
    targets = setup(state, args.organisations)
    if args.setup_only:
        return 0
    print(
        f"{args.sessions} sessions over {len(targets)} organisations for {args.seconds:.0f} s "
        f"through HAProxy :{port} and PgBouncer :{state['ports']['pgbouncer']}"
    )
    print(describe_model(args.think_seconds, args.think_distribution, args.seed))
    if not args.port:
        wait_until_all_up(state["ports"]["stats"])
    print(f"start: {uptime()}")
    profile = Profile(state, args.state)
    profile.start()
    tally = Tally(started=time.monotonic())
    until = tally.started + args.seconds
    threads = [
        threading.Thread(
            target=session_loop,
            args=(n, targets, port, until, tally),
            kwargs={"model": LoadModel(args.think_seconds, args.think_distribution, args.seed, n)},
        )
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
    print(f"end:   {uptime()}")
    print(profile.report(len(tally.outcomes)))
    if args.think_seconds:
        # offered load: sessions / (think time + answer time); the answers' share is small
        print(f"offered: about {args.sessions / args.think_seconds:.1f} requests/s at most")
    print_figures(tally, tally.started, until, "whole run", by_page=True)
    if killed_at:
        print_figures(tally, tally.started, killed_at, "before the kill", by_page=False)
        print_figures(tally, killed_at, killed_at + 3, "first 3 s after it", by_page=False)
        print_figures(tally, killed_at + 3, until, "after that", by_page=False)
    failed = any(o.problem or o.wrong for o in tally.outcomes)
    print("FAIL" if failed else "PASS: no wrong-schema answer, no error")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

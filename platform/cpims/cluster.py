"""The whole topology on one machine: ``python3 platform/ctl.py cluster`` (docs/cluster.md).

PostgreSQL primary and a streaming replica, PgBouncer (transaction pooling) in front of the
primary, Redis, two or more app processes (waitress) behind HAProxy, two Celery workers and
beat. Each part is its standard program configured by a file in ``deploy/``; this module only
fills in ports and paths (``${name}``), starts them, and stops them all on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from string import Template

from cpims.launcher import (
    LOCAL,
    REPO,
    StartupError,
    check_port_free,
    hold_lock,
    say,
    setup_django,
)

DEPLOY = REPO / "deploy"
CLUSTER = LOCAL / "cluster"
STATE_FILE = CLUSTER / "state.json"
DATABASE = "cpims"
# Waitress threads per app process (HAProxy sends each at most this many). Four processes of
# two threads: a process's threads share one GIL, and a thread back from the database waits
# for it behind the others' Python work; more processes of fewer threads let the kernel
# share the cores instead (p95 124-157 ms against 183-416 ms for two of eight, docs/cluster.md).
APP_THREADS = 2
APP_PROCESSES = 4


@dataclass
class Ports:
    """Where everything listens (all on 127.0.0.1)."""

    web: int = 8000
    stats: int = 8404
    primary: int = 5440
    replica: int = 5441
    pgbouncer: int = 6440
    redis: int = 6390
    apps: list[int] = field(default_factory=lambda: [8101, 8102])


def render(template: str, **values: object) -> str:
    """A ``deploy/`` file with its ``${name}`` places filled in (a missing one is an error)."""
    return Template((DEPLOY / template).read_text()).substitute(
        {key: str(value) for key, value in values.items()}
    )


def postgres_bin() -> Path:
    """The newest Debian PostgreSQL's programs (CPIMS_PG_BIN overrides)."""
    if os.environ.get("CPIMS_PG_BIN"):
        return Path(os.environ["CPIMS_PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name)
    )
    if not found:
        raise StartupError("PostgreSQL is not installed (Debian package `postgresql`)")
    return found[-1].parent


def program(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )
    if not found:
        raise StartupError(f"{name} is not installed (Debian package `{name}`)")
    return found


def as_postgres() -> dict:
    """PostgreSQL and PgBouncer refuse to run as root: as root, run them as user postgres."""
    return {"user": "postgres", "group": "postgres", "extra_groups": []} if is_root() else {}


def is_root() -> bool:
    return os.geteuid() == 0


def own_by_postgres(path: Path) -> None:
    if is_root():
        shutil.chown(path, "postgres", "postgres")


def postgres_urls(ports: Ports) -> dict[str, str]:
    """The URLs of the primary, the replica and the pooler."""
    return {
        "primary": f"postgresql://postgres@127.0.0.1:{ports.primary}/{DATABASE}",
        "replica": f"postgresql://postgres@127.0.0.1:{ports.replica}/{DATABASE}",
        "pgbouncer": f"postgresql://postgres@127.0.0.1:{ports.pgbouncer}/{DATABASE}",
    }


def app_environment(ports: Ports) -> dict[str, str]:
    """What every app process and Celery process runs with."""
    urls = postgres_urls(ports)
    env = {**os.environ}
    env.update(
        {
            "DATABASE_URL": urls["pgbouncer"],
            "DATABASE_REPLICA_URL": urls["replica"],
            "CPIMS_DB_POOLER": "transaction",
            "CPIMS_PG_RANDOM_PAGE_COST": "",  # PgBouncer refuses options; the server has it
            "REDIS_URL": f"redis://127.0.0.1:{ports.redis}/0",
            "CPIMS_CELERY_ACKS_LATE": "1",
            "CPIMS_LOCAL_DIR": str(LOCAL),
            "DJANGO_SETTINGS_MODULE": "cpims.settings",
            "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)]),
        }
    )
    return env


class Cluster:
    """The processes of the topology, started in order and stopped in reverse."""

    def __init__(self, ports: Ports) -> None:
        self.ports = ports
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple[list[str], dict]] = {}
        (CLUSTER / "log").mkdir(parents=True, exist_ok=True)
        (CLUSTER / "run").mkdir(parents=True, exist_ok=True)
        own_by_postgres(CLUSTER / "run")

    def start(self, name: str, argv: list[str], **options: object) -> subprocess.Popen:
        log = open(CLUSTER / "log" / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **options
        )
        log.close()
        self.processes[name] = process
        self.commands[name] = (argv, options)
        self.save_state()
        return process

    def restart(self, name: str) -> None:
        argv, options = self.commands[name]
        self.start(name, argv, **options)

    def save_state(self) -> None:
        state = {
            "ports": asdict(self.ports),
            "urls": postgres_urls(self.ports),
            "redis_url": f"redis://127.0.0.1:{self.ports.redis}/0",
            "web": f"http://127.0.0.1:{self.ports.web}/",
            "pids": {name: p.pid for name, p in self.processes.items()},
            "supervisor": os.getpid(),
        }
        STATE_FILE.write_text(json.dumps(state, indent=2))

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                # PostgreSQL: SIGINT is its fast shutdown; the others stop on SIGTERM.
                process.send_signal(signal.SIGINT if name in {"primary", "replica"} else 15)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        STATE_FILE.unlink(missing_ok=True)


def wait_for_port(port: int, what: str, process: subprocess.Popen, seconds: float = 60) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartupError(f"{what} stopped at start; see {CLUSTER / 'log'}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise StartupError(f"{what} did not listen on port {port}; see {CLUSTER / 'log'}")


def wait_for_sql(url: str, what: str, seconds: float = 60) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2, autocommit=True) as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise StartupError(f"{what} does not answer; see {CLUSTER / 'log'}") from None
            time.sleep(0.3)


def postgres_config(name: str, port: int) -> Path:
    data = CLUSTER / name
    conf = CLUSTER / f"{name}.conf"
    conf.write_text(
        render(
            "postgresql/postgresql.conf",
            data_dir=data,
            hba_file=DEPLOY / "postgresql" / "pg_hba.conf",
            ident_file=DEPLOY / "postgresql" / "pg_ident.conf",
            port=port,
            socket_dir=CLUSTER / "run",
        )
    )
    return conf


def start_postgres(cluster: Cluster) -> None:
    """The primary (initialised on first start) and its streaming replica (a base backup of
    the primary on first start, then following it)."""
    pg = postgres_bin()
    ports, urls = cluster.ports, postgres_urls(cluster.ports)
    primary = CLUSTER / "primary"
    if not (primary / "PG_VERSION").exists():
        say(f"creating the primary database cluster in {primary}")
        primary.mkdir(parents=True, exist_ok=True, mode=0o700)
        own_by_postgres(primary)
        initdb = [str(pg / "initdb"), "-D", str(primary), "-U", "postgres", "-E", "UTF8"]
        subprocess.run(
            [*initdb, "--locale=C.UTF-8", "--auth=trust", "--no-instructions"],
            check=True,
            stdout=subprocess.DEVNULL,
            **as_postgres(),
        )
    conf = postgres_config("primary", ports.primary)
    process = cluster.start(
        "primary", [str(pg / "postgres"), "-c", f"config_file={conf}"], **as_postgres()
    )
    wait_for_port(ports.primary, "the primary PostgreSQL", process)
    wait_for_sql(urls["primary"].rsplit("/", 1)[0] + "/postgres", "the primary PostgreSQL")
    import psycopg

    with psycopg.connect(urls["primary"].rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            c.execute(f'CREATE DATABASE "{DATABASE}"')

    replica = CLUSTER / "replica"
    if not (replica / "PG_VERSION").exists():
        say(f"copying the primary to the replica in {replica} (pg_basebackup)")
        shutil.rmtree(replica, ignore_errors=True)
        replica.mkdir(parents=True, mode=0o700)
        own_by_postgres(replica)
        backup = [str(pg / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports.primary)]
        subprocess.run(
            [*backup, "-U", "postgres", "-D", str(replica), "-R", "-X", "stream", "-c", "fast"],
            check=True,
            **as_postgres(),
        )
    conf = postgres_config("replica", ports.replica)
    process = cluster.start(
        "replica", [str(pg / "postgres"), "-c", f"config_file={conf}"], **as_postgres()
    )
    wait_for_port(ports.replica, "the replica PostgreSQL", process)
    wait_for_sql(urls["replica"], "the replica PostgreSQL")


def start_redis(cluster: Cluster) -> None:
    folder = CLUSTER / "redis"
    folder.mkdir(exist_ok=True)
    conf = CLUSTER / "redis.conf"
    conf.write_text(render("redis/redis.conf", port=cluster.ports.redis, dir=folder))
    process = cluster.start("redis", [program("redis-server"), str(conf)])
    wait_for_port(cluster.ports.redis, "Redis", process)


def start_pgbouncer(cluster: Cluster) -> None:
    ini = CLUSTER / "pgbouncer.ini"
    ini.write_text(
        render(
            "pgbouncer/pgbouncer.ini",
            database=DATABASE,
            primary_port=cluster.ports.primary,
            port=cluster.ports.pgbouncer,
            auth_file=DEPLOY / "pgbouncer" / "userlist.txt",
        )
    )
    process = cluster.start("pgbouncer", [program("pgbouncer"), str(ini)], **as_postgres())
    wait_for_port(cluster.ports.pgbouncer, "PgBouncer", process)
    wait_for_sql(postgres_urls(cluster.ports)["pgbouncer"], "PgBouncer")


def prepare_database(cluster: Cluster, demo: bool) -> None:
    """Migrate every schema and load the demo data, on the primary directly (DDL and the
    migration lock do not go through a transaction pooler)."""
    os.environ["DATABASE_URL"] = postgres_urls(cluster.ports)["primary"]
    os.environ["CPIMS_PG_RANDOM_PAGE_COST"] = ""
    setup_django()
    from django.core.management import call_command

    from cpims.staticfiles import static_files_collect_if_stale

    say("migrating every schema (on the primary)")
    call_command("migrate_schemas", executor="workspaces", interactive=False, verbosity=0)
    static_files_collect_if_stale()
    if demo:
        say("loading demo data")
        call_command("load_demo_data", verbosity=0)
    else:
        call_command("load_geography", verbosity=0)
    from django.db import connections

    connections.close_all()


def start_apps_and_workers(cluster: Cluster, workers: int, threads: int = APP_THREADS) -> None:
    env = app_environment(cluster.ports)
    python = sys.executable
    for number, port in enumerate(cluster.ports.apps, start=1):
        argv = [python, "-m", "waitress", f"--listen=127.0.0.1:{port}", f"--threads={threads}"]
        cluster.start(f"app{number}", [*argv, "cpims.wsgi:application"], env=env, cwd=REPO)
    celery = [python, "-m", "celery", "-A", "cpims"]
    for number in range(1, workers + 1):
        options = ["--loglevel=WARNING", "--concurrency=2", "--without-gossip", "--without-mingle"]
        argv = [*celery, "worker", "-n", f"worker{number}@%h", *options]
        cluster.start(f"worker{number}", argv, env=env, cwd=REPO)
    schedule = CLUSTER / "beat-schedule"
    argv = [*celery, "beat", "--loglevel=WARNING", f"--schedule={schedule}"]
    cluster.start("beat", argv, env=env, cwd=REPO)
    for number, port in enumerate(cluster.ports.apps, start=1):
        wait_for_port(port, f"app process {number}", cluster.processes[f"app{number}"], 120)


def start_haproxy(cluster: Cluster, threads: int = APP_THREADS) -> None:
    servers = "\n".join(
        f"    server app{number} 127.0.0.1:{port} check"
        for number, port in enumerate(cluster.ports.apps, start=1)
    )
    cfg = CLUSTER / "haproxy.cfg"
    cfg.write_text(
        render(
            "haproxy/haproxy.cfg",
            port=cluster.ports.web,
            stats_port=cluster.ports.stats,
            servers=servers,
            threads=threads,
        )
    )
    subprocess.run([program("haproxy"), "-c", "-q", "-f", str(cfg)], check=True)
    process = cluster.start("haproxy", [program("haproxy"), "-db", "-f", str(cfg)])
    wait_for_port(cluster.ports.web, "HAProxy", process)


def supervise(cluster: Cluster, restart_after: float) -> None:
    """Wait for Ctrl-C; an app process or Celery process that dies is started again after
    ``restart_after`` seconds (as a service manager would), and says so."""
    died: dict[str, float] = {}
    restartable = ("app", "worker", "beat", "redis")
    while True:
        time.sleep(0.5)
        for name, process in list(cluster.processes.items()):
            if process.poll() is None or name in died:
                continue
            say(f"{name} (pid {process.pid}) stopped with code {process.returncode}")
            if name.startswith(restartable):
                died[name] = time.monotonic() + restart_after
        for name, at in list(died.items()):
            if time.monotonic() >= at:
                del died[name]
                cluster.restart(name)
                say(f"{name} started again (pid {cluster.processes[name].pid})")


def print_topology(ports: Ports) -> None:
    urls = postgres_urls(ports)
    print()
    print(f"  Front door (HAProxy):        http://localhost:{ports.web}/")
    print(f"  HAProxy statistics:          http://127.0.0.1:{ports.stats}/")
    apps = ", ".join(str(p) for p in ports.apps)
    print(f"  App processes (waitress):    127.0.0.1:{apps}")
    print(f"  PgBouncer (transaction):     {urls['pgbouncer']}")
    print(f"  PostgreSQL primary:          {urls['primary']}")
    print(f"  PostgreSQL replica:          {urls['replica']}")
    print(f"  Redis:                       redis://127.0.0.1:{ports.redis}/0")
    print(f"  Logs: {CLUSTER / 'log'}   state: {STATE_FILE}")
    print("  Press Ctrl-C to stop everything.")
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="platform/ctl.py cluster")
    parser.add_argument("--port", type=int, default=8000, help="HAProxy's front door")
    parser.add_argument(
        "--apps", type=int, default=APP_PROCESSES, help="app processes (at least 2)"
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery workers")
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    parser.add_argument("--restart-after", type=float, default=5.0, help="seconds")
    parser.add_argument(
        "--threads", type=int, default=APP_THREADS, help="waitress threads per app process"
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    ports = Ports(web=args.port, apps=[8100 + n for n in range(1, max(2, args.apps) + 1)])
    try:
        lock = hold_lock("cluster", "the CPIMS cluster")  # noqa: F841 (held until exit)
        for port in [ports.web, ports.stats, ports.primary, ports.replica, ports.pgbouncer]:
            check_port_free("127.0.0.1", port)
        for port in [ports.redis, *ports.apps]:
            check_port_free("127.0.0.1", port)
        cluster = Cluster(ports)
    except StartupError as exc:
        say(f"error: {exc}")
        return 1
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        start_postgres(cluster)
        start_redis(cluster)
        start_pgbouncer(cluster)
        prepare_database(cluster, demo=not args.no_demo)
        start_apps_and_workers(cluster, args.workers, max(1, args.threads))
        start_haproxy(cluster, max(1, args.threads))
        print_topology(ports)
        supervise(cluster, args.restart_after)
    except StartupError as exc:
        say(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        say("stopping the cluster")
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

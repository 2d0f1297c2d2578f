"""A real streaming replica for tests: a small PostgreSQL primary and a standby made with
``pg_basebackup -R``, replaying with ``recovery_min_apply_delay`` (a real, artificial lag),
on free ports under a temporary folder. Used by tests/cpims/test_read_replica*.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tenants.models import PlatformRole
from tests.factories import UserFactory

PG_BIN = Path(os.environ.get("CPIMS_PG_BIN", "/usr/lib/postgresql/15/bin"))
APPLY_DELAY_SECONDS = 2


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(*command: str) -> None:
    """Run a PostgreSQL tool, as the postgres user when we are root (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)


@dataclass
class StreamingReplica:
    folder: Path
    primary_port: int
    standby_port: int

    def dsn(self, port: int) -> str:
        return f"host=127.0.0.1 port={port} user=postgres dbname=postgres connect_timeout=3"

    def primary(self) -> psycopg.Connection:
        return psycopg.connect(self.dsn(self.primary_port), autocommit=True)

    def standby(self) -> psycopg.Connection:
        return psycopg.connect(self.dsn(self.standby_port), autocommit=True)

    def _pg_ctl(self, name: str, port: int, action: str) -> None:
        options = f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        data, log = str(self.folder / name), str(self.folder / f"{name}.log")
        pg_ctl = str(PG_BIN / "pg_ctl")
        _run(pg_ctl, "-D", data, "-o", options, "-l", log, "-w", "-m", "fast", action)

    def start_standby(self) -> None:
        self._pg_ctl("standby", self.standby_port, "start")

    def stop_standby(self) -> None:
        self._pg_ctl("standby", self.standby_port, "stop")

    def wait_visible(self, sql: str, timeout: float = 20) -> float:
        """Seconds until ``sql`` returns a row on the standby."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            try:
                with self.standby() as standby:
                    if standby.execute(sql).fetchone():
                        return time.monotonic() - start
            except psycopg.Error:
                pass
            time.sleep(0.05)
        raise AssertionError(f"never visible on the standby: {sql}")


def streaming_replica_start() -> StreamingReplica:
    """Start a primary and its delayed standby (stop them with ``streaming_replica_stop``)."""
    folder = Path(tempfile.mkdtemp(prefix="cpims-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = StreamingReplica(folder, free_port(), free_port())
    initdb = [str(PG_BIN / "initdb"), "-D", str(folder / "primary"), "-U", "postgres"]
    _run(*initdb, "-A", "trust", "--no-sync")
    cluster._pg_ctl("primary", cluster.primary_port, "start")
    _run(
        str(PG_BIN / "pg_basebackup"),
        *("-h", "127.0.0.1", "-p", str(cluster.primary_port), "-U", "postgres"),
        *("-D", str(folder / "standby"), "-R", "-X", "stream"),
    )
    auto_conf = folder / "standby" / "postgresql.auto.conf"
    delay = f"recovery_min_apply_delay = '{APPLY_DELAY_SECONDS}s'\n"
    with auto_conf.open("a") as conf:  # root may append; the file stays the standby's
        conf.write(delay)
    cluster.start_standby()
    with cluster.primary() as primary:  # one replayed transaction: the lag is measurable
        primary.execute("CREATE TABLE marks (id bigint PRIMARY KEY)")
    cluster.wait_visible("SELECT 1 FROM pg_class WHERE relname = 'marks'")
    return cluster


def streaming_replica_stop(cluster: StreamingReplica) -> None:
    for name, port in (("standby", cluster.standby_port), ("primary", cluster.primary_port)):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster._pg_ctl(name, port, "stop")
    shutil.rmtree(cluster.folder, ignore_errors=True)


def analyst():
    return UserFactory(platform_roles=[PlatformRole.ANALYST])

"""The run command's start-up checks: one clear line, no traceback, nothing started."""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def launch(
    tmp_path: Path, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)]),
        "CPIMS_LOCAL_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "cpims.launcher", "run", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_clear_line(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("cpims: error:")]
    assert len(errors) == 1 and expected in errors[0], output


def test_database_url_with_wrong_scheme(tmp_path):
    result = launch(tmp_path, "--port", str(free_port()), database_url="mysql://root@localhost/x")
    assert_one_clear_line(result, "DATABASE_URL must start with postgresql://")


def test_unreachable_database(tmp_path):
    result = launch(
        tmp_path, "--port", str(free_port()), database_url="postgresql://postgres@127.0.0.1:1/x"
    )
    assert_one_clear_line(result, "cannot use DATABASE_URL")


def test_port_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = launch(tmp_path, "--port", str(port), database_url="postgresql://x@127.0.0.1:1/x")
    assert_one_clear_line(result, f"port {port} on 127.0.0.1 is not free")


def test_second_start_in_the_same_folder_says_so(tmp_path):
    with open(tmp_path / "run.lock", "w") as held:
        held.write("4242")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = launch(tmp_path, "--port", str(free_port()))
    assert_one_clear_line(result, "CPIMS is already running")
    assert "pid 4242" in result.stdout
    assert not (tmp_path / "pgdata").exists()  # nothing was started or touched

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
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


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


def test_the_in_process_beat_runs_each_job_on_its_own_interval():
    from cpims.launcher import beat_due

    intervals = {"drain": 60.0, "refresh": 3600.0, "verify": 86400.0}
    next_due: dict[str, float] = {}
    assert beat_due(intervals, next_due, 0.0) == []  # nothing at the start
    runs = {name: 0 for name in intervals}
    for minute in range(1, 24 * 60 + 1):
        for name in beat_due(intervals, next_due, minute * 60.0):
            runs[name] += 1
    assert runs == {"drain": 1440, "refresh": 24, "verify": 1}
    assert beat_due(intervals, next_due, 10 * 86400.0) == ["drain", "refresh", "verify"]
    assert beat_due(intervals, next_due, 10 * 86400.0 + 1) == []  # late: once, not per turn


def test_every_scheduled_task_is_found_in_a_fresh_web_process():
    """Celery finds task modules lazily: in the run command's web process nothing imported
    sharing/tasks.py, so the in-process beat failed on sharing.refresh_agreements."""
    code = (
        "import django; django.setup()\n"
        "from cpims.launcher import beat_tasks_load\n"
        "print(sorted(beat_tasks_load()))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)]),
        "DJANGO_SETTINGS_MODULE": "cpims.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "sharing.refresh_agreements" in result.stdout


def test_the_suite_runs_on_every_core_unless_the_caller_chose(monkeypatch):
    from cpims import launcher

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert launcher.test_workers([]) == ["-n", "2", "--dist", "loadfile"]
    assert launcher.test_workers(["tests/tenants", "-q"]) == ["-n", "2", "--dist", "loadfile"]
    for chosen in (["-n", "0"], ["-n0"], ["--numprocesses=3"], ["-p", "no:xdist"]):
        assert launcher.test_workers(chosen) == [], chosen
    monkeypatch.setattr(os, "cpu_count", lambda: 64)  # a test database a worker: four at most
    assert launcher.test_workers([])[:2] == ["-n", "4"]
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert launcher.test_workers([]) == []


def test_each_test_worker_has_its_own_redis_database():
    """pytest-xdist's workers must not take each other's Celery tasks (settings_test)."""
    script = (
        "import cpims.settings_test as s; "
        "print(s.REDIS_URL, s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)])}
    env.update({"REDIS_URL": "redis://127.0.0.1:6379/0", "DATABASE_URL": "postgresql://x@h/db"})
    env["PYTEST_XDIST_WORKER"] = "gw1"
    worker = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert worker == ["redis://127.0.0.1:6379/2"] * 3
    env.pop("PYTEST_XDIST_WORKER")
    alone = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert alone == ["redis://127.0.0.1:6379/0"] * 3

#!/usr/bin/env python3
"""Install what the platform needs into .venv, then run it or its tests.

    python3 platform/ctl.py run     # the platform with demo data
    python3 platform/ctl.py test    # the whole test suite
    python3 platform/ctl.py cluster # primary + replica, PgBouncer, HAProxy, apps, Celery

Needs only Python 3.11+ on Debian or Ubuntu. As root it installs the few
system packages it needs (python3-venv, chromium for browser tests) with apt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
MIN_VERSION = (3, 11)


def say(message: str) -> None:
    print(f"cpims: {message}", flush=True)


def reexec_with_newer_python() -> None:
    for name in ("python3.14", "python3.13", "python3.12", "python3.11"):
        found = shutil.which(name)
        if found:
            os.execv(found, [found, *sys.argv])
    wanted = ".".join(map(str, MIN_VERSION))
    say(f"Python {wanted} or newer is needed (this is {sys.version.split()[0]})")
    sys.exit(1)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def apt_install(*packages: str) -> bool:
    if not (is_root() and shutil.which("apt-get")):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say(f"installing {' '.join(packages)} with apt-get")
    subprocess.call(["apt-get", "update", "-qq"], env=env)
    return subprocess.call(["apt-get", "install", "-y", "-qq", *packages], env=env) == 0


def ensure_venv() -> None:
    if VENV_PYTHON.exists():
        return
    say(f"creating {VENV.relative_to(REPO)}")
    if subprocess.call([sys.executable, "-m", "venv", str(VENV)]) == 0:
        return
    shutil.rmtree(VENV, ignore_errors=True)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    installed = apt_install("python3-venv", f"python{version}-venv") or apt_install("python3-venv")
    if installed and subprocess.call([sys.executable, "-m", "venv", str(VENV)]) == 0:
        return
    say(f"cannot create a virtual environment: install python{version}-venv and retry")
    sys.exit(1)


def requirements(with_tests: bool) -> list[str]:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    if with_tests:
        deps += project["optional-dependencies"]["test"]
    return deps


def deps_stamp(deps: list[str]) -> str:
    return hashlib.sha256("\n".join(deps).encode()).hexdigest()


def ensure_dependencies(with_tests: bool) -> None:
    deps = requirements(with_tests)
    stamp = deps_stamp(deps)
    stamp_file = VENV / (".cpims-deps-test" if with_tests else ".cpims-deps")
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    tests_stamp = VENV / ".cpims-deps-test"  # installed for the tests: a superset
    if tests_stamp.exists() and tests_stamp.read_text() == deps_stamp(requirements(True)):
        return
    say("installing Python dependencies into .venv (first time only)")
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.call([*pip, "install", "--upgrade", "pip"])
    if subprocess.call([*pip, "install", *deps]) != 0:
        say("installing the Python dependencies failed (see pip's message above)")
        sys.exit(1)
    stamp_file.write_text(stamp)


def ensure_chromium() -> None:
    chromium = os.environ.get("CPIMS_CHROMIUM", "/usr/bin/chromium")
    if Path(chromium).exists():
        return
    if not apt_install("chromium"):
        say("chromium is not installed and cannot be installed here: browser tests will not run")


CLUSTER_PROGRAMS = {  # program: Debian package
    "pgbouncer": "pgbouncer",
    "haproxy": "haproxy",
    "redis-server": "redis-server",
}


def ensure_cluster_programs() -> None:
    """PostgreSQL, PgBouncer, HAProxy and Redis from apt (as root), when missing."""
    missing = [pkg for name, pkg in CLUSTER_PROGRAMS.items() if not find_program(name)]
    if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        missing.append("postgresql")
    if missing and not apt_install(*missing):
        say(f"missing and not installable here: {' '.join(missing)} (install them with apt)")
        sys.exit(1)


def find_program(name: str) -> str | None:
    for folder in ("/usr/sbin", "/usr/bin"):
        if Path(folder, name).exists():
            return str(Path(folder, name))
    return shutil.which(name)


def main() -> None:
    if sys.version_info < MIN_VERSION:
        reexec_with_newer_python()
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in {"run", "test", "cluster"}:
        print(__doc__)
        sys.exit(2)
    ensure_venv()
    ensure_dependencies(with_tests=command == "test")
    if command == "test":
        ensure_chromium()
    if command == "cluster":
        ensure_cluster_programs()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)])}
    env.pop("VIRTUAL_ENV", None)
    os.chdir(REPO)
    argv = [str(VENV_PYTHON), "-m", "cpims.launcher", command, *sys.argv[2:]]
    if command == "cluster":
        argv = [str(VENV_PYTHON), "-m", "cpims.cluster", *sys.argv[2:]]
    os.execve(argv[0], argv, env)


if __name__ == "__main__":
    main()

"""The cluster's configuration (platform/cpims/cluster.py, deploy/): what each program is
given, and the settings the app processes run with."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from cpims import cluster

REPO = Path(__file__).resolve().parents[2]
PORTS = cluster.Ports(web=8000, apps=[8101, 8102])


def rendered(tmp_path: Path) -> dict[str, str]:
    return {
        "postgresql": cluster.render(
            "postgresql/postgresql.conf",
            data_dir=tmp_path / "primary",
            hba_file=cluster.DEPLOY / "postgresql" / "pg_hba.conf",
            ident_file=cluster.DEPLOY / "postgresql" / "pg_ident.conf",
            port=PORTS.primary,
            socket_dir=tmp_path,
        ),
        "pgbouncer": cluster.render(
            "pgbouncer/pgbouncer.ini",
            database="cpims",
            primary_port=PORTS.primary,
            port=PORTS.pgbouncer,
            auth_file=cluster.DEPLOY / "pgbouncer" / "userlist.txt",
        ),
        "haproxy": cluster.render(
            "haproxy/haproxy.cfg",
            port=PORTS.web,
            stats_port=PORTS.stats,
            servers="    server app1 127.0.0.1:8101 check\n    server app2 127.0.0.1:8102 check",
            threads=cluster.APP_THREADS,
        ),
        "redis": cluster.render("redis/redis.conf", port=PORTS.redis, dir=tmp_path),
    }


def test_every_deploy_file_is_filled_in_and_says_what_the_topology_needs(tmp_path):
    files = rendered(tmp_path)
    for name, text in files.items():
        assert "${" not in text, name
    assert re.search(r"^pool_mode = transaction$", files["pgbouncer"], re.M)
    assert "cpims = host=127.0.0.1 port=5440 dbname=cpims" in files["pgbouncer"]
    assert re.search(r"^wal_level = replica$", files["postgresql"], re.M)
    assert re.search(r"^hot_standby = on$", files["postgresql"], re.M)
    assert "http-check send meth GET uri /health/" in files["haproxy"]
    assert "server app2 127.0.0.1:8102 check" in files["haproxy"]
    assert "disable-l7-retry unless METH_GET || METH_HEAD" in files["haproxy"]
    assert re.search(r"^appendonly yes$", files["redis"], re.M)
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if Path(haproxy).exists():  # the Debian package is there: it accepts the file
        config = tmp_path / "haproxy.cfg"
        config.write_text(files["haproxy"])
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True)
        assert check.returncode == 0, check.stderr


def test_a_missing_place_in_a_deploy_file_is_an_error():
    try:
        cluster.render("redis/redis.conf", port=6390)
    except KeyError as exc:
        assert exc.args == ("dir",)
    else:
        raise AssertionError("rendered with a place left empty")


def test_the_app_processes_go_through_the_pooler_with_the_replica_beside():
    env = cluster.app_environment(PORTS)
    assert env["DATABASE_URL"] == "postgresql://postgres@127.0.0.1:6440/cpims"
    assert env["DATABASE_REPLICA_URL"] == "postgresql://postgres@127.0.0.1:5441/cpims"
    assert env["CPIMS_DB_POOLER"] == "transaction"
    assert env["CPIMS_PG_RANDOM_PAGE_COST"] == ""  # PgBouncer refuses the options parameter
    assert env["REDIS_URL"] == "redis://127.0.0.1:6390/0"
    assert env["CPIMS_CELERY_ACKS_LATE"] == "1"


def settings_in_a_new_process(**env: str) -> subprocess.CompletedProcess:
    script = (
        "import django, json; from django.conf import settings; django.setup(); "
        "db = settings.DATABASES['default']; "
        "print(json.dumps([db['ENGINE'], db.get('POOLER'), "
        "db.get('DISABLE_SERVER_SIDE_CURSORS'), getattr(settings, 'CELERY_TASK_ACKS_LATE', 0), "
        "getattr(settings, 'CELERY_TASK_REJECT_ON_WORKER_LOST', 0)]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpims.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)]),
        "CPIMS_DB_POOLER": "",
        "CPIMS_CELERY_ACKS_LATE": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, cwd=REPO
    )


def test_the_pooler_setting_changes_the_backend_and_nothing_without_it():
    plain = settings_in_a_new_process()
    assert plain.stdout.strip() == '["django_tenants.postgresql_backend", null, null, 0, 0]'
    pooled = settings_in_a_new_process(CPIMS_DB_POOLER="transaction", CPIMS_CELERY_ACKS_LATE="1")
    assert pooled.stdout.strip() == '["cpims.pooled_backend", "transaction", true, true, true]'
    wrong = settings_in_a_new_process(CPIMS_DB_POOLER="session")
    assert wrong.returncode != 0
    assert "CPIMS_DB_POOLER must be empty or 'transaction'" in wrong.stderr

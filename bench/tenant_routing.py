"""Cost of routing by host: a trivial view on an organisation's host through the full
middleware stack, versus the same view with tenancy bypassed. Prints both medians
and the ratio (target: at most 1.1).

    .venv/bin/python bench/tenant_routing.py [--requests 20000]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402


def environ(host: str, path: str = "/health/") -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


def call(handler, host: str) -> int:
    status_holder = []
    body = handler(environ(host), lambda status, headers: status_holder.append(status))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return int(status_holder[0].split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    from provisioning.services import organisation_provision
    from tenants.models import Organisation
    from tenants.services import organisation_create

    organisation = Organisation.objects.filter(slug="bench").first() or organisation_create(
        name="Bench organisation", slug="bench", kind="cci"
    )
    organisation_provision(organisation=organisation)

    full = WSGIHandler()
    tenancy = {
        "tenants.middleware.OrganisationRoutingMiddleware",
        "tenants.middleware.WorkspaceAccessMiddleware",
    }
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m not in tenancy]):
        bypass = WSGIHandler()
    host = "bench.localhost"
    assert call(full, host) == 200 and call(bypass, host) == 200

    for _ in range(500):  # warm-up
        call(full, host)
        call(bypass, host)
    full_ns, bypass_ns = [], []
    for _ in range(args.requests):  # interleaved so drift hits both equally
        start = time.perf_counter_ns()
        call(full, host)
        full_ns.append(time.perf_counter_ns() - start)
        start = time.perf_counter_ns()
        call(bypass, host)
        bypass_ns.append(time.perf_counter_ns() - start)

    # (no `import statistics`: bench/statistics.py, named by its issue, would shadow it)
    full_median = sorted(full_ns)[len(full_ns) // 2] / 1000
    bypass_median = sorted(bypass_ns)[len(bypass_ns) // 2] / 1000
    print(f"requests per variant:          {args.requests}")
    print(f"full middleware, org host:     median {full_median:8.1f} us")
    print(f"tenancy bypassed:              median {bypass_median:8.1f} us")
    print(f"ratio (target <= 1.10):        {full_median / bypass_median:.3f}")


if __name__ == "__main__":
    main()

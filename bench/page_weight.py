"""Weight of a cold workspace page: the HTML plus every stylesheet, script and icon it names,
as a browser with an empty cache fetches them (static files gzip-compressed by whitenoise).
Prints each part and the total (target: under 100 KB transferred).

    .venv/bin/python bench/page_weight.py [--path /cases/]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup_django  # noqa: E402

TARGET_BYTES = 100 * 1024
ASSET = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="(/static/[^"]+)"')


def body_bytes(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", action="append", help="workspace page(s) to weigh")
    args = parser.parse_args()
    setup_django()

    from django.test import Client

    from cpims.staticfiles import static_files_collect_if_stale
    from provisioning.services import organisation_provision
    from tenants.models import Organisation, Role, User
    from tenants.services import SESSION_HOST_KEY, membership_grant, organisation_create

    static_files_collect_if_stale()
    organisation = Organisation.objects.filter(slug="bench-ui").first() or organisation_create(
        name="Bench page weight", slug="bench-ui", kind="cci"
    )
    organisation_provision(organisation=organisation)
    user = User.objects.filter(email="worker@bench-ui.test").first()
    if user is None:
        user = User.objects.create_user(email="worker@bench-ui.test", password=None)
    membership_grant(user=user, organisation=organisation, roles=[Role.CASE_WORKER])

    client = Client(HTTP_HOST="bench-ui.localhost", HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(user)
    session = client.session
    session[SESSION_HOST_KEY] = organisation.schema_name
    session.save()

    worst = 0
    for path in args.path or ["/", "/cases/", "/statistics/"]:
        page = client.get(path)
        assert page.status_code == 200, (path, page.status_code)
        html = page.content.decode()
        parts = [(path, len(page.content), page.get("Content-Encoding", "identity"))]
        for asset in dict.fromkeys(ASSET.findall(html)):
            response = client.get(asset)
            assert response.status_code == 200, asset
            parts.append((asset, body_bytes(response), response.get("Content-Encoding", "-")))
        total = sum(size for _name, size, _encoding in parts)
        worst = max(worst, total)
        print(f"{path}")
        for name, size, encoding in parts:
            print(f"  {size / 1024:7.1f} KB  {encoding:8s} {name}")
        print(f"  {total / 1024:7.1f} KB  total (cold cache)")
    verdict = "met" if worst < TARGET_BYTES else "MISSED"
    print(f"heaviest page {worst / 1024:.1f} KB; target < {TARGET_BYTES // 1024} KB: {verdict}")


if __name__ == "__main__":
    main()

"""The shared layout over HTTP: fragments never stand in for pages, static files are hashed,
compressed and cached for a year, and the layout carries what every page needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def test_pages_and_fragments_vary_on_htmx_and_fragments_are_not_stored(world):
    client = client_on(world.acme, world.acme_admin)
    page = client.get("/cases/?q=zz")
    fragment = client.get("/cases/?q=zz", HTTP_HX_REQUEST="true")
    assert page.status_code == fragment.status_code == 200
    assert "HX-Request" in page["Vary"] and "HX-Request" in fragment["Vary"]
    assert "no-store" in fragment["Cache-Control"]
    assert b"<header" in page.content and b"<header" not in fragment.content


def test_a_history_restore_gets_the_whole_page(world):
    """htmx is configured not to send HX-Request when restoring history: the page it gets
    is whole."""
    client = client_on(world.acme, world.acme_admin)
    restore = client.get("/cases/?q=zz", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert b"<header" in restore.content
    html = client.get("/").content.decode()
    assert '"historyRestoreAsHxRequest": false' in html
    assert '"historyCacheSize": 0' in html  # no child data kept in the browser's storage


def test_the_layout_names_static_files_by_hash_and_serves_them_for_a_year(world):
    client = client_on(world.acme, world.acme_worker)
    html = client.get("/").content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    names = {asset.rsplit("/", 1)[-1] for asset in assets}
    assert any(re.fullmatch(r"app\.[0-9a-f]{12}\.css", name) for name in names), names
    assert any(re.fullmatch(r"favicon\.[0-9a-f]{12}\.svg", name) for name in names), names
    css = next(asset for asset in assets if asset.endswith(".css"))
    response = client.get(css, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"


def test_charts_load_only_on_pages_that_draw_them(world):
    client = client_on(world.acme, world.acme_worker)
    assert b"chart-4" not in client.get("/").content
    assert b"chart-4" not in client.get("/cases/").content
    assert b"chart-4" in client.get("/statistics/").content


def test_every_page_has_a_skip_link_and_a_favicon(world):
    for client, path in [
        (client_on(world.acme, world.acme_worker), "/cases/"),
        (client_on(None), "/accounts/login/"),
    ]:
        html = client.get(path).content.decode()
        assert 'href="#main"' in html and 'id="main"' in html, path
        assert 'rel="icon"' in html, path


def test_another_organisations_member_gets_no_page_of_this_one(world):
    client = client_on(world.acme, world.beta_worker)
    response = client.get("/cases/?q=zz", HTTP_HX_REQUEST="true")
    assert response.status_code in (302, 403, 404)
    assert b"case-rows" not in response.content


def pages_without_a_title(root: Path) -> list[str]:
    """Templates that extend the base layout but name no page of their own in <title>."""
    found = []
    for path in sorted(root.rglob("*.html")):
        parts = set(path.relative_to(root).parts)
        if parts & {".venv", ".local", "node_modules"}:
            continue
        text = path.read_text()
        if '{% extends "base.html" %}' in text and "{% block title %}" not in text:
            found.append(path.relative_to(root).as_posix())
    return found


def test_every_page_names_itself_in_its_title():
    assert pages_without_a_title(Path(settings.BASE_DIR)) == []


def test_a_page_without_a_title_is_found(tmp_path):
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% block content %}{% endblock %}'
    )
    (tmp_path / "named.html").write_text(
        '{% extends "base.html" %}{% block title %}Named{% endblock %}'
    )
    assert pages_without_a_title(tmp_path) == ["page.html"]

"""An intake report is seen only by its office: every workspace and platform URL (str
parameters filled with the report's reference, int ones with its id) and every API GET is
requested by a member of another DCS office on its own host and on the report's office's
host, by a CCI's member, by another intake client and anonymously: none shows the report's
narrative or reporter, and none answers 500."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.conftest import client_on
from tests.intake.conftest import report_body, signed_headers, signed_post
from tests.test_isolation import _walk, body_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
MARKERS = ("ZQXINTAKENARRATIVE", "ZQXINTAKEREPORTER")
SKIP_PREFIXES = ("/static/", "/accounts/logout/", "/i18n/")


def _urls(urlconf: str, reference: str, report_id: int) -> list[str]:
    urls = set()
    for route, _ in _walk(get_resolver(urlconf).url_patterns):
        route = route.lstrip("^").rstrip("$")
        if "(?P" in route or "\\" in route:
            continue
        path = re.sub(r"<int:[^>]+>", str(report_id), route)
        path = re.sub(r"<[^>]+>", reference, path)
        path = "/" + path.lstrip("/")
        if not path.startswith(SKIP_PREFIXES):
            urls.add(path)
    return sorted(urls)


def _sweep(client, urls: list[str], who: str, **headers) -> None:
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, **headers)
            assert response.status_code < 500, (who, method, url, response.status_code)
            for marker in MARKERS:
                assert marker.encode() not in body_of(response), (who, method, url)


def test_no_url_shows_an_offices_report_to_anyone_else(world, intake_world, helpline):
    answer = signed_post(helpline, report_body(narrative=MARKERS[0], reporter={"name": MARKERS[1]}))
    assert answer.status_code == 201
    reference, report_id = answer.json()["reference"], answer.json()["id"]
    own = client_on(intake_world.office, intake_world.worker).get(f"/intake/{reference}/")
    assert MARKERS[0].encode() in own.content  # the sweep would find it if it leaked

    workspace = _urls("cpims.urls_tenant", reference, report_id)
    platform = _urls("cpims.urls_public", reference, report_id)
    document = Client(HTTP_HOST="localhost").get("/api/v1/openapi.json").json()
    api = sorted(
        re.sub(r"\{[^}]+\}", reference, path)
        for path, operations in document["paths"].items()
        if "get" in operations
    )
    _sweep(client_on(intake_world.westlands, intake_world.westlands_worker), workspace, "other")
    _sweep(client_on(intake_world.office, intake_world.westlands_worker), workspace, "on host")
    _sweep(client_on(world.acme, world.acme_admin), workspace, "cci admin")
    _sweep(client_on(None, intake_world.westlands_worker), platform + api, "other on platform")
    _sweep(client_on(None), platform + api, "anonymous")
    from intake.services_clients import intake_client_create
    from tenants.actor import Actor

    school = intake_client_create(
        actor=Actor(user=intake_world.hq), name="School", source_kind="school"
    )
    for url in api:
        from tests.intake.conftest import Source

        headers = signed_headers(Source(school.client, school.secret), b"")
        response = Client(HTTP_HOST="localhost").get(url, **headers)
        assert response.status_code < 500, url
        for marker in MARKERS:
            assert marker.encode() not in response.content, url

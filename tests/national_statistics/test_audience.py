"""One suppression rule for screen, page data and exports, read as each role (issue 12).

An organisation sees its own figures as they are; DCS analysts see aggregates as they are
and take an unsuppressed export only with a logged reason; everyone else, and every
published export, gets small counts hidden with complements.
"""

import csv
import io
import json
import re

import pytest

from audit.models import PlatformAccessEntry
from national_statistics.models import ExportJob
from national_statistics.selectors import TILES
from national_statistics.suppression import SUPPRESSED
from tenants.models import PlatformRole
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.national_statistics.test_dashboard import opened

pytestmark = pytest.mark.django_db
PAGE_DATA = re.compile(rb'<script id="dashboard-data" type="application/json">(.*?)</script>', re.S)
VIEWS = [{}, {"county": "047"}, {"county": "047", "sub_county": "274"}]


@pytest.fixture
def figures(world):
    """acme: 7 cases in Kisumu and 3 in Nairobi's sub-county 274; beta: 5 in 275."""
    from national_statistics.drain import drain_organisation

    opened(world.acme, 7)
    opened(world.acme, 3, county="047", sub_county="274", sex="SMAL", category="CCDF")
    opened(world.beta, 5, county="047", sub_county="275")
    drain_organisation(world.acme)
    drain_organisation(world.beta)


def page_data(response) -> dict:
    """What the page embeds for its charts, as the browser reads it."""
    return json.loads(PAGE_DATA.search(response.content).group(1))


def numbers_in(data: dict) -> list[int]:
    return [v for series in data.values() for v in series["values"] if v is not None]


def small(values) -> list:
    return [v for v in values if isinstance(v, int) and 0 < v < 5]


def test_organisation_sees_its_own_figures_unsuppressed(world, figures):
    """acme holds 7 + 3 cases, beta 5: each sees its own, the 3 included."""
    response = client_on(world.acme, world.acme_worker).get("/statistics/")
    assert response.context["audience"] == "own"
    data = page_data(response)
    assert sorted(data["sex"]["values"]) == [3, 7] and not any(data["sex"]["hidden"])
    assert dict(response.context["headline"])["Cases opened"] == 10
    beta = client_on(world.beta, world.beta_worker).get("/statistics/")
    assert page_data(beta)["sex"]["values"] == [5]  # acme's cases are not beta's
    assert beta.context["board"].headline["case_opened"] == 5


@pytest.mark.parametrize("view", VIEWS)
def test_analyst_sees_aggregates_unsuppressed_on_screen(world, figures, view):
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    response = analyst.get("/statistics/", view)
    assert response.context["audience"] == "analyst"
    if view.get("sub_county") == "274":
        assert page_data(response)["sex"]["values"] == [3]  # the small count, as it is


@pytest.mark.parametrize("view", VIEWS)
def test_other_platform_roles_get_suppressed_page_data(world, figures, view):
    """A national administrator is not an analyst: county and national views reach it
    suppressed, in the tiles, the tables and the JSON behind the charts alike."""
    response = client_on(None, world.hq_admin).get("/statistics/", view)
    assert response.status_code == 200 and response.context["audience"] == "published"
    data = page_data(response)
    assert not small(numbers_in(data)), data
    assert not small(value for _, value in response.context["headline"])
    # the rollup tiles are released too: present (not dropped to 0), never small
    tiles = response.context["board"].tiles
    assert set(tiles) == set(TILES) and not small(tiles.values())
    for series in data.values():  # a hidden value is null and flagged, never a number
        for value, hidden in zip(series["values"], series["hidden"], strict=True):
            assert (value is None) == hidden
    html = response.content.decode()
    if view.get("sub_county") == "274":  # 3 cases: every figure of this view is small
        assert data["sex"] == {"labels": ["Male"], "values": [None], "hidden": [True]}
        assert SUPPRESSED.replace("<", "&lt;") in html and ">3<" not in html


def test_roles_without_statistics_get_nothing(world, figures):
    approver = client_on(None, UserFactory(platform_roles=[PlatformRole.SHARING_APPROVER]))
    assert approver.get("/statistics/").status_code == 403
    assert client_on(None, world.outsider).get("/statistics/").status_code == 403
    assert client_on(world.acme, world.beta_worker).get("/statistics/").status_code == 403


def export(client, **data) -> tuple[int, list[list[str]] | None]:
    """Post an export as the form does; the CSV rows if a job was made and built."""
    before = ExportJob.objects.count()
    month = {"from": data.pop("month", ""), "to": ""}
    month["to"] = month["from"]
    response = client.post("/statistics/exports/", {"export_format": "csv", **month, **data})
    if ExportJob.objects.count() == before:
        return response.status_code, None
    job = ExportJob.objects.latest("id")
    body = b"".join(client.get(f"/statistics/exports/{job.pk}/download/").streaming_content)
    return response.status_code, list(csv.reader(io.StringIO(body.decode())))


def cells(rows: list[list[str]]) -> list[str]:
    return [cell for line in rows[1:] for cell in line[2:]]


def test_exports_as_each_role(world, figures, national_lists):
    from django.utils import timezone

    month = timezone.localdate().strftime("%Y-%m")
    # the organisation: its own figures as they are, or suppressed for publication
    member = client_on(world.acme, world.acme_worker)
    _, own = export(member, month=month, purpose="internal")
    assert "3" in cells(own) and SUPPRESSED not in cells(own)
    assert ExportJob.objects.latest("id").audience == "own"
    _, published = export(member, month=month, purpose="publish")
    assert "3" not in cells(published) and SUPPRESSED in cells(published)
    # the analyst: published by default; internal only with a reason, which is logged
    analyst = client_on(None, UserFactory(platform_roles=[PlatformRole.ANALYST]))
    _, national = export(analyst, month=month)
    assert SUPPRESSED in cells(national) and "3" not in cells(national)
    status, refused = export(analyst, month=month, purpose="internal", reason="")
    assert status == 302 and refused is None
    reason = "Checking county figures against the paper registers"
    _, internal = export(analyst, month=month, purpose="internal", reason=reason)
    assert "3" in cells(internal) and SUPPRESSED not in cells(internal)
    job = ExportJob.objects.latest("id")
    assert job.audience == "internal" and job.reason == reason
    assert PlatformAccessEntry.objects.filter(
        record_kind="statistics_export", record_id=str(job.pk), purpose__contains=reason
    ).exists()
    # DHIS2 files are always published; other roles never take an unsuppressed export
    status, refused = export(
        analyst, month=month, purpose="internal", reason=reason, export_format="json"
    )
    assert refused is None
    status, refused = export(client_on(None, world.hq_admin), month=month, purpose="internal")
    assert refused is None
    _, admin = export(client_on(None, world.hq_admin), month=month, county="047")
    assert not small(int(c) for c in cells(admin) if c.isdigit())


@pytest.mark.parametrize("area", ["county", "national"])
def test_a_member_reads_its_county_and_the_nation_suppressed(world, figures, area):
    """acme's county (Kisumu, 042) and the nation cross acme's boundary: suppressed on screen
    and in the page data, with no export or drill-down offered there."""
    member = client_on(world.beta, world.beta_worker)  # beta is in Nairobi (047)
    response = member.get("/statistics/", {"area": area})
    assert response.status_code == 200 and response.context["audience"] == "published"
    data = page_data(response)
    assert not small(numbers_in(data)) and not small(v for _, v in response.context["headline"])
    html = response.content.decode()
    assert 'data-testid="export-form"' not in html and "data-drill" not in html
    if area == "county":  # Nairobi: acme's 3 there and beta's own 5
        assert response.context["board"].headline["case_opened"] == 8
        # 5 girls and 3 boys: the 3 is hidden, and the 5 with it, or the total would tell
        assert data["sex"]["hidden"] == [True, True] and data["sex"]["values"] == [None, None]
    own = member.get("/statistics/")
    assert own.context["audience"] == "own" and 'data-testid="export-form"' in own.content.decode()

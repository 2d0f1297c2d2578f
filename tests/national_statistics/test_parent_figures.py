"""A parent organisation (county office, implementing partner) sees each child
organisation's headline figures and a total on its dashboard: counts only, small ones
suppressed, in a constant number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from national_statistics.models import MonthlyCount
from national_statistics.selectors import child_figures
from national_statistics.suppression import SUPPRESSED
from tenants.models import Organisation
from tenants.services import organisation_create
from tests.conftest import client_on

pytestmark = pytest.mark.django_db
MONTH = date(2026, 3, 1)


def _child(world, slug, opened):
    child = organisation_create(
        name=f"Partner {slug}", slug=slug, kind="lip", parent=world.beta, type_code="TNCB"
    )
    if opened:
        MonthlyCount.objects.create(
            month=MONTH, organisation_id=child.pk, event_kind="case_opened", n=opened
        )
    return child


def test_children_figures_with_a_suppressed_total(world):
    _child(world, "lip-a", 12)
    _child(world, "lip-b", 3)
    _child(world, "lip-c", 0)
    figures = child_figures(world.beta.pk, MONTH, MONTH)
    opened = {name: values["case_opened"] for _pk, name, _code, values in figures.rows}
    # 3 is small: hidden, and 12 with it, so that 3 never follows from the total of 15
    assert opened == {
        "Partner lip-a": SUPPRESSED,
        "Partner lip-b": SUPPRESSED,
        "Partner lip-c": 0,
    }
    assert figures.total["case_opened"] == 15
    unsuppressed = child_figures(world.beta.pk, MONTH, MONTH, small_counts_shown=True)
    assert unsuppressed.total["case_opened"] == 15


def test_constant_query_count_whatever_the_number_of_children(world):
    _child(world, "lip-a", 7)
    with CaptureQueriesContext(connection) as few:
        child_figures(world.beta.pk, MONTH, MONTH)
    for n in range(5):
        _child(world, f"lip-more-{n}", 9 + n)
    with CaptureQueriesContext(connection) as many:
        figures = child_figures(world.beta.pk, MONTH, MONTH)
    assert len(figures.rows) == 6
    assert len(many.captured_queries) == len(few.captured_queries) <= 2


def test_the_parent_dashboard_shows_children_figures_never_records(world):
    _child(world, "lip-a", 12)
    _child(world, "lip-b", 8)
    page = client_on(world.beta, world.beta_worker).get("/statistics/", {"period": "2026-03"})
    assert page.status_code == 200
    children = page.context["children"]
    assert [row[0] for row in children["rows"]] == ["Partner lip-a", "Partner lip-b"]
    assert b'data-testid="child-figures"' in page.content and b"Partner lip-a" in page.content
    own = page.context["board"]
    assert own.headline["case_opened"] == 0  # its own figures stay its own


def test_an_organisation_without_children_or_another_kind_sees_no_table(world):
    page = client_on(world.acme, world.acme_worker).get("/statistics/")
    assert page.status_code == 200 and page.context.get("children") is None
    assert b"child-figures" not in page.content


def test_a_child_does_not_see_its_parent_or_siblings(world):
    _child(world, "lip-a", 12)
    Organisation.objects.filter(slug="lip-a").update(status="active")
    figures = child_figures(Organisation.objects.get(slug="lip-a").pk, MONTH, MONTH)
    assert figures.rows == []

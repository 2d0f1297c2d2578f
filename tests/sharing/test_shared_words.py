"""Shared records and the sharing console speak in names: case categories, risk levels and
counties by their labels, never their codes."""

from __future__ import annotations

import pytest

from tests.conftest import client_on
from tests.sharing.conftest import active_agreement

pytestmark = pytest.mark.django_db


def test_the_shared_child_page_shows_labels_not_codes(world, scene, kenya_geography):
    active_agreement(
        world, scene, scope={"case_summary": ["category_codes", "risk_level", "status"]}
    )
    page = client_on(world.acme, world.acme_worker).get(f"/sharing/children/{scene.child.pk}/")
    html = page.content.decode()
    assert "Neglect" in html and "High" in html and "Open" in html
    assert "CSIC" not in html and "RLHG" not in html


def test_the_console_filters_agreements_by_county_name(world, scene, kenya_geography):
    html = client_on(None, scene.approver).get("/console/sharing/agreements/").content.decode()
    assert '<option value="047" title="047">Nairobi</option>' in html
    assert "County code" not in html

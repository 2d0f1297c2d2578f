"""The institution manager's morning page and home lines (issue 19): residents, due for
discharge, overstays, vacancies, residents' court dates and expiring certificates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_apps.cases.services.court import court_session_record
from tenants.schema import workspace_context
from tests.case_apps.conftest import actor_of, make_child
from tests.conftest import client_on
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db


def test_the_morning_page_lists_what_the_manager_acts_on(world, monkeypatch):
    today = timezone.localdate()
    due = make_admission(
        world.acme,
        world.acme_admin,
        make_child("Zawadi", "Soon"),
        expected_exit_on=today + timedelta(days=7),
    )
    make_admission(
        world.acme,
        world.acme_admin,
        make_child("Juma", "Late", sex="SMAL"),
        expected_exit_on=today - timedelta(days=2),
    )
    make_admission(world.acme, world.acme_admin, make_child("Imani", "Steady"))
    with workspace_context(world.acme):
        court_session_record(
            actor=actor_of(world.acme, world.acme_admin),
            case=due.case,
            session_date=today - timedelta(days=1),
            court_name="Kisumu Children's Court",
            court_file_number="CP 7/2026",
            session_type="STMN",
            outcome="CADJ",
            adjournment_reason="CHEA",
            next_court_date=today + timedelta(days=9),
        )

    class Care:
        pk = 41
        child = make_child("Foster", "Child")
        certificate_number = "FC/2026/9"
        certificate_expires_on = today + timedelta(days=20)

        def get_care_type_display(self):
            return "Foster care"

    monkeypatch.setattr(
        "case_apps.institutions.views_residents.certificates_expiring",
        lambda **kwargs: [Care()],
    )
    page = client_on(world.acme, world.acme_admin).get("/institution/today/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="residents-total">3<' in text
    assert 'data-testid="due-total">1<' in text
    assert 'data-testid="overstay-total">1<' in text
    assert "ZAWADI" in text.upper() and "CP 7/2026" in text
    assert "FC/2026/9" in text and "Foster care" in text


def test_home_says_how_many_are_due_and_overstaying(world):
    today = timezone.localdate()
    for days in (3, 4, -1):
        make_admission(
            world.acme, world.acme_admin, make_child(), expected_exit_on=today + timedelta(days)
        )
    home = client_on(world.acme, world.acme_admin).get("/").content.decode()
    assert "2 residents are due for discharge within 30 days" in home
    assert "1 resident is past the expected exit" in home
    assert "when=overstay" in home


def test_another_organisation_sees_only_its_own_morning(world, institutions_world):
    make_admission(world.acme, world.acme_admin, make_child("Sirikwa", "Resident"))
    page = client_on(institutions_world.rescue, institutions_world.rescue_worker).get(
        "/institution/today/"
    )
    assert page.status_code == 200
    assert 'data-testid="residents-total">0<' in page.content.decode()
    assert "SIRIKWA" not in page.content.decode().upper()

"""The national reference lists."""

import pytest
from django.core.exceptions import ValidationError

from case_apps.lists.models import ListItem
from case_apps.lists.selectors import (
    clear_list_cache,
    list_choices_bulk,
    sub_categories_by_category,
)
from case_apps.lists.services import list_item_save, lists_load_national
from tenants.actor import Actor, Forbidden, member_actor
from tenants.models import PlatformRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_national_lists_carry_the_cpims_codes(national_lists):
    categories = ListItem.objects.filter(list_name="case_category")
    assert categories.count() == 43
    defilement = categories.get(code="CCDF")
    assert defilement.label == "Defilement" and defilement.report_groups == ["V"]
    assert set(categories.get(code="CSCS").report_groups) == {"V", "T"}
    assert ("NDED", "Education") in sub_categories_by_category()["CSIC"]


def test_loading_twice_adds_nothing_and_keeps_edits(world, national_lists):
    list_item_save(
        actor=Actor(user=world.hq_admin), list_name="risk_level", code="RLHG", label="High (urgent)"
    )
    assert lists_load_national() == 0
    assert ListItem.objects.get(list_name="risk_level", code="RLHG").label == "High (urgent)"


def test_deactivated_items_leave_the_choices(world, national_lists):
    list_item_save(
        actor=Actor(user=world.hq_admin),
        list_name="risk_level",
        code="RLMD",
        label="Medium",
        is_active=False,
    )
    assert "RLMD" not in dict(list_choices_bulk(["risk_level"])["risk_level"])


def test_blank_label_is_refused(world, national_lists):
    with pytest.raises(ValidationError):
        list_item_save(
            actor=Actor(user=world.hq_admin), list_name="risk_level", code="RLXX", label="  "
        )
    assert not ListItem.objects.filter(code="RLXX").exists()


def test_the_list_service_refuses_anyone_but_a_national_administrator(world, national_lists):
    analyst = UserFactory(platform_roles=[PlatformRole.ANALYST])
    for actor in (Actor(user=analyst), member_actor(world.acme_admin, world.acme)):
        with pytest.raises(Forbidden):
            list_item_save(actor=actor, list_name="risk_level", code="RLHG", label="Changed")
        with pytest.raises(Forbidden):
            list_item_save(actor=actor, list_name="risk_level", code="RLNEW", label="New")
    assert ListItem.objects.get(list_name="risk_level", code="RLHG").label != "Changed"
    assert not ListItem.objects.filter(code="RLNEW").exists()


def test_national_administrator_maintains_lists_in_the_console(world, national_lists):
    from tests.conftest import client_on

    client = client_on(None, world.hq_admin)
    page = client.get("/console/lists/", {"list": "case_category", "q": "defile"})
    assert page.status_code == 200 and b"CCDF" in page.content and b"CSIC" not in page.content
    response = client.post(
        "/console/lists/new/", {"list_name": "risk_level", "code": "x", "label": "Extreme"}
    )
    assert response.status_code == 200 and b"2 to 16 letters" in response.content
    assert b"Extreme" in response.content  # what was typed is kept
    response = client.post(
        "/console/lists/new/",
        {"list_name": "risk_level", "code": "RLXT", "label": "Extreme", "is_active": "on"},
    )
    assert response.status_code == 302
    assert ListItem.objects.get(code="RLXT").label == "Extreme"


def test_lists_console_is_closed_to_others(world, national_lists):
    from tests.conftest import client_on

    assert client_on(None, world.acme_admin).get("/console/lists/").status_code == 403
    assert client_on(world.acme, world.acme_admin).get("/console/lists/").status_code == 404


def test_ovc_codes_are_national_lists_with_the_cpims_codes(national_lists):
    domains = ListItem.objects.filter(list_name="ovc_domain").order_by("sort_order")
    assert [d.code for d in domains] == ["healthy", "stable", "safe", "schooled"]
    graduation = ListItem.objects.get(list_name="ovc_exit_reason", code="ERCP")
    assert (graduation.label, graduation.label_sw) == ("Graduation", "Kuhitimu")
    assert ListItem.objects.filter(list_name="ovc_eligibility").count() == 15
    assert "ECHEI" in dict(list_choices_bulk(["ovc_eligibility"])["ovc_eligibility"])


def test_a_lower_case_ovc_code_is_edited_in_place(world, national_lists):
    """CPIMS spells some OVC codes in lower case: editing one changes it, adds nothing."""
    from tests.conftest import client_on

    item = ListItem.objects.get(list_name="ovc_responsible", code="household_member")
    try:
        response = client_on(None, world.hq_admin).post(
            f"/console/lists/{item.pk}/",
            {"label": "Another household member", "label_sw": "Mwanakaya", "is_active": "on"},
        )
        assert response.status_code == 302
        assert ListItem.objects.filter(list_name="ovc_responsible").count() == 5
        item.refresh_from_db()
        assert item.code == "household_member" and item.label == "Another household member"
    finally:
        clear_list_cache()

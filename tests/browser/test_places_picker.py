"""The cascading place picker in a browser, on the sign-up form: choosing a county narrows the
sub-counties to that county's, choosing another county replaces them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _sub_counties(page) -> list[str]:
    return page.eval_on_selector_all(
        "#id_sub_county_code option", "options => options.map(o => o.textContent)"
    )


def test_county_narrows_sub_counties_and_a_new_county_replaces_them(
    page, live_port, world, kenya_geography
):
    page.goto(f"http://localhost:{live_port}/join/")
    assert len(_sub_counties(page)) == 291  # without a county: all, grouped by county
    page.select_option("#id_county_code", label="Kisumu")
    expect(page.locator("#id_sub_county_code option")).to_have_count(8)
    kisumu = _sub_counties(page)
    assert "Kisumu Central" in kisumu and "Mathare" not in kisumu
    assert kisumu[0] == "—"  # the blank choice, then Kisumu's seven
    assert page.locator("#id_sub_county_code optgroup").count() == 0
    page.select_option("#id_sub_county_code", label="Kisumu Central")
    screenshot(page, "places-picker-kisumu")

    page.select_option("#id_county_code", label="Nairobi")
    expect(page.locator("#id_sub_county_code option", has_text="Mathare")).to_have_count(1)
    nairobi = _sub_counties(page)
    assert "Kisumu Central" not in nairobi
    assert page.input_value("#id_sub_county_code") == ""  # the old choice is gone

    page.select_option("#id_county_code", value="")
    expect(page.locator("#id_sub_county_code option")).to_have_count(291)
    assert page.locator("#id_sub_county_code optgroup[label=Kisumu]").count() == 1

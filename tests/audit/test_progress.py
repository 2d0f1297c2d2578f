"""Long actions show they are working (docs/ui.md, *Progress*; issue 13): the retention
dry run and disposal and the data subject export are forms with data-busy and a hidden
.busy status; app.js disables their buttons while the request runs; the export's zip
sets the cookie that tells the page the download has begun."""

from __future__ import annotations

import re

import pytest

from sharing.views_dsr import DOWNLOAD_COOKIE
from tests.case_apps.conftest import make_child
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def _busy_forms(html: str) -> list[str]:
    return re.findall(r"<form[^>]*\bdata-busy\b[^>]*>.*?</form>", html, flags=re.S)


def test_the_retention_runs_show_that_they_are_working(world):
    page = client_on(None, world.hq_admin).get("/console/audit/retention/").content.decode()
    forms = _busy_forms(page)
    assert len(forms) == 2  # the dry run and the disposal
    for form in forms:
        assert re.search(r'<span class="busy" role="status" hidden>[^<]+</span>', form)
        assert 'type="submit"' in form


def test_the_data_subject_export_shows_progress_and_says_when_its_zip_has_come(
    world, national_lists
):
    client = client_on(None, world.hq_admin)
    page = client.get("/console/data-requests/").content.decode()
    (form,) = _busy_forms(page)
    assert f'data-busy-download="{DOWNLOAD_COOKIE}"' in form
    assert '<span class="busy" role="status" hidden>' in form
    person = make_child("Neema", "Subject")
    response = client.post(
        "/console/data-requests/",
        {"person": person.cpims_id, "reference": "DPA/1", "reason": "The mother, s.26"},
    )
    assert response["Content-Type"] == "application/zip"
    cookie = response.cookies[DOWNLOAD_COOKIE]
    assert cookie.value == "done" and not cookie["httponly"]  # the page's script reads it


def test_the_shared_script_disables_the_buttons_of_a_busy_form():
    from django.conf import settings

    script = (settings.BASE_DIR / "platform/cpims/static/cpims/app.js").read_text()
    assert 'form.matches("form[data-busy]")' in script
    assert "button.disabled = busy" in script

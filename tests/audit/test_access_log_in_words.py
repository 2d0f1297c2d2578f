"""The access log viewer names what was read (a case by its reference, a child by name,
linked), not raw identifiers; the kind and identifier stay in the tooltip."""

from __future__ import annotations

import pytest

from audit.services import access_record
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db


def test_the_workspace_access_log_names_cases_and_children(world, national_lists):
    child = make_child("Akinyi", "Otieno")
    case = open_case(world.acme, world.acme_worker, child)
    with workspace_context(world.acme):
        access_record(actor=world.acme_worker, record_kind="case", record_id=case.pk)
        access_record(actor=world.acme_worker, record_kind="child", record_id=child.pk)
    page = client_on(world.acme, world.acme_admin).get("/audit/access/").content.decode()
    assert f'<a href="/cases/{case.pk}/">{case.national_reference}</a>' in page
    assert f'<a href="/cases/children/{child.pk}/">{child.full_name}</a>' in page
    assert f'title="case {case.pk}"' in page  # the raw identifier only in the tooltip
    assert ">Case: " in page and ">Child: " in page
    assert '<option value="case">Case</option>' in page  # the filter names kinds too


def test_another_organisation_sees_none_of_it(world, national_lists):
    child = make_child("Akinyi", "Otieno")
    case = open_case(world.acme, world.acme_worker, child)
    with workspace_context(world.acme):
        access_record(actor=world.acme_worker, record_kind="case", record_id=case.pk)
    beta_admin_page = client_on(world.beta, world.beta_worker).get("/audit/access/")
    assert case.national_reference.encode() not in beta_admin_page.content
    assert client_on(world.beta, world.acme_admin).get("/audit/access/").status_code in (
        302,
        403,
        404,
    )

"""Dates look the same on every screen: "9 Mar 2014", "9 Mar 2014 14:05", month names in
the user's language; Y-m-d only in exports, API answers and `<input type="date">` values
(docs/ui.md, *Dates*; issue 13)."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django import forms
from django.utils import translation
from django.utils.formats import date_format

from audit.services import access_record
from case_apps.ovc import services as ovc
from tenants.models import PlatformRole, Role
from tenants.schema import workspace_context
from tenants.services import membership_grant
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on
from tests.factories import UserFactory
from tests.ovc.conftest import as_member, enrol, make_caregiver
from tests.sharing.conftest import Scene, active_agreement

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Django's English default ("Dec. 2, 2026", "March 9, 2014") and slashed dates.
OTHER_FORMATS = re.compile(
    r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b[ap]\.m\."
)


class _VisibleText(HTMLParser):
    """The text a reader sees: no attributes (a `<time datetime>` or an input's value),
    no script or style."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    assert response.status_code == 200, response.status_code
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def assert_app_dates_only(text: str, where: str) -> None:
    assert not ISO_DATE.findall(text), f"{where}: ISO dates shown: {ISO_DATE.findall(text)}"
    assert not OTHER_FORMATS.findall(text), f"{where}: {OTHER_FORMATS.findall(text)}"


def test_the_main_pages_show_dates_in_the_app_format(world, national_lists):
    child = make_child("Akinyi", "Otieno")  # born 9 Mar 2014
    case = open_case(world.acme, world.acme_worker, child)
    with workspace_context(world.acme):
        access_record(actor=world.acme_worker, record_kind="case", record_id=case.pk)
    acme = client_on(world.acme, world.acme_admin)
    pages = {
        "caseload": acme.get("/cases/"),
        "case page": acme.get(f"/cases/{case.pk}/"),
        "child page": acme.get(f"/cases/children/{child.pk}/"),
        "access log": acme.get("/audit/access/"),
    }
    case_page = visible_text(pages["case page"])
    assert date_format(case.date_reported) in case_page  # e.g. "29 Nov 2026"
    assert "9 Mar 2014" in visible_text(pages["child page"])

    # A household of beta's OVC programme.
    with workspace_context(world.beta):
        household = ovc.household_register(
            actor=as_member(world.beta_worker, world.beta),
            head=make_caregiver(),
            village="Kondele",
        )
        enrol(world.beta, world.beta_worker, household)
    beta = client_on(world.beta, world.beta_worker)
    pages["household"] = beta.get(f"/ovc/households/{household.pk}/")

    # An agreement between acme and beta, approved by DCS.
    beta_admin = UserFactory(email="admin@beta.test", full_name="Baraka Admin")
    membership_grant(user=beta_admin, organisation=world.beta, roles=[Role.ORGANISATION_ADMIN])
    approver = UserFactory(email="sharing@dcs.test", platform_roles=[PlatformRole.SHARING_APPROVER])
    scene = Scene(beta_admin, approver, child, child, case)
    agreement = active_agreement(world, scene)
    pages["agreements"] = acme.get("/sharing/")
    pages["agreement"] = acme.get(f"/sharing/{agreement.pk}/")
    assert date_format(agreement.end_date) in visible_text(pages["agreement"])
    pages["console agreements"] = client_on(None, approver).get("/console/sharing/agreements/")

    registry_manager = UserFactory(
        email="registry@dcs.test", platform_roles=[PlatformRole.REGISTRY_MANAGER]
    )
    pages["registry person"] = client_on(None, registry_manager).get(
        f"/registry/persons/{child.cpims_id}/"
    )
    for where, response in pages.items():
        assert_app_dates_only(visible_text(response), where)


def test_kiswahili_pages_name_the_month_in_kiswahili(world, national_lists):
    child = make_child("Akinyi", "Otieno")  # born 9 Mar 2014
    open_case(world.acme, world.acme_worker, child)
    client = client_on(world.acme, world.acme_admin)
    client.cookies["django_language"] = "sw"
    page = client.get(f"/cases/children/{child.pk}/", HTTP_ACCEPT_LANGUAGE="sw")
    assert 'lang="sw"' in page.content.decode()  # the browser's date inputs follow it
    text = visible_text(page)
    with translation.override("sw"):
        expected = date_format(date(2014, 3, 9))
    assert expected != "9 Mar 2014", expected  # Django translates the month
    assert expected in text
    assert "9 Mar 2014" not in text


def test_every_date_field_of_a_form_is_a_date_input():
    """Every form's date field is `<input type="date">`: the browser shows it in the
    page's language; the value it sends is Y-m-d."""
    import importlib
    import inspect
    import pkgutil

    import case_apps
    import provisioning
    import shared_registry
    import sharing

    checked = 0
    for package in (case_apps, shared_registry, sharing, provisioning):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.rsplit(".", 1)[-1].startswith("forms"):
                continue
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                    continue
                for name, field in cls.base_fields.items():
                    if isinstance(field, forms.DateField) and not isinstance(
                        field, forms.DateTimeField
                    ):
                        assert field.widget.input_type == "date", f"{cls.__name__}.{name}"
                        checked += 1
    assert checked >= 20

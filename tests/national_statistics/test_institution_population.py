"""The institution population report (issue 19): residents at each month's end by sex and age
band (admissions up to it less discharges), admissions and discharges of the month, by
organisation, sub-county, county and nation, from drained facts; suppressed for the public,
on the institution's statistics page and exported."""

from __future__ import annotations

from copy import copy
from datetime import date

import pytest

from case_apps.institutions import facts
from case_apps.institutions.models import Admission, ResidentialStatus
from national_statistics.definitions import report_build
from national_statistics.drain import drain_organisation
from national_statistics.institutions import population_by_month
from national_statistics.reports import suppressed
from national_statistics.selectors import StatisticsScope
from national_statistics.suppression import SUPPRESSED, TOTAL
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child
from tests.conftest import client_on
from tests.institutions.conftest import make_admission

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def _admit(
    organisation, user, admitted_on, *, sex="SFEM", born=date(2014, 3, 9), left_on=None, place=None
):
    admission = make_admission(
        organisation, user, make_child(sex=sex, date_of_birth=born), admitted_on=admitted_on
    )
    with workspace_context(organisation):
        if left_on:
            Admission.objects.filter(pk=admission.pk).update(
                discharged_on=left_on, residential_status=ResidentialStatus.DISCHARGED
            )
            admission.refresh_from_db()
        admission = Admission.objects.select_related("case__child").get(pk=admission.pk)
        facts.admission_facts(admission, place or organisation)
    return admission


@pytest.fixture
def residents(world):
    """acme (county 042): two girls of 11-15 admitted in December, one leaving in February,
    a boy of 0-5 admitted in February, and a girl admitted in January whose facts say
    sub-county 240; beta (county 047): one girl in January."""
    _admit(world.acme, world.acme_admin, date(2025, 12, 5))
    _admit(world.acme, world.acme_admin, date(2025, 12, 20), left_on=date(2026, 2, 10))
    _admit(world.acme, world.acme_admin, date(2026, 2, 3), sex="SMAL", born=date(2023, 1, 1))
    in_240 = copy(world.acme)
    in_240.sub_county_code = "240"
    _admit(world.acme, world.acme_admin, date(2026, 1, 12), place=in_240)
    _admit(world.beta, world.beta_worker, date(2026, 1, 12))
    drain_organisation(world.acme)
    drain_organisation(world.beta)


def test_residents_at_each_months_end_are_admissions_less_discharges(world, residents):
    jan, feb, mar = population_by_month(StatisticsScope(organisation_id=world.acme.pk), JAN, MAR)
    assert jan.residents == {("SFEM", "11-15"): 3} and jan.admissions == {("SFEM", "11-15"): 1}
    assert feb.residents == {("SFEM", "11-15"): 2, ("SMAL", "0-5"): 1}
    assert feb.admissions == {("SMAL", "0-5"): 1} and feb.discharges == {("SFEM", "11-15"): 1}
    assert mar.residents_total == 3 and mar.admissions_total == 0


def test_the_report_by_scope(world, residents):
    county = report_build("institution_population", StatisticsScope(county="042"), JAN, FEB)
    assert county.cell("residents:2026-01", "SFEM|11-15") == 3
    assert county.cell("admitted:2026-01", TOTAL) == 1
    assert county.cell("admitted:2026-02", "SMAL|0-5") == 1
    assert county.cell("discharged:2026-02", TOTAL) == 1
    assert county.cell(TOTAL, TOTAL) == 2  # the period's admissions
    sub_county = StatisticsScope(county="042", sub_county="240")
    assert (
        report_build("institution_population", sub_county, JAN, JAN).cell(
            "residents:2026-01", TOTAL
        )
        == 1
    )
    nation = report_build("institution_population", StatisticsScope(), FEB, FEB)
    assert nation.cell("residents:2026-02", TOTAL) == 4
    assert (
        report_build("institution_population", StatisticsScope(county="047"), FEB, FEB).cell(
            "residents:2026-02", TOTAL
        )
        == 1
    )
    published = suppressed(nation)
    assert published.cell("residents:2026-02", "SMAL|0-5") == SUPPRESSED  # small counts hidden


def test_the_report_shows_on_the_institutions_statistics_page_and_exports(world, residents):
    client = client_on(world.acme, world.acme_admin)
    page = client.get(
        "/statistics/reports/institution_population/", {"from": "2026-01", "to": "2026-03"}
    )
    assert page.status_code == 200
    assert "Residents at the end of 2026-02" in page.content.decode()
    from national_statistics import exports

    county = suppressed(
        report_build("institution_population", StatisticsScope(county="042"), JAN, FEB)
    )
    text = exports.to_csv(county).decode()
    assert text.startswith("Month,Code,") and "residents:2026-02" in text
    assert exports.to_xlsx(county)[:2] == b"PK"

"""Formula injection in the caseload exports: values planted in every exported column come out
as text, never as a formula (issue 14, finding 1)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from case_apps.cases.exports import HEADER
from case_apps.cases.models import CaseCategory, CaseRecord
from cpims.spreadsheets import FORMULA_PREFIXES
from shared_registry.models import Person
from tenants.schema import workspace_context
from tests.case_apps.conftest import make_child, open_case
from tests.conftest import client_on

pytestmark = pytest.mark.django_db

# Column -> what is planted in it (short where the column holds a code).
PLANTED = {
    "Case reference": '=HYPERLINK("http://evil.example","x")',
    "CPIMS person ID": "+1+cmd",
    "Child": "@SUM(1+9)",
    "Status": "-2+3",
    "Risk": "\t=1+1",
    "Categories": "\r=1+1",
    "Officer": '=HYPERLINK("http://evil.example","officer")',
    "County": "=1+2",
}


def _plant(world, team) -> CaseRecord:
    child = make_child("Baraka", "Mutua")
    case = open_case(world.acme, team.worker, child)
    Person.objects.filter(pk=child.pk).update(
        first_name=PLANTED["Child"], other_names="", surname="", cpims_id=PLANTED["CPIMS person ID"]
    )
    team.worker.full_name = PLANTED["Officer"]
    team.worker.save(update_fields=["full_name"])
    with workspace_context(world.acme):
        CaseRecord.objects.filter(pk=case.pk).update(
            national_reference=PLANTED["Case reference"],
            status=PLANTED["Status"],
            risk_level=PLANTED["Risk"],
            occurrence_county_code=PLANTED["County"],
        )
        CaseCategory.objects.filter(case=case).update(category_code=PLANTED["Categories"])
    return case


def test_planted_formulas_are_text_in_csv_and_xlsx(world, team):
    _plant(world, team)
    client = client_on(world.acme, team.worker)
    response = client.get("/cases/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert header == HEADER
    cells = dict(zip(header, row, strict=True))
    for column, value in PLANTED.items():
        assert cells[column] == "'" + value, column
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in row)

    response = client.get("/cases/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows())
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    for column, value in PLANTED.items():
        assert cells[column].data_type != "f", column
        assert cells[column].value == "'" + value.replace("\r", "\n"), column  # XML: \r is \n

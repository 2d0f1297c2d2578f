"""Formula injection in statistics exports: labels planted in every row and column header of a
report are written as text (issue 14, finding 1)."""

import csv
import io

from openpyxl import load_workbook

from national_statistics import exports
from national_statistics.reports import Report
from national_statistics.suppression import TOTAL

EVIL = '=HYPERLINK("http://evil.example","x")'


def _report() -> Report:
    return Report(
        title="=Case load",
        row_header="+Category",
        rows=[("A", "-A label"), ("B", "@B label")],
        columns=[("X", EVIL), ("Y", "\tY")],
        values={("A", "X"): 7, ("A", TOTAL): 7, (TOTAL, "X"): 7, (TOTAL, TOTAL): 7},
        suppressed=True,
        released_to="published",  # exporters take only reports released to an audience
    )


def test_report_labels_are_text_in_csv_and_xlsx():
    rows = list(csv.reader(io.StringIO(exports.to_csv(_report()).decode(), newline="")))
    assert rows[0] == ["'+Category", "Code", "'" + EVIL, "'\tY", "Total"]
    assert [row[0] for row in rows[1:]] == ["'-A label", "'@B label", "Total"]
    assert rows[1][1:3] == ["A", "7"]  # the national code beside the label, then the count
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(_report()))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert cells[2].value == "'" + EVIL  # after the label and code headers

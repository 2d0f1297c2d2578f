"""Every export that a spreadsheet opens (CSV, XLSX, ODS) writes its cells through here, so
that no value can become a live formula (docs/security.md, formula injection).

Use ``csv_lines``/``csv_bytes`` and ``xlsx_bytes`` rather than ``csv.writer`` or openpyxl
directly; a house rule (tests/test_house_rules.py) finds writers that do not.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

# What a spreadsheet reads as the start of a formula (OWASP CSV injection), with the full-width
# forms some spreadsheets fold into them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NEUTRALISER = "'"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_cell(value: Any) -> Any:
    """The value as an export writes it: text a spreadsheet would run gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISER + value
    return value


def spreadsheet_row(row: Iterable[Any]) -> list[Any]:
    """One row with every cell neutralised."""
    return [spreadsheet_cell(value) for value in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text one line at a time (for a streaming response), every cell neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(spreadsheet_row(row))


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file, every cell neutralised."""
    return "".join(csv_lines(rows)).encode()


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    """A one-sheet XLSX workbook, every cell neutralised and written as a value."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31] or "Sheet")
    for row in rows:
        sheet.append(spreadsheet_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

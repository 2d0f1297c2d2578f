"""What the issue-14 hardening costs per request and per export: the /api/ text check (NUL and
unpaired surrogates, every string of the JSON body and query) and formula neutralising of
export cells. No database is touched.

    DATABASE_URL=postgresql://postgres@127.0.0.1/any .venv/bin/python bench/input_checks.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "platform"), str(REPO)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")

import django  # noqa: E402

django.setup()

from django.test import RequestFactory  # noqa: E402

from cpims.spreadsheets import csv_bytes, spreadsheet_row, xlsx_bytes  # noqa: E402
from tenants.api_errors import _refused_text  # noqa: E402


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def main() -> None:
    factory = RequestFactory()
    case = {
        "child_id": 1,
        "date_reported": "2026-01-05",
        "reporter_name": "Mama Akinyi",
        "categories": [{"category_code": "CSIC", "sub_category_codes": ["NDED"]}] * 5,
        "perpetrators": [{"status": "PKNW", "name": "X"}] * 5,
    }
    for label, narrative in [
        ("typical case (1 KB narrative)", "n" * 1_000),
        ("20 KB", "n" * 20_000),
    ]:
        body = json.dumps({**case, "narrative": narrative})
        request = factory.post("/api/v1/cases", body, content_type="application/json")
        print(f"text check, {label}: {_median_ms(lambda r=request: _refused_text(r), 2000):.3f} ms")
    big = factory.post(
        "/api/v1/cases", json.dumps({**case, "narrative": "n" * 2_000_000}), "application/json"
    )
    print(f"text check, 2 MB narrative: {_median_ms(lambda: _refused_text(big), 20):.1f} ms")

    rows = [["=HYPERLINK(1)", "BARAKA MUTUA", "2026-01-05", "-", "@x", 5, "KSM/1/2026"]] * 10_000
    neutralise = _median_ms(lambda: [spreadsheet_row(row) for row in rows], 10)
    print(f"neutralising alone, 70,000 cells: {neutralise:.0f} ms")
    print(f"CSV, 10,000 rows x 7 cells: {_median_ms(lambda: csv_bytes(rows), 10):.0f} ms")
    print(
        f"XLSX, 10,000 rows x 7 cells: {_median_ms(lambda: xlsx_bytes(rows, title='x'), 3):.0f} ms"
    )


if __name__ == "__main__":
    main()

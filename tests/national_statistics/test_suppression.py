"""Small-cell suppression on crafted tables: no hidden count can be recovered from totals."""

import itertools

from national_statistics.suppression import SUPPRESSED, TOTAL, suppress_series, suppress_table


def recoverable_cells(table) -> list:
    """Cells whose value follows from one line where everything else is shown."""
    rows, columns = [*table.rows, TOTAL], [*table.columns, TOTAL]
    lines = [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]
    return [
        hidden[0]
        for line in lines
        if len(hidden := [cell for cell in line if table.values[cell] == SUPPRESSED]) == 1
    ]


def test_small_counts_show_as_less_than_five():
    table = suppress_table({"Nairobi": {"F": 12, "M": 3}, "Kisumu": {"F": 9, "M": 7}})
    assert table.cell("Nairobi", "M") == SUPPRESSED
    assert table.cell("Kisumu", "F") != 9 or table.cell("Kisumu", "M") != 7  # complement hidden
    assert recoverable_cells(table) == []


def test_a_single_small_cell_in_a_row_gets_a_complement():
    table = suppress_table({"A": {"x": 20, "y": 2, "z": 30}, "B": {"x": 15, "y": 40, "z": 25}})
    row = [table.cell("A", c) for c in ("x", "y", "z")]
    assert row.count(SUPPRESSED) >= 2
    assert recoverable_cells(table) == []


def test_zero_and_large_counts_are_shown():
    table = suppress_table({"A": {"x": 0, "y": 50}, "B": {"x": 60, "y": 70}})
    assert table.cell("A", "x") == 0 and table.cell(TOTAL, TOTAL) == 180
    assert SUPPRESSED not in table.values.values()


def test_small_totals_are_hidden_too():
    table = suppress_table({"A": {"x": 1, "y": 2}, "B": {"x": 50, "y": 60}})
    assert table.cell("A", TOTAL) == SUPPRESSED
    assert recoverable_cells(table) == []


def test_series():
    shown = suppress_series({"0-5": 3, "6-10": 17, "11-15": 22})
    assert shown["0-5"] == SUPPRESSED and list(shown.values()).count(SUPPRESSED) >= 2


def test_exhaustive_small_tables_never_leak():
    """Every 2x3 table with values in {0, 1, 4, 5, 9}: nothing recoverable, small never shown."""
    for values in itertools.product([0, 1, 4, 5, 9], repeat=6):
        counts = {
            "r1": dict(zip("abc", values[:3], strict=True)),
            "r2": dict(zip("abc", values[3:], strict=True)),
        }
        table = suppress_table(counts)
        assert recoverable_cells(table) == [], counts
        for cell, value in table.values.items():
            assert value == SUPPRESSED or not (0 < value < 5), (counts, cell)

"""Small-cell suppression for anything that leaves the platform.

Counts from 1 to 4 are shown as "<5". Complementary suppression then hides enough
other cells that no suppressed count can be worked out from the totals: in every
row and every column (totals included) either nothing is hidden or at least two
members are.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

SUPPRESSED = "<5"
THRESHOLD = 5

Cell = tuple[Hashable, Hashable]
TOTAL = "__total__"


@dataclass
class SuppressedTable:
    rows: list[Hashable]
    columns: list[Hashable]
    values: dict[Cell, int | str]  # includes (row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)

    def cell(self, row: Hashable, column: Hashable) -> int | str:
        return self.values[(row, column)]


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def suppress_table(counts: Mapping[Hashable, Mapping[Hashable, int]]) -> SuppressedTable:
    """Suppress a two-way table of counts, with row, column and grand totals."""
    rows = list(counts)
    columns: list[Hashable] = []
    for row in rows:
        for column in counts[row]:
            if column not in columns:
                columns.append(column)
    value: dict[Cell, int] = {}
    for row in rows:
        for column in columns:
            value[(row, column)] = int(counts[row].get(column, 0))
        value[(row, TOTAL)] = sum(value[(row, c)] for c in columns)
    for column in columns:
        value[(TOTAL, column)] = sum(value[(r, column)] for r in rows)
    value[(TOTAL, TOTAL)] = sum(value[(r, TOTAL)] for r in rows)

    all_rows, all_columns = [*rows, TOTAL], [*columns, TOTAL]
    # Each line is a sum relation: its members add up (totals included).
    lines = [[(r, c) for c in all_columns] for r in all_rows]
    lines += [[(r, c) for r in all_rows] for c in all_columns]
    hidden = {cell for cell, v in value.items() if is_small(v)}

    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden_here = [cell for cell in line if cell in hidden]
            if len(hidden_here) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden]
            if not candidates:
                continue

            def cost(cell: Cell) -> tuple:
                is_total = TOTAL in cell
                return (is_total, value[cell] == 0, value[cell])

            hidden.add(min(candidates, key=cost))
            changed = True
    shown: dict[Cell, int | str] = {
        cell: (SUPPRESSED if cell in hidden else v) for cell, v in value.items()
    }
    return SuppressedTable(rows=rows, columns=columns, values=shown)


def suppress_series(counts: Mapping[Hashable, int]) -> dict[Hashable, int | str]:
    """A one-way table (with its total): the same rule on a single line."""
    table = suppress_table({"all": dict(counts)})
    result = {column: table.cell("all", column) for column in table.columns}
    result[TOTAL] = table.cell("all", TOTAL)
    return result

"""Text that must never become a formula in a workbook we write.

Names, organizations and notes come from registrants. A name such as
``=HYPERLINK("http://...")`` or ``=cmd|' /C calc'!A0`` written as a formula
would run in the workbooks mailed to everyone (forms, changes, schedule).
``is_formula_like`` is the one rule every workbook writer applies: a text
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written as a text cell carrying Excel's quote prefix (the ``'`` Excel shows
in the formula bar), so it stays text even when someone edits the cell. The
text itself is kept unchanged, so a re-solve reads the same name back.

``safe_cell`` applies the rule for openpyxl writers (forms, changes,
template); ``io/write.py`` applies it for XlsxWriter (``schedule.xlsx``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Would a spreadsheet take this text for a formula (or a DDE command)?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(ws: Any, value: object) -> object:
    """``value`` ready for ``ws.append`` (or a cell of ``ws``): formula-like text becomes a
    text cell with the quote prefix; anything else (and any Cell already made) is returned as is.

    openpyxl would store any text starting with ``=`` as a formula.
    """
    if isinstance(value, Cell):
        return guard(value)
    if not is_formula_like(value):
        return value
    return guard(Cell(ws, row=1, column=1, value=value))


def guard(cell: Cell) -> Cell:
    """Make an openpyxl cell holding formula-like text a quoted text cell (in place)."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_row(ws: Any, values: Sequence[object]) -> list[object]:
    return [safe_cell(ws, v) for v in values]


def guard_workbook(wb: Any) -> Any:
    """Apply the rule to every cell of an openpyxl workbook (not write-only) just before it is saved."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                guard(cell)
    return wb

"""Contract workbooks for tests, written from plain lists of rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl

Book = dict[str, list[list[object]]]  # sheet title -> rows, the header first


def put(book: Book, sheet: str, row: int, column: str, value: object) -> Book:
    """Set one cell by Excel row number and header, adding the column or row if needed."""
    rows = book.setdefault(sheet, [[column]])
    header = rows[0]
    if column not in header:
        header.append(column)
    index = header.index(column)
    while len(rows) < row:
        rows.append([])
    line = rows[row - 1]
    line.extend([None] * (index + 1 - len(line)))
    line[index] = value
    return book


def write_book(path: Path, book: Book, hidden: tuple[str, ...] = ()) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in book.items():
        sheet = workbook.create_sheet(title)
        for line in rows:
            sheet.append(line)
        if title in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path

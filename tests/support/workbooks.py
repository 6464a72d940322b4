"""Contract workbooks for tests, written from plain lists of rows."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import openpyxl

Book = dict[str, list[list[object]]]  # sheet title -> rows, the header first
DAY = date(2017, 6, 5)


def minimal(end: time = time(10)) -> Book:
    """The smallest valid event: one morning of meetings from 9:00 to ``end``,
    three attendees, one request. Tests break it one way each."""
    return {
        "Event": [["Setting", "Value"], ["Name", "Test Expo"], ["Meeting minutes", 20], ["Buffer minutes", 5]],
        "Schedule": [["Date", "Start", "End", "Activity", "Label"], [DAY, time(9), end, "Meetings", "Morning"]],
        "Rooms": [["Room", "Use", "Capacity", "Tables"], ["Hall A", "Meetings", None, 10]],
        "Attendees": [
            ["Attendee", "Name", "Organization"],
            ["A1", "Ann Lee", "Acme"],
            ["B1", "Bob Roy", "Beta"],
            ["C1", "Cy Fox", "Ceta"],
        ],
        "Requests": [["From", "To", "Priority"], ["A1", "B1", "High"]],
    }


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

"""changes.xlsx: what changed for whom after a re-solve."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ..changes import ChangeReport, rows
from .excel_text import guard_workbook


def write_changes(report: ChangeReport, path: str | Path) -> Path:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Changes"
    _fill(sheet, rows(report))
    who = wb.create_sheet("Changed attendees")
    names = {c.attendee.casefold().strip(): (c.attendee, c.name) for c in report.changes}
    _fill(who, [["Attendee", "Name"], *[list(names[k]) for k in report.changed_attendees if k in names]])
    summary = wb.create_sheet("Summary")
    _fill(
        summary,
        [
            ["Figure", "Value"],
            ["Previous meetings", report.previous],
            ["Kept in place", report.kept],
            ["Kept share", f"{report.kept_share:.1%}"],
            ["Attendees whose agenda changed", len(report.changed_attendees)],
            ["Meetings moved", report.moved],
            ["Moved to another table at the same time", report.moved_table_only],
            ["Meetings dropped", report.dropped],
            ["Meetings added", report.added],
            ["Sessions moved", report.sessions_moved],
        ],
    )
    path = Path(path)
    guard_workbook(wb)  # names and notes come from registrants: never formulas
    wb.save(path)
    return path


def _fill(sheet, table: Sequence[Sequence[object]]) -> None:
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))

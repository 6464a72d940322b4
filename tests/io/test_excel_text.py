"""Registrants' text never becomes a formula in a workbook we write: one test per writer.

Each writer gets names that a spreadsheet would run (a link, a DDE command);
the cells read back (openpyxl, data_only=False) must be text with the quote
prefix, holding the name unchanged.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import openpyxl
import pytest

from scheduler import build
from scheduler.changes import diff
from scheduler.engine.solve import SolveOptions, solve
from scheduler.io import template
from scheduler.io.changes_write import write_changes
from scheduler.io.excel_text import is_formula_like, safe_row
from scheduler.io.forms import write_forms
from scheduler.io.write import write_schedule
from scheduler.model import Attendee, Room, Settings
from scheduler.schedule import Schedule

LINK = '=HYPERLINK("http://x")'
DDE = "=cmd|' /C calc'!A0"
DAY = date(2017, 6, 5)


def formula_cells(path: Path) -> list[str]:
    """Every cell stored as a formula, as SHEET!A1 = value."""
    wb = openpyxl.load_workbook(path, data_only=False)
    return [f"{ws.title}!{c.coordinate} = {c.value}" for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"]


def cells_holding(path: Path, text: str) -> list[openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(path, data_only=False)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == text]


def assert_text(path: Path, *texts: str) -> None:
    assert formula_cells(path) == []
    for text in texts:
        found = cells_holding(path, text)
        assert found, f"{text} not written to {path.name}"
        assert all(c.data_type == "s" and c.quotePrefix for c in found), text


def test_the_rule() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", LINK, DDE):
        assert is_formula_like(text), text
    for value in ("Ann Lee", "a=b", "", " =x", None, 12, "O'Neil"):
        assert not is_formula_like(value), value


def event():
    attendees = [Attendee(id="A1", name=LINK, organization="@Acme"), Attendee(id="B1", name=DDE, organization="-Beta"),
                 Attendee(id="C1", name="Cy Fox", organization="Ceta")]
    return build.event(blocks=[build.block(DAY, "09:00", "10:00")], rooms=[Room(name="Hall", use="Meetings", tables=4)],
                       attendees=attendees, asks=[("A1", "B1", 3, "+call me"), ("C1", "A1", 2)],
                       settings=Settings(name="Test Expo"))


def test_schedule_workbook(tmp_path: Path) -> None:
    ev = event()
    schedule = solve(ev, SolveOptions(time_limit=5, workers=1, seed=0))
    assert schedule.meetings
    path = write_schedule(ev, schedule, tmp_path / "schedule.xlsx", extra_sheets={"Extra": [["Name"], [DDE]]})
    assert_text(path, LINK, DDE, "@Acme", "-Beta", "+call me")


def test_changes_workbook(tmp_path: Path) -> None:
    ev = event()
    new = solve(ev, SolveOptions(time_limit=5, workers=1, seed=0))
    old = Schedule(meetings=(), sessions=(), unscheduled=(), figures=new.figures)
    report = diff(ev, old, new)
    assert report.changes
    path = write_changes(report, tmp_path / "changes.xlsx")
    assert_text(path, LINK, DDE)


def registration(path: Path) -> Path:
    """Names typed as text by registrants (a text cell, as Excel stores '=... typed with a quote)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Attendees"
    for row in (["Attendee", "Name", "Organization", "Delegation"], ["A1", LINK, "@Acme", "=Georgia"],
                ["B1", DDE, "Beta", "Ontario"], ["C1", "Cy Fox", "+Ceta", "Ontario"]):
        ws.append(safe_row(ws, row))
    wb.save(path)
    return path


def test_preference_forms(tmp_path: Path) -> None:
    paths = write_forms([registration(tmp_path / "reg.xlsx")], tmp_path / "forms")
    assert len(paths) == 2
    for path in paths:
        assert formula_cells(path) == [], path.name
    ontario = next(p for p in paths if p.name == "ontario.xlsx")
    georgia = next(p for p in paths if p.name != "ontario.xlsx")
    assert_text(ontario, LINK, "@Acme", "=Georgia")  # the catalogue lists the others
    assert_text(georgia, LINK, DDE, "=Georgia")  # its own members, the others, the hidden Form sheet


def test_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The template holds only our own words; the rule still applies to every cell it writes.
    monkeypatch.setattr(template, "GENERAL_RULES", (LINK, DDE))
    path = template.write_template(tmp_path / "template.xlsx")
    assert_text(path, LINK, DDE)


def test_text_reads_back_unchanged_for_a_re_solve(tmp_path: Path) -> None:
    from scheduler.io.read import read_event

    path = registration(tmp_path / "reg.xlsx")
    wb = openpyxl.load_workbook(path)
    for title, rows in {
        "Event": [["Setting", "Value"], ["Name", "Test Expo"]],
        "Schedule": [["Date", "Start", "End", "Activity"], [DAY, time(9), time(10), "Meetings"]],
        "Rooms": [["Room", "Use", "Tables"], ["Hall", "Meetings", 4]],
        "Requests": [["From", "To", "Priority"], ["A1", "B1", "High"]],
    }.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    ev = read_event([path]).event
    assert ev.attendee["a1"].name == LINK
    assert ev.attendee["b1"].name == DDE

"""The blank input workbook: every contract sheet, explained, with drop-downs and formats."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from scheduler.io.contract import ACTIVITIES, PRIORITIES, SETTINGS, SHEETS, USES
from scheduler.io.read import read_event
from scheduler.io.template import FORMAT_ROWS, write_template
from scheduler.problems import InputError


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "sub" / "template.xlsx")


@pytest.fixture(scope="module")
def wb(path: Path) -> Workbook:
    return openpyxl.load_workbook(path)


def drop_down(wb: Workbook, sheet: str, cell: str) -> list[str]:
    """The choices offered in a cell, or [] when it has no list drop-down."""
    for dv in wb[sheet].data_validations.dataValidation:
        if dv.type == "list" and cell in dv.sqref:
            return dv.formula1.strip('"').split(",")
    return []


def column_of(sheet: str, column: str) -> str:
    spec = next(s for s in SHEETS if s.name == sheet)
    names = [c.name for c in spec.columns]
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[names.index(column)]


def test_every_contract_sheet_has_bold_frozen_headers(wb: Workbook) -> None:
    assert wb.sheetnames == ["Instructions", "Consignes", *(s.name for s in SHEETS)]
    for spec in SHEETS:
        ws = wb[spec.name]
        headers = [c.value for c in ws[1]]
        assert headers == [c.name for c in spec.columns]
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[chr(65 + i)].width >= 7 for i in range(len(headers)))


def test_instructions_explain_every_sheet_column_and_setting(wb: Workbook) -> None:
    rows = [[c.value for c in row] for row in wb["Instructions"].iter_rows()]
    text = "\n".join(" | ".join(str(v) for v in row if v is not None) for row in rows)
    for spec in SHEETS:
        assert f"Sheet {spec.name}" in text
        for column in spec.columns:
            assert any(row[0] == column.name for row in rows), column.name
    for setting in SETTINGS:
        assert any(row[0] == setting.name and row[3] for row in rows), setting.name
    assert "one of: Meetings, Sessions, Plenary, Break" in text
    assert "Default: America/Toronto" in text


def test_event_sheet_lists_settings_with_their_defaults(wb: Workbook) -> None:
    values = {row[0]: row[1] for row in wb["Event"].iter_rows(min_row=2, values_only=True)}
    assert list(values) == [s.name for s in SETTINGS]
    assert values["Name"] is None  # the organizer must type it
    assert values["Time zone"] == "America/Toronto"
    assert (values["Meeting minutes"], values["Buffer minutes"], values["Paper size"]) == (20, 5, "Letter")
    paper_row = list(values).index("Paper size") + 2
    assert drop_down(wb, "Event", f"B{paper_row}") == ["Letter", "A4"]


def test_enumerated_columns_offer_drop_downs(wb: Workbook) -> None:
    assert drop_down(wb, "Schedule", f"{column_of('Schedule', 'Activity')}2") == list(ACTIVITIES)
    assert drop_down(wb, "Rooms", f"{column_of('Rooms', 'Use')}{FORMAT_ROWS}") == list(USES)
    assert drop_down(wb, "Requests", f"{column_of('Requests', 'Priority')}5") == list(PRIORITIES)
    assert drop_down(wb, "Attendees", f"{column_of('Attendees', 'Host')}2") == ["yes", "no"]
    assert drop_down(wb, "Attendees", f"{column_of('Attendees', 'Name')}2") == []


def test_date_and_time_columns_are_formatted(wb: Workbook) -> None:
    for sheet, column, fmt in (("Schedule", "Date", "yyyy-mm-dd"), ("Schedule", "Start", "hh:mm"),
                               ("Unavailable", "End", "hh:mm"), ("Fixed meetings", "Date", "yyyy-mm-dd"),
                               ("Attendees", "Arrives", "yyyy-mm-dd hh:mm")):
        letter = column_of(sheet, column)
        assert wb[sheet][f"{letter}2"].number_format == fmt
        assert wb[sheet][f"{letter}{FORMAT_ROWS}"].number_format == fmt


def test_blank_template_reads_back_as_empty_sheets_only(path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_event([path])
    problems = caught.value.problems
    assert {p.sheet for p in problems if not p.warning} == {"Event", "Schedule", "Rooms", "Attendees"}
    assert all("no data rows" in p.message or "needs a Name" in p.message for p in problems)


def test_instructions_and_help_come_in_english_and_french(wb: Workbook) -> None:
    english = [row[0] for row in wb["Instructions"].iter_rows(values_only=True) if row and row[0]]
    french = [row[0] for row in wb["Consignes"].iter_rows(values_only=True) if row and row[0]]
    assert len(english) == len(french) and english[0] == "How to fill in this workbook"
    assert french[0] != english[0] and "Feuille Attendees" in french  # sheet names stay English
    assert "Attendee" in french  # so do column names: the reader knows them so
    comment = wb["Attendees"]["A1"].comment.text
    assert "Attendee ID, unique." in comment and "\n\n" in comment  # then the French paragraph
    for sheet in wb.worksheets:
        for dv in sheet.data_validations.dataValidation:  # Excel's limits on drop-down messages
            assert len(dv.errorTitle or "") <= 32 and len(dv.error or "") <= 255

"""The blank input workbook organizers start from (``scheduler template PATH``).

Every contract sheet with its headers (bold, frozen, each with its help as a
cell comment), an ``Instructions`` sheet that explains every sheet, column
and Event setting in plain words, the Event settings pre-filled with their
defaults, drop-downs for the columns that take one of a few words, and date
and time formats on the rows people will type into. Everything comes from
:mod:`scheduler.io.contract`, so the template cannot drift from the reader.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.io.contract import SETTINGS, SHEETS, Column, SettingSpec, SheetSpec

FORMAT_ROWS = 1000  # rows 2..FORMAT_ROWS get formats and drop-downs
NUMBER_FORMATS = {
    "date": "yyyy-mm-dd",
    "time": "hh:mm",
    "datetime": "yyyy-mm-dd hh:mm",
    "id": "@",  # text: an ID typed as 007 keeps its zeros
    "idlist": "@",
}
KIND_WORDS = {
    "text": "text",
    "id": "ID (text)",
    "idlist": "list of IDs, separated by ;",
    "list": "list, separated by ;",
    "int": "whole number",
    "float": "number",
    "date": "date, e.g. 2017-06-05",
    "time": "time, e.g. 09:30",
    "datetime": "date, or date and time, e.g. 2017-06-05 12:00",
    "datelist": "list of dates, separated by ;",
    "yesno": "yes or no",
    "tz": "time zone name, e.g. America/Toronto",
    "spare": "a number (3) or a share (10%)",
}
WIDTHS = {"date": 12, "time": 8, "datetime": 17, "int": 10, "yesno": 7, "enum": 12, "id": 14}
WIDE_COLUMNS = {"Name": 26, "Title": 30, "Organization": 30, "Label": 30, "Description": 50,
                "Sectors": 34, "Email": 30, "Note": 40, "Reason": 28, "Setting": 26, "Value": 36,
                "Room": 22, "Track": 26, "Speakers": 20, "Sessions": 18, "Team": 22, "Dates": 24}
# Help for sheets and columns the contract leaves without words.
SHEET_HELP = {
    "Rooms": "The venue's rooms: meeting rooms with tables for one-to-one meetings, session rooms with seats.",
    "Tracks": "Sector tracks that group the sessions.",
    "Sessions": "Track sessions. The scheduler picks each session's period and room unless you pin them.",
    "Attendees": "One row per person taking part.",
}
COLUMN_HELP = {
    ("Tracks", "Description"): "What the track is about.",
    ("Sessions", "Title"): "Printed on agendas.",
    ("Attendees", "Email"): "Printed on agendas and put in calendar files.",
    ("Unavailable", "Attendee"): "Attendee ID.",
    ("Unavailable", "Date"): "The day.",
    ("Unavailable", "Start"): "From (HH:MM).",
    ("Unavailable", "End"): "Until (HH:MM).",
    ("Unavailable", "Reason"): "For your records; not printed.",
    ("Fixed meetings", "Attendee A"): "Attendee ID of one side.",
    ("Fixed meetings", "Attendee B"): "Attendee ID of the other side.",
    ("Fixed meetings", "Date"): "The day of the meeting.",
    ("Fixed meetings", "Start"): "Must be the start of a meeting slot.",
    ("Fixed meetings", "Room"): "Optional: a meeting room.",
}
SETTING_MINIMUM = {"Meeting minutes": 5, "Max meetings per day": 1, "Max consecutive meetings": 1}
GENERAL_RULES = (
    "Fill in one row per item below the headers. Do not rename sheets or headers; extra columns are ignored.",
    "Required sheets: Event, Schedule, Rooms, Attendees and Requests. The others may stay empty.",
    "Lists inside one cell are separated by ; (for example: English; French).",
    "Dates are written 2017-06-05, times 09:30. IDs are text; A001 and a001 are the same ID.",
    "Requests and Unavailable rows may also come from other workbooks (the preference forms); "
    "give all the files to the scheduler together.",
)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(path: str | Path) -> Path:
    """Write the blank input workbook at ``path`` and return the path."""
    path = Path(path)
    wb = Workbook()
    _write_instructions(wb.active)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        _write_headers(ws, spec)
        _add_formats(ws, spec)
        _add_drop_downs(ws, spec)
    _fill_event(wb["Event"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def describe(column: Column) -> str:
    """The column's type in plain words."""
    if column.kind == "enum":
        return "one of: " + ", ".join(column.choices)
    return KIND_WORDS.get(column.kind, column.kind)


def column_help(spec: SheetSpec, column: Column) -> str:
    return column.help or COLUMN_HELP.get((spec.name, column.name), "")


def setting_help(setting: SettingSpec) -> str:
    default = "" if setting.default in (None, "") else f" Default: {setting.default}."
    return f"{setting.help}{default}"


# ---------------------------------------------------------------- Instructions


def _write_instructions(ws: Worksheet) -> None:
    ws.title = "Instructions"
    for letter, width in zip("ABCD", (28, 34, 10, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append(["How to fill in this workbook"])
    ws["A1"].font = Font(bold=True, size=14)
    for rule in GENERAL_RULES:
        ws.append([rule])  # not wrapped: the text runs on over the empty cells beside it
    for spec in SHEETS:
        ws.append([])
        state = "required" if spec.required else "optional"
        ws.append([f"Sheet {spec.name}", None, state, spec.help or SHEET_HELP.get(spec.name, "")])
        _bold_row(ws)
        ws.append(["Column", "Type", "Required", "Meaning"])
        _bold_row(ws, italic=True)
        for column in spec.columns:
            ws.append([column.name, describe(column), "yes" if column.required else "", column_help(spec, column)])
        if spec.name == "Event":
            _describe_settings(ws)
    for (cell,) in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.alignment = WRAP
    fit_to_width(ws)


def fit_to_width(ws: Worksheet) -> None:
    """Print landscape, all columns on one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _describe_settings(ws: Worksheet) -> None:
    ws.append([])
    ws.append(["Settings (one row each, in the Event sheet)"])
    _bold_row(ws)
    ws.append(["Setting", "Type", "Required", "Meaning"])
    _bold_row(ws, italic=True)
    for setting in SETTINGS:
        kind = "one of: " + ", ".join(setting.choices) if setting.kind == "enum" else KIND_WORDS[setting.kind]
        required = "yes" if setting.name == "Name" else ""
        ws.append([setting.name, kind, required, setting_help(setting)])


def _bold_row(ws: Worksheet, italic: bool = False) -> None:
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=not italic, italic=italic)


# ---------------------------------------------------------------- contract sheets


def _write_headers(ws: Worksheet, spec: SheetSpec) -> None:
    ws.append([c.name for c in spec.columns])
    for index, column in enumerate(spec.columns, 1):
        cell = ws.cell(row=1, column=index)
        cell.font = BOLD
        words = column_help(spec, column)
        if words:
            cell.comment = Comment(f"{describe(column)}. {words}", "scheduler", width=260, height=90)
        width = WIDE_COLUMNS.get(column.name, WIDTHS.get(column.kind, 14))
        ws.column_dimensions[get_column_letter(index)].width = max(width, len(column.name) + 3)
    ws.freeze_panes = "A2"


def _add_formats(ws: Worksheet, spec: SheetSpec) -> None:
    for index, column in enumerate(spec.columns, 1):
        fmt = NUMBER_FORMATS.get(column.kind)
        if fmt is None or spec.name == "Event":
            continue
        for row in range(2, FORMAT_ROWS + 1):
            ws.cell(row=row, column=index).number_format = fmt


def _list_validation(words: tuple[str, ...], strict: bool = True) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
    dv.showErrorMessage = True
    # Priority also accepts 1, 2, 3 and 0: warn instead of refusing those.
    dv.errorStyle = "stop" if strict else "warning"
    dv.errorTitle = "Not in the list"
    dv.error = "Use one of: " + ", ".join(words)
    return dv


def _add_drop_downs(ws: Worksheet, spec: SheetSpec) -> None:
    for index, column in enumerate(spec.columns, 1):
        letter = get_column_letter(index)
        if column.kind == "enum":
            dv = _list_validation(column.choices, strict=column.name != "Priority")
        elif column.kind == "yesno":
            dv = _list_validation(("yes", "no"))
        elif column.kind == "int":
            dv = _whole_number(0)
        else:
            continue
        dv.add(f"{letter}2:{letter}{FORMAT_ROWS}")
        ws.add_data_validation(dv)


def _whole_number(minimum: int) -> DataValidation:
    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(minimum), allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = "Not a whole number"
    dv.error = f"Type a whole number, at least {minimum}."
    return dv


def _fill_event(ws: Worksheet) -> None:
    """Setting names in column A with their defaults, and help as comments."""
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 40
    for row, setting in enumerate(SETTINGS, 2):
        ws.cell(row=row, column=1, value=setting.name)
        if setting.default not in (None, ""):
            ws.cell(row=row, column=2, value=setting.default)
        ws.cell(row=row, column=1).comment = Comment(setting_help(setting), "scheduler", width=260, height=80)
        dv = None
        if setting.kind == "enum":
            dv = _list_validation(setting.choices)
        elif setting.kind == "int":
            dv = _whole_number(SETTING_MINIMUM.get(setting.name, 0))
        if dv is not None:
            dv.add(f"B{row}")
            ws.add_data_validation(dv)

"""The blank input workbook organizers start from (``scheduler template PATH``).

Every contract sheet with its headers (bold, frozen, each with its help as a
cell comment), an ``Instructions`` sheet that explains every sheet, column
and Event setting in plain words, the Event settings pre-filled with their
defaults, drop-downs for the columns that take one of a few words, and date
and time formats on the rows people will type into. Everything comes from
:mod:`scheduler.io.contract`, so the template cannot drift from the reader.

The instructions come in English (``Instructions``) and in French
(``Consignes``, from the message catalogue); header comments and drop-down
messages give both. Sheet and column names stay English: the reader knows
them by those names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.i18n import ENGLISH, FRENCH, N_, Words, in_all
from scheduler.io.contract import SETTINGS, SHEETS, Column, SettingSpec, SheetSpec
from scheduler.io.excel_text import guard_workbook

FORMAT_ROWS = 1000  # rows 2..FORMAT_ROWS get formats and drop-downs
NUMBER_FORMATS = {
    "date": "yyyy-mm-dd",
    "time": "hh:mm",
    "datetime": "yyyy-mm-dd hh:mm",
    "id": "@",  # text: an ID typed as 007 keeps its zeros
    "idlist": "@",
}
KIND_WORDS = {
    "text": N_("text"),
    "id": N_("ID (text)"),
    "idlist": N_("list of IDs, separated by ;"),
    "list": N_("list, separated by ;"),
    "int": N_("whole number"),
    "float": N_("number"),
    "date": N_("date, e.g. 2017-06-05"),
    "time": N_("time, e.g. 09:30"),
    "datetime": N_("date, or date and time, e.g. 2017-06-05 12:00"),
    "datelist": N_("list of dates, separated by ;"),
    "yesno": N_("yes or no"),
    "tz": N_("time zone name, e.g. America/Toronto"),
    "spare": N_("a number (3) or a share (10%)"),
}
WIDTHS = {"date": 12, "time": 8, "datetime": 17, "int": 10, "yesno": 7, "enum": 12, "id": 14}
WIDE_COLUMNS = {"Name": 26, "Title": 30, "Organization": 30, "Label": 30, "Description": 50,
                "Sectors": 34, "Email": 30, "Note": 40, "Reason": 28, "Setting": 26, "Value": 36,
                "Room": 22, "Track": 26, "Speakers": 20, "Sessions": 18, "Team": 22, "Dates": 24}
# Help for sheets and columns the contract leaves without words.
SHEET_HELP = {
    "Rooms": N_("The venue's rooms: meeting rooms with tables for one-to-one meetings, session rooms with seats."),
    "Tracks": N_("Sector tracks that group the sessions."),
    "Sessions": N_("Track sessions. The scheduler picks each session's period and room unless you pin them."),
    "Attendees": N_("One row per person taking part."),
}
COLUMN_HELP = {
    ("Tracks", "Description"): N_("What the track is about."),
    ("Sessions", "Title"): N_("Printed on agendas."),
    ("Attendees", "Email"): N_("Printed on agendas and put in calendar files."),
    ("Unavailable", "Attendee"): N_("Attendee ID."),
    ("Unavailable", "Date"): N_("The day."),
    ("Unavailable", "Start"): N_("From (HH:MM)."),
    ("Unavailable", "End"): N_("Until (HH:MM)."),
    ("Unavailable", "Reason"): N_("For your records; not printed."),
    ("Fixed meetings", "Attendee A"): N_("Attendee ID of one side."),
    ("Fixed meetings", "Attendee B"): N_("Attendee ID of the other side."),
    ("Fixed meetings", "Date"): N_("The day of the meeting."),
    ("Fixed meetings", "Start"): N_("Must be the start of a meeting slot."),
    ("Fixed meetings", "Room"): N_("Optional: a meeting room."),
}
SETTING_MINIMUM = {"Meeting minutes": 5, "Max meetings per day": 1, "Max consecutive meetings": 1}
GENERAL_RULES = (
    N_("Fill in one row per item below the headers. Do not rename sheets or headers; extra columns are ignored."),
    N_("Required sheets: Event, Schedule, Rooms, Attendees and Requests. The others may stay empty."),
    N_("Lists inside one cell are separated by ; (for example: English; French)."),
    N_("Dates are written 2017-06-05, times 09:30 (a bare number such as 930 is not a time). "
       "IDs are text; A001 and a001 are the same ID."),
    N_("Requests and Unavailable rows may also come from other workbooks (the preference forms); "
       "give all the files to the scheduler together. An event with sessions only leaves Requests empty."),
    N_("To cancel an attendee, write cancelled in their Status cell rather than deleting the row."),
    N_("Every sheet, column and setting, with examples: docs/workbook.md in the scheduler's folder."),
)
BOTH = (ENGLISH, FRENCH)  # the instructions' languages: a sheet each, in this order
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(path: str | Path) -> Path:
    """Write the blank input workbook at ``path`` and return the path."""
    path = Path(path)
    wb = Workbook()
    _write_instructions(wb.active, BOTH[0])
    for w in BOTH[1:]:
        _write_instructions(wb.create_sheet(), w)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        _write_headers(ws, spec)
        _add_formats(ws, spec)
        _add_drop_downs(ws, spec)
    _fill_event(wb["Event"])
    path.parent.mkdir(parents=True, exist_ok=True)
    guard_workbook(wb)
    wb.save(path)
    return path


def describe(column: Column | SettingSpec, w: Words = ENGLISH) -> str:
    """The column's type in plain words."""
    if column.kind == "enum":
        return w._("one of: {choices}").format(choices=", ".join(column.choices))
    return w._(KIND_WORDS[column.kind]) if column.kind in KIND_WORDS else column.kind


def column_help(spec: SheetSpec, column: Column, w: Words = ENGLISH) -> str:
    words = column.help or COLUMN_HELP.get((spec.name, column.name), "")
    return w._(words) if words else ""


def setting_help(setting: SettingSpec, w: Words = ENGLISH) -> str:
    default = "" if setting.default in (None, "") else " " + w._("Default: {value}.").format(value=setting.default)
    return f"{w._(setting.help)}{default}"


def in_both(text: Callable[[Words], str]) -> str:
    """A comment or a message in every language of the instructions, a paragraph each."""
    return "\n\n".join(dict.fromkeys(text(w) for w in BOTH))


# ---------------------------------------------------------------- Instructions


def _write_instructions(ws: Worksheet, w: Words) -> None:
    ws.title = w._("Instructions")
    for letter, width in zip("ABCD", (28, 34, 13, 90), strict=True):  # C fits « obligatoire »
        ws.column_dimensions[letter].width = width
    ws.append([w._("How to fill in this workbook")])
    ws["A1"].font = Font(bold=True, size=14)
    for rule in GENERAL_RULES:
        ws.append([w._(rule)])  # not wrapped: the text runs on over the empty cells beside it
    heading = [w._("Column"), w._("Type"), w._("Required"), w._("Meaning")]
    for spec in SHEETS:
        ws.append([])
        state = w._("required") if spec.required else w._("optional")
        about = spec.help or SHEET_HELP.get(spec.name, "")
        ws.append([w._("Sheet {name}").format(name=spec.name), None, state, w._(about) if about else ""])
        _bold_row(ws)
        ws.append(heading)
        _bold_row(ws, italic=True)
        for column in spec.columns:
            ws.append([column.name, describe(column, w), w._("yes") if column.required else "",
                       column_help(spec, column, w)])
        if spec.name == "Event":
            _describe_settings(ws, w)
    for (cell,) in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.alignment = WRAP
    fit_to_width(ws)


def fit_to_width(ws: Worksheet) -> None:
    """Print landscape, all columns on one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _describe_settings(ws: Worksheet, w: Words) -> None:
    ws.append([])
    ws.append([w._("Settings (one row each, in the Event sheet)")])
    _bold_row(ws)
    ws.append([w._("Setting"), w._("Type"), w._("Required"), w._("Meaning")])
    _bold_row(ws, italic=True)
    for setting in SETTINGS:
        required = w._("yes") if setting.name == "Name" else ""
        ws.append([setting.name, describe(setting, w), required, setting_help(setting, w)])


def _bold_row(ws: Worksheet, italic: bool = False) -> None:
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=not italic, italic=italic)


# ---------------------------------------------------------------- contract sheets


def _write_headers(ws: Worksheet, spec: SheetSpec) -> None:
    ws.append([c.name for c in spec.columns])
    for index, column in enumerate(spec.columns, 1):
        cell = ws.cell(row=1, column=index)
        cell.font = BOLD
        if column_help(spec, column):
            text = in_both(partial(_column_comment, spec, column))
            cell.comment = Comment(text, "scheduler", width=300, height=160)
        width = WIDE_COLUMNS.get(column.name, WIDTHS.get(column.kind, 14))
        ws.column_dimensions[get_column_letter(index)].width = max(width, len(column.name) + 3)
    ws.freeze_panes = "A2"


def _column_comment(spec: SheetSpec, column: Column, w: Words) -> str:
    return f"{describe(column, w)}. {column_help(spec, column, w)}"


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
    dv.errorTitle = in_all(N_("Not in the list"))  # at most 32 characters (Excel)
    dv.error = in_both(lambda w: w._("Use one of: {choices}").format(choices=", ".join(words)))
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
    dv.errorTitle = in_all(N_("Not a whole number"))
    dv.error = in_both(lambda w: w._("Type a whole number, at least {minimum}.").format(minimum=minimum))
    return dv


def _fill_event(ws: Worksheet) -> None:
    """Setting names in column A with their defaults, and help as comments."""
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 40
    for row, setting in enumerate(SETTINGS, 2):
        ws.cell(row=row, column=1, value=setting.name)
        if setting.default not in (None, ""):
            ws.cell(row=row, column=2, value=setting.default)
        comment = in_both(partial(setting_help, setting))
        ws.cell(row=row, column=1).comment = Comment(comment, "scheduler", width=300, height=140)
        dv = None
        if setting.kind == "enum":
            dv = _list_validation(setting.choices)
        elif setting.kind == "int":
            dv = _whole_number(SETTING_MINIMUM.get(setting.name, 0))
        if dv is not None:
            dv.add(f"B{row}")
            ws.add_data_validation(dv)

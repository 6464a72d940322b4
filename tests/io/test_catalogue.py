"""The catalogue of bad workbooks: one mistake each, the exact located message.

Each case breaks the minimal workbook of tests/support one way (in the rows,
or in the saved file for what openpyxl cannot write as a user would: formulas
never computed, broken zips, CSV files) and names the one message the
organizer must see, located FILE › SHEET › row N › COLUMN with what was
found. A sample goes through the command line: exit status 2, nothing written.
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from support import workbooks
from support.workbooks import Book, put, write_book

from scheduler.cli import main
from scheduler.io.read import read_event
from scheduler.problems import InputError

DAY = date(2017, 6, 5)
FILE = "event.xlsx"


def minimal() -> Book:
    """The minimal event with a Meetings block that fits three slots exactly (no warning)."""
    return workbooks.minimal(end=time(10, 15))


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[Book], object]
    message: str  # the exact rendered problem
    after: Callable[[Path], object] | None = None  # edits the saved file
    file: str = FILE
    warning: bool = False  # a warning (the intent is clear), not an error


def add(sheet: str, *rows: list[object]) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        book.setdefault(sheet, []).extend(list(r) for r in rows)

    return change


def cell(sheet: str, row: int, column: str, value: object) -> Callable[[Book], None]:
    return lambda book: put(book, sheet, row, column, value)


def both(*changes: Callable[[Book], object]) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        for c in changes:
            c(book)

    return change


def setting(name: str, value: object) -> Callable[[Book], None]:
    return add("Event", [name, value])


def replace_sheet(sheet: str, rows: list[list[object]]) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        book[sheet] = copy.deepcopy(rows)  # cases edit the rows: each gets its own

    return change


def formula(sheet: str, ref: str, text: str) -> Callable[[Path], None]:
    """A formula as a script writes it: no computed value stored."""

    def edit(path: Path) -> None:
        workbook = openpyxl.load_workbook(path)
        workbook[sheet][ref] = text
        workbook.save(path)

    return edit


def excel_error(sheet: str, ref: str, text: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        workbook = openpyxl.load_workbook(path)
        workbook[sheet][ref] = text
        workbook[sheet][ref].data_type = "e"
        workbook.save(path)

    return edit


def merge(sheet: str, cells: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        workbook = openpyxl.load_workbook(path)
        workbook[sheet].merge_cells(cells)
        workbook.save(path)

    return edit


def overwrite(data: bytes | Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        path.write_bytes(data(path.read_bytes()) if callable(data) else data)

    return edit


def other_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")


nothing = both()
sessions = both(
    add("Schedule", [DAY, time(11), time(12), "Sessions", "Talks"]),
    add("Rooms", ["Ballroom", "Sessions", 100, None]),
    replace_sheet("Tracks", [["Track"], ["EV"]]),
    replace_sheet("Sessions", [["Session", "Track", "Speakers"], ["S1", "EV", "A1"]]),
)
fixed = replace_sheet("Fixed meetings", [["Attendee A", "Attendee B", "Date", "Start", "Room", "Table"],
                                         ["A1", "B1", DAY, "9:25", "Hall A", "T2"]])
ines = add("Attendees", ["P09", "Ines Miller", "Delta"])
status = both(cell("Attendees", 1, "Status", "Status"), cell("Attendees", 3, "Status", "cancelled"))

CASES = [
    # ---------------------------------------------------------------- files
    Case("csv", nothing, "event.csv: is a CSV text file, not a workbook; open it in Excel or LibreOffice and save it as "
         "Excel Workbook (.xlsx)", overwrite(b"Attendee,Name\nA1,Ann\n"), file="event.csv"),
    Case("csv-renamed", nothing, "event.xlsx: is a text file (CSV?), not a workbook; open it in Excel or LibreOffice "
         "and save it as Excel Workbook (.xlsx)", overwrite(b"Attendee,Name\nA1,Ann\n")),
    Case("empty-file", nothing, "event.xlsx: the file is empty (0 bytes), not a workbook", overwrite(b"")),
    Case("truncated-zip", nothing, "event.xlsx: is a damaged workbook (the zip is incomplete); save it again from "
         "Excel or LibreOffice as .xlsx", overwrite(lambda data: data[: len(data) // 2])),
    Case("zip-of-other-things", nothing, "event.xlsx: is a zip file, not a workbook; open it in Excel or LibreOffice "
         "and save it as Excel Workbook (.xlsx)", other_zip),
    Case("old-binary", nothing, "event.xlsx: is an old-style .xls workbook or a password-protected one; open it in "
         "Excel or LibreOffice and save it as Excel Workbook (.xlsx)", overwrite(b"\xd0\xcf\x11\xe0" + bytes(600))),
    # ---------------------------------------------------------------- sheets and headers
    Case("no-attendees-sheet", lambda b: b.pop("Attendees"),
         "Attendees: required sheet is missing; add a sheet named Attendees (looked in event.xlsx)"),
    Case("schedule-without-rows", replace_sheet("Schedule", [["Date", "Start", "End", "Activity"]]),
         "event.xlsx › Schedule: the sheet has no data rows; fill it in below the headers"),
    Case("misspelled-priority", cell("Requests", 1, "Priority", "Priorty"),
         "event.xlsx › Requests › row 1 › Priorty: unknown column, ignored; if it is meant as Priority, rename the "
         "header to Priority: until then no Priority is read (found: Priorty)", warning=True),
    Case("misspelled-required-header", replace_sheet("Requests", [["Form", "To"], ["A1", "B1"]]),
         "event.xlsx › Requests › row 1 › Form: unknown column; did you mean From? Rename the header to From "
         "(found: Form)"),
    Case("column-twice", replace_sheet("Requests", [["From", "To", "to "], ["A1", "B1", "C1"]]),
         "event.xlsx › Requests › row 1 › to: this column appears twice"),
    Case("merged-header", nothing, "event.xlsx › Rooms › row 1: header cells are merged; unmerge them and give each "
         "column its own header (found: C1:D1)", merge("Rooms", "C1:D1")),
    Case("headers-not-in-row-1", lambda b: b["Tracks"] if False else b.update(Tracks=[[], ["Track"], ["EV"]]),
         "event.xlsx › Tracks › row 1: row 1 must hold the column headers; the headers are on row 2: delete the rows "
         "above them"),
    Case("title-above-the-headers", replace_sheet("Attendees", [["Attendee list, June 2017"], ["Attendee", "Name"],
                                                                ["A1", "Ann Lee"], ["B1", "Bob Roy"], ["C1", "Cy Fox"]]),
         "event.xlsx › Attendees › row 1: row 1 must hold the column headers; the headers are on row 2: delete the "
         "rows above them"),
    Case("sheet-named-in-the-singular", lambda b: b.update(Attendee=b.pop("Attendees")),
         "Attendees: required sheet is missing; add a sheet named Attendees (looked in event.xlsx); did you mean the "
         "sheet 'Attendee' of event.xlsx? Rename it to Attendees"),
    # ---------------------------------------------------------------- Event settings
    Case("no-event-name", cell("Event", 2, "Value", None),
         "event.xlsx › Event › row 2 › Value: the event needs a Name: type the event title here"),
    Case("meeting-minutes-too-short", cell("Event", 3, "Value", 3),
         "event.xlsx › Event › row 3 › Value: must be at least 5 (found: 3)"),
    Case("negative-buffer", cell("Event", 4, "Value", -5),
         "event.xlsx › Event › row 4 › Value: must not be negative (found: -5)"),
    Case("time-zone-abbreviation", setting("Time zone", "EST"),
         "event.xlsx › Event › row 5 › Value: EST keeps one offset all year, so where clocks change for summer every "
         "calendar entry would be an hour off; use the venue city's zone, did you mean America/Toronto? (found: EST)"),
    Case("time-zone-not-a-name", setting("Time zone", "Eastern"),
         "event.xlsx › Event › row 5 › Value: an abbreviation, not a time zone name; use the venue city's zone, did "
         "you mean America/Toronto? (found: Eastern)"),
    Case("time-zone-city-alone", setting("Time zone", "Toronto"),
         "event.xlsx › Event › row 5 › Value: not a time zone; did you mean America/Toronto? (found: Toronto)"),
    Case("time-zone-typo", setting("Time zone", "Europe/Pariss"),
         "event.xlsx › Event › row 5 › Value: not a time zone; did you mean Europe/Paris? (found: Europe/Pariss)"),
    Case("time-zone-case", setting("Time zone", "america/new_york"),
         "event.xlsx › Event › row 5 › Value: not a time zone as written; did you mean America/New_York? "
         "(found: america/new_york)"),
    Case("paper-size", setting("Paper size", "A5"),
         "event.xlsx › Event › row 5 › Value: must be one of Letter, A4 (found: A5)"),
    Case("spare-share-over-100", setting("Spare tables", "150%"),
         "event.xlsx › Event › row 5 › Value: a share of tables must be between 0% and 100% (found: 150%)"),
    Case("fairness-not-a-number", setting("Fairness weight", "high"),
         "event.xlsx › Event › row 5 › Value: not a number (found: high)"),
    Case("setting-twice", setting("meeting_minutes", 30),
         "event.xlsx › Event › row 5 › Setting: this setting is already used in row 3 (found: meeting_minutes)"),
    Case("setting-formula-without-value", setting("Max meetings per day", None),
         "event.xlsx › Event › row 5 › Value: the formula has no computed value; open and save the file in Excel or "
         "LibreOffice (found: =1+1)", formula("Event", "B5", "=1+1")),
    Case("duplex-printing", setting("Duplex printing", "maybe"),
         "event.xlsx › Event › row 5 › Value: must be one of Yes, No (found: maybe)"),
    # ---------------------------------------------------------------- Schedule
    Case("time-as-number", cell("Schedule", 2, "Start", 930),
         "event.xlsx › Schedule › row 2 › Start: a number, not a time: type the time as HH:MM; did you mean 9:30? "
         "(found: 930)"),
    Case("time-as-decimal-hours", cell("Schedule", 2, "End", 10.25),
         "event.xlsx › Schedule › row 2 › End: a number, not a time: type the time as HH:MM; did you mean 10:15? "
         "(found: 10.25)"),
    Case("time-as-number-text", cell("Schedule", 2, "Start", "0930"),
         "event.xlsx › Schedule › row 2 › Start: a number, not a time: type the time as HH:MM; did you mean 9:30? "
         "(found: 930)"),
    Case("time-number-in-a-time-formatted-cell", nothing,
         "event.xlsx › Schedule › row 2 › Start: a number, not a time: type the time as HH:MM; did you mean 9:00? "
         "(found: 900)", lambda p: time_formatted_number(p, "Schedule", "B2", 900)),
    Case("time-not-a-time", cell("Schedule", 2, "Start", "9h75"),
         "event.xlsx › Schedule › row 2 › Start: not a time of day; write it as HH:MM between 00:00 and 23:59 "
         "(found: 9h75)"),
    Case("end-before-start", cell("Schedule", 2, "End", time(8)),
         "event.xlsx › Schedule › row 2 › End: End must be after Start (found: 08:00, Start 09:00)"),
    Case("last-years-date", add("Schedule", [date(2016, 6, 6), time(14), time(15), "Meetings"]),
         "event.xlsx › Schedule › row 3 › Date: this date is 364 days away from the event's other dates (2017-06-05 "
         "to 2017-06-05); check the year; did you mean 2017-06-06? (found: 2016-06-06)"),
    Case("date-as-text", cell("Schedule", 2, "Date", "05/06/2017"),
         "event.xlsx › Schedule › row 2 › Date: not a date; write it as an Excel date or as YYYY-MM-DD "
         "(found: 05/06/2017)"),
    Case("unknown-activity", cell("Schedule", 2, "Activity", "Lunch"),
         "event.xlsx › Schedule › row 2 › Activity: must be one of Meetings, Sessions, Plenary, Break (found: Lunch)"),
    Case("no-meetings-block", cell("Schedule", 2, "Activity", "Break"),
         "event.xlsx › Schedule: the Schedule has no Meetings block; add at least one row with Activity Meetings "
         "(an event with sessions only leaves Requests and Fixed meetings empty)"),
    Case("overlapping-meetings-blocks", add("Schedule", [DAY, time(10), time(11), "Meetings"]),
         "event.xlsx › Schedule › row 3 › Start: this Meetings block overlaps the one in row 2 (09:00–10:15); "
         "Meetings blocks must not overlap (found: 10:00–11:00)"),
    Case("sessions-only-under-a-plenary", both(sessions, add("Schedule", [DAY, time(11), time(12), "Plenary"])),
         "event.xlsx › Schedule: every Sessions block overlaps a Plenary or a Break, so no session can be placed; "
         "move a Sessions block or the break"),
    Case("schedule-formula-without-value", nothing,
         "event.xlsx › Schedule › row 2 › End: the formula has no computed value; open and save the file in Excel or "
         "LibreOffice (found: =B2+TIME(1,15,0))", formula("Schedule", "C2", "=B2+TIME(1,15,0)")),
    # ---------------------------------------------------------------- Rooms
    Case("meetings-room-without-tables", cell("Rooms", 2, "Tables", None),
         "event.xlsx › Rooms › row 2 › Tables: a Meetings room needs its number of Tables (1 or more) (found: empty)"),
    Case("sessions-room-without-capacity", add("Rooms", ["Ballroom", "Sessions", None, None]),
         "event.xlsx › Rooms › row 3 › Capacity: a Sessions room needs a Capacity (1 or more seats) (found: empty)"),
    Case("unknown-use", cell("Rooms", 2, "Use", "Meeting room"),
         "event.xlsx › Rooms › row 2 › Use: must be one of Meetings, Sessions (found: Meeting room)"),
    Case("tables-as-words", cell("Rooms", 2, "Tables", "ten"),
         "event.xlsx › Rooms › row 2 › Tables: not a whole number (found: ten)"),
    Case("room-twice", add("Rooms", ["hall a", "Meetings", None, 4]),
         "event.xlsx › Rooms › row 3 › Room: this room name is already used in row 2 (found: hall a)"),
    Case("room-error-cell", nothing,
         "event.xlsx › Rooms › row 2 › Tables: the cell holds an Excel error; fix the formula or type the value "
         "(found: #REF!)", excel_error("Rooms", "D2", "#REF!")),
    # ---------------------------------------------------------------- Attendees
    Case("attendee-twice", add("Attendees", ["a1 ", "Ann Twin", "Acme"]),
         "event.xlsx › Attendees › row 5 › Attendee: this attendee ID is already used in row 2 (found: a1)"),
    Case("name-missing", cell("Attendees", 3, "Name", "  "),
         "event.xlsx › Attendees › row 3 › Name: this cell must be filled in"),
    Case("arrives-in-1999", cell("Attendees", 2, "Arrives", datetime(1999, 6, 5)),
         "event.xlsx › Attendees › row 2 › Arrives: arrives 6575 days before the event (2017-06-05 to 2017-06-05); "
         "check the year, or leave the cell empty for the whole event (found: 1999-06-05)"),
    Case("departs-in-2099", cell("Attendees", 2, "Departs", datetime(2099, 6, 5)),
         "event.xlsx › Attendees › row 2 › Departs: departs 29950 days after the event (2017-06-05 to 2017-06-05); "
         "check the year, or leave the cell empty for the whole event (found: 2099-06-05)"),
    Case("departs-before-arrives", both(cell("Attendees", 2, "Arrives", "2017-06-05 10:00"),
                                        cell("Attendees", 2, "Departs", "2017-06-05 09:00")),
         "event.xlsx › Attendees › row 2 › Departs: Departs must be after Arrives (found: 2017-06-05 09:00, Arrives "
         "2017-06-05 10:00)"),
    Case("departs-before-the-event", cell("Attendees", 2, "Departs", date(2017, 6, 4)),
         "event.xlsx › Attendees › row 2 › Departs: departs before the event starts (2017-06-05 to 2017-06-05) "
         "(found: 2017-06-04)"),
    Case("host-maybe", cell("Attendees", 2, "Host", "maybe"),
         "event.xlsx › Attendees › row 2 › Host: not yes or no (found: maybe)"),
    Case("max-meetings-negative", cell("Attendees", 2, "Max meetings", -1),
         "event.xlsx › Attendees › row 2 › Max meetings: must not be negative (found: -1)"),
    Case("status-unknown", cell("Attendees", 2, "Status", "gone"),
         "event.xlsx › Attendees › row 2 › Status: Status must be empty or cancelled (found: gone)"),
    Case("unknown-session-listed", both(sessions, cell("Attendees", 2, "Sessions", "S01; s2")),
         "event.xlsx › Attendees › row 2 › Sessions: unknown session; it must be listed in the Sessions sheet; did you "
         "mean S1? (found: S01)"),
    Case("team-across-organizations", both(cell("Attendees", 2, "Team", "Joint"), cell("Attendees", 3, "Team", "joint")),
         "event.xlsx › Attendees › row 2 › Team: Team Joint has members from different organizations: Acme (A1), "
         "Beta (B1); a Team meets as one party of one organization (found: Joint)"),
    Case("agenda-language", cell("Attendees", 2, "Agenda language", "de"),
         "event.xlsx › Attendees › row 2 › Agenda language: must be one of en, fr (found: de)"),
    Case("name-error-cell", nothing,
         "event.xlsx › Attendees › row 2 › Name: the cell holds an Excel error; fix the formula or type the value "
         "(found: #N/A)", excel_error("Attendees", "B2", "#N/A")),
    # ---------------------------------------------------------------- Requests
    Case("mistyped-id-with-a-suggestion", both(ines, cell("Requests", 2, "To", "P9")),
         "event.xlsx › Requests › row 2 › To: no attendee or Team with this ID in the Attendees sheet; did you mean "
         "P09 (Ines Miller)? (found: P9)"),
    Case("unknown-from", cell("Requests", 2, "From", "Z1"),
         "event.xlsx › Requests › row 2 › From: unknown attendee; it must be listed in the Attendees sheet (found: Z1)"),
    Case("deleted-attendee", lambda b: b["Attendees"].pop(2),
         "event.xlsx › Requests › row 2 › To: no attendee or Team with this ID in the Attendees sheet (found: B1)"),
    Case("priority-word", cell("Requests", 2, "Priority", "urgent"),
         "event.xlsx › Requests › row 2 › Priority: not a priority; use High, Medium, Low or Never (or 1, 2, 3, 0) "
         "(found: urgent)"),
    Case("priority-formula-without-value", nothing,
         "event.xlsx › Requests › row 2 › Priority: the formula has no computed value; open and save the file in Excel "
         "or LibreOffice (found: =\"Never\")", formula("Requests", "C2", '="Never"')),
    Case("team-in-from", both(cell("Attendees", 3, "Team", "Beta team"), cell("Requests", 2, "From", "Beta team")),
         "event.xlsx › Requests › row 2 › From: unknown attendee; it must be listed in the Attendees sheet (a Team "
         "name is allowed in To only) (found: Beta team)"),
    Case("from-empty", cell("Requests", 2, "From", None),
         "event.xlsx › Requests › row 2 › From: this cell must be filled in"),
    # ---------------------------------------------------------------- Unavailable
    Case("unavailable-unknown-attendee",
         replace_sheet("Unavailable", [["Attendee", "Date", "Start", "End"], ["C01", DAY, "9:00", "9:30"]]),
         "event.xlsx › Unavailable › row 2 › Attendee: unknown attendee; it must be listed in the Attendees sheet; "
         "did you mean C1 (Cy Fox)? (found: C01)"),
    Case("unavailable-end-before-start",
         replace_sheet("Unavailable", [["Attendee", "Date", "Start", "End"], ["A1", DAY, "9:30", "9:00"]]),
         "event.xlsx › Unavailable › row 2 › End: End must be after Start (found: 09:00, Start 09:30)"),
    Case("unavailable-time-as-number",
         replace_sheet("Unavailable", [["Attendee", "Date", "Start", "End"], ["A1", DAY, 1400, "15:00"]]),
         "event.xlsx › Unavailable › row 2 › Start: a number, not a time: type the time as HH:MM; did you mean 14:00? "
         "(found: 1400)"),
    # ---------------------------------------------------------------- Fixed meetings
    Case("fixed-not-a-slot", both(fixed, cell("Fixed meetings", 2, "Start", "9:30")),
         "event.xlsx › Fixed meetings › row 2 › Start: no meeting slot starts then; slots on 2017-06-05 start at "
         "09:00, 09:25, 09:50 (found: 2017-06-05 09:30)"),
    Case("fixed-unknown-room", both(fixed, cell("Fixed meetings", 2, "Room", "Hall B")),
         "event.xlsx › Fixed meetings › row 2 › Room: unknown room; it must be listed in the Rooms sheet; did you mean "
         "Hall A? (found: Hall B)"),
    Case("fixed-table-too-high", both(fixed, cell("Fixed meetings", 2, "Table", 12)),
         "event.xlsx › Fixed meetings › row 2 › Table: room Hall A has only 10 tables (T1 to T10) (found: T12)"),
    Case("fixed-with-oneself", both(fixed, cell("Fixed meetings", 2, "Attendee B", "a1")),
         "event.xlsx › Fixed meetings › row 2 › Attendee B: an attendee cannot meet themselves (found: a1)"),
    Case("fixed-table-without-room", both(fixed, cell("Fixed meetings", 2, "Room", None),
                                          add("Rooms", ["Hall B", "Meetings", None, 4])),
         "event.xlsx › Fixed meetings › row 2 › Room: a Table needs a Room; on 2017-06-05 it could be in Hall A or "
         "Hall B (found: empty)"),
    # ---------------------------------------------------------------- Sessions
    Case("unknown-track", both(sessions, cell("Sessions", 2, "Track", "EVs")),
         "event.xlsx › Sessions › row 2 › Track: unknown track; it must be listed in the Tracks sheet; did you mean EV? "
         "(found: EVs)"),
    Case("unknown-speaker", both(sessions, cell("Sessions", 2, "Speakers", "B1; X9")),
         "event.xlsx › Sessions › row 2 › Speakers: unknown attendee; speakers must be listed in the Attendees sheet "
         "(found: X9)"),
    Case("pinned-start-without-date", both(sessions, cell("Sessions", 2, "Start", "10:00")),
         "event.xlsx › Sessions › row 2 › Start: no Sessions block starts at this time (they start at 11:00) "
         "(found: 10:00)"),
    Case("session-in-a-meetings-room", both(sessions, cell("Sessions", 2, "Room", "Hall A")),
         "event.xlsx › Sessions › row 2 › Room: this is a Meetings room; a session needs a room with Use Sessions "
         "(found: Hall A)"),
    Case("session-pinned-to-a-day-without-sessions", both(sessions, cell("Sessions", 2, "Date", date(2017, 6, 6))),
         "event.xlsx › Sessions › row 2 › Date: there is no Sessions block in the Schedule on this day "
         "(found: 2017-06-06)"),
    # ---------------------------------------------------------------- warnings: the intent is clear
    Case("line-break-in-a-name", cell("Attendees", 2, "Name", "Ann\nLee"),
         "event.xlsx › Attendees › row 2 › Name: line breaks or control characters in the cell were replaced by "
         "spaces (found: Ann\\nLee)", warning=True),
    Case("tab-in-an-id", cell("Attendees", 4, "Attendee", "C1\t"),
         "event.xlsx › Attendees › row 4 › Attendee: line breaks or control characters in the cell were replaced by "
         "spaces (found: C1\\t)", warning=True),
    Case("cancelled-attendees-request", status,
         "event.xlsx › Requests › row 2 › To: B1 (Bob Roy) is cancelled (row 3 of Attendees): the request is set "
         "aside (found: B1)", warning=True),
    Case("cancelled-attendees-unavailable-row",
         both(status, replace_sheet("Unavailable", [["Attendee", "Date", "Start", "End"], ["b1", DAY, "9:00", "9:30"]])),
         "event.xlsx › Unavailable › row 2 › Attendee: B1 (Bob Roy) is cancelled (row 3 of Attendees): the "
         "Unavailable row is set aside (found: b1)", warning=True),
    Case("cancelled-speaker", both(sessions, status, cell("Sessions", 2, "Speakers", "A1; B1")),
         "event.xlsx › Sessions › row 2 › Speakers: B1 (Bob Roy) is cancelled (row 3 of Attendees): their talk in "
         "this session is set aside (found: B1)", warning=True),
    Case("unknown-column", cell("Attendees", 1, "Notes", "Notes"),
         "event.xlsx › Attendees › row 1 › Notes: unknown column, ignored", warning=True),
]


def time_formatted_number(path: Path, sheet: str, ref: str, number: int) -> None:
    """What Excel stores when 900 is typed into a cell formatted as a time: the number 900."""
    workbook = openpyxl.load_workbook(path)
    workbook[sheet][ref] = number
    workbook[sheet][ref].number_format = "hh:mm"
    workbook.save(path)


def make(tmp_path: Path, case: Case) -> Path:
    book = minimal()
    case.change(book)
    path = write_book(tmp_path / FILE, book)
    if case.after is not None:
        case.after(path)
    if case.file != FILE:
        path = path.rename(tmp_path / case.file)
    return path


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_mistake_gets_its_located_message(tmp_path: Path, case: Case) -> None:
    path = make(tmp_path, case)
    if case.warning:
        found = [p.render() for p in read_event([path]).warnings]
    else:
        with pytest.raises(InputError) as caught:
            read_event([path])
        found = [p.render() for p in caught.value.problems if not p.warning]
    assert case.message in found, "\n".join(found)


def test_the_catalogue_has_sixty_mistakes() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 60


@pytest.mark.parametrize("case", [c for c in CASES if not c.warning][::6], ids=lambda c: c.name)
def test_the_command_line_exits_2_and_writes_nothing(tmp_path: Path, case: Case) -> None:
    path = make(tmp_path, case)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out), "--quiet"])
    assert result.exit_code == 2
    assert f"error: {case.message}" in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing beside the input either

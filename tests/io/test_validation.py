"""Bad input: every problem is found in one run and located FILE › SHEET › row N › COLUMN."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from support import workbooks
from support.workbooks import Book, put, write_book

from scheduler.io import cells
from scheduler.io.read import read_event
from scheduler.problems import InputError, Problem

DAY = date(2017, 6, 5)


def minimal() -> Book:
    """The smallest valid event (9:00-10:15 fits three slots exactly); each test breaks it one way."""
    return workbooks.minimal(end=time(10, 15))


def problems(paths: list[Path]) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        read_event(paths)
    return caught.value.problems


def errors_of(tmp_path: Path, book: Book) -> list[str]:
    return [p.render() for p in problems([write_book(tmp_path / "event.xlsx", book)]) if not p.warning]


def assert_reported(messages: list[str], where: str, words: str) -> None:
    """One message is located at ``where`` and says ``words``."""
    assert any(m.startswith(where + ": ") and words in m for m in messages), "\n".join(messages)


def test_the_minimal_workbook_is_valid(tmp_path: Path) -> None:
    result = read_event([write_book(tmp_path / "event.xlsx", minimal())])
    assert result.warnings == ()


# ---------------------------------------------------------------- files


def test_a_missing_file_is_reported_with_the_others_still_read(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"].append(["A1", "Ann again", "Acme"])  # also found: the good file is still checked
    found = problems([tmp_path / "nope.xlsx", write_book(tmp_path / "event.xlsx", book)])
    rendered = [p.render() for p in found]
    assert "nope.xlsx: file not found" in rendered
    assert_reported(rendered, "event.xlsx › Attendees › row 5 › Attendee", "already used in row 2")


def corrupt_zip(path: Path) -> None:
    data = write_book(path, minimal()).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zip_of_other_things(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_text("Attendee,Name\nA1,Ann\n"), "is a text file (CSV?), not a workbook"),
        (lambda p: p.write_bytes(b""), "the file is empty (0 bytes)"),
        (corrupt_zip, "is a damaged workbook (the zip is incomplete)"),
        (zip_of_other_things, "is a zip file, not a workbook"),
        (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600)), "is an old-style .xls workbook"),
    ],
    ids=["csv-renamed", "empty", "truncated-zip", "zip-not-xlsx", "old-xls"],
)
def test_files_that_are_not_xlsx_workbooks(tmp_path: Path, make, words: str) -> None:
    path = tmp_path / "data.xlsx"
    make(path)
    rendered = [p.render() for p in problems([path])]
    assert len(rendered) == 1  # no "sheet missing" noise on top
    assert rendered[0].startswith("data.xlsx: ") and words in rendered[0]


# ---------------------------------------------------------------- sheets and columns


def test_a_missing_required_sheet(tmp_path: Path) -> None:
    book = minimal()
    del book["Requests"]
    assert_reported(errors_of(tmp_path, book), "Requests", "required sheet is missing")


def test_a_blank_workbook_reports_only_the_sheets_to_fill_in(tmp_path: Path) -> None:
    book = {name: [rows[0]] for name, rows in minimal().items()}
    book["Event"].append(["Name", None])
    book["Unavailable"] = [["Attendee", "Date", "Start", "End"]]
    errors = errors_of(tmp_path, book)
    assert errors == [
        "event.xlsx › Schedule: the sheet has no data rows; fill it in below the headers",
        "event.xlsx › Rooms: the sheet has no data rows; fill it in below the headers",
        "event.xlsx › Attendees: the sheet has no data rows; fill it in below the headers",
        "event.xlsx › Event: the sheet has no values; fill in at least the event Name",
    ]


def test_the_project_template_reads_as_a_list_of_sheets_to_fill_in(tmp_path: Path) -> None:
    from scheduler.io.template import write_template

    path = tmp_path / "template.xlsx"
    write_template(path)
    errors = [p.render() for p in problems([path]) if not p.warning]
    assert errors
    assert all("has no data rows" in e or "needs a Name" in e for e in errors), errors


def test_a_sheet_that_must_come_from_one_file_is_in_two(tmp_path: Path) -> None:
    book = minimal()
    other = {"Rooms": book["Rooms"], "schedule ": book["Schedule"]}
    paths = [write_book(tmp_path / "main.xlsx", book), write_book(tmp_path / "venue.xlsx", other)]
    rendered = [p.render() for p in problems(paths)]
    assert "Rooms: this sheet must come from one file only; it is in main.xlsx (Rooms) and venue.xlsx (Rooms)" in rendered
    assert_reported(rendered, "Schedule", "main.xlsx (Schedule) and venue.xlsx (schedule )")


def test_a_missing_required_column_and_an_unknown_one(tmp_path: Path) -> None:
    book = minimal()
    book["Requests"] = [["From", "Whom", "Priority"], ["A1", "B1", "High"]]
    found = problems([write_book(tmp_path / "event.xlsx", book)])
    assert "event.xlsx › Requests › row 1 › To: required column is missing" in [p.render() for p in found]
    [warning] = [p.render() for p in found if p.warning]
    assert warning == "event.xlsx › Requests › row 1 › Whom: unknown column, ignored"


def test_merged_header_cells(tmp_path: Path) -> None:
    path = write_book(tmp_path / "event.xlsx", minimal())
    workbook = openpyxl.load_workbook(path)
    workbook["Rooms"].merge_cells("C1:D1")
    workbook.save(path)
    errors = [p.render() for p in problems([path]) if not p.warning]
    assert_reported(errors, "event.xlsx › Rooms › row 1", "header cells are merged")
    assert any("(found: C1:D1)" in e for e in errors)


def test_an_excel_error_in_a_cell(tmp_path: Path) -> None:
    book = put(minimal(), "Rooms", 2, "Tables", "#REF!")
    assert errors_of(tmp_path, book) == [
        "event.xlsx › Rooms › row 2 › Tables: the cell holds an Excel error; fix the formula or type the value "
        "(found: #REF!)"
    ]


def test_an_empty_required_cell(tmp_path: Path) -> None:
    book = put(minimal(), "Attendees", 3, "Name", "  ")
    assert errors_of(tmp_path, book) == ["event.xlsx › Attendees › row 3 › Name: this cell must be filled in"]


# ---------------------------------------------------------------- IDs and references


@pytest.mark.parametrize(
    ("sheet", "column", "row"),
    [
        ("Attendees", "Attendee", ["a1 ", "Ann Twin", "Acme"]),
        ("Rooms", "Room", ["hall a", "Meetings", None, 4]),
        ("Sessions", "Session", ["S1", "Twice"]),
        ("Tracks", "Track", ["EV"]),
    ],
)
def test_duplicate_ids_name_the_first_row(tmp_path: Path, sheet: str, column: str, row: list[object]) -> None:
    book = minimal()
    book["Sessions"] = [["Session", "Title"], ["S1", "Once"]]
    book["Tracks"] = [["Track"], ["EV"]]
    book["Schedule"].append([DAY, time(11), time(12), "Sessions", ""])
    book["Rooms"].append(["Ballroom", "Sessions", 100, None])
    book[sheet].append(row)
    number = len(book[sheet])
    assert_reported(errors_of(tmp_path, book), f"event.xlsx › {sheet} › row {number} › {column}", "already used in row 2")


def test_a_duplicate_attendee_across_files_names_the_other_file(tmp_path: Path) -> None:
    late = {"Attendees": [["Attendee", "Name"], ["B1", "Bob Again"]]}
    paths = [write_book(tmp_path / "registration.xlsx", minimal()), write_book(tmp_path / "late.xlsx", late)]
    rendered = [p.render() for p in problems(paths)]
    assert "late.xlsx › Attendees › row 2 › Attendee: this attendee ID is already used in registration.xlsx row 3 " \
           "(found: B1)" in rendered


def reference_book() -> Book:
    book = minimal()
    book["Schedule"].append([DAY, time(11), time(12), "Sessions", "Talks"])
    book["Rooms"].append(["Ballroom", "Sessions", 100, None])
    book["Tracks"] = [["Track"], ["EV"]]
    book["Sessions"] = [["Session", "Track", "Speakers", "Room"], ["S1", "EV", "A1", "Ballroom"]]
    book["Unavailable"] = [["Attendee", "Date", "Start", "End"], ["A1", DAY, "9:00", "9:30"]]
    book["Fixed meetings"] = [["Attendee A", "Attendee B", "Date", "Start", "Room"], ["A1", "C1", DAY, "9:00", "Hall A"]]
    return book


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value", "message"),
    [
        ("Requests", 2, "From", "Z9", "unknown attendee; it must be listed in the Attendees sheet (found: Z9)"),
        ("Requests", 2, "To", "Z9", "no attendee or Team with this ID in the Attendees sheet (found: Z9)"),
        ("Sessions", 2, "Speakers", "A1; Z9",
         "unknown attendee; speakers must be listed in the Attendees sheet (found: Z9)"),
        ("Sessions", 2, "Track", "Robots", "unknown track; it must be listed in the Tracks sheet (found: Robots)"),
        ("Sessions", 2, "Room", "Attic", "unknown room; it must be listed in the Rooms sheet (found: Attic)"),
        ("Attendees", 3, "Sessions", "S1, S9", "unknown session; it must be listed in the Sessions sheet (found: S9)"),
        ("Unavailable", 2, "Attendee", "Z9", "unknown attendee; it must be listed in the Attendees sheet (found: Z9)"),
        ("Fixed meetings", 2, "Attendee A", "Z9",
         "unknown attendee; it must be listed in the Attendees sheet (found: Z9)"),
        ("Fixed meetings", 2, "Attendee B", "Z9",
         "unknown attendee; it must be listed in the Attendees sheet (found: Z9)"),
        ("Fixed meetings", 2, "Room", "Attic", "unknown room; it must be listed in the Rooms sheet (found: Attic)"),
    ],
)
def test_unknown_references(tmp_path: Path, sheet: str, row: int, column: str, value: str, message: str) -> None:
    book = put(reference_book(), sheet, row, column, value)
    assert errors_of(tmp_path, book) == [f"event.xlsx › {sheet} › row {row} › {column}: {message}"]


def test_the_reference_book_is_valid(tmp_path: Path) -> None:
    event = read_event([write_book(tmp_path / "event.xlsx", reference_book())]).event
    assert len(event.sessions) == len(event.fixed) == len(event.unavailable) == 1


def test_a_team_name_is_accepted_in_to_but_not_in_from(tmp_path: Path) -> None:
    book = put(minimal(), "Attendees", 3, "Team", "Beta crew")
    book["Requests"].append(["C1", "beta crew", "Low"])
    book["Requests"].append(["Beta Crew", "C1", "Low"])
    assert errors_of(tmp_path, book) == [
        "event.xlsx › Requests › row 4 › From: unknown attendee; it must be listed in the Attendees sheet "
        "(a Team name is allowed in To only) (found: Beta Crew)"
    ]


def test_a_team_with_members_of_different_organizations(tmp_path: Path) -> None:
    book = put(minimal(), "Attendees", 2, "Team", "Joint")
    put(book, "Attendees", 3, "Team", "joint")
    errors = errors_of(tmp_path, book)
    assert errors == ["event.xlsx › Attendees › row 2 › Team: Team Joint has members from different organizations: "
                      "Acme (A1), Beta (B1); a Team meets as one party of one organization (found: Joint)"]


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("value", ["25:00", "9:75", "abc", 1.5, "9"])
def test_bad_times(tmp_path: Path, value: object) -> None:
    errors = errors_of(tmp_path, put(minimal(), "Schedule", 2, "Start", value))
    assert len(errors) == 1
    assert_reported(errors, "event.xlsx › Schedule › row 2 › Start", "time")
    assert f"(found: {cells.show(value)})" in errors[0]


@pytest.mark.parametrize("value", ["05/06/2017", "June 5", 42891])
def test_bad_dates(tmp_path: Path, value: object) -> None:
    errors = errors_of(tmp_path, put(minimal(), "Schedule", 2, "Date", value))
    assert errors == [f"event.xlsx › Schedule › row 2 › Date: not a date; write it as an Excel date or as YYYY-MM-DD "
                      f"(found: {value})"]


def test_end_not_after_start_in_the_schedule_and_in_unavailable(tmp_path: Path) -> None:
    book = put(minimal(), "Schedule", 2, "End", "9:00")
    book["Unavailable"] = [["Attendee", "Date", "Start", "End"], ["A1", DAY, "11:00", "10:00"]]
    errors = errors_of(tmp_path, book)
    assert "event.xlsx › Schedule › row 2 › End: End must be after Start (found: 09:00, Start 09:00)" in errors
    assert "event.xlsx › Unavailable › row 2 › End: End must be after Start (found: 10:00, Start 11:00)" in errors


def test_departs_before_arrives_and_presence_outside_the_event(tmp_path: Path) -> None:
    book = put(minimal(), "Attendees", 2, "Arrives", "2017-06-05 12:00")
    put(book, "Attendees", 2, "Departs", "2017-06-05 11:00")
    put(book, "Attendees", 3, "Arrives", datetime(2017, 6, 9))
    put(book, "Attendees", 4, "Departs", "2017-06-01")
    errors = errors_of(tmp_path, book)
    assert "event.xlsx › Attendees › row 2 › Departs: Departs must be after Arrives " \
           "(found: 2017-06-05 11:00, Arrives 2017-06-05 12:00)" in errors
    assert "event.xlsx › Attendees › row 3 › Arrives: arrives after the event ends (2017-06-05 to 2017-06-05) " \
           "(found: 2017-06-09)" in errors
    assert "event.xlsx › Attendees › row 4 › Departs: departs before the event starts (2017-06-05 to 2017-06-05) " \
           "(found: 2017-06-01)" in errors


def test_a_bare_departs_date_on_the_first_day_is_inside_the_event(tmp_path: Path) -> None:
    book = put(minimal(), "Attendees", 2, "Departs", DAY)
    assert read_event([write_book(tmp_path / "event.xlsx", book)]).event.attendees[0].departs == datetime(2017, 6, 6)


def test_unavailable_on_a_day_outside_the_event_is_a_warning(tmp_path: Path) -> None:
    book = minimal()
    book["Unavailable"] = [["Attendee", "Date", "Start", "End"], ["A1", DAY + timedelta(days=3), "9:00", "10:00"]]
    result = read_event([write_book(tmp_path / "event.xlsx", book)])
    [warning] = result.warnings
    assert warning.render().startswith("event.xlsx › Unavailable › row 2 › Date: this date is not a day of the event")


def test_overlapping_meetings_blocks_and_a_schedule_without_meetings(tmp_path: Path) -> None:
    book = minimal()
    book["Schedule"].append([DAY, time(10), time(11), "Meetings", ""])
    assert_reported(errors_of(tmp_path, book), "event.xlsx › Schedule › row 3 › Start",
                    "overlaps the one in row 2 (09:00–10:15)")
    book = put(minimal(), "Schedule", 2, "Activity", "sessions")
    assert errors_of(tmp_path, book) == [
        "event.xlsx › Schedule: the Schedule has no Meetings block; add at least one row with Activity Meetings "
        "(an event with sessions only leaves Requests and Fixed meetings empty)"
    ]
    # Without requests the same workbook is an event of sessions only; a Break alone schedules nothing.
    book["Requests"] = book["Requests"][:1]
    assert read_event([write_book(tmp_path / "event.xlsx", book)]).event.sessions == ()
    book = put(book, "Schedule", 2, "Activity", "Break")
    assert errors_of(tmp_path, book) == [
        "event.xlsx › Schedule: the Schedule has no Meetings or Sessions block: nothing can be scheduled; add a row "
        "with Activity Meetings or Sessions"]


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value", "words"),
    [
        ("Rooms", 2, "Tables", 0, "must be at least 1 (found: 0)"),
        ("Rooms", 2, "Tables", None, "a Meetings room needs its number of Tables"),
        ("Rooms", 2, "Capacity", -5, "must be at least 1 (found: -5)"),
        ("Rooms", 3, "Capacity", None, "a Sessions room needs a Capacity"),
        ("Attendees", 2, "Max meetings", -1, "must not be negative (found: -1)"),
        ("Attendees", 2, "Max meetings per day", "two", "not a whole number (found: two)"),
        ("Event", 3, "Value", 3, "must be at least 5 (found: 3)"),
        ("Event", 4, "Value", -5, "must not be negative (found: -5)"),
        ("Requests", 2, "Priority", "urgent", "not a priority"),
        ("Requests", 2, "Priority", 7, "not a priority"),
        ("Attendees", 2, "Host", "maybe", "not yes or no (found: maybe)"),
        ("Rooms", 2, "Use", "Dining", "must be one of Meetings, Sessions (found: Dining)"),
    ],
)
def test_bad_numbers_and_words(tmp_path: Path, sheet: str, row: int, column: str, value: object, words: str) -> None:
    book = minimal()
    book["Rooms"].append(["Ballroom", "Sessions", 100, None])
    errors = errors_of(tmp_path, put(book, sheet, row, column, value))
    assert len(errors) == 1, errors
    assert_reported(errors, f"event.xlsx › {sheet} › row {row} › {column}", words)


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("Time zone", "Mars/Olympus", "not a time zone"),
        ("Paper size", "Legal", "must be one of Letter, A4"),
        ("Spare tables", "150%", "between 0% and 100%"),
        ("Fairness weight", "lots", "not a number"),
    ],
)
def test_bad_settings(tmp_path: Path, setting: str, value: str, words: str) -> None:
    book = minimal()
    book["Event"].append([setting, value])
    assert_reported(errors_of(tmp_path, book), "event.xlsx › Event › row 5 › Value", words)


def test_a_missing_event_name_and_a_repeated_setting(tmp_path: Path) -> None:
    book = minimal()
    book["Event"][1] = ["Venue", "Royal York"]
    book["Event"].append(["meeting minutes", 30])
    errors = errors_of(tmp_path, book)
    assert "event.xlsx › Event › row 5 › Setting: this setting is already used in row 3 (found: meeting minutes)" in errors
    assert_reported(errors, "event.xlsx › Event", "the event needs a Name: add a row with Setting Name")


# ---------------------------------------------------------------- fixed meetings


def fixed_book(**cells_: object) -> Book:
    book = minimal()
    book["Rooms"].append(["Annex", "Meetings", None, 2, date(2017, 6, 6)])
    book["Rooms"][0].append("Dates")
    book["Rooms"].append(["Ballroom", "Sessions", 100])
    row = {"Attendee A": "A1", "Attendee B": "C1", "Date": DAY, "Start": "9:25", "Room": "Hall A", "Table": "T3"}
    row.update({k.replace("_", " "): v for k, v in cells_.items()})
    book["Fixed meetings"] = [list(row), list(row.values())]
    return book


def test_a_valid_fixed_meeting(tmp_path: Path) -> None:
    [fixed] = read_event([write_book(tmp_path / "event.xlsx", fixed_book())]).event.fixed
    assert (fixed.room, fixed.table, fixed.start) == ("hall a", 3, datetime(2017, 6, 5, 9, 25))
    # A Table without a Room is at the day's only Meetings room (Annex opens on 2017-06-06 only).
    [fixed] = read_event([write_book(tmp_path / "event.xlsx", fixed_book(Room=None))]).event.fixed
    assert (fixed.room, fixed.table) == ("hall a", 3)


def test_a_session_pinned_by_start_alone_is_pinned_to_the_day_whose_block_starts_then(tmp_path: Path) -> None:
    book = minimal()
    book["Schedule"] += [[DAY, time(11), time(12), "Sessions", ""], [date(2017, 6, 6), time(11), time(12), "Sessions", ""],
                         [date(2017, 6, 6), time(14), time(15), "Sessions", ""]]
    book["Rooms"].append(["Ballroom", "Sessions", 100])
    book["Sessions"] = [["Session", "Start"], ["S1", "14:00"]]
    [session] = read_event([write_book(tmp_path / "event.xlsx", book)]).event.sessions
    assert session.pin_start == datetime(2017, 6, 6, 14)
    book["Sessions"][1][1] = "11:00"
    assert errors_of(tmp_path, book) == [
        "event.xlsx › Sessions › row 2 › Date: Sessions blocks start at this time on 2017-06-05 and 2017-06-06; "
        "add the Date (found: 11:00)"]


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"Start": "9:10"}, "Start", "no meeting slot starts then; slots on 2017-06-05 start at 09:00, 09:25, 09:50"),
        ({"Date": date(2017, 6, 6)}, "Start", "there are no meeting slots on 2017-06-06"),
        ({"Table": 11}, "Table", "room Hall A has only 10 tables (T1 to T10) (found: T11)"),
        ({"Table": "table 2"}, "Table", "not a table; write it as T3 or 3"),
        ({"Room": "Annex", "Table": 1}, "Room", "the room is not open on 2017-06-05"),
        ({"Room": "Ballroom"}, "Room", "this is a Sessions room"),
        ({"Attendee_B": "a1"}, "Attendee B", "an attendee cannot meet themselves"),
    ],
)
def test_fixed_meetings_that_break_a_rule(tmp_path: Path, change: dict[str, object], column: str, words: str) -> None:
    errors = errors_of(tmp_path, fixed_book(**change))
    assert len(errors) == 1, errors
    assert_reported(errors, f"event.xlsx › Fixed meetings › row 2 › {column}", words)


# ---------------------------------------------------------------- all at once


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    book = put(minimal(), "Schedule", 2, "Start", "25:00")
    put(book, "Rooms", 2, "Tables", 0)
    put(book, "Requests", 2, "Priority", "urgent")
    book["Requests"].append(["B1", "A1", "High"])
    book["Requests"].append(["A1", "A1", "High"])  # a warning rides along
    found = problems([write_book(tmp_path / "event.xlsx", book)])
    errors = [p.render() for p in found if not p.warning]
    assert [e.split(":")[0] for e in errors] == [
        "event.xlsx › Schedule › row 2 › Start",
        "event.xlsx › Rooms › row 2 › Tables",
        "event.xlsx › Requests › row 2 › Priority",
    ]
    assert any(p.warning and "request to oneself" in p.message for p in found)


# ---------------------------------------------------------------- single cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9:30", time(9, 30)),
        ("09:05", time(9, 5)),
        ("14:05", time(14, 5)),
        ("2:05 pm", time(14, 5)),
        ("12:00 AM", time(0, 0)),
        (time(8, 59, 59, 999000), time(9)),  # Excel's binary fractions round to the minute
        (datetime(1899, 12, 30, 16, 45), time(16, 45)),
        (timedelta(hours=7, minutes=15), time(7, 15)),
    ],
)
def test_times_that_read(value: object, expected: time) -> None:
    assert cells.parse_time(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 2), ("", 2), ("high", 1), (" Medium ", 2), ("LOW", 3), ("never", 0), (1, 1), (3.0, 3), ("0", 0),
     ("Haute", 1), ("moyenne", 2), ("basse", 3), ("Jamais", 0)],  # the French the forms print beside each word
)
def test_priorities_that_read(value: object, expected: int) -> None:
    assert cells.parse_priority(value) == expected


@pytest.mark.parametrize("value", ["urgent", 7, -1, True, 1.5])
def test_priorities_that_do_not(value: object) -> None:
    with pytest.raises(ValueError):
        cells.parse_priority(value)


def test_lists_ints_yes_no_and_datetimes() -> None:
    assert cells.split_list(" ICT; Automotive ,, Aerospace ;") == ["ICT", "Automotive", "Aerospace"]
    assert [cells.parse_int(v) for v in (4, 4.0, " 4 ", "-2")] == [4, 4, 4, -2]
    assert [cells.parse_yesno(v) for v in ("Yes", "x", 1, "FALSE", None, "0")] == [True, True, True, False, False, False]
    assert [cells.parse_yesno(v) for v in ("Oui", "non")] == [True, False]
    assert cells.parse_datetime("2017-06-05T9:30") == (datetime(2017, 6, 5, 9, 30), True)
    assert cells.parse_datetime(datetime(2017, 6, 5)) == (datetime(2017, 6, 5), False)
    assert cells.parse_table("t12") == 12 and cells.parse_table(3.0) == 3
    assert cells.text(1001.0) == "1001"
    for bad in ("4.5", True, "four"):
        with pytest.raises(ValueError):
            cells.parse_int(bad)


def test_agenda_language_is_read_and_a_bad_one_is_located(tmp_path: Path) -> None:
    book = put(put(minimal(), "Attendees", 2, "Agenda language", "FR"), "Attendees", 3, "Agenda language", "German")
    assert_reported(errors_of(tmp_path, book), "event.xlsx › Attendees › row 3 › Agenda language",
                    "must be one of en, fr")
    book = put(put(minimal(), "Attendees", 2, "Agenda language", "FR"), "Attendees", 3, "Agenda language", "Français")
    event = read_event([write_book(tmp_path / "ok.xlsx", book)]).event
    assert [a.agenda_language for a in event.attendees] == ["fr", "fr", ""]


# ---------------------------------------------------------------- confusing but valid setups


def warnings_of(tmp_path: Path, book: Book) -> list[str]:
    result = read_event([write_book(tmp_path / "event.xlsx", book)])
    return [p.render() for p in result.warnings]


def test_spare_tables_that_take_every_table_are_a_warning(tmp_path: Path) -> None:
    # Valid, but the solve would book nothing and say only "no table free".
    book = minimal()
    book["Event"].append(["Spare tables", 10])  # the hall has 10 tables
    assert_reported(warnings_of(tmp_path, book), "event.xlsx › Event › row 5 › Value",
                    "the spare tables are every meeting table on 2017-06-05: no meeting can be booked then")
    book["Event"][-1] = ["Spare tables", 9]
    assert warnings_of(tmp_path, book) == []


def test_a_team_named_like_an_attendee_or_never_all_present_is_a_warning(tmp_path: Path) -> None:
    book = minimal()
    put(book, "Attendees", 2, "Team", "C1")  # Ann's team shares its name with Cy's ID
    book["Attendees"].append(["A2", "Al Lee", "Acme"])
    put(book, "Attendees", 5, "Team", "C1")
    assert_reported(warnings_of(tmp_path, book), "event.xlsx › Attendees › row 2 › Team",
                    "the Team C1 has the name of an attendee ID: a request naming C1 goes to that attendee")
    put(book, "Attendees", 2, "Team", "A1")  # named after a member: a request naming A1 reaches the team
    put(book, "Attendees", 5, "Team", "A1")
    assert warnings_of(tmp_path, book) == []
    put(book, "Attendees", 2, "Team", "Acme team")
    put(book, "Attendees", 5, "Team", "Acme team")
    put(book, "Attendees", 2, "Departs", datetime(2017, 6, 5, 9, 30))
    put(book, "Attendees", 5, "Arrives", datetime(2017, 6, 5, 9, 40))
    assert_reported(warnings_of(tmp_path, book), "event.xlsx › Attendees › row 2 › Team",
                    "the members of Team Acme team are never all present at once (A1 leaves 2017-06-05 09:30, "
                    "A2 arrives 2017-06-05 09:40)")
    put(book, "Attendees", 5, "Arrives", datetime(2017, 6, 5, 9, 0))
    assert warnings_of(tmp_path, book) == []


def test_rooms_without_a_use_the_event_needs_say_which_uses_they_have(tmp_path: Path) -> None:
    book = minimal()
    book["Rooms"][1][1] = "Sessions"  # the only room now holds sessions: nowhere to meet
    book["Sessions"] = [["Session", "Title"], ["S1", "Batteries"]]
    messages = errors_of(tmp_path, book)
    assert_reported(messages, "event.xlsx › Rooms › Use", "there is no room with Use Meetings")
    assert any("(found: Sessions)" in m for m in messages if "Use Meetings" in m)
    book["Rooms"][1][1] = "Meetings"
    book["Schedule"].append([DAY, time(11), time(12), "Sessions", "Talks"])
    messages = errors_of(tmp_path, book)
    assert messages == ["event.xlsx › Rooms › Use: there are sessions but no room with Use Sessions: add the "
                        "rooms the sessions take place in (Use Sessions, with a Capacity), or leave the Sessions "
                        "sheet empty (found: Meetings)"]


def test_a_sheet_that_cannot_be_read_is_one_error_not_one_per_reference(tmp_path: Path) -> None:
    # A title above the Attendees headers: every request would name an "unknown attendee".
    book = minimal()
    book["Attendees"].insert(0, ["Attendee list, June 2017"])
    assert errors_of(tmp_path, book) == [
        "event.xlsx › Attendees › row 1: row 1 must hold the column headers; the headers are on row 2: delete the "
        "rows above them"]
    book = minimal()
    book["Fixed meetings"] = [["Attendee A", "Attendee B", "Date", "Start", "Room"], ["A1", "B1", DAY, "9:25", "Hall A"]]
    book["Rooms"].insert(0, [])  # a blank row 1 in Rooms: the fixed meeting's room is not "unknown"
    assert errors_of(tmp_path, book) == [
        "event.xlsx › Rooms › row 1: row 1 must hold the column headers; the headers are on row 2: delete the rows "
        "above them"]


def test_a_header_in_other_words_names_the_column_it_stands_for(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"][0][2] = "Company"  # a registration export: without Organization colleagues could meet
    assert_reported(warnings_of(tmp_path, book), "event.xlsx › Attendees › row 1 › Company",
                    "unknown column, ignored; if it is meant as Organization, rename the header to Organization")


def test_a_meetings_block_inside_a_break_is_named(tmp_path: Path) -> None:
    book = minimal()
    book["Schedule"].append([DAY, time(0), time(13, 30), "Break", "Lunch"])  # "12:00 AM" typed for noon
    assert_reported(warnings_of(tmp_path, book), "event.xlsx › Schedule › row 2 › Start",
                    "every slot of this Meetings block falls in the Break of row 3 (00:00–13:30), so it holds no "
                    "meeting; check the times")
    book["Schedule"][2] = [DAY, time(9, 30), time(9, 40), "Break", "Coffee"]  # a break inside the block: normal
    assert not any("every slot" in w for w in warnings_of(tmp_path, book))

"""Reading valid workbooks into the Event: slots, requests, teams, split files, speed."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from support import workbooks
from support.workbooks import Book, put, write_book

from scheduler.io.read import ReadResult, read_event, summarize
from scheduler.problems import InputError

DAY = date(2017, 6, 5)


def minimal() -> Book:
    """The smallest valid event: one morning of meetings, three attendees, one request."""
    return workbooks.minimal()


def read(tmp_path: Path, book: Book, name: str = "event.xlsx") -> ReadResult:
    return read_event([write_book(tmp_path / name, book)])


def hm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


# ---------------------------------------------------------------- the time grid


def test_minimal_workbook_cuts_a_meetings_block_into_slots_and_warns_about_the_remainder(tmp_path: Path) -> None:
    result = read(tmp_path, minimal())
    event = result.event
    assert event.settings.name == "Test Expo"
    assert [(hm(s.start), hm(s.end)) for s in event.slots] == [("09:00", "09:20"), ("09:25", "09:45")]
    assert [s.index for s in event.slots] == [0, 1]
    assert event.slots[0].run == event.slots[1].run
    assert event.days == (DAY,)
    [warning] = result.warnings
    assert warning.render().startswith("event.xlsx › Schedule › row 2 › End: 15 minutes")
    assert "(09:45–10:00)" in warning.render()
    assert result.files == (str(tmp_path / "event.xlsx"),)


def test_a_block_that_fits_exactly_gives_no_warning_and_a_slot_needs_only_meeting_minutes(tmp_path: Path) -> None:
    book = put(minimal(), "Schedule", 2, "End", time(10, 10))  # 9:00, 9:25, 9:50-10:10
    result = read(tmp_path, book)
    assert [hm(s.start) for s in result.event.slots] == ["09:00", "09:25", "09:50"]
    assert result.warnings == ()


def test_breaks_and_plenaries_drop_slots_and_split_runs(tmp_path: Path) -> None:
    book = minimal()
    book["Schedule"] = [
        ["Date", "Start", "End", "Activity", "Label"],
        [DAY, "13:00", "14:15", "Meetings", "Afternoon"],  # text times; 13:00 13:25 13:50
        [DAY, "9:00", "10:15", "Meetings", ""],  # 9:00 9:25 9:50
        [DAY, "9:30", "9:40", "Break", "Coffee"],  # drops 9:25
        [DAY, "13:50", "14:30", "Plenary", "Closing"],  # drops 13:50
        [DAY, "11:00", "12:00", "Sessions", "Track talks"],
        [DAY, "10:00", "10:30", "Sessions", "Early talks"],
    ]
    event = read(tmp_path, book).event
    assert [hm(s.start) for s in event.slots] == ["09:00", "09:50", "13:00", "13:25"]
    assert [s.index for s in event.slots] == [0, 1, 2, 3]
    runs = [s.run for s in event.slots]
    assert runs[0] != runs[1] != runs[2]  # the break splits the morning; the afternoon is its own block
    assert runs[2] == runs[3]
    assert [(p.index, hm(p.start), p.label) for p in event.periods] == [(0, "10:00", "Early talks"), (1, "11:00", "Track talks")]


def test_times_as_excel_times_and_datetimes_read_like_text(tmp_path: Path) -> None:
    book = put(minimal(), "Schedule", 2, "Start", datetime(2017, 6, 5, 9))  # a date and time: its time
    put(book, "Schedule", 2, "End", datetime(1899, 12, 30, 10, 15))  # an Excel time of day
    assert [hm(s.start) for s in read(tmp_path, book).event.slots] == ["09:00", "09:25", "09:50"]


# ---------------------------------------------------------------- settings and headers


def test_settings_and_headers_match_ignoring_case_spaces_underscores_and_units(tmp_path: Path) -> None:
    book = minimal()
    book["Event"] = [
        ["setting", "VALUE"],
        ["  name ", "Expo"],
        ["meeting_minutes", "30"],
        ["Buffer minutes (min)", 0],
        ["TIME ZONE", "Europe/Paris"],
        ["Spare tables", "10%"],
        ["Paper size", "a4"],
        ["Max meetings per day", 8.0],
        ["Fairness weight", "0.25"],
    ]
    book["Rooms"][0] = ["ROOM", "use", "capacity (seats)", "Tables (count)"]
    result = read(tmp_path, put(book, "Schedule", 2, "End", time(10, 30)))
    settings = result.event.settings
    assert (settings.name, settings.meeting_minutes, settings.buffer_minutes) == ("Expo", 30, 0)
    assert (settings.time_zone, settings.paper_size, settings.max_meetings_per_day) == ("Europe/Paris", "A4", 8)
    assert (settings.spare_tables, settings.spare_tables_percent, settings.fairness_weight) == (0, 10.0, 0.25)
    assert [hm(s.start) for s in result.event.slots] == ["09:00", "09:30", "10:00"]
    assert result.event.rooms[0].tables == 10


def test_spare_tables_as_a_number_and_defaults_elsewhere(tmp_path: Path) -> None:
    book = minimal()
    book["Event"].append(["Spare tables", 3])
    settings = read(tmp_path, book).event.settings
    assert (settings.spare_tables, settings.spare_tables_percent) == (3, 0.0)
    assert (settings.time_zone, settings.paper_size, settings.max_meetings_per_day) == ("America/Toronto", "Letter", None)


def test_unknown_columns_sheets_and_settings_are_ignored_with_warnings_only_where_useful(tmp_path: Path) -> None:
    book = minimal()
    book["Instructions"] = [["How to fill in this workbook"], ["..."]]
    book["Event"].append(["Colour", "blue"])
    put(book, "Attendees", 2, "Shoe size", 42)
    result = read(tmp_path, book)
    rendered = [w.render() for w in result.warnings]
    assert "event.xlsx › Attendees › row 1 › Shoe size: unknown column, ignored" in rendered
    assert "event.xlsx › Event › row 5 › Setting: unknown setting, ignored (found: Colour)" in rendered
    assert not any("Instructions" in text for text in rendered)


def test_hidden_sheets_with_the_right_name_are_read(tmp_path: Path) -> None:
    path = write_book(tmp_path / "event.xlsx", minimal(), hidden=("Rooms",))
    assert read_event([path]).event.rooms[0].name == "Hall A"


# ---------------------------------------------------------------- attendees and requests


def test_ids_match_trimmed_and_case_folded_and_keep_their_written_form(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"][1][0] = " Ab-01 "
    book["Requests"][1] = ["ab-01", "  b1", "high"]
    event = read(tmp_path, book).event
    assert event.attendees[0].id == "Ab-01"
    assert event.attendees[0].key == "ab-01"
    [request] = event.requests
    assert (request.a, request.b, request.priority) == ("ab-01", "b1", 1)


def test_attendee_columns_are_parsed(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"] = [
        ["Attendee", "Name", "Organization", "Sectors", "Languages", "Arrives", "Departs", "Max meetings",
         "Max meetings per day", "Host", "Delegation"],
        ["A1", "Ann Lee", "Acme", "ICT; Automotive, Aerospace", "French;English", "2017-06-05 10:30", DAY, 6, "4",
         "yes", "Quebec"],
        ["B1", "Bob Roy", "Beta", None, None, DAY, "2017-06-05 11:00", None, None, "x", None],
        ["C1", "Cy Fox", "Ceta", None, None, None, None, None, None, None, None],
    ]
    event = read(tmp_path, book).event
    ann, bob, cy = event.attendees
    assert ann.sectors == ("ICT", "Automotive", "Aerospace")
    assert ann.languages == ("French", "English") and cy.languages == ("English",)
    assert ann.arrives == datetime(2017, 6, 5, 10, 30)
    assert ann.departs == datetime(2017, 6, 6)  # a bare Departs date: to the end of that day
    assert bob.arrives == datetime(2017, 6, 5)  # a bare Arrives date: from its start
    assert bob.departs == datetime(2017, 6, 5, 11)
    assert (ann.max_meetings, ann.max_meetings_per_day, ann.host, bob.host, cy.host) == (6, 4, True, True, False)
    assert (cy.arrives, cy.departs) == (None, None)
    assert event.party[ann.key].languages == frozenset({"french", "english"})


def test_requests_are_merged_per_pair(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"].append(["D1", "Di Wu", "Delta"])
    book["Requests"] = [
        ["From", "To", "Priority", "Note"],
        ["A1", "B1", "Low", "Batteries"],
        ["B1", "A1", 1, "Charging"],  # mutual; takes the highest priority
        ["A1", "C1", "Medium", None],
        ["C1", "A1", "Never", None],  # a Never declines the pair, whoever asked
        ["D1", "B1", None, None],  # empty priority = Medium
    ]
    event = read(tmp_path, book).event
    ab, ac, bd = (event.request[pair] for pair in (("a1", "b1"), ("a1", "c1"), ("b1", "d1")))
    assert (ab.priority, ab.mutual, ab.excluded, ab.note, ab.asked_by) == (1, True, None, "Batteries / Charging",
                                                                           ("a1", "b1"))
    assert (ac.priority, ac.mutual, ac.excluded) == (0, False, "declined")
    assert (bd.priority, bd.mutual, bd.excluded, bd.asked_by) == (2, False, None, ("d1",))


def test_repeated_self_and_same_organization_requests_are_kept_excluded_with_warnings(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"].append(["A2", "Al Ma", "ACME "])
    book["Requests"] = [
        ["From", "To", "Priority"],
        ["A1", "B1", "Low"],
        ["A1", "b1", "High"],  # repeated: keeps High
        ["A1", "A1", "High"],
        ["A1", "A2", "High"],
    ]
    result = read(tmp_path, book)
    requests = result.event.request
    assert requests[("a1", "b1")].priority == 1
    assert requests[("a1", "a1")].excluded == "request to oneself"
    assert requests[("a1", "a2")].excluded == "same organization"
    rendered = [w.render() for w in result.warnings]
    assert "event.xlsx › Requests › row 3 › To: repeated request (first in row 2); the highest priority is kept " \
           "(found: b1)" in rendered
    book["Requests"][2][2] = "Never"
    rendered = [w.render() for w in read(tmp_path, book).warnings]
    assert "event.xlsx › Requests › row 3 › To: repeated request (first in row 2); Never wins: the pair is " \
           "declined (found: b1)" in rendered
    book["Requests"].append(["A1", "B1", "Low"])  # a third ask after the Never: still declined
    rendered = [w.render() for w in read(tmp_path, book).warnings]
    assert "event.xlsx › Requests › row 6 › To: repeated request (first in row 2); Never wins: the pair is " \
           "declined (found: B1)" in rendered
    assert any(t.startswith("event.xlsx › Requests › row 4 › To: a request to oneself") for t in rendered)
    assert any(t.startswith("event.xlsx › Requests › row 5 › To: both sides are of the same organization")
               for t in rendered)


def test_a_team_is_one_party_and_its_members_requests_belong_to_it(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"] = [
        ["Attendee", "Name", "Organization", "Team", "Languages", "Host"],
        ["A1", "Ann Lee", "Acme", "Acme Team", "English", None],
        ["A2", "Al Ma", "acme", " acme team", "French", "yes"],
        ["B1", "Bob Roy", "Beta", None, None, None],
        ["C1", "Cy Fox", "Ceta", None, None, None],
    ]
    book["Requests"] = [
        ["From", "To", "Priority"],
        ["A2", "B1", "Low"],  # a member's request is the team's
        ["B1", "Acme team", "High"],  # To may name the Team
        ["C1", "A1", "Medium"],  # a request to a member goes to the team
    ]
    event = read(tmp_path, book).event
    team = event.party["team:acme team"]
    assert (team.label, team.members, team.host, team.org_key) == ("Acme Team", ("a1", "a2"), True, "acme")
    assert team.languages == frozenset({"english", "french"})
    assert [p.key for p in event.parties] == ["team:acme team", "b1", "c1"]
    assert event.party_of["a2"] == "team:acme team"
    bt = event.request[("b1", "team:acme team")]
    assert (bt.priority, bt.mutual, bt.asked_by) == (1, True, ("a2", "b1"))
    assert event.request[("c1", "team:acme team")].priority == 2


# ---------------------------------------------------------------- other sheets


def test_sessions_tracks_unavailable_and_fixed_meetings(tmp_path: Path) -> None:
    book = minimal()
    book["Schedule"].append([DAY, time(11), time(12), "Sessions", "Talks"])
    book["Rooms"].append(["Ballroom", "Sessions", 200, None])
    book["Rooms"].append(["Annex", "Meetings", None, 2, "2017-06-05; 2017-06-06"])
    book["Rooms"][0].append("Dates")
    book["Tracks"] = [["Track", "Sector"], ["EV", "Automotive"]]
    book["Sessions"] = [
        ["Session", "Title", "Track", "Speakers", "Date", "Start", "Room"],
        ["S1", "Batteries", "ev", "A1; B1", DAY, "11:00", "ballroom"],
    ]
    put(book, "Attendees", 3, "Sessions", "s1")
    book["Unavailable"] = [["Attendee", "Date", "Start", "End", "Reason"], ["c1", DAY, "9:00", "9:30", "Call"]]
    book["Fixed meetings"] = [
        ["Attendee A", "Attendee B", "Date", "Start", "Room", "Table"],
        ["A1", "C1", "2017-06-05", "9:25", "annex", "T2"],
        ["B1", "C1", DAY, time(9), None, None],
    ]
    event = read(tmp_path, book).event
    [session] = event.sessions
    assert (session.track, session.speakers, session.pin_room) == ("ev", ("a1", "b1"), "ballroom")
    assert session.pin_start == datetime(2017, 6, 5, 11)
    assert event.audience["s1"] == ("b1",)
    assert event.room["annex"].dates == frozenset({DAY, date(2017, 6, 6)})
    assert event.room["ballroom"].capacity == 200
    [busy] = event.unavailable
    assert (busy.attendee, busy.start, busy.end, busy.reason) == ("c1", datetime(2017, 6, 5, 9), datetime(2017, 6, 5, 9, 30),
                                                                  "Call")
    first, second = event.fixed
    assert (first.a, first.b, first.start, first.room, first.table) == ("a1", "c1", datetime(2017, 6, 5, 9, 25), "annex", 2)
    assert first.origin == "event.xlsx › Fixed meetings › row 2"
    assert (second.room, second.table) == (None, None)


def test_split_files_append_rows_and_messages_name_the_file_of_the_row(tmp_path: Path) -> None:
    book = minimal()
    requests = {"Requests": book.pop("Requests")}
    more = {"Attendees": [["Attendee", "Name", "Organization"], ["D1", "Di Wu", "Delta"]],
            "Requests": [["From", "To"], ["D1", "A1"], ["D1", "Z9"]]}
    paths = [write_book(tmp_path / "registration.xlsx", book), write_book(tmp_path / "requests.xlsx", requests),
             write_book(tmp_path / "late.xlsx", more)]
    with pytest.raises(InputError) as caught:
        read_event(paths)
    errors = [p.render() for p in caught.value.problems if not p.warning]
    assert errors == ["late.xlsx › Requests › row 3 › To: no attendee or Team with this ID in the Attendees sheet "
                      "(found: Z9)"]
    more["Requests"].pop()
    write_book(tmp_path / "late.xlsx", more)
    event = read_event(paths).event
    assert [a.key for a in event.attendees] == ["a1", "b1", "c1", "d1"]
    assert set(event.request) == {("a1", "b1"), ("a1", "d1")}


def test_summary_names_the_key_figures(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"][1].append("Quebec")
    book["Attendees"][0].append("Delegation")
    book["Requests"].append(["B1", "A1", "Low"])
    book["Requests"].append(["C1", "A1", "Never"])
    lines = summarize(read(tmp_path, book))
    text = "\n".join(lines)
    assert "Attendees: 3 from 3 organizations and 1 delegations" in text
    assert "Requests: 1 pairs to meet (High 1, Medium 0, Low 0), 1 mutual; left out: 1 declined" in text
    assert "Meeting slots per day: 2017-06-05: 2 (2 in all)" in text
    assert "Meeting tables per day: 2017-06-05: 10 (10 in all)" in text
    assert "Fixed meetings: 0" in text


# ---------------------------------------------------------------- speed and robustness


def append_rows_xml(path: Path, sheet_title: str, rows_xml: str) -> None:
    """Append ready-made <row> elements to one sheet of a saved workbook.

    Writing 100,000 rows through openpyxl takes longer than the reading under
    test; editing the XML keeps these tests fast."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    workbook_xml = parts["xl/workbook.xml"].decode()
    index = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook_xml).index(sheet_title) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    xml = parts[part].decode().replace("</sheetData>", rows_xml + "</sheetData>")
    parts[part] = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def text_rows_xml(first_row: int, rows: list[tuple[str, ...]]) -> str:
    cell = '<c r="{0}{1}" t="inlineStr"><is><t>{2}</t></is></c>'
    return "".join(
        f'<row r="{n}">' + "".join(cell.format(chr(65 + c), n, v) for c, v in enumerate(values) if v) + "</row>"
        for n, values in enumerate(rows, start=first_row)
    )


def test_a_hundred_thousand_blank_formatted_rows_are_skipped(tmp_path: Path) -> None:
    path = write_book(tmp_path / "event.xlsx", minimal())
    workbook = openpyxl.load_workbook(path)
    workbook["Attendees"]["A1"].fill = PatternFill("solid", fgColor="FFFF00")  # so that style 1 exists
    workbook.save(path)
    # Formatted blank cells, as Excel writes them when a user formats a whole column range.
    row_xml = '<row r="{0}">' + "".join(f'<c r="{col}{{0}}" s="1"/>' for col in "ABCDEFGH") + "</row>"
    append_rows_xml(path, "Attendees", "".join(map(row_xml.format, range(100, 100_100))))
    # Speed is measured by `make bench`; here: no crash and nothing invented.
    result = read_event([path])
    assert len(result.event.attendees) == 3


def test_ten_thousand_attendees_and_eighty_thousand_requests_read_whole(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"] = [["Attendee", "Name", "Organization"]]
    book["Requests"] = [["From", "To", "Priority"]]
    path = write_book(tmp_path / "event.xlsx", book)
    people = [(f"A{i:05d}", f"Person {i}", f"Org {i // 3}") for i in range(10_000)]
    priorities = ("High", "Medium", "Low", "")
    # Eight requests each, to attendees 5 + 1237 k further on: 80,000 distinct pairs.
    requests = [(f"A{i:05d}", f"A{(i + 5 + 1237 * k) % 10_000:05d}", priorities[(i + k) % 4])
                for k in range(8) for i in range(10_000)]
    append_rows_xml(path, "Attendees", text_rows_xml(2, people))
    append_rows_xml(path, "Requests", text_rows_xml(2, requests))
    result = read_event([path])
    assert len(result.event.attendees) == 10_000
    assert len(result.event.requests) == 80_000
    assert not [w for w in result.warnings if w.sheet == "Requests"]


def test_the_sample_event_reads_without_errors() -> None:
    sample = Path(__file__).resolve().parents[2] / "inputs" / "seus-cp-2017.xlsx"
    if not sample.exists():
        pytest.skip("inputs/seus-cp-2017.xlsx is made by `scheduler example`")
    result = read_event([sample])
    assert len(result.event.attendees) > 100 and result.event.requests and result.event.slots


def test_joiners_in_names_are_kept_without_a_warning(tmp_path: Path) -> None:
    # Persian writes the zero-width non-joiner inside words; an emoji family is joined by U+200D.
    book = minimal()
    book["Attendees"][1][1] = "مهر\u200cناز Ahmadi"
    book["Attendees"][2][1] = "Bob \U0001F468\u200d\U0001F469\u200d\U0001F467 Roy"
    result = read(tmp_path, book)
    assert [a.name for a in result.event.attendees][:2] == ["مهر\u200cناز Ahmadi",
                                                            "Bob \U0001F468\u200d\U0001F469\u200d\U0001F467 Roy"]
    assert not any("control characters" in w.message for w in result.warnings)

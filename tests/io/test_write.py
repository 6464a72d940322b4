"""schedule.xlsx as organizers open it: sheets, columns, real dates, readable rows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import openpyxl
import pytest

from scheduler.io.write import meeting_rows, write_schedule
from scheduler.model import (
    Attendee,
    Block,
    Event,
    Party,
    Period,
    Request,
    Room,
    Session,
    Settings,
    Slot,
    Track,
)
from scheduler.schedule import Figures, Meeting, Schedule, SessionPlacement, SolveStatus, Unscheduled

D1, D2 = date(2017, 6, 4), date(2017, 6, 5)


def at(day: date, hh: int, mm: int) -> datetime:
    return datetime.combine(day, time(hh, mm))


def tiny_event() -> Event:
    """Two days, five slots, one meeting room of 3 tables, a team of two, one session."""
    starts = [at(D1, 9, 0), at(D1, 9, 25), at(D1, 9, 50), at(D2, 9, 0), at(D2, 9, 25)]
    slots = tuple(Slot(i, s, s + timedelta(minutes=20), run=s.day - 4) for i, s in enumerate(starts))
    people = [
        Attendee("A001", "Ann Lee", "North Co", delegation="Georgia", sessions=("s1",)),
        Attendee("A002", "Bob Roy", "East Co", delegation="Quebec"),
        Attendee("A003", "Cy Diaz", "West Co", delegation="Ontario", sessions=("s1",)),
        Attendee("A004", "Dee Fox", "Acme", delegation="Ohio", team="acme"),
        Attendee("A005", "Eli Gray", "Acme", delegation="Ohio", team="acme"),
    ]
    parties = [Party(p.key, p.name, (p.key,), p.org_key, frozenset({"english"})) for p in people[:3]]
    parties.append(Party("team:acme", "Acme team", ("a004", "a005"), "acme", frozenset({"english"})))
    return Event(
        settings=Settings(name="Test Summit 2017"),
        blocks=(
            Block(D1, at(D1, 9, 0), at(D1, 10, 15), "Meetings"),
            Block(D1, at(D1, 11, 0), at(D1, 12, 0), "Sessions", "Tracks"),
            Block(D2, at(D2, 9, 0), at(D2, 9, 45), "Meetings"),
        ),
        slots=slots,
        periods=(Period(0, at(D1, 11, 0), at(D1, 12, 0), "Tracks"),),
        rooms=(Room("Ballroom", "Meetings", tables=3), Room("Salon A", "Sessions", capacity=40)),
        tracks=(Track("Automotive", "Automotive"),),
        sessions=(Session("S1", "Electric vehicles", track="automotive", speakers=("a001",)),),
        attendees=tuple(people),
        parties=tuple(parties),
        requests=(
            Request("a001", "a002", 1, mutual=True, note="EV batteries", asked_by=("a001", "a002")),
            Request("a001", "team:acme", 2, asked_by=("a004",)),
            Request("a002", "a003", 3, asked_by=("a003",)),
            Request("a003", "team:acme", 1, asked_by=("a003",)),
        ),
    )


def tiny_schedule() -> Schedule:
    return Schedule(
        meetings=(
            Meeting("a001", "team:acme", 3, "Ballroom", 3, fixed=True, locked=True),
            Meeting("a003", "team:acme", 0, "Ballroom", 2),
            Meeting("a001", "a002", 0, "Ballroom", 1),
            Meeting("a002", "team:acme", 1, "Ballroom", 1, fixed=True),  # fixed, never requested
        ),
        sessions=(SessionPlacement("s1", 0, "Salon A"),),
        unscheduled=(Unscheduled("a002", "a003", "no common free time"),),
        figures=Figures(
            score=12.0, bound=14.0, objective=12.9, status=SolveStatus.OPTIMAL, solve_seconds=1.234, seed=7, workers=2
        ),
    )


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("out") / "schedule.xlsx"
    extra = {"Changes": [["Meeting", "Change"], ["M0002", "moved to T2"]]}
    write_schedule(tiny_event(), tiny_schedule(), path, extra_sheets=extra)
    return openpyxl.load_workbook(path)


def records(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def pick(row: dict[str, object], *columns: str) -> tuple[object, ...]:
    return tuple(row[c] for c in columns)


def header(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[object]:
    return [c.value for c in ws[1]]


CONTRACT = {
    "Meetings": ["Meeting", "Date", "Start", "End", "Room", "Table", "Attendee A", "Name A", "Organization A",
                 "Attendee B", "Name B", "Organization B", "Priority", "Mutual", "Fixed", "Note",
                 "Delegation A", "Delegation B", "Locked"],
    "Sessions": ["Session", "Title", "Track", "Date", "Start", "End", "Room", "Capacity", "Expected audience",
                 "Speakers", "Attendees listing it", "Clashes"],
    "Unscheduled": ["From", "To", "Priority", "Reason", "Name From", "Name To"],
    "Attendees": ["Attendee", "Name", "Organization", "Delegation", "Requests made", "Requests received",
                  "Meetings", "Sessions", "Met requests share"],
    "Summary": ["Figure", "Value"],
}  # fmt: skip


def test_every_contract_sheet_and_column_exists_in_order(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [
        "Meetings", "Sessions", "Unscheduled", "Attendees", "Summary",
        "Grid 2017-06-04", "Grid 2017-06-05", "Changes",
    ]  # fmt: skip
    for sheet, columns in CONTRACT.items():
        missing = set(columns) - set(header(book[sheet]))
        assert not missing, f"{sheet} lacks {missing}"


def test_meetings_are_numbered_in_time_then_table_order(book: openpyxl.Workbook) -> None:
    rows = records(book["Meetings"])
    shown = [pick(r, "Meeting", "Start", "Table", "Attendee A", "Attendee B") for r in rows]
    assert shown == [
        ("M0001", time(9, 0), "T1", "A001", "A002"),
        ("M0002", time(9, 0), "T2", "A003", "A004; A005"),
        ("M0003", time(9, 25), "T1", "A002", "A004; A005"),
        ("M0004", time(9, 0), "T3", "A001", "A004; A005"),
    ]
    assert [r["Date"] for r in rows] == [datetime(2017, 6, 4)] * 3 + [datetime(2017, 6, 5)]


def test_meeting_row_names_people_priority_and_flags(book: openpyxl.Workbook) -> None:
    first, team, unrequested, fixed = records(book["Meetings"])
    assert pick(first, "Name A", "Organization A", "Delegation B") == ("Ann Lee", "North Co", "Quebec")
    assert pick(first, "Priority", "Mutual", "Fixed", "Note") == ("High", "yes", "no", "EV batteries")
    assert first["End"] == time(9, 20)
    assert pick(team, "Name B", "Organization B", "Delegation B") == ("Dee Fox; Eli Gray", "Acme", "Ohio")
    assert pick(unrequested, "Priority", "Mutual", "Fixed") == (None, "no", "yes")
    assert pick(fixed, "Priority", "Locked") == ("Medium", "yes")
    assert first["Locked"] is None  # left empty for the organizer to fill


def test_dates_and_times_are_real_excel_values(book: openpyxl.Workbook) -> None:
    ws = book["Meetings"]
    columns = header(ws)
    date_cell = ws.cell(2, columns.index("Date") + 1)
    start_cell = ws.cell(2, columns.index("Start") + 1)
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert start_cell.is_date and start_cell.number_format == "hh:mm"
    session = records(book["Sessions"])[0]
    assert pick(session, "Date", "Start", "End") == (datetime(2017, 6, 4), time(11), time(12))


def test_table_sheets_have_bold_frozen_header_and_filter(book: openpyxl.Workbook) -> None:
    for name in ("Meetings", "Sessions", "Unscheduled", "Attendees"):
        ws = book[name]
        assert ws["A1"].font.bold, name
        assert ws.freeze_panes in ("A2", "B2", "C2"), name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
    widths = book["Meetings"].column_dimensions
    assert 6 <= widths["A"].width <= 50
    assert widths["I"].width > widths["A"].width  # "Organization A" is wider than "M0001"


def test_sessions_sheet(book: openpyxl.Workbook) -> None:
    (row,) = records(book["Sessions"])
    assert pick(row, "Session", "Title", "Track", "Room") == (
        "S1",
        "Electric vehicles",
        "Automotive",
        "Salon A",
    )
    assert pick(row, "Capacity", "Expected audience", "Speakers", "Attendees listing it") == (
        40,
        2,
        "A001",
        2,
    )
    assert row["Clashes"] == 0


def test_unscheduled_sheet_names_who_asked_first(book: openpyxl.Workbook) -> None:
    (row,) = records(book["Unscheduled"])
    # A003 asked for A002, so A003 is From although the pair is stored (a002, a003).
    assert pick(row, "From", "Name From", "To", "Name To") == ("A003", "Cy Diaz", "A002", "Bob Roy")
    assert pick(row, "Priority", "Reason") == ("Low", "no common free time")


def test_attendees_sheet_counts_requests_meetings_and_share(book: openpyxl.Workbook) -> None:
    rows = {r["Attendee"]: r for r in records(book["Attendees"])}
    ann, bob, dee = rows["A001"], rows["A002"], rows["A004"]
    # Ann asked Bob; Bob asked Ann (mutual) and Dee asked Ann for her team.
    assert pick(ann, "Requests made", "Requests received", "Meetings") == (1, 2, 2)
    assert pick(ann, "Sessions", "Met requests share") == ("S1", 1.0)
    assert pick(bob, "Requests made", "Requests received", "Meetings", "Met requests share") == (1, 2, 2, 0.5)
    assert pick(dee, "Requests made", "Requests received", "Meetings") == (1, 1, 3)
    assert rows["A005"]["Requests made"] == 0  # the team's request was Dee's
    assert book["Attendees"].cell(2, 9).number_format == "0.0%"


def test_summary_figures(book: openpyxl.Workbook) -> None:
    ws = book["Summary"]
    figures = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    # High mutual 4 x 1.5 + High 4 + Medium 2; the fixed unrequested meeting scores nothing.
    assert figures["Standard score"] == 12
    assert pick(figures, "Upper bound", "Solver status", "Seed", "Workers") == (14, "OPTIMAL", 7, 2)
    assert figures["Repeatable"] == "yes"
    assert figures["Gap"] == pytest.approx(2 / 14)
    gap_row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Gap")
    assert gap_row[1].number_format == "0.0%"
    assert pick(figures, "Meetings", "Meetings High", "Meetings Medium") == (4, 2, 1)
    assert pick(figures, "Meetings Low", "Meetings without request") == (0, 1)
    assert pick(figures, "Requests", "Unscheduled", "Solve time (s)") == (4, 1, 1.23)
    # Bob and Cy each got 1 of 2; ties go by ID.
    assert figures["Worst-off 1"] == "A002 Bob Roy: met 1 of 2"
    assert figures["Worst-off 2"] == "A003 Cy Diaz: met 1 of 2"


def test_grid_shows_who_sits_at_each_table_and_slot(book: openpyxl.Workbook) -> None:
    ws = book["Grid 2017-06-04"]
    assert header(ws) == ["Room", "Table", "09:00", "09:25", "09:50"]
    grid = {(r[0], r[1]): r[2:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert list(grid) == [("Ballroom", "T1"), ("Ballroom", "T2"), ("Ballroom", "T3")]
    assert grid[("Ballroom", "T1")] == ("Ann Lee ↔ Bob Roy", "Bob Roy ↔ Acme team", None)
    assert grid[("Ballroom", "T2")][0] == "Cy Diaz ↔ Acme team"
    assert book["Grid 2017-06-05"]["C4"].value == "Ann Lee ↔ Acme team"


def test_extra_sheet_is_written_as_given(book: openpyxl.Workbook) -> None:
    assert list(book["Changes"].iter_rows(values_only=True)) == [
        ("Meeting", "Change"),
        ("M0002", "moved to T2"),
    ]


def test_meeting_rows_match_the_sheet() -> None:
    rows = meeting_rows(tiny_event(), tiny_schedule())
    assert [r["Meeting"] for r in rows] == ["M0001", "M0002", "M0003", "M0004"]
    assert rows[1]["Attendee B"] == "A004; A005" and rows[1]["Date"] == D1 and rows[1]["Table"] == "T2"


def test_every_sheet_prints_landscape_fit_to_width_with_headers_and_gridlines(book: openpyxl.Workbook) -> None:
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title  # 1 is the default, left out of the file
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages down as needed
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.print_options.gridLines, ws.title

"""Reading schedule.xlsx back, as written and after an organizer edited it in Excel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from scheduler.io.schedule_read import read_schedule
from scheduler.io.write import write_schedule
from scheduler.model import Attendee, Block, Event, Party, Period, Request, Room, Session, Settings, Slot
from scheduler.problems import InputError, Problems
from scheduler.schedule import Gone, LeftOut, Meeting, Schedule, SessionPlacement, Unscheduled

D1, D2 = date(2017, 6, 4), date(2017, 6, 5)


def at(day: date, hh: int, mm: int) -> datetime:
    return datetime.combine(day, time(hh, mm))


def tiny_event() -> Event:
    """Two days, five meeting slots, Ballroom with 3 tables, a team of two, one session."""
    starts = [at(D1, 9, 0), at(D1, 9, 25), at(D1, 9, 50), at(D2, 9, 0), at(D2, 9, 25)]
    people = [
        Attendee("A001", "Ann Lee", "North Co", sessions=("s1",)),
        Attendee("A002", "Bob Roy", "East Co"),
        Attendee("A003", "Cy Diaz", "West Co"),
        Attendee("A004", "Dee Fox", "Acme", team="acme"),
        Attendee("A005", "Eli Gray", "Acme", team="acme"),
    ]
    parties = [Party(p.key, p.name, (p.key,), p.org_key, frozenset({"english"})) for p in people[:3]]
    parties.append(Party("team:acme", "Acme team", ("a004", "a005"), "acme", frozenset({"english"})))
    return Event(
        settings=Settings(name="Test Summit 2017"),
        blocks=(
            Block(D1, at(D1, 9, 0), at(D1, 10, 15), "Meetings"),
            Block(D1, at(D1, 11, 0), at(D1, 12, 0), "Sessions"),
            Block(D2, at(D2, 9, 0), at(D2, 9, 45), "Meetings"),
        ),
        slots=tuple(Slot(i, s, s + timedelta(minutes=20), run=s.day - 4) for i, s in enumerate(starts)),
        periods=(Period(0, at(D1, 11, 0), at(D1, 12, 0)),),
        rooms=(Room("Ballroom", "Meetings", tables=3), Room("Salon A", "Sessions", capacity=40)),
        sessions=(Session("S1", "Electric vehicles"), Session("S2", "Batteries")),
        attendees=tuple(people),
        parties=tuple(parties),
        requests=(
            Request("a001", "a002", 1, mutual=True, asked_by=("a001", "a002")),
            Request("a003", "team:acme", 1, asked_by=("a003",)),
        ),
    )


MEETINGS = (
    Meeting("a001", "a002", 0, "Ballroom", 1),
    Meeting("a003", "team:acme", 0, "Ballroom", 2),
    Meeting("a002", "team:acme", 1, "Ballroom", 1, fixed=True),
    Meeting("a001", "team:acme", 3, "Ballroom", 3, fixed=True, locked=True),
)
SCHEDULE = Schedule(
    meetings=MEETINGS,
    sessions=(SessionPlacement("s1", 0, "Salon A"),),  # S2 got no period: an empty row
    unscheduled=(Unscheduled("a002", "a003", "no common free time"),),
)


@pytest.fixture
def written(tmp_path: Path) -> Path:
    return write_schedule(tiny_event(), SCHEDULE, tmp_path / "schedule.xlsx")


def edit(path: Path, change: object, sheet: str = "Meetings") -> None:
    """Open the workbook as Excel would, let ``change`` edit the sheet, save it."""
    book = openpyxl.load_workbook(path)
    change(book[sheet])  # type: ignore[operator]
    book.save(path)


def column(ws: openpyxl.worksheet.worksheet.Worksheet, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def messages(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_schedule(path, tiny_event())
    return [p.render() for p in caught.value.problems]


def test_written_schedule_reads_back_the_same(written: Path) -> None:
    back = read_schedule(written, tiny_event())
    assert set(back.meetings) == set(MEETINGS)  # fixed and locked included
    assert back.sessions == (SessionPlacement("s1", 0, "Salon A"),)
    assert back.unscheduled == (Unscheduled("a002", "a003", "no common free time"),)  # so verify can spot a lost request


def test_hand_edits_read_back(written: Path) -> None:
    def reorder_delete_move(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        ws.delete_rows(2, ws.max_row)
        rows.reverse()  # rows re-ordered
        del rows[0]  # the day-2 meeting deleted
        for r in rows:
            ws.append(r)
        table, locked, start = column(ws, "Table"), column(ws, "Locked"), column(ws, "Start")
        ws.cell(2, table).value = "3"  # A002 ↔ team moved from T1 to table 3, typed without T
        ws.cell(2, locked).value = "x"  # and pinned
        ws.cell(3, start).value = "9:50"  # A003 ↔ team moved to 9:50, typed as text
        ws.cell(4, column(ws, "Attendee B")).value = "a002 "  # case and spaces do not matter

    edit(written, reorder_delete_move)
    back = read_schedule(written, tiny_event())
    assert set(back.meetings) == {
        Meeting("a002", "team:acme", 1, "Ballroom", 3, fixed=True, locked=True),
        Meeting("a003", "team:acme", 2, "Ballroom", 2),
        Meeting("a001", "a002", 0, "Ballroom", 1),
    }


def test_team_side_may_list_members_in_any_order_or_the_team_name(written: Path) -> None:
    def rename(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        ws.cell(3, column(ws, "Attendee B")).value = "A005; A004"
        ws.cell(4, column(ws, "Attendee B")).value = "Acme"
        ws.cell(4, column(ws, "Attendee A")).value = "A002"

    edit(written, rename)
    pairs = {m.pair for m in read_schedule(written, tiny_event()).meetings}
    assert ("a003", "team:acme") in pairs and ("a002", "team:acme") in pairs


def test_bad_edits_are_all_reported_with_their_place(written: Path) -> None:
    def spoil(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        ws.cell(2, column(ws, "Attendee A")).value = "A999"
        ws.cell(2, column(ws, "Room")).value = "Garden"
        ws.cell(3, column(ws, "Start")).value = time(9, 10)
        ws.cell(4, column(ws, "Table")).value = "T7"
        ws.cell(5, column(ws, "Locked")).value = "maybe"
        ws.cell(5, column(ws, "Attendee B")).value = "A001; A004"

    edit(written, spoil)
    assert messages(written) == [
        "schedule.xlsx › Meetings › row 2 › Attendee A: unknown attendee ID A999 (found: A999)",
        "schedule.xlsx › Meetings › row 2 › Room: unknown room Garden (found: Garden)",
        "schedule.xlsx › Meetings › row 3 › Start: no meeting slot starts at 2017-06-04 09:10 (found: 09:10)",
        "schedule.xlsx › Meetings › row 4 › Table: Ballroom has only 3 tables (found: T7)",
        "schedule.xlsx › Meetings › row 5 › Attendee B: these attendees do not meet as one team (found: A001; A004)",
        "schedule.xlsx › Meetings › row 5 › Locked: write yes or leave it empty (found: maybe)",
    ]


def test_lenient_reading_keeps_rows_whose_place_is_gone_for_the_re_solve(written: Path) -> None:
    """Re-solving after A003 withdrew and the 9:25 slot was dropped: the other meetings are kept,
    A003's meeting comes back under its bare key so the re-solve can report it dropped, and
    the 9:25 meeting comes back without a slot, saying where it was, so the re-solve moves it
    and reports it (it was left out before, and vanished from the change report)."""
    event = tiny_event()
    changed = replace(
        event,
        slots=tuple(s for s in event.slots if s.start.time() != time(9, 25) or s.day != D1),
        attendees=tuple(a for a in event.attendees if a.id != "A003"),
        parties=tuple(p for p in event.parties if p.key != "a003"),
    )
    # Slot indexes follow the new list: day 2 at 9:00 is now index 2.
    changed = replace(changed, slots=tuple(replace(s, index=i) for i, s in enumerate(changed.slots)))
    warnings = Problems()
    back = read_schedule(written, changed, lenient=True, problems=warnings)
    assert set(back.meetings) == {
        Meeting("a001", "a002", 0, "Ballroom", 1),
        Meeting("a003", "team:acme", 0, "Ballroom", 2),
        Meeting("a002", "team:acme", -1, "Ballroom", 1, fixed=True),
        Meeting("a001", "team:acme", 2, "Ballroom", 3, fixed=True, locked=True),
    }
    assert [m.gone for m in back.meetings if m.gone] == [
        Gone("no meeting slot starts at 2017-06-04 09:25 any more (Schedule sheet)", "2017-06-04 09:25, Ballroom T1",
             at(D1, 9, 25))
    ]
    assert "a003" not in changed.party
    assert [p.render() for p in warnings.items] == [
        "schedule.xlsx › Meetings › row 4: no meeting slot starts at 2017-06-04 09:25 any more (Schedule sheet): "
        "the meeting is placed again (changes.xlsx lists it)",
    ]
    assert all(p.warning for p in warnings.items)
    with pytest.raises(InputError, match="unknown attendee ID A003"):
        read_schedule(written, changed)  # not lenient: the same rows stop the run


def test_lenient_reading_keeps_meetings_and_sessions_whose_room_or_table_is_gone(written: Path) -> None:
    event = tiny_event()
    changed = replace(event, rooms=(Room("Ballroom", "Meetings", tables=1), Room("Salon B", "Sessions", capacity=40)))
    back = read_schedule(written, changed, lenient=True)
    gone = {(m.pair, m.gone.reason) for m in back.meetings if m.gone}
    assert gone == {
        (("a003", "team:acme"), "Ballroom has only 1 table now (Rooms sheet)"),
        (("a001", "team:acme"), "Ballroom has only 1 table now (Rooms sheet)"),
    }
    assert [(p.session, p.period, p.gone) for p in back.sessions] == [
        ("s1", 0, Gone("the room Salon A is no longer in the Rooms sheet", "2017-06-04 11:00–12:00, Salon A",
                       end=at(D1, 12, 0)))
    ]
    with pytest.raises(InputError, match="unknown room Salon A"):
        read_schedule(written, changed)  # not lenient: the same rows stop the run


def test_wrong_kinds_of_room_table_date_and_partner(written: Path) -> None:
    def spoil(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        ws.cell(2, column(ws, "Room")).value = "Salon A"
        ws.cell(3, column(ws, "Table")).value = "table two"
        ws.cell(4, column(ws, "Date")).value = "June 4"
        ws.cell(5, column(ws, "Attendee B")).value = "A001"

    edit(written, spoil)
    assert messages(written) == [
        "schedule.xlsx › Meetings › row 2 › Room: Salon A is not a room for meetings (found: Salon A)",
        "schedule.xlsx › Meetings › row 3 › Table: a table is written T3 or 3 (found: table two)",
        "schedule.xlsx › Meetings › row 4 › Date: not a date; write it like 2017-06-05 (found: June 4)",
        "schedule.xlsx › Meetings › row 5 › Attendee B: a meeting needs two different parties (found: A001)",
    ]


def test_sessions_rows_are_checked_too(written: Path) -> None:
    def spoil(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        ws.cell(2, column(ws, "Start")).value = time(11, 30)
        ws.cell(3, column(ws, "Session")).value = "S9"

    edit(written, spoil, sheet="Sessions")
    assert messages(written) == [
        "schedule.xlsx › Sessions › row 2 › Start: no session period starts at 2017-06-04 11:30 (found: 11:30)",
        "schedule.xlsx › Sessions › row 3 › Session: unknown session S9 (found: S9)",
    ]


def test_placing_an_unplaced_session_by_hand(written: Path) -> None:
    def place(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        ws.cell(3, column(ws, "Date")).value = "2017-06-04"
        ws.cell(3, column(ws, "Start")).value = "11:00"
        ws.cell(3, column(ws, "Room")).value = "salon a"

    edit(written, place, sheet="Sessions")
    assert set(read_schedule(written, tiny_event()).sessions) == {
        SessionPlacement("s1", 0, "Salon A"),
        SessionPlacement("s2", 0, "Salon A"),
    }


def test_missing_meetings_sheet_or_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.save(tmp_path / "a.xlsx")
    with pytest.raises(InputError, match=r"a\.xlsx › Meetings: the sheet Meetings is missing"):
        read_schedule(tmp_path / "a.xlsx", tiny_event())
    book.active.title = "meetings "  # sheet names match like the contract says
    book.active.append(["Attendee A", "Attendee B", "Date", "Start", "Room"])
    book.save(tmp_path / "b.xlsx")
    with pytest.raises(InputError, match=r"b\.xlsx › meetings  › row 1 › Table: the column Table is missing"):
        read_schedule(tmp_path / "b.xlsx", tiny_event())


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "schedule.xlsx").write_text("not a workbook")
    with pytest.raises(InputError, match=r"is a text file \(CSV\?\), not a workbook"):
        read_schedule(tmp_path / "schedule.xlsx", tiny_event())
    with pytest.raises(InputError, match="file not found"):
        read_schedule(tmp_path / "nowhere.xlsx", tiny_event())


def test_rows_keep_their_sheet_row_numbers_whatever_the_order(written: Path) -> None:
    """verify and agendas name the row the organizer sees, not a row after sorting."""

    def reverse_with_a_gap(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        ws.delete_rows(2, ws.max_row)
        ws.append([])  # row 2 left blank
        for r in reversed(rows):
            ws.append(r)

    edit(written, reverse_with_a_gap)
    sheet = openpyxl.load_workbook(written)["Meetings"]
    first = column(sheet, "Attendee A")
    event = tiny_event()
    back = read_schedule(written, event)
    assert sorted(m.row for m in back.meetings) == [3, 4, 5, 6]
    for meeting in back.meetings:  # the row named is the one holding this meeting
        written_a = str(sheet.cell(meeting.row, first).value).split(";")[0].strip().casefold()
        assert written_a in event.party[meeting.a].members + event.party[meeting.b].members
    assert [p.row for p in back.sessions] == [2]


def test_lenient_reading_keeps_the_first_row_of_a_pair_listed_twice(written: Path) -> None:
    # A hand-edited published schedule with a meeting copied to another time:
    # the re-solve kept both and reported the one that stayed as moved.
    def copy_row(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        values = [c.value for c in ws[2]]
        values[column(ws, "Start") - 1] = time(9, 50)
        values[column(ws, "Table") - 1] = "T3"
        ws.append(values)

    edit(written, copy_row)
    warnings = Problems()
    back = read_schedule(written, tiny_event(), lenient=True, problems=warnings)
    assert [m for m in back.meetings if m.pair == ("a001", "a002")] == [Meeting("a001", "a002", 0, "Ballroom", 1)]
    assert [p.render() for p in warnings.items] == [
        "schedule.xlsx › Meetings › row 6 › Attendee B: this pair already meets in row 2; the row is left out "
        "(found: A002)"
    ]


def test_lenient_reading_gives_a_team_meeting_to_the_members_still_registered(written: Path) -> None:
    # A004 of the Acme team cancelled: its rows ("A004; A005") were left out as
    # "these attendees do not meet as one team", and vanished from the change report.
    event = tiny_event()
    acme = Party("a005", "Eli Gray", ("a005",), "acme", frozenset({"english"}))
    changed = replace(
        event,
        attendees=tuple(a for a in event.attendees if a.id != "A004"),
        parties=tuple(p for p in event.parties if p.key != "team:acme") + (acme,),
        requests=(event.requests[0], Request("a003", "a005", 1, asked_by=("a003",))),
    )
    back = read_schedule(written, changed, lenient=True)
    assert {m.pair for m in back.meetings} == {("a001", "a002"), ("a003", "a005"), ("a002", "a005"),
                                               ("a001", "a005")}


def test_parallel_session_blocks_with_one_start_read_back_by_their_end(tmp_path: Path) -> None:
    # A 30-minute talk and a 60-minute panel both start at 11:00: Date and
    # Start alone would read the talk back as the panel (verify then saw its
    # speaker busy until 12:00 and refused a meeting at 11:30).
    event = tiny_event()
    event = replace(
        event,
        blocks=(*event.blocks, Block(D1, at(D1, 11, 0), at(D1, 11, 30), "Sessions")),
        periods=(Period(0, at(D1, 11, 0), at(D1, 11, 30)), Period(1, at(D1, 11, 0), at(D1, 12, 0))),
        rooms=(*event.rooms, Room("Salon B", "Sessions", capacity=40)),
    )
    placed = (SessionPlacement("s1", 0, "Salon A"), SessionPlacement("s2", 1, "Salon B"))
    path = write_schedule(event, replace(SCHEDULE, sessions=placed), tmp_path / "schedule.xlsx")
    assert read_schedule(path, event).sessions == placed
    edit(path, lambda ws: ws.cell(2, column(ws, "End")).__setattr__("value", None), "Sessions")
    with pytest.raises(InputError) as caught:
        read_schedule(path, event)
    assert [p.render() for p in caught.value.problems] == [
        "schedule.xlsx › Sessions › row 2 › End: blocks ending at 11:30, 12:00 all start at 2017-06-04 11:00: "
        "the End column says which"
    ]
    # A re-solve after the short block was made 11:00-11:45: its session's period is gone, not its row.
    path = write_schedule(event, replace(SCHEDULE, sessions=placed), tmp_path / "schedule.xlsx")
    longer = replace(event, periods=(Period(0, at(D1, 11, 0), at(D1, 11, 45)), event.periods[1]))
    back = read_schedule(path, longer, lenient=True, problems=Problems())
    assert [(p.session, p.period, p.gone) for p in back.sessions] == [
        ("s1", -1, Gone("no session period runs 2017-06-04 11:00–11:30 any more (Schedule sheet)",
                        "2017-06-04 11:00–11:30, Salon A", at(D1, 11, 0), at(D1, 11, 30))),
        ("s2", 1, None),
    ]


def test_lenient_reading_names_who_a_team_change_left_without_a_meeting(written: Path) -> None:
    # After publishing, Bob (A002) joins the Acme team: his meeting with the
    # team would be the team meeting itself, and his meeting with Ann (row 2)
    # a second meeting of Ann and the team, who also meet in row 5. The
    # re-solve keeps the row most of the team was at (row 5); rows 4 and 2 go
    # to the change report with the people they named.
    event = tiny_event()
    acme = Party("team:acme", "Acme team", ("a002", "a004", "a005"), "acme", frozenset({"english"}))
    changed = replace(event, parties=(event.parties[0], event.parties[2], acme),
                      attendees=tuple(replace(a, team="acme") if a.id == "A002" else a for a in event.attendees))
    left_out: list[LeftOut] = []
    back = read_schedule(written, changed, lenient=True, left_out=left_out)
    assert {(m.pair, m.row) for m in back.meetings} == {(("a001", "team:acme"), 5), (("a003", "team:acme"), 3)}
    assert [(r.row, r.sides, r.ids, r.where) for r in left_out] == [
        (4, (("a002",), ("a004", "a005")), ("A002", "A004; A005"), "2017-06-04 09:25, Ballroom T1"),
        (2, (("a001",), ("a002",)), ("A001", "A002"), "2017-06-04 09:00, Ballroom T1"),
    ]
    assert left_out[0].reason == ("A002, A004 and A005 are now in the same team, Acme team, and a team "
                                  "does not meet itself")
    assert left_out[1].reason == ("A002 now meets with A004 and A005 as the team Acme team, which already "
                                  "meets Ann Lee in row 5")


def test_lenient_reading_keeps_a_team_meeting_for_the_team_when_a_member_leaves(written: Path) -> None:
    # A005 leaves the Acme team, which keeps A004: the rows naming "A004; A005"
    # stay the team's (A005 is told by the change report). When the team is
    # dissolved instead, a row naming both belongs to neither and is left out
    # with the people it named.
    event = tiny_event()
    solo = Party("a005", "Eli Gray", ("a005",), "acme", frozenset({"english"}))
    acme = Party("team:acme", "Acme team", ("a004",), "acme", frozenset({"english"}))
    split = replace(event, parties=(*event.parties[:3], acme, solo))
    back = read_schedule(written, split, lenient=True)
    assert {m.pair for m in back.meetings} == {("a001", "a002"), ("a003", "team:acme"), ("a002", "team:acme"),
                                               ("a001", "team:acme")}
    alone = Party("a004", "Dee Fox", ("a004",), "acme", frozenset({"english"}))
    dissolved = replace(event, parties=(*event.parties[:3], alone, solo))
    left_out: list[LeftOut] = []
    back = read_schedule(written, dissolved, lenient=True, left_out=left_out)
    assert back.meetings == (Meeting("a001", "a002", 0, "Ballroom", 1),)
    assert [r.row for r in left_out] == [3, 4, 5]
    assert all(r.reason == "these attendees no longer meet as one team" for r in left_out)
    assert left_out[0].sides == (("a003",), ("a004", "a005"))

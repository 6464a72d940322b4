"""verify catches every hard rule broken by hand, row by row."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from scheduler import build
from scheduler.model import Attendee, Room, Session, Settings, Unavailability
from scheduler.schedule import Meeting, Schedule, SessionPlacement, Unscheduled
from scheduler.verify import verify

DAY = date(2017, 6, 5)


def person(id: str, org: str | None = None, **kw: object) -> Attendee:
    return Attendee(id=id, name=f"Person {id}", organization=org or f"Org {id}", **kw)


@pytest.fixture
def event():
    # Slots 0..2 at 9:00, 9:25, 9:50; one meeting room with 2 tables; a session room.
    return build.event(
        blocks=[build.block(DAY, "9:00", "10:10"), build.block(DAY, "11:00", "12:00", "Sessions")],
        rooms=[Room("Canadian Room", "Meetings", tables=2), Room("Library", "Sessions", capacity=10)],
        attendees=[
            person("A"),
            person("B"),
            person("C", languages=("French",)),
            person("D", org="Org A"),
            person("E", max_meetings=1),
            person("H", host=True),
        ],
        sessions=[Session("S1", "Batteries", speakers=("a",))],
        asks=[("A", "B"), ("B", "E"), ("E", "A"), ("A", "H"), ("B", "H")],
        unavailable=[Unavailability("b", build.at(DAY, "9:50"), build.at(DAY, "10:10"))],
        settings=Settings(name="x", max_consecutive_meetings=2),
    )


def ok_schedule(**kw: object) -> Schedule:
    base = {
        "meetings": (Meeting("a", "b", 0, "Canadian Room", 1),),
        "sessions": (SessionPlacement("s1", 0, "Library"),),
        "unscheduled": (
            Unscheduled("b", "e", "x"),
            Unscheduled("a", "e", "x"),
            Unscheduled("a", "h", "x"),
            Unscheduled("b", "h", "x"),
        ),
    }
    base.update(kw)
    return Schedule(**base)  # type: ignore[arg-type]


def messages(event, schedule: Schedule) -> str:
    return "\n".join(p.render() for p in verify(event, schedule))


def test_a_valid_schedule_passes(event):
    assert messages(event, ok_schedule()) == ""


@pytest.mark.parametrize(
    ("meetings", "expected"),
    [
        ((Meeting("a", "b", 2, "Canadian Room", 1),), "Person B is not free"),
        ((Meeting("a", "c", 0, "Canadian Room", 1),), "no shared language"),
        ((Meeting("a", "d", 0, "Canadian Room", 1),), "same organization"),
        ((Meeting("a", "b", 0, "Canadian Room", 1), Meeting("a", "e", 0, "Canadian Room", 2)), "also in the meeting of row 2"),
        ((Meeting("a", "b", 0, "Canadian Room", 1), Meeting("a", "b", 1, "Canadian Room", 1)), "already meets in row 2"),
        ((Meeting("a", "b", 0, "Canadian Room", 3),), "has no table T3"),
        ((Meeting("a", "b", 0, "Library", 1),), "not a meeting room"),
        ((Meeting("a", "b", 0, "Canadian Room", 1), Meeting("e", "h", 0, "Canadian Room", 1)), "also used by row 2"),
        ((Meeting("a", "e", 0, "Canadian Room", 1), Meeting("b", "e", 1, "Canadian Room", 1)), "above Max meetings 1"),
        (
            (
                Meeting("a", "b", 0, "Canadian Room", 1),
                Meeting("a", "e", 1, "Canadian Room", 1),
                Meeting("a", "h", 2, "Canadian Room", 2),
            ),
            "3 back-to-back meetings",
        ),
        ((Meeting("a", "h", 0, "Canadian Room", 1), Meeting("b", "h", 1, "Canadian Room", 2)), "uses 2 tables"),
    ],
)
def test_each_broken_rule_is_found(event, meetings, expected):
    assert expected in messages(event, ok_schedule(meetings=meetings))


def test_findings_name_the_row_of_a_hand_edited_workbook(event):
    edited = Meeting("a", "c", 0, "Canadian Room", 1, row=17)
    assert "Meetings › row 17" in messages(event, ok_schedule(meetings=(edited,)))


def test_sessions_are_checked(event):
    twice = ok_schedule(sessions=(SessionPlacement("s1", 0, "Library"), SessionPlacement("s1", 0, "Library")))
    assert "placed 2 times" in messages(event, twice)
    small = replace(event, rooms=(event.rooms[0], Room("Library", "Sessions", capacity=0)))
    busy = replace(small, attendees=tuple(replace(a, sessions=("s1",)) for a in small.attendees))
    assert "above Library's capacity 0" in messages(busy, ok_schedule())


def test_a_request_neither_met_nor_listed_is_lost(event):
    assert "neither met nor listed" in messages(event, ok_schedule(unscheduled=()))


@pytest.fixture
def hosts_event():
    # Hosts H, K, G; guests A, B, C, D; slots 0..2; one meeting room with 4 tables.
    return build.event(
        blocks=[build.block(DAY, "9:00", "10:10")],
        rooms=[Room("Hall", "Meetings", tables=4)],
        attendees=[person(x, host=x in "HKG") for x in "HKGABCD"],
        asks=[("H", "K"), ("H", "G"), ("K", "G"), ("A", "H"), ("B", "K"), ("C", "D")],
    )


def host_schedule(*meetings: Meeting) -> Schedule:
    met = {m.pair for m in meetings}
    asked = [("h", "k"), ("g", "h"), ("g", "k"), ("a", "h"), ("b", "k"), ("c", "d")]
    return Schedule(meetings=meetings, unscheduled=tuple(Unscheduled(a, b, "x") for a, b in asked if (a, b) not in met))


@pytest.mark.parametrize(
    "meetings",
    [
        # H visits K at K's home table (K's guest B sits there too).
        (Meeting("b", "k", 0, "Hall", 2), Meeting("h", "k", 1, "Hall", 2), Meeting("a", "h", 0, "Hall", 1)),
        # Hosts with no guest that day: each host-host table is one host's home.
        (Meeting("h", "k", 0, "Hall", 3), Meeting("g", "h", 1, "Hall", 4), Meeting("g", "k", 2, "Hall", 1)),
    ],
)
def test_hosts_visiting_hosts_at_a_home_table_pass(hosts_event, meetings):
    assert messages(hosts_event, host_schedule(*meetings)) == ""


@pytest.mark.parametrize(
    ("meetings", "expected"),
    [
        # H's home is T1 and K's is T2: their meeting at T3 is at neither.
        (
            (Meeting("a", "h", 0, "Hall", 1), Meeting("b", "k", 0, "Hall", 2), Meeting("h", "k", 1, "Hall", 3)),
            "Person H and Person K meet at Hall T3 on 2017-06-05, which is neither host's home table that day",
        ),
        # A table that carries a meeting of two hosts and one of neither is nobody's home.
        ((Meeting("h", "k", 0, "Hall", 3), Meeting("c", "d", 1, "Hall", 3)), "neither host's home table"),
        # A meeting of two other hosts at H's home table.
        ((Meeting("a", "h", 0, "Hall", 1), Meeting("g", "k", 1, "Hall", 1)), "is the home table of host Person H"),
    ],
)
def test_hosts_meeting_away_from_their_home_tables_are_found(hosts_event, meetings, expected):
    assert expected in messages(hosts_event, host_schedule(*meetings))

"""The session rules, each used by the engine and by verify alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from scheduler import build, rules
from scheduler.engine.sessions import check_sessions, place_sessions
from scheduler.model import Attendee, Event, FixedMeeting, Interval, Room, Session, Settings
from scheduler.schedule import SessionPlacement
from scheduler.verify import session_problems

DAY = date(2017, 6, 5)


def two_rooms(*sessions: Session) -> Event:
    """One Sessions block 9:00-10:00; "Bare" built without a Capacity, "Hall" with 50 seats."""
    return build.event(
        blocks=[build.block(DAY, "9:00", "10:00", "Sessions")],
        rooms=[Room("Bare", "Sessions"), Room("Hall", "Sessions", capacity=50)],
        sessions=list(sessions),
        attendees=[],
        settings=Settings(name="x"),
    )


def test_a_session_room_without_capacity_seats_nobody_for_engine_and_verify() -> None:
    ev = two_rooms(Session("S1", expected_audience=3))
    assert rules.seats(ev.room["bare"]) == 0
    assert not rules.room_fits(ev.room["bare"], 3)
    assert place_sessions(ev, time_limit=5) == (SessionPlacement("s1", 0, "Hall"),)
    found = session_problems(ev, (SessionPlacement("s1", 0, "Bare"),), file="schedule.xlsx")
    assert [(p.row, p.column) for p in found] == [(2, "Room")]
    assert "Bare has no Capacity" in found[0].message


def test_a_session_pinned_to_a_room_without_capacity_is_refused_before_solving() -> None:
    ev = two_rooms(Session("S1", expected_audience=3, pin_room="bare"))
    assert check_sessions(ev) == ["session S1: pinned room Bare has no Capacity, expected audience is 3"]


def test_a_room_with_capacity_fits_up_to_its_seats() -> None:
    hall = Room("Hall", "Sessions", capacity=50)
    assert rules.room_fits(hall, 50) and not rules.room_fits(hall, 51)


def test_session_busy_covers_listed_sessions_and_talks() -> None:
    ev = build.event(
        blocks=[
            build.block(DAY, "9:00", "10:00", "Sessions"),
            build.block(DAY, "9:30", "11:00", "Sessions"),
            build.block(DAY, "13:00", "14:00", "Sessions"),
        ],
        rooms=[Room("R1", "Sessions", capacity=50), Room("R2", "Sessions", capacity=50)],
        sessions=[Session("s1"), Session("s2", speakers=("sp",)), Session("s3")],
        attendees=[Attendee("a", "A", sessions=("s1", "s2", "s3")), Attendee("sp", "Sp"), Attendee("idle", "Idle")],
        settings=Settings(name="x"),
    )
    placements = (
        SessionPlacement("s1", 0, "R1"),
        SessionPlacement("s2", 1, "R2"),
        SessionPlacement("s3", 2, "R1"),
    )
    busy = rules.session_busy(ev, placements)
    span = [(build.at(DAY, a), build.at(DAY, b)) for a, b in (("9:00", "10:00"), ("9:30", "11:00"))]
    assert busy["a"] == [Interval(*span[0]), Interval(*span[1]), Interval(build.at(DAY, "13:00"), build.at(DAY, "14:00"))]
    assert busy["sp"] == [Interval(*span[1])]
    assert "idle" not in busy


def test_a_pin_to_a_room_the_event_lacks_is_broken_in_every_room() -> None:
    ev = two_rooms(Session("S1", pin_room="annex"))
    assert not rules.room_pin_kept(ev, ev.sessions[0], ev.room["hall"])
    found = session_problems(ev, (SessionPlacement("s1", 0, "Hall"),), file="schedule.xlsx")
    assert [(p.column, p.message) for p in found] == [("Room", "S1 is pinned to another room")]
    assert check_sessions(ev) == ["session S1: pinned room annex does not exist"]


def fixed_event(fixed_at: str, pin_start: str | None = None) -> Event:
    """Meetings 9:00-10:40 (slots 9:00, 9:25, 9:50, 10:15) beside two Sessions
    blocks, 9:00-9:45 and 9:50-10:35. A lists session S1; B, A's team-mate,
    has a fixed meeting with C at ``fixed_at``."""
    return build.event(
        blocks=[
            build.block(DAY, "9:00", "10:40"),
            build.block(DAY, "9:00", "9:45", "Sessions"),
            build.block(DAY, "9:50", "10:35", "Sessions"),
        ],
        rooms=[Room("Hall", "Meetings", tables=3), Room("Library", "Sessions", capacity=50)],
        sessions=[Session("S1", pin_start=None if pin_start is None else build.at(DAY, pin_start))],
        attendees=[
            Attendee("A", "Ann", organization="Org T", team="T", sessions=("s1",)),
            Attendee("B", "Bob", organization="Org T", team="T"),
            Attendee("C", "Cy", organization="Org C"),
        ],
        fixed=[FixedMeeting("b", "c", build.at(DAY, fixed_at), origin="f.xlsx › Fixed meetings › row 2")],
        settings=Settings(name="x"),
    )


@pytest.mark.parametrize(("fixed_at", "period"), [("9:25", 1), ("10:15", 0)])
def test_a_session_keeps_clear_of_the_fixed_meetings_of_its_attendees_team_mates(fixed_at: str, period: int) -> None:
    ev = fixed_event(fixed_at)
    assert [p.period for p in place_sessions(ev, time_limit=5)] == [period]
    found = session_problems(ev, (SessionPlacement("s1", 1 - period, "Library"),), file="schedule.xlsx")
    assert (found[0].row, found[0].column) == (2, "Start")
    assert f"S1 runs over the fixed meeting Bob & Cy at 2017-06-05 {fixed_at:0>5}" in found[0].message
    assert "as Ann lists the session and is in Bob's team" in found[0].message


def test_a_session_pinned_over_a_fixed_meeting_is_refused_before_solving() -> None:
    (reason,) = check_sessions(fixed_event("9:25", pin_start="9:00"))
    assert reason == (
        "session S1: it is pinned to 2017-06-05 09:00–09:45, and it runs over a fixed meeting of someone in it: "
        "the fixed meeting Bob & Cy at 2017-06-05 09:25 (f.xlsx › Fixed meetings › row 2), as Ann lists the "
        "session and is in Bob's team. Move the fixed meeting, or take the session off that person's Sessions "
        "(or Speakers)"
    )


def test_a_count_of_room_periods_names_the_fixed_meeting_that_keeps_sessions_off_a_period() -> None:
    # Two sessions, two periods, one room: enough, but for Bob's fixed
    # meeting at 9:25, which takes the first period from both. The count
    # alone ("2 sessions, 1 room-period") would hide why.
    ev = fixed_event("9:25")
    ev = replace(ev, sessions=(*ev.sessions, Session("S2")),
                 attendees=tuple(replace(a, sessions=("s1", "s2")) if a.key == "a" else a for a in ev.attendees))
    (reason,) = check_sessions(ev)
    assert reason.startswith("sessions S1 and S2 cannot both be placed: more sessions (2) than room-periods")
    assert reason.endswith(
        ". Fixed meetings keep them off other periods: S1 not at 2017-06-05 09:00–09:45: the fixed meeting "
        "Bob & Cy at 2017-06-05 09:25 (f.xlsx › Fixed meetings › row 2), as Ann lists the session and is in "
        "Bob's team; S2 not at 2017-06-05 09:00–09:45: the fixed meeting Bob & Cy at 2017-06-05 09:25 "
        "(f.xlsx › Fixed meetings › row 2), as Ann lists the session and is in Bob's team"
    )


def test_a_speaker_in_a_fixed_meeting_keeps_the_talk_clear_of_it() -> None:
    ev = fixed_event("9:25")
    ev = replace(ev, sessions=(Session("Talk", speakers=("c",)),))  # nobody lists it
    assert [p.period for p in place_sessions(ev, time_limit=5)] == [1]
    (found,) = session_problems(ev, (SessionPlacement("talk", 0, "Library"),), file="schedule.xlsx")
    assert found.message.endswith("(f.xlsx › Fixed meetings › row 2), as Cy speaks at the session")


def test_a_team_meeting_counts_toward_each_member_s_caps() -> None:
    people = [Attendee("A", "Ann", "Acme", team="crew", max_meetings_per_day=1), Attendee("B", "Bo", "Acme", team="crew"),
              Attendee("C", "Cy", "Ceta", max_meetings=1), Attendee("D", "Di", "Delta")]
    event = build.event(blocks=[build.block(DAY, "9:00", "10:35")], rooms=[Room("Hall", "Meetings", tables=2)],
                        attendees=people)
    breaches = rules.cap_breaches(event, [("team:crew", "c", 0), ("team:crew", "d", 1), ("d", "c", 2)])
    assert [(b.attendee, b.day, b.count, b.cap, b.slots) for b in breaches] == [
        ("a", DAY, 2, 1, (0, 1)),  # Ann's own cap; Bo has none
        ("c", None, 2, 1, (0, 2)),
    ]

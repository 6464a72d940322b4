"""Tables for meetings whose slots are settled: home tables, counts per slot."""

from __future__ import annotations

from collections import Counter

from support.phase_events import DAY, DAY2, event, people

from scheduler import build as build_event
from scheduler.engine.instance import build
from scheduler.engine.solve import SolveOptions, solve
from scheduler.engine.tables import Timed, assign, fixed_visit_homes, home_tables
from scheduler.model import FixedMeeting, Room
from scheduler.verify import verify


def test_a_host_holds_a_table_only_on_the_days_it_meets_there() -> None:
    ev = event("HAB", [("H", "A"), ("H", "B")], hosts="H", days=(DAY, DAY2))
    inst = build(ev, ())
    day1 = inst.slots_of_day[DAY]
    timed = [Timed("a", "h", day1[0], home="h"), Timed("b", "h", day1[2], home="h")]
    homes = home_tables(inst, timed)
    assert list(homes) == [("h", DAY)]  # nothing held on the second day


def test_every_meeting_of_a_host_that_day_is_at_its_home_table() -> None:
    ev = event("HABCD", [("H", "A"), ("H", "B"), ("C", "D")], hosts="H", tables=2)
    inst = build(ev, ())
    timed = [Timed("a", "h", 0, home="h"), Timed("b", "h", 2, home="h"), Timed("c", "d", 2)]
    homes = home_tables(inst, timed)
    meetings = assign(inst, timed, homes)
    at = {m.pair: (m.room, m.table) for m in meetings}
    assert at["a", "h"] == at["b", "h"] == homes["h", DAY]
    assert at["c", "d"] != homes["h", DAY]  # nobody else sits at the host's table


def test_no_slot_uses_a_table_twice_or_more_tables_than_there_are() -> None:
    ev = event("ABCDEF", [("A", "B"), ("C", "D"), ("E", "F")], tables=3)
    inst = build(ev, ())
    timed = [Timed("a", "b", 1), Timed("c", "d", 1), Timed("e", "f", 1)]
    meetings = assign(inst, timed, home_tables(inst, timed))
    per_slot = Counter(m.slot for m in meetings)
    assert per_slot == {1: 3}
    assert sorted(m.table for m in meetings) == [1, 2, 3]


def test_an_attendee_stays_at_the_table_of_their_previous_meeting() -> None:
    ev = event("ABC", [("A", "B"), ("A", "C")], tables=3)
    inst = build(ev, ())
    timed = [Timed("a", "b", 0), Timed("a", "c", 1)]
    first, second = assign(inst, timed, home_tables(inst, timed))
    assert (first.room, first.table) == (second.room, second.table)


def test_kept_meetings_keep_their_tables_unless_a_host_needs_one_all_day() -> None:
    # Two tables; published meetings C-D at T1 (9:00) and E-F at T2 (9:25) are
    # kept at their times. Host H now meets at both times and needs one table
    # all day: one kept meeting moves to the other table, at its own time.
    ev = event("HABCDEF", [("H", "A"), ("H", "B"), ("C", "D"), ("E", "F")], hosts="H", tables=2)
    inst = build(ev, ())
    timed = [
        Timed("a", "h", 0, home="h"), Timed("b", "h", 1, home="h"),
        Timed("c", "d", 0, pin=("Hall", 1), soft=True), Timed("e", "f", 1, pin=("Hall", 2), soft=True),
    ]
    homes = home_tables(inst, timed)
    at = {m.pair: (m.slot, m.table) for m in assign(inst, timed, homes)}
    home = homes["h", DAY][1]
    assert at["a", "h"] == (0, home) and at["b", "h"] == (1, home)
    assert {at["c", "d"], at["e", "f"]} == {(0, 3 - home), (1, 3 - home)}
    # The same pins given by Fixed meetings rows hold: then no table is free all day for H.
    hard = [t._replace(soft=False) for t in timed]
    assert home_tables(inst, hard).get(("h", DAY)) is None


def test_a_kept_meeting_whose_table_is_free_keeps_it() -> None:
    ev = event("ABCD", [("A", "B"), ("C", "D")], tables=3)
    inst = build(ev, ())
    timed = [Timed("a", "b", 0, pin=("Hall", 3), soft=True), Timed("c", "d", 0)]
    at = {m.pair: m.table for m in assign(inst, timed, home_tables(inst, timed))}
    assert at["a", "b"] == 3 and at["c", "d"] != 3


def test_two_hosts_fixed_at_a_table_make_it_the_home_of_the_one_without_another() -> None:
    # H's own fixed meeting is at T1: the hosts' fixed meeting at T3 is K's home
    # that day (it was H's when listed first, and verify failed).
    ev = event("HKAB", [("H", "A"), ("H", "K"), ("K", "B")], hosts="HK", tables=3)
    inst = build(ev, ())
    timed = [Timed("h", "k", 0, fixed=True, pin=("Hall", 3), home="h"), Timed("a", "h", 1, fixed=True, pin=("Hall", 1), home="h"),
             Timed("b", "k", 2, home="k")]
    homes = home_tables(inst, timed)
    assert homes["h", DAY] == ("Hall", 1) and homes["k", DAY] == ("Hall", 3)
    at = {m.pair: m.table for m in assign(inst, timed, homes)}
    assert at == {("h", "k"): 3, ("a", "h"): 1, ("b", "k"): 3}


def test_a_host_in_two_fixed_meetings_of_hosts_at_one_table_holds_it() -> None:
    # H-K and K-M (all hosts) fixed at T3: only K is in both, so T3 is K's home,
    # and the timetable counts K's table; it failed with "more meetings in a
    # slot than free tables" when H took it.
    at = [build_event.at(DAY, t) for t in ("9:00", "9:25")]
    ev = build_event.event(
        blocks=[build_event.block(DAY, "9:00", "10:40")], rooms=[Room("Hall", "Meetings", tables=4)],
        attendees=people("HKMABCD", hosts="HKM"),
        asks=[("H", "K"), ("K", "M"), ("H", "A"), ("M", "B"), ("K", "C"), ("C", "D")],
        fixed=[FixedMeeting("h", "k", at[0], "hall", 3, "row 2"), FixedMeeting("k", "m", at[1], "hall", 3, "row 3")],
    )
    inst = build(ev, ())
    fixed = [Timed("h", "k", 0, True, ("Hall", 3)), Timed("k", "m", 1, True, ("Hall", 3))]
    assert fixed_visit_homes(inst, fixed) == {0: "k", 1: "k"}
    schedule = solve(ev, SolveOptions(time_limit=3, workers=1, seed=0, session_time_limit=1))
    assert verify(ev, schedule) == []
    assert ("k", DAY.isoformat(), "Hall", 3) in schedule.home_tables

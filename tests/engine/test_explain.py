"""Reasons for unmet requests, in plain words an organizer can act on."""

from __future__ import annotations

from support.phase_events import DAY, DAY2, event

from scheduler import build
from scheduler.engine.explain import fixed_problems, unmet_reason, unscheduled
from scheduler.engine.instance import FixedPlacement
from scheduler.engine.instance import build as build_instance
from scheduler.engine.timetable import Timetable
from scheduler.model import Attendee, Room, Unavailability


def test_no_common_free_time() -> None:
    away_a = Unavailability("a", build.at(DAY, "9:00"), build.at(DAY, "9:50"))
    away_b = Unavailability("b", build.at(DAY, "9:50"), build.at(DAY, "10:40"))
    inst = build_instance(event("AB", [("A", "B")], unavailable=[away_a, away_b]), ())
    assert unmet_reason(inst, Timetable(inst), 0) == "no common free time"


def test_a_party_at_its_meeting_limit_is_named() -> None:
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:40")],
        rooms=[Room("Hall", "Meetings", tables=3)],
        attendees=[Attendee(id="A", name="Ann", organization="X", max_meetings=1)]
        + [Attendee(id=x, name=f"Person {x}", organization=x) for x in "BC"],
        asks=[("A", "B"), ("A", "C")],
    )
    inst = build_instance(ev, ())
    table = Timetable(inst)
    table.place(inst.ends.index(("a", "b")), 0)
    assert unmet_reason(inst, table, inst.ends.index(("a", "c"))) == "Ann reached their meeting limit (1)"


def test_a_fully_booked_counterpart_is_named() -> None:
    # B is in a meeting in every slot A could use.
    asks = [("A", "B", 3)] + [("B", x, 1) for x in "CDEF"]
    inst = build_instance(event("ABCDEF", asks, tables=5), ())
    table = Timetable(inst)
    for s, x in enumerate("cdef"):
        table.place(inst.ends.index(("b", x)), s)
    reason = unmet_reason(inst, table, inst.ends.index(("a", "b")))
    assert reason == "counterpart fully booked: Person B has meetings in every common free slot"


def test_a_request_that_may_never_be_met_says_why_first() -> None:
    inst = build_instance(event("AB", [("A", "B", 0)]), ())
    assert [u.reason for u in unscheduled(inst, Timetable(inst))] == ["declined"]


def test_two_fixed_meetings_at_once_for_one_attendee_name_both_rows() -> None:
    ev = event("ABC", [("A", "B"), ("A", "C")])
    inst = build_instance(ev, ())
    fixed = [FixedPlacement("a", "b", 0, None, None), FixedPlacement("a", "c", 0, None, None)]
    problems = fixed_problems(inst, fixed, ["Fixed meetings row 2", "Fixed meetings row 3"])
    assert problems == [
        "Fixed meetings row 3: Person A already has the fixed meeting of Fixed meetings row 2 at 2017-06-05 09:00"
    ]


def test_every_unmet_request_of_a_full_day_gets_its_own_reason() -> None:
    # One table, taken in all four slots: a pool request finds no table, the
    # host no home table, and A and D are booked at each other's free times.
    met = [("A", "B"), ("C", "D"), ("A", "C"), ("B", "D")]
    inst = build_instance(event("ABCDEH", met + [("A", "D"), ("B", "E"), ("E", "H")], hosts="H", tables=1), ())
    table = Timetable(inst)
    for s, (x, y) in enumerate(met):
        table.place(inst.ends.index((x.lower(), y.lower())), s)
    assert [(u.a, u.b, u.reason) for u in unscheduled(inst, table)] == [
        ("a", "d", "lost to higher-priority requests: both fully booked at their common free times"),
        ("b", "e", "no table free at the common free times"),
        ("e", "h", "no home table for host Person H on Mon 05 Jun: every table is taken all day by meetings worth more"),
    ]


def test_a_request_that_still_fits_was_not_reached_in_time() -> None:
    # Nothing placed (a search the time limit cut before it began): the
    # request fits now, so no "lost to higher-priority requests".
    inst = build_instance(event("AB", [("A", "B")]), ())
    reason = unmet_reason(inst, Timetable(inst), 0)
    assert reason.startswith("not reached before the time limit")


def test_fixed_rows_that_give_a_host_two_places_in_a_day_are_refused() -> None:
    # Both passed validate and then broke verify at the end of the solve
    # (an internal error): a host's row without a table in another room than
    # its table, and two hosts meeting at a third table while each keeps its own.
    inst = build_instance(event("GHKAB", [("H", "A"), ("H", "B"), ("K", "B"), ("H", "K")], hosts="HK", tables=4), ())
    rows = ["row 2", "row 3", "row 4"]
    room = [FixedPlacement("a", "h", 0, "Hall", 1), FixedPlacement("b", "h", 1, "Annex", None)]
    assert fixed_problems(inst, room, rows[:2]) == [
        f"row 3: host Person H keeps one table a day, but row 2 puts them at Hall T1 on {DAY}, not in Annex"
    ]
    visit = [FixedPlacement("a", "h", 0, "Hall", 1), FixedPlacement("b", "k", 0, "Hall", 2),
             FixedPlacement("h", "k", 1, "Hall", 3)]
    assert fixed_problems(inst, visit, rows) == [
        f"row 4: Person H and Person K meet at Hall T3 on {DAY}, but both keep another home table that day "
        "(row 2, row 3)"
    ]
    # K keeps no other table that day, but a row without either host uses T3: it can be nobody's home.
    visit[1] = FixedPlacement("b", "g", 0, "Hall", 3)
    assert fixed_problems(inst, visit, rows) == [
        f"row 4: Person H and Person K meet at Hall T3 on {DAY}, but row 3 uses that table too that day, "
        "and a host's home table takes only that host's meetings"
    ]
    # Without that row, T3 is K's home all day: a guest of K's may sit there, anyone else may not.
    visit[1] = FixedPlacement("g", "k", 2, "Hall", 3)
    assert fixed_problems(inst, visit, rows) == []


def test_a_pair_in_two_fixed_meetings_rows_is_refused() -> None:
    # validate said OK, and verify failed on the schedule ("the pair already meets").
    inst = build_instance(event("AB", [("A", "B")]), ())
    fixed = [FixedPlacement("a", "b", 0, None, None), FixedPlacement("a", "b", 2, None, None)]
    assert fixed_problems(inst, fixed, ["row 2", "row 3"]) == [
        "row 3: Person A and Person B already have the fixed meeting row 2; a pair meets once"
    ]


def test_fixed_meetings_above_a_cap_or_the_pause_rule_are_refused() -> None:
    # validate said OK, then the solve's verify refused its own schedule.
    from dataclasses import replace

    base = event("ABC", [("A", "B"), ("A", "C")], days=(DAY, DAY2))
    fixed = [FixedPlacement("a", "b", 0, None, None), FixedPlacement("a", "c", 1, None, None)]
    rows = ["ev.xlsx › Fixed meetings › row 2", "ev.xlsx › Fixed meetings › row 3"]
    capped = build.event(
        blocks=[build.block(d, "9:00", "10:40") for d in (DAY, DAY2)], rooms=[Room("Hall", "Meetings", tables=3)],
        attendees=[Attendee(id="A", name="Ann", organization="X", max_meetings=3, max_meetings_per_day=1)]
        + [Attendee(id=x, name=f"Person {x}", organization=x) for x in "BC"],
        asks=[("A", "B"), ("A", "C")],
    )
    assert fixed_problems(build_instance(capped, ()), fixed, rows) == [
        "ev.xlsx › Fixed meetings › rows 2, 3: Ann has 2 fixed meetings on 2017-06-05, "
        "above their Max meetings per day (1)"
    ]
    one = replace(capped, attendees=tuple(replace(a, max_meetings=1, max_meetings_per_day=None)
                                          for a in capped.attendees))
    assert fixed_problems(build_instance(one, ()), fixed, rows) == [
        "ev.xlsx › Fixed meetings › rows 2, 3: Ann has 2 fixed meetings, above their Max meetings (1)"
    ]
    paused = replace(base, settings=replace(base.settings, max_consecutive_meetings=1))
    assert fixed_problems(build_instance(paused, ()), fixed, rows) == [
        "ev.xlsx › Fixed meetings › rows 2, 3: Person A has 2 back-to-back fixed meetings, "
        "above Max consecutive meetings (1)"
    ]
    apart = [fixed[0], FixedPlacement("a", "c", 2, None, None)]  # a slot between them
    assert fixed_problems(build_instance(paused, ()), apart, rows) == []
    by_event = replace(base, settings=replace(base.settings, max_meetings_per_day=1))
    assert fixed_problems(build_instance(by_event, ()), fixed, rows) == [
        "ev.xlsx › Fixed meetings › rows 2, 3: Person A has 2 fixed meetings on 2017-06-05, "
        "above the event's Max meetings per day (1)"
    ]
    assert fixed_problems(build_instance(base, ()), fixed, rows) == []


def test_fixed_meetings_above_the_usable_tables_name_their_rows_first() -> None:
    inst = build_instance(event("ABCDEF", [("A", "B"), ("C", "D"), ("E", "F")], tables=2), ())
    fixed = [FixedPlacement("a", "b", 0, None, None), FixedPlacement("e", "f", 0, None, None),
             FixedPlacement("c", "d", 0, None, None)]
    rows = ["ev.xlsx › Fixed meetings › row 2", "ev.xlsx › Fixed meetings › row 4", "ev.xlsx › Fixed meetings › row 3"]
    assert fixed_problems(inst, fixed, rows) == [
        "ev.xlsx › Fixed meetings › rows 2, 3, 4: 3 fixed meetings at 09:00 on 2017-06-05: more than the 2 "
        "meeting tables usable (after spare tables); add tables or move a fixed meeting"
    ]
    hosts = build_instance(event("ABCDEF", [("A", "B"), ("C", "D"), ("E", "F")], hosts="ACE", tables=2), ())
    assert fixed_problems(hosts, [fixed[0], FixedPlacement("c", "d", 1, None, None), fixed[1]], rows) == [
        "ev.xlsx › Fixed meetings › rows 2, 3, 4: 3 host home tables all day (Person A, Person C, Person E) on "
        "2017-06-05: more than the 2 meeting tables usable (after spare tables); add tables or move a fixed meeting"
    ]


def test_a_host_without_a_table_is_told_which_hosts_hold_them_on_which_day() -> None:
    # Two tables. Host F holds one on Monday, host G on Tuesday, and meetings
    # without a host take the other in some slot of each day: host H gets no
    # table on either day. One host per day does not hold "every table".
    inst = build_instance(event("ABCDEFGHJK", [("E", "F"), ("J", "G"), ("A", "B"), ("C", "D"), ("K", "H")],
                                hosts="FGH", tables=2, days=(DAY, DAY2)), ())
    table = Timetable(inst)
    for (x, y), s in ((("E", "F"), 0), (("G", "J"), 4), (("A", "B"), 1), (("C", "D"), 5)):
        table.place(inst.ends.index((x.lower(), y.lower())), s)
    r = inst.ends.index(("h", "k"))
    assert unmet_reason(inst, table, r) == (
        "no home table for host Person H on Mon 05 Jun, Tue 06 Jun: no table is free all day: hosts hold tables "
        "all day (on Mon 05 Jun host Person F; on Tue 06 Jun host Person G), and meetings take the others")

"""The change report names people, including those who have since cancelled."""

from __future__ import annotations

from datetime import date

from scheduler import build
from scheduler.changes import by_attendee, diff, rows
from scheduler.model import Attendee, Room
from scheduler.schedule import Meeting, Schedule

DAY = date(2017, 6, 5)


def event(ids: str):
    people = [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}") for x in ids]
    return build.event(blocks=[build.block(DAY, "9:00", "10:10")], rooms=[Room("Hall", "Meetings", tables=2)],
                       attendees=people, asks=[])


def test_a_cancelled_counterpart_is_named_from_the_previous_schedule():
    old = Schedule(meetings=(Meeting("a", "c", 0, "Hall", 1), Meeting("a", "b", 1, "Hall", 1)))
    new = Schedule(meetings=(Meeting("a", "b", 2, "Hall", 1),))
    report = diff(event("AB"), old, new, names={"c": "Person C"})
    table = rows(report)
    dropped = [r for r in table[1:] if r[2] == "dropped"]
    assert dropped == [["A", "Person A", "dropped", "Person C", "C", "2017-06-05 09:00, Hall T1", "",
                        "Person C is no longer registered (cancelled)"]]
    assert not any(cell == "c" or str(cell).startswith("c ") for r in table for cell in r)
    assert [c.kind for c in by_attendee(report)["a"]] == ["moved", "dropped"]  # pair order: (a, b) before (a, c)
    assert set(by_attendee(report)) == {"a", "b"}


def test_the_summary_counts_each_meeting_once_and_every_session_moved():
    from scheduler.model import Session
    from scheduler.schedule import SessionPlacement

    people = [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}", sessions=("s1",) if x == "A" else ())
              for x in "ABCD"]
    ev = build.event(blocks=[build.block(DAY, "9:00", "10:10"), build.block(DAY, "11:00", "12:00", "Sessions"),
                             build.block(DAY, "13:00", "14:00", "Sessions")],
                     rooms=[Room("Hall", "Meetings", tables=2), Room("Salon", "Sessions", capacity=20)],
                     attendees=people, asks=[], sessions=[Session("S1"), Session("S2")])
    old = Schedule(meetings=(Meeting("a", "b", 0, "Hall", 1), Meeting("c", "d", 0, "Hall", 2),
                             Meeting("a", "c", 1, "Hall", 1)),
                   sessions=(SessionPlacement("s1", 0, "Salon"), SessionPlacement("s2", 1, "Salon")))
    new = Schedule(meetings=(Meeting("a", "b", 0, "Hall", 2), Meeting("a", "c", 2, "Hall", 1),
                             Meeting("b", "d", 1, "Hall", 1)),
                   sessions=(SessionPlacement("s1", 1, "Salon"), SessionPlacement("s2", 0, "Salon")))
    report = diff(ev, old, new)
    # One meeting moved table at its time, one moved time, one dropped, one added: rows come per attendee.
    assert (report.kept, report.moved, report.moved_table_only, report.dropped, report.added) == (0, 2, 1, 1, 1)
    assert report.sessions_moved == 2  # S2 too, though nobody lists it: its room sign changes
    assert report.tally() == "2 meetings moved (1 to another table at the same time), 1 dropped, 1 added; " \
                             "2 sessions moved"
    assert [c.new for c in report.changes if c.kind == "session moved"] == ["2017-06-05 13:00–14:00, Salon"]


def test_a_dropped_meeting_says_which_rule_ended_it_and_that_it_was_locked():
    # A–B locked, now declined (Never); C–D, a fixed meeting whose row was
    # deleted, moved off its time by a rule and nobody requests it. Both said
    # "no longer allowed at any time".
    people = [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}") for x in "ABCD"]
    ev = build.event(blocks=[build.block(DAY, "9:00", "10:10")], rooms=[Room("Hall", "Meetings", tables=2)],
                     attendees=people, asks=[("A", "B", 0)])
    old = Schedule(meetings=(Meeting("a", "b", 0, "Hall", 1, locked=True), Meeting("c", "d", 1, "Hall", 1,
                                                                                  fixed=True)))
    report = diff(ev, old, Schedule(meetings=()), moves={("c", "d"): "Person C is no longer free at 09:25"})
    reasons = {c.attendee: c.reason for c in report.changes}
    assert reasons["A"] == "locked, but these two may no longer meet: declined"
    assert reasons["C"] == ("Person C is no longer free at 09:25, and nobody requests this meeting (nor a Fixed "
                            "meetings row), so it gets no other time")

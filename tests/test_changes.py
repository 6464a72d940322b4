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

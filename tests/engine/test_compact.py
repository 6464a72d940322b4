"""Closing idle gaps moves meetings within a day and never loses one."""

from __future__ import annotations

from datetime import date

from scheduler import build
from scheduler.engine.compact import compact, idle
from scheduler.engine.instance import build as build_instance
from scheduler.engine.timetable import Timetable
from scheduler.model import Attendee, Room

DAY = date(2017, 6, 5)


def test_a_meeting_moves_next_to_the_other_one():
    # A meets B in slot 0 and C in slot 3 (two idle slots between). One of the
    # two meetings moves next to the other: no idle slot left, both still held.
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:40")],
        rooms=[Room("R", "Meetings", tables=3)],
        attendees=[Attendee(id=x, name=x, organization=x) for x in "ABC"],
        asks=[("A", "B"), ("A", "C")],
    )
    inst = build_instance(ev, ())
    table = Timetable(inst)
    ab, ac = inst.ends.index(("a", "b")), inst.ends.index(("a", "c"))
    table.place(ab, 0)
    table.place(ac, 3)
    assert idle(table, "a", DAY) == 2
    assert compact(inst, table) == 1
    assert set(table.slot_of) == {ab, ac} and idle(table, "a", DAY) == 0

"""Closing idle gaps moves meetings within a day and never loses one."""

from __future__ import annotations

import time
from datetime import date

from support.phase_events import event

from scheduler import build
from scheduler.engine.compact import compact, idle
from scheduler.engine.instance import build as build_instance
from scheduler.engine.timetable import Timetable
from scheduler.model import Attendee, Room

DAY = date(2017, 6, 5)  # as support.phase_events.DAY


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
    assert compact(inst, table).moves == 1
    assert set(table.slot_of) == {ab, ac} and idle(table, "a", DAY) == 0


def test_a_pass_the_clock_ends_is_reported_so_the_run_is_not_called_repeatable() -> None:
    inst = build_instance(event("ABC", [("A", "B"), ("A", "C")]), ())
    table = Timetable(inst)
    table.place(inst.ends.index(("a", "b")), 0)
    table.place(inst.ends.index(("a", "c")), 3)
    late = compact(inst, table, deadline=time.monotonic() - 1)
    assert late.cut_by_clock and late.moves == 0
    done = compact(inst, table, steps=3, seconds=5.0)
    assert not done.cut_by_clock and idle(table, "a", DAY) == 0

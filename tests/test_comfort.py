"""Comfort figures counted by hand on a tiny schedule."""

from __future__ import annotations

from datetime import date

from scheduler import build
from scheduler.comfort import comfort
from scheduler.model import Attendee, Room
from scheduler.schedule import Meeting, Schedule

DAY = date(2017, 6, 5)


def test_idle_slots_and_table_changes():
    # Four back-to-back slots (0-3). A meets B at slot 0 (T1), C at slot 1 (T2) and D at slot 3 (T2).
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:40")],
        rooms=[Room("R", "Meetings", tables=3)],
        attendees=[Attendee(id=x, name=x, organization=x) for x in "ABCD"],
    )
    schedule = Schedule(
        meetings=(Meeting("a", "b", 0, "R", 1), Meeting("a", "c", 1, "R", 2), Meeting("a", "d", 3, "R", 2))
    )
    c = comfort(ev, schedule)
    assert (c.idle_slots, c.party_days, c.back_to_back, c.table_changes) == (1, 4, 1, 1)

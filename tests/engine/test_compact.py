"""Closing idle gaps moves meetings within a day and never loses one."""

from __future__ import annotations

import random
import time
from datetime import date

from support.phase_events import DAY2, event

from scheduler import build
from scheduler.engine.compact import _exact, compact, idle
from scheduler.engine.instance import Instance
from scheduler.engine.instance import build as build_instance
from scheduler.engine.params import ComfortParams
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


def test_two_workers_retime_two_days_at_once_and_keep_every_meeting() -> None:
    # A's day 1 and D's day 2 each have two idle slots. With two workers the
    # exact pass re-times both days in one round, one sub-model each (days
    # share nothing); one worker and one step closes only one of them.
    ev = event("ABCDEF", [("A", "B"), ("A", "C"), ("D", "E"), ("D", "F")], days=(DAY, DAY2))
    exact = ComfortParams(worst_share=1.0)

    def gapped() -> tuple[Instance, Timetable]:
        inst = build_instance(ev, ())
        table = Timetable(inst)
        for pair, s in ((("a", "b"), 0), (("a", "c"), 3), (("d", "e"), 4), (("d", "f"), 7)):
            table.place(inst.ends.index(pair), s)
        return inst, table

    inst, table = gapped()
    assert not _exact(inst, table, 2, 30.0, random.Random(0), exact, workers=2)
    assert len(table.slot_of) == 4
    assert idle(table, "a", DAY) == 0 and idle(table, "d", DAY2) == 0
    inst, table = gapped()
    _exact(inst, table, 1, 30.0, random.Random(0), exact, workers=1)
    assert len(table.slot_of) == 4
    assert idle(table, "a", DAY) + idle(table, "d", DAY2) == 2


def test_the_exact_pass_keeps_the_seconds_the_greedy_passes_already_spent(monkeypatch) -> None:
    # ``seconds`` count from the call: greedy passes that take them all leave
    # the exact pass none (at 10,000 attendees it overran the limit by 1.5 s).
    import scheduler.engine.compact as compact_mod

    ev = event("ABCDEF", [("A", "B"), ("A", "C"), ("D", "E"), ("D", "F")], days=(DAY, DAY2))
    inst = build_instance(ev, ())
    table = Timetable(inst)
    for pair, s in ((("a", "b"), 0), (("a", "c"), 3), (("d", "e"), 4), (("d", "f"), 7)):
        table.place(inst.ends.index(pair), s)
    def slow(*args: object) -> tuple[int, bool]:
        time.sleep(0.3)
        return 0, False

    monkeypatch.setattr(compact_mod, "_greedy", slow)
    done = compact(inst, table, steps=5, seconds=0.2, params=ComfortParams(worst_share=1.0))
    assert done.cut_by_clock
    assert idle(table, "a", DAY) + idle(table, "d", DAY2) == 4  # no exact step ran

"""The naive scheduler our benchmark compares against.

What request/accept platforms do: take requests first come, first served
(here: in the order of the Requests sheet, as merged), and book each into
the earliest slot where both parties and a table are free. No look-ahead, no
priorities, no repair.
"""

from __future__ import annotations

from ..model import Event
from ..schedule import Figures, Schedule, SessionPlacement
from . import explain, tables
from .instance import SCALE, build
from .timetable import Timetable


def first_come_first_served(event: Event, placements: tuple[SessionPlacement, ...]) -> Schedule:
    inst = build(event, placements)
    table = Timetable(inst)
    for r in range(len(inst.ends)):
        options = table.options(r)
        if options:
            table.place(r, options[0])
    timed = [tables.Timed(*inst.ends[r], s, home=table.home(r)) for r, s in sorted(table.slot_of.items())]
    meetings = tables.assign(inst, timed, tables.home_tables(inst, timed))
    unscheduled = explain.unscheduled(inst, table)
    score = table.score() / SCALE
    return Schedule(tuple(meetings), placements, tuple(unscheduled), Figures(score=score, status="FCFS"))

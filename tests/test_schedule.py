"""The engine's results: the solve status is one of a fixed set, printed as its text."""

from __future__ import annotations

from datetime import date

from scheduler import build
from scheduler.engine.baseline import first_come_first_served
from scheduler.engine.solve import SolveOptions, solve
from scheduler.model import Attendee, Room
from scheduler.schedule import Figures, SolveStatus

DAY = date(2017, 6, 5)


def test_a_status_prints_as_the_text_the_summary_sheet_has_always_shown() -> None:
    assert [str(s) for s in SolveStatus] == ["OPTIMAL", "FEASIBLE", "INTERRUPTED", "FCFS"]
    assert f"({SolveStatus.FEASIBLE}, 1.0 s)" == "(FEASIBLE, 1.0 s)"
    assert Figures().status is None  # a schedule read back was not solved here


def test_the_engine_and_the_baseline_say_how_their_schedule_was_made() -> None:
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "9:20")],
        rooms=[Room("Hall", "Meetings", tables=2)],
        attendees=[Attendee("A", "Ann", organization="X"), Attendee("B", "Bo", organization="Y")],
        asks=[("A", "B")],
    )
    schedule = solve(ev, SolveOptions(time_limit=2, workers=1))
    assert schedule.figures.status is SolveStatus.OPTIMAL  # the one request met: the bound is reached
    assert first_come_first_served(ev, ()).figures.status is SolveStatus.FCFS

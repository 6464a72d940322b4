"""The sessions' hard model, solved directly on tiny events."""

from __future__ import annotations

from ortools.sat.python import cp_model
from support.session_events import at, event, periods, room

from scheduler.engine.sessions.model import hard_model, holds, parameters, points
from scheduler.engine.sessions.options import Options
from scheduler.model import Event, Session


def solve(ev: Event, options: Options) -> int:
    hm = hard_model(ev, options, [s.key for s in ev.sessions])
    solver = cp_model.CpSolver()
    parameters(solver, 1.0, 0, 1)
    return solver.solve(hm.model)


def test_one_room_holds_one_of_two_overlapping_periods() -> None:
    # 9:00-10:30 and 10:00-11:00 are different periods but the same time.
    spans = periods((at(9), at(10, 30)), (at(10), at(11)))
    ev = event(spans, (room("R", 50),), (Session("s1"), Session("s2")))
    both = Options({"s1": [(0, "r")], "s2": [(1, "r")]}, {p.index: p for p in spans})
    assert solve(ev, both) == cp_model.INFEASIBLE
    later = periods((at(9), at(10, 30)), (at(10, 30), at(11)))
    apart = Options({"s1": [(0, "r")], "s2": [(1, "r")]}, {p.index: p for p in later})
    assert solve(event(later, (room("R", 50),), ev.sessions), apart) == cp_model.OPTIMAL


def test_a_speaker_gives_one_talk_at_a_time() -> None:
    spans = periods((at(9), at(10)),)
    ev = event(spans, (room("A", 50), room("B", 50)), (Session("t1", speakers=("sp",)), Session("t2", speakers=("sp",))))
    options = Options({"t1": [(0, "a")], "t2": [(0, "b")]}, {0: spans[0]})
    assert solve(ev, options) == cp_model.INFEASIBLE


def test_points_see_every_overlap() -> None:
    spans = periods((at(9), at(10, 30)), (at(10), at(11)), (at(11), at(12)))
    assert points(spans) == [at(9), at(10), at(11)]
    assert holds(spans[0], at(10)) and holds(spans[1], at(10))
    assert not holds(spans[1], at(11))  # an end touches the next start, no overlap

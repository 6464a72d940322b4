"""First fit, the sessions' baseline."""

from __future__ import annotations

from support.session_events import at, event, periods, room

from scheduler.engine.sessions.first_fit import naive_placement
from scheduler.figures import session_figures
from scheduler.model import Session
from scheduler.schedule import SessionPlacement


def test_naive_placement_is_first_fit_and_leaves_out_what_does_not_fit() -> None:
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(spans, (room("R", 50),), tuple(Session(f"s{i}") for i in range(3)))
    assert naive_placement(ev) == (SessionPlacement("s0", 0, "R"), SessionPlacement("s1", 1, "R"))
    assert session_figures(ev, naive_placement(ev)).unplaced == ["s2"]

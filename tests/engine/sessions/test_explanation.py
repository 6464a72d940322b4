"""Why sessions cannot be placed, found by the model and said in plain words."""

from __future__ import annotations

import pytest
from support.session_events import at, event, periods, person, room

from scheduler.engine.sessions import SessionPlacementError, place_sessions
from scheduler.model import Session


def test_speaker_gives_two_talks_at_different_times() -> None:
    spans = periods((at(9), at(10, 30)), (at(10), at(11)))  # overlapping
    ev = event(
        spans,
        (room("R1", 50), room("R2", 50), room("R3", 50)),
        (Session("t1", speakers=("sp",)), Session("t2", speakers=("sp",))),
        (person("sp"),),
    )
    with pytest.raises(SessionPlacementError) as err:
        place_sessions(ev, time_limit=5)
    text = str(err.value)
    assert "SP" in text and "t1" in text and "t2" in text
    assert "infeasible" not in text.lower()

"""Session figures, counted by hand."""

from __future__ import annotations

from support.session_events import at, event, periods, person, room

from scheduler.figures import session_figures
from scheduler.model import Session
from scheduler.schedule import SessionPlacement


def test_session_figures_count_by_hand() -> None:
    spans = periods((at(9), at(10, 30)), (at(10), at(11)), (at(11), at(12)))
    ev = event(
        spans,
        (room("R1", 50), room("R2", 50), room("R3", 50)),
        (
            Session("s1", track="t"),
            Session("s2", track="t"),
            Session("s3", track="t"),
            Session("s4", speakers=("y",)),
        ),
        (person("x", "s1", "s2", "s3"), person("y", "s1"), person("z", "s3")),
    )
    placements = (
        SessionPlacement("s1", 0, "R1"),  # 9:00-10:30
        SessionPlacement("s2", 1, "R2"),  # 10:00-11:00, overlaps s1
        SessionPlacement("s3", 2, "R3"),  # 11:00-12:00, touches s2 only
        SessionPlacement("s4", 1, "R1"),  # y speaks here while listing s1
    )
    figures = session_figures(ev, placements)
    assert figures.clashes_by_attendee == {"x": [("s1", "s2")], "y": [("s1", "s4")]}
    assert figures.clashes == 2
    assert figures.same_track_overlaps == 1
    assert figures.track_room_changes == 2  # three rooms for track t on one day

"""What each session may use, and the reasons given before any model is built."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.session_events import DAY, DAY2, at, event, periods, person, room

from scheduler.engine.sessions import SessionPlacementError, check_sessions, place_sessions
from scheduler.engine.sessions.options import session_options, usable_periods
from scheduler.model import Block, Session
from scheduler.rules import expected_audience


def test_expected_audience_prefers_the_column_else_counts_attendees() -> None:
    ev = event(
        periods((at(9), at(10))),
        (room("R", 50),),
        (Session("s1", expected_audience=40), Session("s2")),
        (person("a", "s2"), person("b", "s2", "s1")),
    )
    assert expected_audience(ev, "s1") == 40
    assert expected_audience(ev, "s2") == 2


def test_too_large_for_every_room_names_the_session_and_sizes() -> None:
    ev = event(
        periods((at(9), at(10))),
        (room("Salon", 80), room("Ballroom", 200)),
        (Session("keynote", expected_audience=250), Session("fine", expected_audience=10)),
    )
    with pytest.raises(SessionPlacementError) as err:
        place_sessions(ev)
    assert len(err.value.reasons) == 1
    reason = err.value.reasons[0]
    assert "keynote" in reason and "250" in reason and "200" in reason and "Ballroom" in reason


def test_speakers_without_a_common_period_are_explained() -> None:
    spans = periods((at(9), at(10)), (at(11), at(12)))
    ev = event(
        spans,
        (room("R", 50),),
        (Session("panel", speakers=("early", "late")),),
        (person("early", departs=at(10, 30)), person("late", arrives=at(10, 30))),
    )
    with pytest.raises(SessionPlacementError) as err:
        place_sessions(ev)
    reason = err.value.reasons[0]
    assert "panel" in reason and "EARLY" in reason and "LATE" in reason and "share no period" in reason


def test_pinned_room_closed_that_day_is_explained() -> None:
    ev = event(
        periods((at(9), at(10))),
        (room("Annex", 50, {DAY2}), room("Hall", 50)),
        (Session("s1", pin_room="annex"),),
    )
    with pytest.raises(SessionPlacementError) as err:
        place_sessions(ev)
    reason = err.value.reasons[0]
    assert "s1" in reason and "Annex" in reason and "not open" in reason and "2017-06-05" in reason


def test_more_sessions_than_room_periods_is_explained_by_day() -> None:
    spans = periods(
        (at(9), at(10)),
        (at(10), at(11)),
        (at(9, day=DAY2), at(10, day=DAY2)),
        (at(10, day=DAY2), at(11, day=DAY2)),
    )
    ev = event(
        spans,
        (room("R", 50),),
        tuple(Session(f"s{i}", pin_day=DAY) for i in range(3)) + (Session("free"),),
    )
    with pytest.raises(SessionPlacementError) as err:
        place_sessions(ev, time_limit=5)
    assert len(err.value.reasons) == 1
    reason = err.value.reasons[0]
    assert "more sessions (3) than room-periods" in reason and "2017-06-05" in reason
    assert "free" not in reason


def test_options_keep_every_session_rule() -> None:
    # Annex is closed on day 1, Small is too small, the speaker leaves before day 2.
    spans = periods((at(9), at(10)), (at(9, day=DAY2), at(10, day=DAY2)))
    ev = event(
        spans,
        (room("Annex", 50, {DAY2}), room("Small", 5), room("Hall", 50)),
        (Session("s1", expected_audience=20, speakers=("sp",)),),
        (person("sp", departs=at(12)),),
    )
    assert session_options(ev, ev.sessions[0], usable_periods(ev)) == [(0, "hall")]


def test_a_time_pin_keeps_only_its_period() -> None:
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(spans, (room("R", 50),), (Session("s1", pin_start=at(10)),))
    assert session_options(ev, ev.sessions[0], usable_periods(ev)) == [(1, "r")]
    missing = event(spans, (room("R", 50),), (Session("s1", pin_start=at(11)),))
    assert check_sessions(missing) == [
        "session s1: pinned to start at 2017-06-05 11:00, but no usable Sessions block starts then"
    ]


def test_periods_during_a_break_are_not_usable() -> None:
    ev = event(periods((at(9), at(10)), (at(12), at(13))), (room("R", 50),), (Session("s1"),))
    lunch = replace(ev, blocks=(*ev.blocks, Block(DAY, at(12), at(13), "Break")))
    assert [p.index for p in usable_periods(lunch)] == [0]


def test_check_sessions_counts_room_periods_without_solving() -> None:
    ev = event(periods((at(9), at(10))), (room("R", 50),), (Session("s1"), Session("s2")))
    assert check_sessions(ev) == [
        "sessions s1 and s2 cannot both be placed: more sessions (2) than room-periods they can use "
        "on 2017-06-05 (1: 2017-06-05 09:00–10:00 in R)"
    ]

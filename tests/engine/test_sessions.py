"""Sessions into rooms and periods, on tiny events whose answers are worked out by hand."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from scheduler.engine.sessions import (
    SessionPlacementError,
    busy_intervals,
    naive_placement,
    place_sessions,
)
from scheduler.figures import session_figures
from scheduler.model import Attendee, Block, Event, Interval, Period, Room, Session, Settings, Unavailability
from scheduler.rules import expected_audience
from scheduler.schedule import SessionPlacement

DAY = date(2017, 6, 5)
DAY2 = date(2017, 6, 6)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


def periods(*spans: tuple[datetime, datetime]) -> tuple[Period, ...]:
    return tuple(Period(i, start, end) for i, (start, end) in enumerate(spans))


def room(name: str, capacity: int, dates: set[date] | None = None) -> Room:
    return Room(name, "Sessions", capacity=capacity, dates=frozenset(dates) if dates else None)


def person(key: str, *sessions: str, **more: object) -> Attendee:
    return Attendee(key, name=key.upper(), sessions=sessions, **more)  # type: ignore[arg-type]


def event(
    spans: tuple[Period, ...],
    rooms: tuple[Room, ...],
    sessions: tuple[Session, ...],
    attendees: tuple[Attendee, ...] = (),
    meetings: tuple[tuple[datetime, datetime], ...] = (),
    unavailable: tuple[Unavailability, ...] = (),
) -> Event:
    blocks = tuple(Block(p.day, p.start, p.end, "Sessions") for p in spans)
    blocks += tuple(Block(s.date(), s, e, "Meetings") for s, e in meetings)
    return Event(
        settings=Settings(name="x"),
        blocks=blocks,
        slots=(),
        periods=spans,
        rooms=rooms,
        sessions=sessions,
        attendees=attendees,
        unavailable=unavailable,
    )


def placed(ev: Event, placements: tuple[SessionPlacement, ...]) -> dict[str, tuple[Period, str]]:
    return {pl.session: (ev.periods[pl.period], pl.room) for pl in placements}


def test_expected_audience_prefers_the_column_else_counts_attendees() -> None:
    ev = event(
        periods((at(9), at(10))),
        (room("R", 50),),
        (Session("s1", expected_audience=40), Session("s2")),
        (person("a", "s2"), person("b", "s2", "s1")),
    )
    assert expected_audience(ev, "s1") == 40
    assert expected_audience(ev, "s2") == 2


def test_sessions_sharing_an_attendee_go_at_non_overlapping_times() -> None:
    # p0 and p1 overlap (10:00-10:30) though they are different periods.
    spans = periods((at(9), at(10, 30)), (at(10), at(11, 30)), (at(13), at(14)))
    ev = event(
        spans,
        (room("R1", 50), room("R2", 50)),
        (Session("s1"), Session("s2")),
        (person("a", "s1", "s2"),),
        meetings=((at(13), at(14)),),  # meeting time pulls both away from p2
    )
    got = placed(ev, place_sessions(ev, time_limit=5))
    assert not got["s1"][0].interval.overlaps(got["s2"][0].interval)
    assert session_figures(ev, place_sessions(ev, time_limit=5)).clashes == 0


def test_one_room_never_holds_two_overlapping_periods() -> None:
    spans = periods((at(9), at(10, 30)), (at(10), at(11, 30)), (at(13), at(14)))
    ev = event(
        spans,
        (room("R", 50),),
        (Session("s1", pin_start=at(9)), Session("s2")),
        meetings=((at(13), at(14)),),  # without the room rule s2 would prefer p1
        attendees=(person("a", "s2"),),
    )
    got = placed(ev, place_sessions(ev, time_limit=5))
    assert got["s2"][0] == spans[2]


def test_one_track_not_in_parallel_even_against_meeting_time() -> None:
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(
        spans,
        (room("R1", 50), room("R2", 50)),
        # Pinned to different rooms, so only the track rule keeps them apart.
        (Session("s1", track="ev", pin_room="r1"), Session("s2", track="ev", pin_room="r2")),
        (person("a", "s1"), person("b", "s2")),
        meetings=((at(10), at(11)),),  # p1 costs meetings; both would rather be in p0
    )
    placements = place_sessions(ev, time_limit=5, meeting_load={"a": 5, "b": 5})
    got = placed(ev, placements)
    assert got["s1"][0] != got["s2"][0]
    assert session_figures(ev, placements).same_track_overlaps == 0


def test_one_track_in_parallel_when_there_is_no_other_way() -> None:
    ev = event(
        periods((at(9), at(10))),
        (room("R1", 50), room("R2", 50)),
        (Session("s1", track="ev"), Session("s2", track="ev")),
    )
    placements = place_sessions(ev, time_limit=5)
    assert len(placements) == 2
    assert session_figures(ev, placements).same_track_overlaps == 1


def test_bigger_audience_gets_the_bigger_room() -> None:
    ev = event(
        periods((at(9), at(10))),
        (room("Mid", 80), room("Big", 100), room("Small", 60)),
        (
            Session("small", expected_audience=20),
            Session("large", expected_audience=50),
            Session("mid", expected_audience=30),
        ),
    )
    got = placed(ev, place_sessions(ev, time_limit=5))
    assert {k: r for k, (_, r) in got.items()} == {"large": "Big", "mid": "Mid", "small": "Small"}


def test_a_track_keeps_its_room_through_the_day() -> None:
    # s3 is pinned to R1 at 10:00, so s2 must use R2 then; s1 would fit R1
    # more snugly, but keeping the track in one room comes first.
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(
        spans,
        (room("R1", 40), room("R2", 100)),
        (
            Session("s1", track="ev", expected_audience=30),
            Session("s2", track="ev", expected_audience=30),
            Session("s3", expected_audience=35, pin_start=at(10), pin_room="r1"),
        ),
    )
    placements = place_sessions(ev, time_limit=5)
    got = placed(ev, placements)
    assert got["s1"][1] == got["s2"][1] == "R2"
    assert session_figures(ev, placements).track_room_changes == 0


def test_a_pin_is_kept_against_the_preferences() -> None:
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(
        spans,
        (room("Small", 30), room("Big", 100)),
        (Session("s1", expected_audience=20, pin_start=at(10), pin_room="big"),),
        (person("a", "s1"),),
        meetings=((at(10), at(11)),),  # p0 and the small room would be preferred
    )
    got = placed(ev, place_sessions(ev, time_limit=5))
    assert got["s1"] == (spans[1], "Big")


def test_pin_day_only_keeps_the_day() -> None:
    spans = periods((at(9), at(10)), (at(9, day=DAY2), at(10, day=DAY2)))
    ev = event(
        spans,
        (room("R", 30),),
        (Session("s1", pin_day=DAY2),),
        (person("a", "s1"),),
        meetings=((at(9, day=DAY2), at(10, day=DAY2)),),  # day 1 would be preferred
    )
    assert placed(ev, place_sessions(ev, time_limit=5))["s1"][0] == spans[1]


def test_meeting_time_is_avoided_for_the_busiest_audience() -> None:
    # One free period and one in meeting time; the session whose audience has
    # more meeting requests gets the free one.
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(
        spans,
        (room("R", 50),),
        (Session("quiet"), Session("busy")),
        (person("a", "quiet"), person("b", "busy")),
        meetings=((at(10), at(11)),),
    )
    got = placed(ev, place_sessions(ev, time_limit=5, meeting_load={"a": 1, "b": 6}))
    assert got["busy"][0] == spans[0]
    assert got["quiet"][0] == spans[1]


def test_speaker_is_placed_only_when_present_and_free() -> None:
    spans = periods((at(9), at(10)), (at(10), at(11)), (at(9, day=DAY2), at(10, day=DAY2)))
    ev = event(
        spans,
        (room("R", 50),),
        (Session("talk", speakers=("sp",)),),
        (person("sp", departs=at(11)), person("a", "talk")),
        meetings=((at(10), at(11)),),  # p1 costs meetings, p0 is unavailable, p2 after departure
        unavailable=(Unavailability("sp", at(9, 30), at(9, 45)),),
    )
    got = placed(ev, place_sessions(ev, time_limit=5))
    assert got["talk"][0] == spans[1]


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


def test_same_inputs_give_the_same_placement() -> None:
    ev = _random_event(random.Random(7), sessions=14, people=40)
    # A limit short enough that the search is cut off, where timing could leak in.
    first = place_sessions(ev, time_limit=2, seed=3)
    assert place_sessions(ev, time_limit=2, seed=3) == first
    two = place_sessions(ev, time_limit=2, seed=3, workers=2)
    assert place_sessions(ev, time_limit=2, seed=3, workers=2) == two


def test_solver_clashes_less_than_first_fit() -> None:
    # First fit puts s1 and s2 together at 9:00; "a" lists both.
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(
        spans,
        (room("R1", 50), room("R2", 50)),
        (Session("s1"), Session("s2"), Session("s3")),
        (person("a", "s1", "s2"), person("b", "s1", "s2"), person("c", "s3")),
    )
    naive = session_figures(ev, naive_placement(ev))
    solved = session_figures(ev, place_sessions(ev, time_limit=5))
    assert naive.clashes == 2
    assert solved.clashes == 0


def test_naive_placement_is_first_fit_and_leaves_out_what_does_not_fit() -> None:
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(spans, (room("R", 50),), tuple(Session(f"s{i}") for i in range(3)))
    assert naive_placement(ev) == (SessionPlacement("s0", 0, "R"), SessionPlacement("s1", 1, "R"))
    assert session_figures(ev, naive_placement(ev)).unplaced == ["s2"]


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


def test_busy_intervals_cover_listed_sessions_and_talks() -> None:
    spans = periods((at(9), at(10)), (at(9, 30), at(11)), (at(13), at(14)))
    ev = event(
        spans,
        (room("R1", 50), room("R2", 50)),
        (Session("s1"), Session("s2", speakers=("sp",)), Session("s3")),
        (person("a", "s1", "s2", "s3"), person("sp"), person("idle")),
    )
    placements = (
        SessionPlacement("s1", 0, "R1"),
        SessionPlacement("s2", 1, "R2"),
        SessionPlacement("s3", 2, "R1"),
    )
    busy = busy_intervals(ev, placements)
    assert busy["a"] == [Interval(at(9), at(11)), Interval(at(13), at(14))]
    assert busy["sp"] == [Interval(at(9, 30), at(11))]
    assert "idle" not in busy


def test_no_sessions_places_nothing() -> None:
    ev = event(periods((at(9), at(10))), (room("R", 5),), ())
    assert place_sessions(ev) == ()


def _random_event(rng: random.Random, sessions: int, people: int) -> Event:
    spans = periods(
        *[(at(h, day=d), at(h + 1, 30 if h == 9 else 0, day=d)) for d in (DAY, DAY2) for h in (9, 10, 11, 14)]
    )
    rooms = (room("A", 60), room("B", 40), room("C", 25))
    tracks = ["auto", "ict", "clean"]
    keys = [f"s{i}" for i in range(sessions)]
    all_sessions = tuple(Session(k, track=tracks[i % 3], speakers=(f"p{i % 7}",)) for i, k in enumerate(keys))
    attendees = tuple(person(f"p{j}", *rng.sample(keys, rng.randint(1, 4))) for j in range(people))
    return event(
        spans,
        rooms,
        all_sessions,
        attendees,
        meetings=((at(10), at(12)), (at(10, day=DAY2), at(12, day=DAY2))),
    )


def test_a_session_goes_to_a_room_with_headroom_when_one_is_free() -> None:
    # 60 expected: the 60-seat room is full to the last seat; 80 seats leave the default 15% to spare.
    ev = event(
        periods((at(9), at(10))),
        (room("Small", 60), room("Middle", 80), room("Ballroom", 300)),
        (Session("s1", expected_audience=60),),
    )
    assert placed(ev, place_sessions(ev, time_limit=5))["s1"][1] == "Middle"


def test_headroom_comes_before_a_snug_fit_and_a_zero_setting_turns_it_off() -> None:
    rooms = (room("Small", 60), room("Ballroom", 300))
    ev = event(periods((at(9), at(10))), rooms, (Session("s1", expected_audience=55),))
    assert placed(ev, place_sessions(ev, time_limit=5))["s1"][1] == "Ballroom"  # 60 seats leave under 15%
    snug = replace(ev, settings=replace(ev.settings, session_room_headroom=0.0))
    assert placed(snug, place_sessions(snug, time_limit=5))["s1"][1] == "Small"

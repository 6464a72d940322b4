"""Sessions into rooms and periods, on tiny events whose answers are worked out by hand."""

from __future__ import annotations

import random
from dataclasses import replace

from support.session_events import DAY2, at, event, periods, person, placed, random_event, room

from scheduler.engine.sessions import place_sessions
from scheduler.engine.sessions.first_fit import naive_placement
from scheduler.figures import session_figures
from scheduler.model import Session, Unavailability


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


def test_same_inputs_give_the_same_placement() -> None:
    ev = random_event(random.Random(7), sessions=14, people=40)
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


def test_no_sessions_places_nothing() -> None:
    ev = event(periods((at(9), at(10))), (room("R", 5),), ())
    assert place_sessions(ev) == ()


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

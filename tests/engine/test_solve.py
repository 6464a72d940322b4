"""The engine on tiny events whose best schedules can be worked out by hand."""

from __future__ import annotations

import time
from datetime import date

import pytest
from support.shapes import small_event

from scheduler import build
from scheduler.engine.solve import SolveError, SolveOptions, solve
from scheduler.model import Attendee, FixedMeeting, Room, Session, Settings, Unavailability
from scheduler.verify import verify

DAY = date(2017, 6, 5)
FAST = SolveOptions(time_limit=5, workers=1, seed=0, session_time_limit=2)


def person(id: str, org: str | None = None, **kw: object) -> Attendee:
    return Attendee(id=id, name=f"Person {id}", organization=org or f"Org {id}", **kw)


def one_room(tables: int = 5) -> list[Room]:
    return [Room("Canadian Room", "Meetings", tables=tables)]


def solved(event):
    schedule = solve(event, FAST)
    assert verify(event, schedule) == []
    return schedule


def reason(schedule, a: str, b: str) -> str:
    pair = tuple(sorted((a.casefold(), b.casefold())))
    return next(u.reason for u in schedule.unscheduled if (u.a, u.b) == pair)


def test_one_request_one_slot_gives_one_meeting_at_the_slot():
    # 9:00-9:20 fits one 20-minute meeting; its 5-minute buffer needs no room.
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "9:20")],
        rooms=one_room(),
        attendees=[person("A"), person("B")],
        asks=[("A", "B")],
    )
    s = solved(ev)
    assert [(m.a, m.b, m.slot, m.table_name) for m in s.meetings] == [("a", "b", 0, "T1")]
    assert s.figures.score == 2.0 and s.figures.bound == pytest.approx(2.0)


def test_a_single_table_goes_to_the_high_priority_request():
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "9:20")],
        rooms=one_room(tables=1),
        attendees=[person(x) for x in "ABCD"],
        asks=[("A", "B", 3), ("C", "D", 1)],
    )
    s = solved(ev)
    assert [m.pair for m in s.meetings] == [("c", "d")]
    assert reason(s, "A", "B") == "no table free at the common free times"


def test_a_busy_attendee_keeps_the_requests_that_score_most():
    # B has two slots and three requests: High (4) and mutual Medium (3) beat Low (1).
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "9:45")],
        rooms=one_room(),
        attendees=[person(x) for x in "ABCD"],
        asks=[("A", "B", 1), ("C", "B", 2), ("B", "C", 2), ("D", "B", 3)],
    )
    s = solved(ev)
    assert sorted(m.pair for m in s.meetings) == [("a", "b"), ("b", "c")]
    assert s.figures.score == 4 + 3
    assert "fully booked" in reason(s, "D", "B")


def test_pairs_that_may_never_meet_are_listed_with_the_reason():
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:00")],
        rooms=one_room(),
        attendees=[
            person("A", languages=("French",)),
            person("B", languages=("English",)),
            person("C", org="Acme"),
            person("D", org="acme "),
            person("E"),
        ],
        asks=[("A", "B"), ("C", "D"), ("E", "A"), ("A", "E", 0)],
    )
    s = solved(ev)
    assert s.meetings == ()
    assert reason(s, "A", "B") == "no shared language"
    assert reason(s, "C", "D") == "same organization"
    assert reason(s, "A", "E").startswith("declined")


def test_a_team_meets_as_one_party_and_each_member_must_be_free():
    # T1 and T2 form one team; T2 is unavailable in the first slot.
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "9:45")],
        rooms=one_room(),
        attendees=[person("T1", org="Team Org", team="crew"), person("T2", org="Team Org", team="crew"), person("B")],
        asks=[("B", "T1")],
        unavailable=[Unavailability("t2", build.at(DAY, "9:00"), build.at(DAY, "9:20"))],
    )
    s = solved(ev)
    assert [(m.pair, m.slot) for m in s.meetings] == [(("b", "team:crew"), 1)]


def test_a_host_keeps_one_table_and_nobody_else_sits_at_it():
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:10")],
        rooms=one_room(tables=3),
        attendees=[person("H", host=True), person("A"), person("B"), person("C"), person("D")],
        asks=[("A", "H"), ("B", "H"), ("C", "D")],
    )
    s = solved(ev)
    host_tables = {m.table for m in s.meetings if "h" in m.pair}
    assert len(host_tables) == 1
    assert all(m.table not in host_tables for m in s.meetings if "h" not in m.pair)


def test_daily_cap_and_pause_rule_limit_meetings():
    # Three back-to-back slots; at most two in a row; A asks three people.
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:10")],
        rooms=one_room(),
        attendees=[person(x) for x in "ABCD"],
        asks=[("A", "B"), ("A", "C"), ("A", "D")],
        settings=Settings(name="x", max_consecutive_meetings=2),
    )
    s = solved(ev)
    assert len(s.meetings) == 2
    capped = build.event(
        blocks=[build.block(DAY, "9:00", "10:10")],
        rooms=one_room(),
        attendees=[person("A", max_meetings_per_day=1), person("B"), person("C")],
        asks=[("A", "B", 1), ("A", "C", 3)],
    )
    s = solved(capped)
    assert [m.pair for m in s.meetings] == [("a", "b")]
    assert "limit" in reason(s, "A", "C")


def test_attendees_are_not_booked_during_the_sessions_they_attend():
    # The session period 9:00-9:45 overlaps the first two meeting slots.
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:10"), build.block(DAY, "9:00", "9:45", "Sessions")],
        rooms=one_room() + [Room("Library", "Sessions", capacity=50)],
        attendees=[person("A", sessions=("s1",)), person("B")],
        sessions=[Session("S1", "Batteries")],
        asks=[("A", "B")],
    )
    s = solved(ev)
    assert [m.slot for m in s.meetings] == [2]


def test_fixed_meetings_are_kept_and_impossible_ones_explained():
    blocks = [build.block(DAY, "9:00", "10:10")]
    people = [person("A"), person("B"), person("C", languages=("French",))]
    ev = build.event(
        blocks=blocks,
        rooms=one_room(),
        attendees=people,
        asks=[("A", "B")],
        fixed=[FixedMeeting("a", "b", build.at(DAY, "9:50"), "canadian room", 2, "f.xlsx › Fixed meetings › row 2")],
    )
    s = solved(ev)
    assert [(m.slot, m.table, m.fixed) for m in s.meetings] == [(2, 2, True)]
    bad = build.event(
        blocks=blocks,
        rooms=one_room(),
        attendees=people,
        fixed=[FixedMeeting("a", "c", build.at(DAY, "9:00"), origin="f.xlsx › Fixed meetings › row 3")],
    )
    with pytest.raises(SolveError) as err:
        solve(bad, FAST)
    assert "row 3" in str(err.value) and "no shared language" in str(err.value)


def test_spare_tables_are_kept_free():
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "9:20")],
        rooms=one_room(tables=3),
        attendees=[person(x) for x in "ABCDEF"],
        asks=[("A", "B"), ("C", "D"), ("E", "F")],
        settings=Settings(name="x", spare_tables=1),
    )
    assert len(solved(ev).meetings) == 2


def test_same_seed_and_workers_give_the_same_schedule():
    people = [person(f"P{i}") for i in range(12)]
    asks = [(f"P{i}", f"P{(i * 5 + 3) % 12}", 1 + i % 3) for i in range(12)]
    asks += [(f"P{i}", f"P{(i + 1) % 12}") for i in range(12)]
    ev = build.event(blocks=[build.block(DAY, "9:00", "10:10")], rooms=one_room(tables=2), attendees=people, asks=asks)
    assert solve(ev, FAST).meetings == solve(ev, FAST).meetings


def test_a_session_too_large_for_every_room_is_explained():
    ev = build.event(
        blocks=[build.block(DAY, "9:00", "10:10"), build.block(DAY, "11:00", "12:00", "Sessions")],
        rooms=one_room() + [Room("Library", "Sessions", capacity=1)],
        attendees=[person("A", sessions=("s1",)), person("B", sessions=("s1",))],
        sessions=[Session("S1", "Batteries")],
    )
    with pytest.raises(SolveError) as err:
        solve(ev, FAST)
    assert "S1" in str(err.value) and "Library" in str(err.value)


@pytest.mark.parametrize("seed", [0, 1, 3, 9, 10, 12])  # with hosts, teams, fixed meetings, a session
def test_a_time_limit_already_spent_gives_a_valid_schedule_at_once(seed: int) -> None:
    # A limit no phase can keep: each phase stops at its first check of the
    # clock, so the search places nothing beyond the fixed meetings, and what
    # comes out still keeps every rule and says why each request is not met.
    event = small_event(seed)
    schedule = solve(event, SolveOptions(time_limit=1e-6, workers=1))
    assert verify(event, schedule) == []
    assert [name for name, _ in schedule.figures.phases] == [
        "sessions", "bound", "construct", "improve", "compact", "tables"
    ]
    fixed = {tuple(sorted((event.party_of[f.a], event.party_of[f.b]))) for f in event.fixed}
    assert {m.pair for m in schedule.meetings} == fixed
    wanted = {r.pair for r in event.requests}
    assert {(u.a, u.b) for u in schedule.unscheduled} == wanted - fixed
    assert all(u.reason for u in schedule.unscheduled)
    assert schedule.figures.bound >= schedule.figures.score
    assert not schedule.figures.repeatable  # the clock, not the planned work, ended the phases


@pytest.mark.parametrize("weight", [0.0, 0.5])
def test_the_objective_is_what_the_engine_maximised(weight: float) -> None:
    # A-B and C-D meet (4 parties with a meeting). At weight 0 fairness only
    # breaks ties, so the objective is the standard score; above 0 each party
    # with a meeting adds the weight, in points.
    event = build.event(
        blocks=[build.block(DAY, "9:00", "9:45")],
        rooms=one_room(),
        attendees=[person(x) for x in "ABCDE"],
        asks=[("A", "B"), ("C", "D")],
        settings=Settings(name="Fairness", fairness_weight=weight),
    )
    figures = solved(event).figures
    assert figures.objective == figures.score + weight * 4


def test_the_same_run_gives_the_same_schedule_however_long_the_earlier_phases_took(tmp_path, monkeypatch) -> None:
    # The search's work is planned from the time limit, never from the
    # seconds left after the earlier phases, which vary from run to run:
    # a constructive phase three seconds slower must change nothing.
    from scheduler.engine import place
    from scheduler.engine.params import ComfortParams, EngineParams
    from scheduler.engine.solve import sessions_for
    from scheduler.example import write_example
    from scheduler.io.read import read_event

    event = read_event(write_example(tmp_path / "e.xlsx", attendees=120, seed=5)).event
    params = EngineParams(deterministic_per_second=0.02, comfort=ComfortParams(steps_per_second=1))
    options = SolveOptions(time_limit=30, workers=1, seed=0, params=params)
    placements = sessions_for(event, options)
    first = solve(event, options, placements=placements)
    construct = place.construct

    def slow(*args, **kwargs):
        time.sleep(3)
        return construct(*args, **kwargs)

    monkeypatch.setattr(place, "construct", slow)
    second = solve(event, options, placements=placements)
    assert first.figures.repeatable and second.figures.repeatable
    assert first.figures.score < first.figures.bound  # the search had work to do, not a bound to stop at
    assert second.meetings == first.meetings


def test_a_session_search_the_clock_ends_makes_the_run_not_repeatable(tmp_path) -> None:
    # The session phase must end by 2% of the limit (0.24 s), well before its
    # work is done on 120 attendees: the placement found by then is used,
    # and the Summary must not promise that a second run gives the same.
    from scheduler.engine.params import EngineParams, StageShares
    from scheduler.example import write_example
    from scheduler.io.read import read_event

    event = read_event(write_example(tmp_path / "e.xlsx", attendees=120, seed=5)).event
    quick = EngineParams(deterministic_per_second=0.01)
    rushed = EngineParams(deterministic_per_second=0.01, stages=StageShares(sessions_end=0.02))
    schedule = solve(event, SolveOptions(time_limit=12, workers=1, params=rushed))
    assert verify(event, schedule) == []
    assert len(schedule.sessions) == len(event.sessions)
    assert not schedule.figures.repeatable
    assert solve(event, SolveOptions(time_limit=12, workers=1, params=quick)).figures.repeatable

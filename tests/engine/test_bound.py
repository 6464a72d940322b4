"""The upper bound is a bound, and the engine reaches known optima.

Exact optima come from one CP-SAT model of the whole contract
(tests/support/exact.py), written without the engine's code. For every event:
bound >= optimum >= engine score. Five small events are kept as workbooks
under tests/engine/instances with their optima in optima.json, as PyJobShop
keeps la01 with its known optimum.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from support.exact import optimum
from support.shapes import small_event

from scheduler.engine import bound as bound_mod
from scheduler.engine.instance import build
from scheduler.engine.solve import SolveError, SolveOptions, sessions_for, solve
from scheduler.io.read import read_event
from scheduler.verify import verify

INSTANCES = Path(__file__).parent / "instances"
OPTIMA: dict[str, float] = json.loads((INSTANCES / "optima.json").read_text())
OPTIONS = SolveOptions(time_limit=2, workers=2, seed=0, session_time_limit=0.5)


def check(bound: float, best: float, score: float) -> None:
    assert bound >= best - 1e-6, f"the bound {bound} is below a schedule that exists ({best})"
    assert best >= score - 1e-6, f"the engine's score {score} is above the exact optimum {best}"


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_kept_instances_are_solved_to_their_known_optimum_under_a_valid_bound(name: str):
    event = read_event([INSTANCES / name]).event
    schedule = solve(event, OPTIONS)
    assert [p.render() for p in verify(event, schedule)] == []
    check(schedule.figures.bound, OPTIMA[name], schedule.figures.score)
    assert schedule.figures.score == OPTIMA[name]


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_the_exact_model_still_finds_the_kept_optima(name: str):
    event = read_event([INSTANCES / name]).event
    assert optimum(event, sessions_for(event, OPTIONS)) == OPTIMA[name]


@pytest.mark.parametrize("seed", range(30))
def test_random_shapes_bound_optimum_and_engine_in_order(seed: int):
    event = small_event(seed)  # hosts from none to 40%, teams, caps, pauses, presence, sessions, fixed
    try:
        schedule = solve(event, OPTIONS)
    except SolveError as err:
        assert all(len(r) > 20 for r in err.reasons)  # explained, in words
        return
    best = optimum(event, schedule.sessions)
    assert best is not None
    check(schedule.figures.bound, best, schedule.figures.score)
    assert schedule.figures.score == best  # these events are small enough for the engine's exact steps


def test_many_hosts_with_scarce_tables_bound_and_optimum():
    for seed in range(5):
        event = small_event(seed, attendees=10, hosts=0.4)
        try:
            schedule = solve(event, OPTIONS)
        except SolveError:
            continue
        check(schedule.figures.bound, optimum(event, schedule.sessions), schedule.figures.score)


def test_a_planted_wrong_bound_is_caught():
    """The old rule (every host present holds a table all day before anything
    is decided) gives a "bound" below the optimum on a host-heavy event: the
    check must fail on it, or it could not see a wrong bound."""
    event = read_event([INSTANCES / "hosts-all.xlsx"]).event
    inst = build(event, sessions_for(event, OPTIONS))
    present = {d: sum(any(inst.day_of[s] == d for s in inst.free[h]) for h in inst.hosts) for d in event.days}
    planted = replace(inst, capacity=[max(0, c - present[inst.day_of[s]]) for s, c in enumerate(inst.capacity)])
    with pytest.raises(AssertionError, match="below a schedule that exists"):
        check(bound_mod.solve_bound(planted).value, OPTIMA["hosts-all.xlsx"], 0.0)


def test_the_capacity_bound_stands_when_the_lp_has_no_time():
    event = read_event([INSTANCES / "hosts-40.xlsx"]).event
    inst = build(event, sessions_for(event, OPTIONS))
    quick = bound_mod.solve_bound(inst, time_limit=0)
    assert quick.method == bound_mod.CAPACITY
    assert quick.value >= OPTIMA["hosts-40.xlsx"]
    assert quick.value >= bound_mod.solve_bound(inst).value


def _one_table_event(host_priority: int):
    from datetime import date

    from scheduler import build
    from scheduler.model import Attendee, Room

    day = date(2017, 6, 5)
    people = [Attendee("H", "Hana Host", "Hosts Inc", host=True)] + [
        Attendee(x, f"{x} Person", f"{x} Org") for x in ("A", "B", "C", "D")
    ]
    return build.event(
        blocks=[build.block(day, "9:00", "9:45")],  # two slots
        rooms=[Room("Hall", "Meetings", tables=1)],
        attendees=people,
        asks=[("A", "H", host_priority), ("B", "H", host_priority), ("C", "D", 1)],
    )


def test_a_host_gets_the_only_table_when_its_meetings_are_worth_more():
    event = _one_table_event(host_priority=1)  # two High at home (8) against one High in the pool (4)
    schedule = solve(event, OPTIONS)
    assert schedule.figures.score == 8 == optimum(event, schedule.sessions)
    assert {m.pair for m in schedule.meetings} == {("a", "h"), ("b", "h")}
    assert [u.reason for u in schedule.unscheduled] == ["no table free at the common free times"]
    assert schedule.home_tables == (("h", "2017-06-05", "Hall", 1),)


def test_a_host_holds_no_table_when_the_pool_meeting_is_worth_more():
    event = _one_table_event(host_priority=3)  # two Low at home (2) against one High in the pool (4)
    schedule = solve(event, OPTIONS)
    assert schedule.figures.score == 4 == optimum(event, schedule.sessions)
    assert [m.pair for m in schedule.meetings] == [("c", "d")]
    assert schedule.home_tables == ()
    reasons = {u.reason for u in schedule.unscheduled}
    assert reasons == {"no home table for host Hana Host on Mon 05 Jun: every table is taken all day by meetings worth more"}


def test_an_lp_too_large_for_its_time_is_not_tried_and_the_capacity_bound_stands():
    event = read_event([INSTANCES / "hosts-40.xlsx"]).event
    inst = build(event, sessions_for(event, OPTIONS))
    columns = sum(len({inst.day_of[s] for s in inst.common(r)}) for r in range(len(inst.ends)))
    skipped = bound_mod.solve_bound(inst, time_limit=1.0, max_columns=columns / 2)
    assert skipped.method == bound_mod.TOO_LARGE
    assert skipped.value == pytest.approx(bound_mod.capacity_bound(inst), abs=1e-5)
    assert skipped.value >= OPTIMA["hosts-40.xlsx"]
    tried = bound_mod.solve_bound(inst, time_limit=1.0, max_columns=columns)
    assert tried.method == bound_mod.LP


def test_a_meeting_of_two_hosts_counts_at_the_table_it_sits_at():
    # One table all day, four slots, at most two meetings a day each: only one
    # host can hold the table, and it carries two meetings (8). Counting the
    # hosts' meeting against neither host's table let half a table each carry
    # it in full, a "bound" of 12.
    from datetime import date

    from scheduler import build
    from scheduler.model import Attendee, Room, Settings

    day = date(2017, 6, 5)
    people = [Attendee("H", "Hana Host", "Hosts Inc", host=True), Attendee("K", "Kim Host", "Kiosk Ltd", host=True)]
    people += [Attendee(x, f"{x} Person", f"{x} Org") for x in ("A", "B", "C", "D")]
    event = build.event(
        blocks=[build.block(day, "9:00", "10:40")],
        rooms=[Room("Hall", "Meetings", tables=1)],
        attendees=people,
        asks=[("H", "K", 1), ("A", "H", 1), ("B", "H", 1), ("C", "K", 1), ("D", "K", 1)],
        settings=Settings(name="two hosts", max_meetings_per_day=2),
    )
    schedule = solve(event, OPTIONS)
    assert schedule.figures.bound_method.startswith("LP")
    assert schedule.figures.score == 8 == optimum(event, schedule.sessions)
    assert schedule.figures.bound < 8.5
    assert [p.render() for p in verify(event, schedule)] == []


def test_ctrl_c_during_the_lp_returns_at_once_without_the_lp():
    # HiGHS cannot be interrupted: the engine must go on without waiting for it.
    release, started = threading.Event(), threading.Event()

    class BusySolver:
        def Solve(self) -> int:
            started.set()
            release.wait(30)
            return 0

    stop = threading.Event()
    threading.Thread(target=lambda: (started.wait(5), stop.set()), daemon=True).start()
    assert bound_mod._solve_interruptibly(BusySolver(), stop) is None
    assert not release.is_set()  # returned while the solve was still running
    release.set()


def test_the_lp_solver_prints_nothing(capfd):
    event = read_event([INSTANCES / "hosts-40.xlsx"]).event
    inst = build(event, sessions_for(event, OPTIONS))
    assert bound_mod.solve_bound(inst).method == bound_mod.LP
    out, _ = capfd.readouterr()
    assert "HiGHS" not in out

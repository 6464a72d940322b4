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
from scheduler.engine.params import EngineParams, StageShares
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


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_the_interior_point_method_gives_the_simplex_bound_from_its_threshold_on(name: str, monkeypatch):
    event = read_event([INSTANCES / name]).event
    inst = build(event, sessions_for(event, OPTIONS))
    columns = sum(len({inst.day_of[s] for s in inst.common(r)}) for r in range(len(inst.ends)))
    chosen: list[bool] = []
    set_options = bound_mod._set_options
    monkeypatch.setattr(bound_mod, "_set_options", lambda solver, interior: (chosen.append(interior), set_options(solver, interior)))
    simplex = bound_mod.solve_bound(inst, interior_from=columns + 1)
    interior = bound_mod.solve_bound(inst, interior_from=columns)
    assert chosen == [False, True]
    assert interior.method == simplex.method == bound_mod.LP
    assert interior.value == pytest.approx(simplex.value, abs=1e-5)
    check(interior.value, OPTIMA[name], 0.0)
    # Its crossover ends at a vertex, as the simplex does: a guide of shares within [0, 1].
    assert all(-1e-9 <= share <= 1 + 1e-9 for share in interior.share)


@pytest.mark.parametrize("columns, interior", [(0, True), (10**9, False)])
def test_the_run_solves_its_lp_by_the_method_its_params_choose(columns: int, interior: bool, monkeypatch):
    event = read_event([INSTANCES / "hosts-40.xlsx"]).event
    chosen: list[bool] = []
    set_options = bound_mod._set_options
    monkeypatch.setattr(bound_mod, "_set_options", lambda solver, flag: (chosen.append(flag), set_options(solver, flag)))
    schedule = solve(event, replace(OPTIONS, params=EngineParams(lp_interior_point_columns=columns)))
    assert chosen == [interior]
    check(schedule.figures.bound, OPTIMA["hosts-40.xlsx"], schedule.figures.score)
    assert not verify(event, schedule)


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


def _recorded_lp(name: str):
    """A kept instance's LP, built as the dual bound builds it, with its weights."""
    import numpy as np
    from ortools.linear_solver import pywraplp

    event = read_event([INSTANCES / name]).event
    inst = build(event, sessions_for(event, OPTIONS))
    lp = bound_mod._Builder(pywraplp.Solver.CreateSolver("GLOP"), record=True)
    x, _ = bound_mod._build(inst, set(), lp, None, None)
    weights = np.zeros(len(lp.lower))
    for (r, _), var in x.items():
        weights[var.index()] = inst.weight[r]
    return inst, lp, weights


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_any_multipliers_give_a_bound_above_the_optimum(name: str):
    # Weak duality holds for every multiplier, of any sign and size: random
    # ones give weak bounds, never one below the known optimum.
    import numpy as np

    inst, lp, weights = _recorded_lp(name)
    rng = np.random.default_rng(7)
    for scale in (0.0, 0.5, 5.0, 50.0):
        pi = rng.normal(0.0, scale * 100, len(lp.rows))
        check(bound_mod.lagrangian_bound(lp, weights, pi) / 100, OPTIMA[name], 0.0)


def test_a_planted_wrong_dual_bound_is_caught():
    """Planted: a bound that forgets the variables' upper limits (as if each
    could only be 0) drops what the meetings themselves are worth, and falls
    below the optimum: the check must catch it."""
    import numpy as np

    inst, lp, weights = _recorded_lp("hosts-none.xlsx")
    pi = np.zeros(len(lp.rows))
    assert bound_mod.lagrangian_bound(lp, weights, pi) / 100 >= OPTIMA["hosts-none.xlsx"]
    planted = bound_mod._Builder(lp.solver, record=True)
    planted.lower, planted.upper, planted.rows = lp.lower, [0.0] * len(lp.upper), lp.rows
    with pytest.raises(AssertionError, match="below a schedule that exists"):
        check(bound_mod.lagrangian_bound(planted, weights, pi) / 100, OPTIMA["hosts-none.xlsx"], 0.0)


@pytest.mark.parametrize("name", ["hosts-40.xlsx", "hosts-10.xlsx"])
def test_the_dual_bound_is_never_below_the_lp_bound_and_reaches_it(name: str):
    event = read_event([INSTANCES / name]).event
    inst = build(event, sessions_for(event, OPTIONS))
    lp_value = bound_mod.solve_bound(inst).value
    dual = bound_mod.dual_bound(inst, set(), seconds=10.0)  # PDLP ends sooner, at its optimum
    assert dual is not None
    assert lp_value - 1e-6 <= dual <= lp_value * 1.001 + 0.5


def test_when_the_simplex_does_not_finish_the_time_left_gives_a_dual_bound(monkeypatch):
    event = read_event([INSTANCES / "hosts-40.xlsx"]).event  # capacity bound 15, LP bound 14.33
    monkeypatch.setattr(bound_mod, "_solve_lp", lambda *args: None)  # as if HiGHS ran out of time
    # The search takes its whole budget without a tight bound; 0.2 s left suffice on this small LP.
    params = EngineParams(stages=StageShares(late_bound_min_seconds=0.2))
    schedule = solve(event, replace(OPTIONS, time_limit=6, params=params))
    figures = schedule.figures
    assert figures.bound_method == bound_mod.DUAL
    assert [name for name, _ in figures.phases][-2:] == ["late bound", "tables"]
    check(figures.bound, OPTIMA["hosts-40.xlsx"], figures.score)
    inst = build(event, schedule.sessions)
    assert figures.bound < bound_mod.capacity_bound(inst)
    assert figures.solve_seconds <= 6


def test_ctrl_c_ends_the_dual_bound_after_the_slice_it_is_in():
    # PDLP holds the interpreter while it runs: Ctrl-C is seen between slices.
    import time

    event = read_event([INSTANCES / "hosts-40.xlsx"]).event
    inst = build(event, sessions_for(event, OPTIONS))
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    value = bound_mod.dual_bound(inst, set(), seconds=30.0, stop=stop, slice_seconds=0.3)
    assert time.monotonic() - started < 3.0
    assert value is None or value >= OPTIMA["hosts-40.xlsx"]

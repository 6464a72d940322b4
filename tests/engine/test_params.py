"""The engine's tuning values: one frozen object whose values reach the phases,
and which refuses values that would break the time limit."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from support.phase_events import DAY, event

from scheduler.engine import repair
from scheduler.engine import solve as solve_mod
from scheduler.engine.compact import compact, idle
from scheduler.engine.instance import build as build_instance
from scheduler.engine.params import ComfortParams, ConstructParams, EngineParams, LnsParams, StageShares
from scheduler.engine.solve import SolveOptions
from scheduler.engine.timetable import Timetable


def neighbourhood_sizes(monkeypatch: pytest.MonkeyPatch, params: LnsParams) -> list[int]:
    """Parties in each neighbourhood the search frees, on ten parties who all
    ask each other with one table (4 meetings for 45 requests: always unmet)."""
    ids = "ABCDEFGHIJ"
    inst = build_instance(event(ids, [(x, y) for i, x in enumerate(ids) for y in ids[i + 1 :]], tables=1), ())
    table = Timetable(inst)
    sizes: list[int] = []
    real = repair._neighbourhoods

    def spy(*args: Any) -> list[list[str]]:
        hoods = real(*args)
        sizes.extend(len(h) for h in hoods)
        return hoods

    def ten_rounds(stats: repair.LnsStats) -> None:
        if stats.steps >= 10:
            raise Enough

    with monkeypatch.context() as patch, contextlib.suppress(Enough):
        patch.setattr(repair, "_neighbourhoods", spy)
        repair.improve(
            inst, table, budget=1.0, wall_limit=20.0, target=sum(inst.weight), seed=0, workers=1,
            progress=ten_rounds, params=params,
        )
    return sizes


class Enough(Exception):
    """Ends the search after a few rounds (tiny sub-models use almost no budget)."""


def test_a_smaller_neighbourhood_size_reaches_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    small = neighbourhood_sizes(monkeypatch, LnsParams(start_size=4, min_size=4, max_size=4))
    default = neighbourhood_sizes(monkeypatch, LnsParams())
    assert small and max(small) <= 4
    assert max(default) > 4


def test_no_greedy_comfort_pass_leaves_the_idle_gap() -> None:
    # A meets B in slot 0 and C in slot 3: the greedy pass closes the gap,
    # unless the parameters give it no pass.
    inst = build_instance(event("ABC", [("A", "B"), ("A", "C")]), ())
    table = Timetable(inst)
    table.place(inst.ends.index(("a", "b")), 0)
    table.place(inst.ends.index(("a", "c")), 3)
    assert compact(inst, table, params=ComfortParams(greedy_passes=0)).moves == 0
    assert idle(table, "a", DAY) == 2
    assert compact(inst, table).moves == 1
    assert idle(table, "a", DAY) == 0


def test_the_default_session_time_follows_its_share_within_its_bounds() -> None:
    stages = StageShares(sessions_share=0.1, sessions_min_seconds=2.0, sessions_max_seconds=5.0)

    def seconds(limit: float, session_limit: float | None = None) -> float:
        options = SolveOptions(time_limit=limit, session_time_limit=session_limit, params=EngineParams(stages))
        return options.session_seconds

    assert seconds(30) == pytest.approx(3.0)
    assert seconds(5) == 2.0
    assert seconds(600) == 5.0
    assert seconds(600, session_limit=7.0) == 7.0  # an explicit limit wins


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"improve_end": 1.2}, "improve_end"),  # past the time limit
        ({"bound_end": 0.9}, "bound_end"),  # the bound would end after construction
        ({"comfort_share": 0.0}, "comfort_share"),
        ({"sessions_min_seconds": 40.0}, "sessions_min_seconds"),
    ],
)
def test_stage_shares_that_would_break_the_time_limit_are_refused(change: dict[str, float], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        StageShares(**change)


@pytest.mark.parametrize(
    "make",
    [
        lambda: LnsParams(start_size=200),  # above max_size
        lambda: LnsParams(min_step_work=1.0),  # above max_step_work
        lambda: LnsParams(min_steps=0),
        lambda: ComfortParams(parties=0),
        lambda: ConstructParams(reserve_at=()),
        lambda: ConstructParams(reserve_at=(0.5, 1.5)),
        lambda: EngineParams(deterministic_per_second=-0.1),
        lambda: EngineParams(lp_interior_point_columns=-1),
    ],
)
def test_search_values_that_would_stall_a_phase_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


def test_the_params_of_the_solve_options_reach_the_construction_the_search_and_the_comfort_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    params = EngineParams(
        construct=ConstructParams(reserve_at=(0.7,)), lns=LnsParams(start_size=12), comfort=ComfortParams(parties=4)
    )
    seen: list[object] = []
    improve, comfort = solve_mod.repair.improve, solve_mod.compact.compact

    def search(*args: Any, **kwargs: Any) -> repair.LnsStats:
        seen.append(kwargs["params"])
        return improve(*args, **kwargs)

    def compact_pass(*args: Any, **kwargs: Any) -> int:
        seen.append(kwargs["params"])
        return comfort(*args, **kwargs)

    def construct(*args: Any, **kwargs: Any) -> bool:
        seen.append(args[6])
        return place(*args, **kwargs)

    place = solve_mod.place.construct
    monkeypatch.setattr(solve_mod.place, "construct", construct)
    monkeypatch.setattr(solve_mod.repair, "improve", search)
    monkeypatch.setattr(solve_mod.compact, "compact", compact_pass)
    ev = event("ABC", [("A", "B"), ("A", "C"), ("B", "C")], tables=1)
    solve_mod.solve(ev, SolveOptions(time_limit=2, workers=1, session_time_limit=0.5, params=params))
    assert seen == [params.construct.reserve_at, params.lns, params.comfort]


def test_a_short_search_is_spread_over_many_sub_models() -> None:
    lns = LnsParams()  # at least 20 sub-models, each between 0.05 and 0.5 units of work
    assert lns.most_step_work(2.0) == pytest.approx(0.1)  # 400 attendees at 10 s
    assert lns.most_step_work(12.0) == 0.5  # 1,500 at 60 s: the cap as before
    assert lns.most_step_work(0.2) == 0.05  # never below the least a sub-model needs

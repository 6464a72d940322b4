"""Placing the sessions: the goals minimised in turn, each held at the value
found while the next ones are improved."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.model import Event, key_of
from scheduler.schedule import SessionPlacement

from .. import cpsat
from .explanation import explain_infeasible
from .first_fit import naive_placement
from .goals import Chosen, Goal, as_placements, goals
from .model import DETERMINISTIC_PER_SECOND, HardModel, hard_model, parameters
from .options import Options, SessionPlacementError, all_options

# Share of the remaining deterministic time given to each stage; clashes are
# the hard part, the later stages start from a good hint.
STAGE_SHARE = {"clashes": 0.5, "tracks": 0.3, "rooms": 0.3, "fit": 0.5, "meetings": 1.0}
STAGE_FLOOR = 0.1


def place_sessions(
    event: Event,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    meeting_load: Mapping[str, float] | None = None,
    deadline: float | None = None,
    stop: threading.Event | None = None,
) -> tuple[SessionPlacement, ...]:
    """Place every session; raises SessionPlacementError with plain reasons when it cannot.

    ``deadline`` (time.monotonic()): a wall clock the search keeps once it
    has a placement (``solve`` gives twice ``time_limit``, so that on a
    machine up to twice slower than the calibration the work budget, not the
    clock, ends it and the placement stays repeatable).

    ``time_limit`` (seconds) becomes a CP-SAT deterministic-time budget, so
    that the same inputs, seed and workers give the same placement whatever
    the machine's load; wall-clock time follows it only roughly. A set
    ``stop`` (Ctrl-C) ends the search with the best placement found so far."""
    if not event.sessions:
        return ()
    options = all_options(event)
    hm = hard_model(event, options, [s.key for s in event.sessions])
    budget = time_limit * DETERMINISTIC_PER_SECOND
    chosen = _solve_in_stages(
        event, options, hm, goals(event, options, hm, meeting_load), budget, seed, workers, deadline, stop
    )
    return as_placements(event, chosen)


def sessions_infeasible(event: Event, seconds: float = 5.0) -> list[str]:
    """Why no placement of all the sessions exists, when one cannot (sessions
    of one speaker in overlapping periods, …); [] when first fit places them
    all or the search finds a placement, or cannot tell, within ``seconds``.
    What ``scheduler validate`` adds to the per-session checks of
    :func:`all_options`, so that its "OK" means the session phase starts."""
    if not event.sessions or len(naive_placement(event)) == len(event.sessions):
        return []
    options = all_options(event)
    hm = hard_model(event, options, [s.key for s in event.sessions])
    solver = cp_model.CpSolver()
    parameters(solver, seconds * DETERMINISTIC_PER_SECOND, 0, 1)
    if cpsat.solve(solver, hm.model) == cp_model.INFEASIBLE:
        return explain_infeasible(event, options)
    return []


def _solve_in_stages(
    event: Event,
    options: Options,
    hm: HardModel,
    stages: list[Goal],
    budget: float,
    seed: int,
    workers: int,
    deadline: float | None = None,
    stop: threading.Event | None = None,
) -> Chosen:
    """Minimise each goal in turn, holding the earlier ones at the values found.
    ``budget`` is deterministic time for all stages together."""
    remaining = budget
    chosen = _first_fit_hint(event, hm)
    for goal in stages:
        if stop is not None and stop.is_set() and chosen is not None:
            break  # Ctrl-C: keep what was found
        if isinstance(goal.cost, int):  # nothing to choose in this goal
            continue
        if chosen is not None and goal.value(chosen) <= goal.lower:
            hm.model.add(goal.cost <= goal.lower)  # already as good as it gets
            continue
        hm.model.minimize(goal.cost)
        solver = cp_model.CpSolver()
        # A floor, so that a stage that overran (interleaved search checks the
        # limit only between batches) does not starve the later ones.
        share = max(remaining * STAGE_SHARE[goal.name], STAGE_FLOOR * budget)
        parameters(solver, share, seed, workers, deadline if chosen is not None else None)
        status = cpsat.solve(solver, hm.model, stop)
        remaining = max(0.0, remaining - solver.deterministic_time)
        if status == cp_model.INFEASIBLE:
            raise SessionPlacementError(explain_infeasible(event, options))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = frozenset(t for t, v in hm.x.items() if solver.value(v))
            _hint(hm, options, solver.response_proto.solution, chosen)
        if chosen is not None:
            # The true value, not the objective: helper booleans may be loose.
            hm.model.add(goal.cost <= goal.value(chosen))
    if chosen is None:
        chosen = _feasible_only(event, options, hm, max(remaining, 0.25), seed, workers)
    return chosen


def _first_fit_hint(event: Event, hm: HardModel) -> Chosen | None:
    """Start from first fit when it places every session: the search then
    never ends worse than the baseline, even when cut short."""
    first = naive_placement(event)
    if len(first) < len(event.sessions):
        return None
    chosen = frozenset((pl.session, pl.period, event.room[key_of(pl.room)].key) for pl in first)
    for t, v in hm.x.items():
        hm.model.add_hint(v, t in chosen)
    return chosen if all(t in hm.x for t in chosen) else None


def _hint(hm: HardModel, options: Options, values: Sequence[int], chosen: Chosen) -> None:
    """Start the next stage from this solution, helper variables included and
    the overlap booleans set to their true values, so that the next stage's
    CP-SAT finds it again at once."""
    values = list(values)
    when = {s: options.period[p].interval for s, p, _ in chosen}
    for (s, t), o in hm.overlap.items():
        values[o.index] = int(when[s].overlaps(when[t]))
    hm.model.proto.clear_solution_hint()
    hm.model.proto.solution_hint.vars.extend(range(len(values)))
    hm.model.proto.solution_hint.values.extend(values)


def _feasible_only(
    event: Event, options: Options, hm: HardModel, budget: float, seed: int, workers: int
) -> Chosen:
    """Any placement at all (no goal stage ran, or none found one in time)."""
    hm.model.proto.clear_objective()
    hm.model.proto.clear_floating_point_objective()
    solver = cp_model.CpSolver()
    parameters(solver, budget, seed, workers)
    status = cpsat.solve(solver, hm.model)
    if status == cp_model.INFEASIBLE:
        raise SessionPlacementError(explain_infeasible(event, options))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SessionPlacementError(
            ["no placement of the sessions was found within the time limit; allow more time for sessions"]
        )
    return frozenset(t for t, v in hm.x.items() if solver.value(v))

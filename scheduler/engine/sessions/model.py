"""The hard model of the sessions (one period and room each, no room or
speaker double-booked) and how CP-SAT is set up to solve it."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ortools.sat.python import cp_model

from scheduler.model import Event, Period

from .options import Options

# CP-SAT deterministic time per second of the sessions' time_limit. It is the
# sessions' own calibration, set when the session model was written and not
# measured since; it is not the meetings engine's constant
# (EngineParams.deterministic_per_second, 0.15, measured on the LNS sub-models),
# so a second of the sessions' limit may run longer than a wall second on the
# reference machine. Once a placement is found, the deadline ``place_sessions``
# gets keeps the wall clock.
DETERMINISTIC_PER_SECOND = 0.25

Triple = tuple[str, int, str]  # (session, period, room)


@dataclass
class HardModel:
    model: cp_model.CpModel
    x: dict[Triple, cp_model.IntVar]
    at: dict[tuple[str, int], cp_model.IntVar]  # (session, period)
    wanted: dict[str, cp_model.IntVar]  # enforcement literal per session (diagnosis only)
    # Session pairs that may clash -> "at overlapping times"; only bounded from
    # below, so a solution may leave one at 1 needlessly (see solve._hint).
    overlap: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)


def points(periods: Iterable[Period]) -> list[datetime]:
    """Period starts: two intervals overlap exactly when one contains the
    other's start, so these points see every overlap."""
    return sorted({p.start for p in periods})


def holds(period: Period, point: datetime) -> bool:
    return period.start <= point < period.end


def hard_model(event: Event, options: Options, keys: Sequence[str], diagnose: bool = False) -> HardModel:
    """One period and room per session, no double-booked room or speaker.

    With ``diagnose`` each session's "placed exactly once" is enforced by an
    assumption literal, so CP-SAT can name a set of sessions that cannot all
    be placed."""
    model = cp_model.CpModel()
    x: dict[Triple, cp_model.IntVar] = {}
    at: dict[tuple[str, int], cp_model.IntVar] = {}
    wanted: dict[str, cp_model.IntVar] = {}
    for s in keys:
        for p, r in options.by_session[s]:
            x[s, p, r] = model.new_bool_var(f"x[{s},{p},{r}]")
        for p in dict.fromkeys(p for p, _ in options.by_session[s]):
            at[s, p] = model.new_bool_var(f"at[{s},{p}]")
            model.add(at[s, p] == sum(x[s, p, r] for q, r in options.by_session[s] if q == p))
        mine = [x[s, p, r] for p, r in options.by_session[s]]
        if diagnose:
            wanted[s] = model.new_bool_var(f"want[{s}]")
            model.add(sum(mine) == 1).only_enforce_if(wanted[s])
            model.add_at_most_one(mine)
        else:
            model.add_exactly_one(mine)
    used = points(options.period[p] for (_, p) in at)
    _no_double_rooms(model, x, options, used)
    _no_double_speakers(model, event, at, keys, options, used)
    if diagnose:
        model.add_assumptions(list(wanted.values()))
    return HardModel(model, x, at, wanted)


def _no_double_rooms(
    model: cp_model.CpModel, x: dict[Triple, cp_model.IntVar], options: Options, moments: list[datetime]
) -> None:
    # A room holds one session at any time point, overlapping periods included.
    by_room: dict[str, list[Triple]] = {}
    for s, p, r in x:
        by_room.setdefault(r, []).append((s, p, r))
    for triples in by_room.values():
        for point in moments:
            now = [x[t] for t in triples if holds(options.period[t[1]], point)]
            if len(now) > 1:
                model.add_at_most_one(now)


def _no_double_speakers(
    model: cp_model.CpModel,
    event: Event,
    at: dict[tuple[str, int], cp_model.IntVar],
    keys: Sequence[str],
    options: Options,
    moments: list[datetime],
) -> None:
    # A speaker gives one talk at any time point.
    talks: dict[str, list[str]] = {}
    for s in keys:
        for speaker in event.session[s].speakers:
            talks.setdefault(speaker, []).append(s)
    periods_of: dict[str, list[tuple[int, cp_model.IntVar]]] = {}
    for (s, p), v in at.items():
        periods_of.setdefault(s, []).append((p, v))
    for sessions in talks.values():
        if len(sessions) < 2:
            continue
        for point in moments:
            now = [v for s in sessions for p, v in periods_of[s] if holds(options.period[p], point)]
            if len(now) > 1:
                model.add_at_most_one(now)


def parameters(
    solver: cp_model.CpSolver, budget: float, seed: int, workers: int, deadline: float | None = None
) -> None:
    """``budget`` is deterministic time; ``deadline`` (time.monotonic()) the wall clock it must keep."""
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = max(1, workers)
    # The room and speaker at-most-one rows in the LP prove "too many sessions"
    # at once; without them one worker can search for ever.
    params.linearization_level = 2
    # Interleaved search is deterministic for any number of workers, and even
    # with one worker it runs the large-neighbourhood moves that a plain
    # single-worker search lacks (far fewer clashes within the same time).
    params.interleave_search = True
    params.max_deterministic_time = max(0.05, budget)
    # A wall-clock guard only for a machine far slower or busier than the
    # calibration; the deterministic limit decides normally.
    params.max_time_in_seconds = 30.0 + 20 * budget / DETERMINISTIC_PER_SECOND
    if deadline is not None:
        # The solve's time limit is a promise: on a busy machine the clock, not the work, ends a stage.
        params.max_time_in_seconds = max(0.05, min(params.max_time_in_seconds, deadline - time.monotonic()))

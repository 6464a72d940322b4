"""The one entry to the engine: Event (+ previous Schedule) -> Schedule.

Phases, in order (docs/model.md explains why each exists):
  sessions   sector-track sessions into rooms and periods (CP-SAT)
  bound      LP relaxation: the proven upper bound and a guide
  construct  greedy timetable in the LP's order, with one-step ejection
  improve    large-neighbourhood search with CP-SAT on small sub-models
  compact    move meetings within their day to close idle gaps (comfort)
  tables     host home tables, then tables with few changes
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .. import rules
from ..model import Event
from ..schedule import Figures, Schedule, SessionPlacement, SolveStatus
from . import bound as bound_mod
from . import compact, explain, place, repair, tables
from .instance import SCALE, FixedPlacement, Instance, build
from .params import EngineParams
from .sessions import SessionPlacementError, check_sessions, place_sessions, sessions_infeasible
from .timetable import Timetable


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    session_time_limit: float | None = None  # default: a share of time_limit (params.stages)
    params: EngineParams = EngineParams()  # the engine's tuning values; the defaults are tested

    @property
    def session_seconds(self) -> float:
        if self.session_time_limit is not None:
            return self.session_time_limit
        stages = self.params.stages
        return min(stages.sessions_max_seconds, max(stages.sessions_min_seconds, stages.sessions_share * self.time_limit))


@dataclass(frozen=True)
class Progress:
    phase: str
    placed: int
    score: float
    bound: float
    elapsed: float

    @property
    def gap(self) -> float:
        # No request to meet: the bound is its safety margin alone, and nothing is lost.
        return max(0.0, (self.bound - self.score) / self.bound) if self.bound > 1e-3 else 0.0


class SolveError(Exception):
    """The event cannot be scheduled as given; ``reasons`` say why in plain words."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("\n".join(reasons))


def solve(
    event: Event,
    options: SolveOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    *,
    placements: tuple[SessionPlacement, ...] | None = None,
    keep: Sequence[FixedPlacement] = (),
    first: Sequence[tuple[str, str]] = (),
    started: float | None = None,
) -> Schedule:
    """Solve the event. ``placements`` reuses a session placement; ``keep``
    holds meetings of a published schedule at their slot and table (the
    minimal-change re-solve in ``change.py``; they must already be valid);
    ``first`` are pairs to place before any other (previously met, now moved);
    ``started`` (time.monotonic()): when the run began, if before this call
    (the re-solve places sessions first): the phases end by their shares of
    the time limit counted from then, so the whole run keeps the limit."""
    options = options or SolveOptions()
    stages = options.params.stages
    clock = _Clock(progress, started)
    sessions_placed = placements is None and bool(event.sessions)
    if placements is None:
        overrun = time.monotonic() + stages.sessions_overrun * options.session_seconds
        deadline = min(clock.at(stages.sessions_end * options.time_limit), overrun)
        placements = sessions_for(event, options, deadline=deadline, stop=stop)
        # A session search that ran to its deadline was ended by the clock, not by its work.
        clock.repeatable &= not sessions_placed or time.monotonic() < deadline
    clock.phase("sessions")
    inst = build(event, placements)
    fixed, origins = resolve_fixed(event)
    # Kept meetings (a re-solve) hold their time only where the rules allow it
    # (change.kept_meetings), and their tables give way: only the rows are checked.
    problems = explain.fixed_problems(inst, fixed, origins)
    if problems:
        raise SolveError(problems)
    fixed = _seated(fixed, keep)
    table = Timetable(inst)
    fixed_pairs = hold_fixed(inst, table, fixed)
    bound = bound_mod.solve_bound(
        inst,
        fixed_pairs,
        time_limit=_bound_seconds(options, clock),
        stop=stop,
        max_columns=options.params.lp_columns_per_second * options.params.stages.bound_share * options.time_limit,
        interior_from=options.params.lp_interior_point_columns,
    )
    clock.repeatable &= bound.method != bound_mod.CAPACITY  # the clock, not the input, stopped the LP
    clock.bound = bound.value
    clock.bound_method = bound.method
    clock.phase("bound", table)
    index = {pair: r for r, pair in enumerate(inst.ends)}
    first_set = frozenset(index[p] for p in first if p in index)
    construct_by = clock.at(stages.construct_end * options.time_limit)
    # Ctrl-C does not cut a pass: its greedy timetable is the first complete one,
    # the "best so far" that --keep-best-on-interrupt writes (a second Ctrl-C
    # quits); it only skips the passes after it.
    clock.repeatable &= place.construct(
        inst, table, bound.share, first_set, bound.homes, construct_by, options.params.construct.reserve_at, stop
    )
    clock.phase("construct", table)
    if stop is not None and stop.is_set():
        clock.interrupted = True  # Ctrl-C during the earlier phases
    else:
        _improve(inst, table, bound, _search_budget(options, sessions_placed), options, clock, stop)
        # A search step moves meetings around one unmet request; others may fit now.
        clock.repeatable &= place.fill(table, bound.share, first_set, clock.at(stages.compact_end * options.time_limit))
    clock.phase("improve", table)
    stopped = stop is not None and stop.is_set()  # Ctrl-C: finish now, comfort included
    compacted = compact.compact(
        inst,
        table,
        steps=0 if stopped else _comfort_steps(options),
        seconds=_comfort_seconds(options, clock),
        seed=options.seed,
        deadline=time.monotonic() if stopped else clock.at(stages.compact_end * options.time_limit),
        params=options.params.comfort,
        workers=options.workers,
    )
    clock.repeatable &= not compacted.cut_by_clock
    clock.phase("compact", table)
    late = _late_bound(inst, fixed_pairs, bound, options, clock, stop)
    if late is not None:
        bound = late
        clock.phase("late bound", table)
    # The bound is reported as proven, never raised to the score: a schedule
    # above it would be a bug in the bound, which the tests must see.
    schedule = _finish(inst, table, fixed, placements, bound.value, options, clock)
    clock.phase("tables", table)
    return replace(schedule, figures=replace(schedule.figures, phases=tuple(clock.phases)))


def _late_bound(
    inst: Instance, fixed_pairs: set[tuple[str, str]], bound: bound_mod.Bound, options: SolveOptions,
    clock: _Clock, stop: threading.Event | None,
) -> bound_mod.Bound | None:
    """When the LP's simplex did not finish (or was not tried), the seconds the
    run has left go to PDLP, whose multipliers give a valid bound whenever it
    stops. The schedule is complete and stays as it is; only a tighter bound
    is kept (a looser one would still be valid). None when PDLP is not
    started: the LP bound stands, Ctrl-C was pressed, or too little time is left."""
    stages = options.params.stages
    seconds = stages.late_bound_end * options.time_limit - clock.elapsed()
    stopped = stop is not None and stop.is_set()
    if bound.method == bound_mod.LP or stopped or seconds < stages.late_bound_min_seconds:
        return None
    value = bound_mod.dual_bound(inst, fixed_pairs, seconds, stop, threads=options.workers)
    if value is None or value + 1e-6 >= bound.value:
        return bound
    tighter = replace(bound, value=value + 1e-6, method=bound_mod.DUAL)  # a hair up, as the LP bound
    clock.bound, clock.bound_method = tighter.value, tighter.method
    return tighter


def _comfort_steps(options: SolveOptions) -> int:
    """Exact comfort sub-models (per worker: they run side by side, on
    different days): counted from the time limit alone, never from
    the seconds left, which differ from run to run with the time the earlier
    phases took (and so would the schedule)."""
    stages, comfort = options.params.stages, options.params.comfort
    return int(stages.comfort_share * options.time_limit * comfort.steps_per_second * max(1, options.workers))


def _comfort_seconds(options: SolveOptions, clock: _Clock) -> float:
    """The wall clock the exact comfort pass must keep: until its stage end."""
    stages, limit = options.params.stages, options.time_limit
    return max(0.0, stages.comfort_end * limit - clock.elapsed() - stages.comfort_reserve)


def _search_budget(options: SolveOptions, sessions_placed: bool) -> float:
    """The search's work, in CP-SAT deterministic units, planned from the
    time limit, the workers and the session phase's own limit, never from
    the seconds left: those differ from run to run with the time the earlier
    phases took, and a budget taken from them gave two runs with the same
    seed two schedules (6,124 and 6,125 on the sample). When the machine is
    too slow for the plan, the wall clock ends the search and the Summary
    says the run may not repeat."""
    stages, limit = options.params.stages, options.time_limit
    planned = stages.search_share * (limit - (options.session_seconds if sessions_placed else 0.0))
    return max(0.0, planned) * options.params.deterministic_per_second * max(1, options.workers)


def _bound_seconds(options: SolveOptions, clock: _Clock) -> float:
    """The LP may use its share of the time limit, and must end by its stage
    end, leaving the rest for the constructive phase and the search."""
    stages, limit = options.params.stages, options.time_limit
    return max(0.0, min(stages.bound_share * limit, stages.bound_end * limit - clock.elapsed()))


def preflight(event: Event) -> list[str]:
    """What solve refuses before its search, checked by the same functions but
    without placing sessions (sessions keep clear of the fixed meetings of
    their attendees, so a placement cannot make a fixed meeting impossible):
    ``scheduler validate`` runs it, so that its "OK" means solve starts."""
    reasons = check_sessions(event) or sessions_infeasible(event)
    if event.fixed:  # building the instance costs seconds on large events: only when needed
        inst = build(event, ())
        try:
            fixed, origins = resolve_fixed(event)
        except SolveError as err:
            return reasons + err.reasons
        reasons += explain.fixed_problems(inst, fixed, origins)
    return reasons


def sessions_for(
    event: Event, options: SolveOptions, deadline: float | None = None, stop: threading.Event | None = None
) -> tuple[SessionPlacement, ...]:
    """Sessions first (see docs/model.md for why not jointly with meetings).
    ``deadline`` (time.monotonic()): the wall clock the search keeps once it
    has a placement (``solve`` sets it at most ``sessions_overrun`` session
    time limits away)."""
    load: Counter[str] = Counter()
    for r in event.requests:
        if r.priority:
            for p in (r.a, r.b):
                for member in event.party[p].members:
                    load[member] += 1
    try:
        return place_sessions(
            event,
            time_limit=options.session_seconds,
            seed=options.seed,
            workers=options.workers,
            meeting_load=load,
            deadline=deadline,
            stop=stop,
        )
    except SessionPlacementError as err:
        raise SolveError(err.reasons) from err


def _improve(
    inst: Instance,
    table: Timetable,
    bound: bound_mod.Bound,
    budget: float,
    options: SolveOptions,
    clock: _Clock,
    stop: threading.Event | None,
) -> None:
    # Leave the rest for comfort, and a little for the tables phase and writing.
    stages = options.params.stages
    remaining = max(0.0, stages.improve_end * options.time_limit - clock.elapsed() - stages.improve_reserve)
    # Scores are multiples of half a point: within half a point of the bound,
    # no step can gain anything.
    target = int((bound.value * SCALE) // (SCALE // 2)) * (SCALE // 2)

    def report(_: repair.LnsStats) -> None:
        clock.tick("improve", table)
        if stop is not None and stop.is_set():
            raise _Interrupted

    try:
        stats = repair.improve(
            inst,
            table,
            budget=budget,
            wall_limit=remaining,
            target=target,
            seed=options.seed,
            workers=options.workers,
            progress=report,
            params=options.params.lns,
            guide=bound.share if bound.method == bound_mod.LP else (),
        )
        clock.repeatable &= not stats.cut_by_clock
    except _Interrupted:
        clock.interrupted = True


class _Interrupted(Exception):
    pass


def resolve_fixed(event: Event) -> tuple[list[FixedPlacement], list[str]]:
    """The Fixed meetings rows as placements (slot, and room and table when
    given), with the row each came from."""
    slot_at = {s.start: s.index for s in event.slots}
    fixed, origins = [], []
    for f in event.fixed:
        a, b = rules.fixed_pair(event, f)
        if f.start not in slot_at:
            raise SolveError([f"{f.origin}: {f.start:%Y-%m-%d %H:%M} is not the start of a meeting slot"])
        room = event.room[f.room].name if f.room else None
        fixed.append(FixedPlacement(a, b, slot_at[f.start], room, f.table))
        origins.append(f.origin or f"fixed meeting {f.a}-{f.b}")
    return fixed, origins


def _seated(rows: list[FixedPlacement], keep: Sequence[FixedPlacement]) -> list[FixedPlacement]:
    """The Fixed meetings rows, then the kept meetings of a re-solve. A row
    that names no table and was published at one is kept as that meeting
    (``change.kept_meetings`` says when): a Fixed meeting still, whose
    published table holds unless a rule needs it."""
    published = {(f.a, f.b, f.slot): f for f in keep}
    return [replace(published.pop((f.a, f.b, f.slot)), fixed=True) if (f.a, f.b, f.slot) in published and
            f.table is None else f for f in rows] + list(published.values())


def hold_fixed(inst: Instance, table: Timetable, fixed: list[FixedPlacement]) -> set[tuple[str, str]]:
    """Book fixed meetings (rows, then kept ones) in ``table``; the requested pairs among them."""
    index = {pair: r for r, pair in enumerate(inst.ends)}
    # A fixed meeting of two hosts counts the table of the host the tables phase will seat it with.
    visits = tables.fixed_visit_homes(inst, [tables.from_fixed(f) for f in fixed])
    pairs = set()
    for i, f in enumerate(fixed):
        r = index.get((f.a, f.b))
        home: str | Literal[True] = visits.get(i, f.home or True)
        if r is not None:
            table.place(r, f.slot, home)
            table.locked.add(r)
            pairs.add((f.a, f.b))
        else:
            table.hold(f.a, f.b, f.slot, -1 - i, home)
    return pairs


def _finish(
    inst: Instance,
    table: Timetable,
    fixed: list[FixedPlacement],
    placements: tuple[SessionPlacement, ...],
    bound: float,
    options: SolveOptions,
    clock: _Clock,
) -> Schedule:
    fixed_at = {(f.a, f.b, f.slot): f for f in fixed}
    timed = []
    for r, s in sorted(table.slot_of.items()):
        a, b = inst.ends[r]
        f = fixed_at.pop((a, b, s), None)
        timed.append(tables.from_fixed(f, table.home(r)) if f is not None else tables.Timed(a, b, s, home=table.home(r)))
    timed += [tables.from_fixed(f, table.home_at[f.a, f.b, f.slot]) for f in fixed_at.values()]
    homes = tables.home_tables(inst, timed)
    meetings = tables.assign(inst, timed, homes)
    meetings.sort(key=lambda m: (m.slot, m.room, m.table))
    unscheduled = explain.unscheduled(inst, table)
    score = table.score() / SCALE
    status = (
        SolveStatus.INTERRUPTED
        if clock.interrupted
        else (SolveStatus.OPTIMAL if score >= bound - 0.5 + 1e-9 else SolveStatus.FEASIBLE)
    )
    figures = Figures(
        score=score,
        bound=bound,
        bound_method=clock.bound_method,
        objective=score + _fairness_bonus(inst, table),
        status=status,
        solve_seconds=round(clock.elapsed(), 2),
        seed=options.seed,
        workers=options.workers,
        repeatable=clock.repeatable and not clock.interrupted,
    )
    home_tables = tuple((h, day.isoformat(), room, number) for (h, day), (room, number) in sorted(homes.items()))
    return Schedule(tuple(meetings), tuple(placements), tuple(unscheduled), figures, home_tables)


def _fairness_bonus(inst: Instance, table: Timetable) -> float:
    """Fairness weight points per party with a meeting: what the search adds to
    the score when the organizer trades score for first meetings (weight > 0)."""
    weight = inst.event.settings.fairness_weight
    return weight * sum(1 for busy in table.busy.values() if busy) if weight > 0 else 0.0


class _Clock:
    """Phase timings and the progress callback."""

    def __init__(self, progress: Callable[[Progress], None] | None, started: float | None = None):
        self.start = time.monotonic() if started is None else started
        self.last = self.start
        self.progress = progress
        self.phases: list[tuple[str, float]] = []
        self.bound = 0.0
        self.bound_method = ""
        self.interrupted = False
        self.repeatable = True

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def at(self, seconds: float) -> float:
        """The time.monotonic() value ``seconds`` after the start."""
        return self.start + seconds

    def phase(self, name: str, table: Timetable | None = None) -> None:
        now = time.monotonic()
        self.phases.append((name, round(now - self.last, 3)))
        self.last = now
        self.tick(name, table)

    def tick(self, name: str, table: Timetable | None) -> None:
        if self.progress is None:
            return
        placed = len(table.slot_of) if table else 0
        score = table.score() / SCALE if table else 0.0
        self.progress(Progress(name, placed, score, self.bound, self.elapsed()))

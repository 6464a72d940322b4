"""A proven upper bound on the standard score, valid for every schedule the
contract allows (docs/model.md, "The upper bound", has the proof).

Two bounds, the smaller is reported:

* the capacity bound, instant: every met request is counted by both of its
  parties, so the score is at most half the sum, over parties, of their
  heaviest requests up to the number of meetings they can hold;
* the LP bound: a linear relaxation that forgets which slot a meeting takes
  and keeps counts per day. x[r, d] in [0, 1] meets request r on day d;
  y[h, d] in [0, 1] gives host h a home table on day d, which costs one
  table in every slot of the day. Any real schedule gives a feasible (x, y),
  whichever hosts it gives tables to, so the LP optimum bounds every schedule.

The LP has a time limit. When its simplex cannot finish, the run may give
its last seconds to PDLP, whose multipliers give a bound by weak duality
(``dual_bound``, ``lagrangian_bound``); else the capacity bound stands. The
figures say which. The LP's solution also guides the constructive phase.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.pdlp import solve_log_pb2, solvers_pb2
from ortools.pdlp.python import pdlp

from .. import rules
from .instance import SCALE, Instance

LP = "LP relaxation"
DUAL = (
    "dual bound of the LP relaxation (its simplex did not finish in time; multipliers from PDLP, "
    "a first-order solver, turned into a bound by weak duality)"
)
CAPACITY = "capacity bound (the LP relaxation did not finish in time)"
TOO_LARGE = "capacity bound (the LP relaxation is too large to finish within its share of the time limit)"


@dataclass(frozen=True)
class Bound:
    value: float  # in standard-score points
    share: list[float]  # request index -> LP value of meeting it at all (0 without the LP)
    method: str = LP
    homes: dict[tuple[str, date], float] = field(default_factory=dict)  # (host, day) -> LP value of holding a table


def party_day_capacity(inst: Instance, party: str, day_slots: list[int]) -> int:
    """Most meetings a party can have in these slots (free, pause rule, day cap)."""
    free = [s for s in day_slots if s in inst.free[party]]
    runs = rules.back_to_back_runs(inst.event, free)
    room = sum(rules.consecutive_capacity(len(r), inst.max_consecutive) for r in runs)
    return min(room, inst.cap_day[party])


def party_capacity(inst: Instance, party: str) -> int:
    """Most meetings a party can have in the whole event."""
    days = sum(party_day_capacity(inst, party, slots) for slots in inst.slots_of_day.values())
    return min(days, inst.cap_total[party])


def capacity_bound(inst: Instance) -> float:
    """The smaller of: half of each party's best possible haul, summed (each
    meeting is counted by its two parties, and no party meets more often than
    it can); and the heaviest requests that fit the tables (every meeting, a
    host's included, sits at a table of its slot, so there are at most as
    many meetings as usable table-slots)."""
    total = 0
    for party, reqs in inst.by_party.items():
        weights = sorted((inst.weight[r] for r in reqs if inst.common(r)), reverse=True)
        total += sum(weights[: party_capacity(inst, party)])
    meetable = sorted((inst.weight[r] for r in range(len(inst.ends)) if inst.common(r)), reverse=True)
    by_tables = sum(meetable[: sum(inst.capacity)])
    return min(total / 2, by_tables) / SCALE


def solve_bound(
    inst: Instance,
    fixed_pairs: set[tuple[str, str]] | None = None,
    time_limit: float | None = None,
    stop: threading.Event | None = None,
    max_columns: float | None = None,
    interior_from: float | None = None,
) -> Bound:
    """The smaller of the capacity bound and the LP bound (if the LP finishes
    within ``time_limit`` seconds and is not stopped). ``max_columns``: the
    LP is not even built when it would have more variables than this (it
    could not finish in its share; its time goes to the constructive phase
    instead). ``interior_from``: from this many variables the LP is solved by
    HiGHS's interior point method instead of its simplex. Both are counts,
    not seconds left, so that the same input makes the same choices on every
    run."""
    # The limit counts from here: the capacity bound alone takes a second at
    # 10,000 attendees on a loaded machine.
    deadline = None if time_limit is None else time.monotonic() + time_limit
    quick = capacity_bound(inst)
    columns = sum(len(_meeting_days(inst, r)) for r in range(len(inst.ends)))
    if max_columns is not None and columns > max_columns:
        return _capacity_only(inst, quick, TOO_LARGE)
    interior = interior_from is not None and columns >= interior_from
    solved = _solve_lp(inst, fixed_pairs or set(), deadline, stop, interior)
    if solved is None:
        return _capacity_only(inst, quick, CAPACITY)
    value, share, homes = solved
    # The LP optimum is a real number; round up a hair so float noise never
    # puts the bound below a score that reaches it.
    return Bound(min(value, quick) + 1e-6, share, LP, homes)


def _capacity_only(inst: Instance, quick: float, method: str) -> Bound:
    return Bound(quick + 1e-6, [0.0] * len(inst.ends), method)


def _meeting_days(inst: Instance, r: int) -> list[date]:
    """The days request r can meet on: one LP variable each."""
    return sorted({inst.day_of[s] for s in inst.common(r)})


def _solve_lp(
    inst: Instance, fixed_pairs: set[tuple[str, str]], deadline: float | None, stop: threading.Event | None,
    interior: bool = False,
) -> tuple[float, list[float], dict[tuple[str, date], float]] | None:
    if deadline is not None and time.monotonic() >= deadline:
        return None
    solver = _lp_solver()
    try:
        x, y = _build(inst, fixed_pairs, _Builder(solver), deadline, stop)
    except _OutOfTime:
        return None  # building the LP alone took the time it had
    if deadline is not None:
        solver.SetTimeLimit(max(1, int((deadline - time.monotonic()) * 1000)))
    _set_options(solver, interior)
    status = _solve_interruptibly(solver, stop)
    if status is None or status != pywraplp.Solver.OPTIMAL:
        # Cut by the clock, stopped, or infeasible (fixed meetings that overfill
        # the relaxation): only an optimal LP value is a proven bound.
        return None
    share = [0.0] * len(inst.ends)
    for (r, _), var in x.items():
        share[r] += var.solution_value()
    homes = {key: var.solution_value() for key, var in y.items()}
    return solver.Objective().Value() / SCALE, share, homes


def _build(
    inst: Instance, fixed_pairs: set[tuple[str, str]], lp: _Builder, deadline: float | None,
    stop: threading.Event | None,
) -> tuple[Vars, dict[tuple[str, date], pywraplp.Variable]]:
    """The LP of docs/model.md in ``lp``'s solver; raises _OutOfTime past the deadline or on stop."""
    x = _meeting_vars(inst, lp, deadline)
    y = _home_vars(inst, lp, x, deadline)
    _check(deadline, stop)
    _add_party_limits(inst, lp, x, fixed_pairs, deadline)
    _check(deadline, stop)
    _add_table_limits(inst, lp, x, y)
    objective = lp.solver.Objective()
    for (r, _), v in x.items():
        objective.SetCoefficient(v, inst.weight[r])
    objective.SetMaximization()
    _check(deadline, stop)
    return x, y


def dual_bound(
    inst: Instance, fixed_pairs: set[tuple[str, str]], seconds: float, stop: threading.Event | None = None,
    threads: int = 1, slice_seconds: float = 4.0,
) -> float | None:
    """A bound from the LP when its simplex did not finish: PDLP, a
    first-order solver, runs for what is left of ``seconds``, and whatever
    multipliers it has reached give a valid bound by weak duality
    (:func:`lagrangian_bound`); the closer PDLP came to the LP's optimum, the
    closer the bound is to the LP bound. None when building the LP did not
    fit in the time or ``stop`` was set before a first bound.

    PDLP holds the interpreter while it runs, so it runs in slices of at most
    ``slice_seconds``, each from where the last ended, and Ctrl-C (``stop``)
    is seen between them; the best bound of the slices is kept."""
    deadline = time.monotonic() + seconds
    lp = _Builder(pywraplp.Solver.CreateSolver("GLOP"), record=True)  # only holds the model
    try:
        x, _ = _build(inst, fixed_pairs, lp, deadline, stop)
    except _OutOfTime:
        return None
    proto = linear_solver_pb2.MPModelProto()
    lp.solver.ExportModelToProto(proto)
    problem = pdlp.qp_from_mpmodel_proto(proto, False)
    weights = np.zeros(len(lp.lower))
    for (r, _), var in x.items():
        weights[var.index()] = inst.weight[r]
    best, start = None, None
    while (left := deadline - time.monotonic()) > 0.05 and not (stop is not None and stop.is_set()):
        result = _pdlp_slice(problem, min(left, slice_seconds), threads, start)
        if result is None:
            break
        start = pdlp.PrimalAndDualSolution()
        start.primal_solution, start.dual_solution = result.primal_solution, result.dual_solution
        # PDLP minimises the negated objective, so its multipliers carry the
        # opposite sign; either sign gives a valid bound, and the tighter one is kept.
        duals = np.asarray(result.dual_solution, dtype=float)
        value = min(lagrangian_bound(lp, weights, duals), lagrangian_bound(lp, weights, -duals)) / SCALE
        best = value if best is None else min(best, value)
        if result.solve_log.termination_reason != solve_log_pb2.TERMINATION_REASON_TIME_LIMIT:
            break  # optimal (to PDLP's tolerance), or it cannot go on
    return best


def _pdlp_slice(
    problem: pdlp.QuadraticProgram, seconds: float, threads: int, start: pdlp.PrimalAndDualSolution | None
) -> pdlp.SolverResult | None:
    params = solvers_pb2.PrimalDualHybridGradientParams()
    params.num_threads = max(1, threads)
    params.termination_criteria.time_sec_limit = seconds
    try:
        if start is None:
            return pdlp.primal_dual_hybrid_gradient(problem, params)
        return pdlp.primal_dual_hybrid_gradient(problem, params, start)
    except Exception:  # a failed PDLP leaves the bound as it was
        return None


def lagrangian_bound(lp: _Builder, weights: np.ndarray, multipliers: np.ndarray) -> float:
    """Weak duality, valid for any multipliers π: for every point x of the LP
    (so for every schedule), each row i with least_i <= a_i x <= most_i gives
    π_i a_i x <= π_i most_i when π_i > 0 and <= π_i least_i when π_i < 0, so
    w x = (w - Aᵀπ) x + π A x <= Σ_j max over [lower_j, upper_j] of
    (w - Aᵀπ)_j x_j + Σ_i (π_i most_i or π_i least_i). A multiplier on a side
    without a limit is taken as 0. In the LP's own units (SCALE)."""
    most = np.array([row[3] for row in lp.rows])
    least = np.array([row[2] for row in lp.rows])
    pi = np.where(((multipliers > 0) & np.isfinite(most)) | ((multipliers < 0) & np.isfinite(least)), multipliers, 0.0)
    sides = np.where(pi > 0, pi * np.where(np.isfinite(most), most, 0.0), pi * np.where(np.isfinite(least), least, 0.0))
    lengths = [len(row[0]) for row in lp.rows]
    columns = np.fromiter((j for row in lp.rows for j in row[0]), dtype=np.int64, count=sum(lengths))
    coefficients = np.fromiter((a for row in lp.rows for a in row[1]), dtype=float, count=sum(lengths))
    used = np.bincount(columns, weights=coefficients * np.repeat(pi, lengths), minlength=len(weights))
    reduced = weights - used
    lower, upper = np.array(lp.lower), np.array(lp.upper)
    if np.any((reduced > 0) & ~np.isfinite(upper)) or np.any((reduced < 0) & ~np.isfinite(lower)):
        return math.inf
    best = np.where(reduced > 0, reduced * upper, reduced * lower)
    return math.fsum(sides.tolist()) + math.fsum(best.tolist())


T = TypeVar("T")


def _run_interruptibly(work: Callable[[], T], stop: threading.Event | None) -> T | None:
    """``work()`` in a thread; None when ``stop`` is set first or it fails. A
    solver call cannot be interrupted, so a stopped one is left to end by
    its own time limit while the engine goes on."""
    result: list[T] = []
    done = threading.Event()

    def run() -> None:
        try:
            result.append(work())
        finally:  # a call that fails must not leave the engine waiting for ever
            done.set()

    threading.Thread(target=run, daemon=True).start()
    while not done.wait(0.1):
        if stop is not None and stop.is_set():
            return None
    return result[0] if result else None


def _lp_solver() -> pywraplp.Solver:
    """HiGHS, silent: on the LPs of large events its simplex ends 2-3 times
    sooner than GLOP's (measured at 1,500 and 5,000 attendees: 7 s against
    17 s, 42 s against 116 s), which decides whether the LP, the guide of
    the constructive phase, finishes within its share of the time limit."""
    return pywraplp.Solver.CreateSolver("HIGHS")


def _set_options(solver: pywraplp.Solver, interior: bool) -> None:
    """Silent, and the interior point method when asked. Its crossover (on by
    default) ends at a vertex, as the simplex does, so the LP's solution
    guides the constructive phase alike. OR-Tools reports False here
    although HiGHS takes the options (its banner and log are gone); a log on
    stdout would mix with the progress line."""
    solver.SetSolverSpecificParametersAsString("output_flag=false" + ("\nsolver=ipm" if interior else ""))


def _solve_interruptibly(solver: pywraplp.Solver, stop: threading.Event | None) -> int | None:
    """Solve; None when ``stop`` is set first (HiGHS cannot be interrupted
    through OR-Tools: the engine goes on without the LP) or the solve fails
    (the capacity bound stands)."""
    if stop is None:
        return int(solver.Solve())
    return _run_interruptibly(lambda: int(solver.Solve()), stop)


Vars = dict[tuple[int, date], pywraplp.Variable]


class _Builder:
    """Adds the LP's variables and rows to an OR-Tools solver, row by row
    (OR-Tools' natural API, solver.Sum and <=, walks every term in Python and
    took half the time of building the LP at 10,000 attendees). With
    ``record``, it also keeps each row's terms and limits, so that any
    multipliers, such as the dual of an unfinished solve, give a bound
    (:func:`lagrangian_bound`)."""

    def __init__(self, solver: pywraplp.Solver, record: bool = False):
        self.solver = solver
        self.record = record
        self.lower: list[float] = []  # per variable
        self.upper: list[float] = []
        self.rows: list[tuple[list[int], list[float], float, float]] = []  # columns, coefficients, least, most

    def var(self, lower: float, upper: float) -> pywraplp.Variable:
        if self.record:
            self.lower.append(lower)
            self.upper.append(upper)
        return self.solver.NumVar(lower, upper, "")

    def row(self, terms: list[tuple[pywraplp.Variable, float]], most: float, least: float | None = None) -> None:
        """least <= sum of coefficient * variable <= most."""
        row = self.solver.Constraint(-self.solver.infinity() if least is None else least, most)
        for var, coefficient in terms:
            row.SetCoefficient(var, coefficient)
        if self.record:
            columns = [var.index() for var, _ in terms]
            self.rows.append((columns, [float(c) for _, c in terms], -math.inf if least is None else least, most))


class _OutOfTime(Exception):
    pass


def _check(deadline: float | None, stop: threading.Event | None = None) -> None:
    if (deadline is not None and time.monotonic() > deadline) or (stop is not None and stop.is_set()):
        raise _OutOfTime


def _meeting_vars(inst: Instance, lp: _Builder, deadline: float | None) -> Vars:
    x: Vars = {}
    for r in range(len(inst.ends)):
        if r % 2000 == 0:
            _check(deadline)
        for d in _meeting_days(inst, r):
            x[r, d] = lp.var(0.0, 1.0)
    return x


def _home_vars(
    inst: Instance, lp: _Builder, x: Vars, deadline: float | None = None
) -> dict[tuple[str, date], pywraplp.Variable]:
    """y[h, d]: host h holds a home table on day d. A meeting with one host
    needs that host's table (x <= y); a meeting of two hosts sits at one of
    their tables, so it is split by which (x = u_a + u_b, u_h <= y_h). The
    meetings at a host's table that day are at most its day capacity times y:
    the host is in each of them. Counting the split meetings there too (and
    not only those with one host) moved the bound of the benchmark's
    hosts-10-scarce event at 400 attendees from 5,647 to 5,599, below what
    SCIP proved in 40 s with y binary in the unsplit LP (5,602)."""
    y: dict[tuple[str, date], pywraplp.Variable] = {}

    def held(h: str, d: date) -> pywraplp.Variable:
        if (h, d) not in y:
            y[h, d] = lp.var(0.0, 1.0)
        return y[h, d]

    at_home: dict[tuple[str, date], list[pywraplp.Variable]] = defaultdict(list)
    for count, ((r, d), var) in enumerate(x.items()):
        if count % 2000 == 0:
            _check(deadline)
        hosts = inst.hosts_of(*inst.ends[r])
        if len(hosts) == 1:
            lp.row([(var, 1), (held(hosts[0], d), -1)], 0)
            at_home[hosts[0], d].append(var)
        elif hosts:
            parts = [lp.var(0.0, 1.0) for _ in hosts]
            for h, part in zip(hosts, parts, strict=True):
                lp.row([(part, 1), (held(h, d), -1)], 0)
                at_home[h, d].append(part)
            lp.row([(var, 1)] + [(part, -1) for part in parts], 0, 0)
    for (h, d), vars_ in sorted(at_home.items()):
        room = party_day_capacity(inst, h, inst.slots_of_day[d])
        lp.row([(v, 1) for v in vars_] + [(y[h, d], -room)], 0)
    return y


def _add_party_limits(
    inst: Instance, lp: _Builder, x: Vars, fixed_pairs: set[tuple[str, str]], deadline: float | None
) -> None:
    per_req: dict[int, list[pywraplp.Variable]] = defaultdict(list)
    per_party_day: dict[tuple[str, date], list[pywraplp.Variable]] = defaultdict(list)
    per_party: dict[str, list[pywraplp.Variable]] = defaultdict(list)
    for (r, d), var in x.items():
        per_req[r].append(var)
        for p in inst.ends[r]:
            per_party_day[p, d].append(var)
            per_party[p].append(var)
    # A row that its variables' own bounds (0 <= x <= 1) already keep is left
    # out: at 10,000 attendees most are, and each costs time to build.
    for r, vars_ in per_req.items():
        if r % 2000 == 0:
            _check(deadline)
        held = inst.ends[r] in fixed_pairs
        if len(vars_) > 1 or held:
            lp.row([(v, 1) for v in vars_], 1, 1 if held else None)
    _check(deadline)
    for count, ((p, d), vars_) in enumerate(per_party_day.items()):
        if count % 2000 == 0:
            _check(deadline)
        room = party_day_capacity(inst, p, inst.slots_of_day[d])
        if len(vars_) > room:
            lp.row([(v, 1) for v in vars_], room)
    _check(deadline)
    for p, vars_ in per_party.items():
        if inst.cap_total[p] < len(vars_):
            lp.row([(v, 1) for v in vars_], inst.cap_total[p])


def _add_table_limits(
    inst: Instance, lp: _Builder, x: Vars, y: dict[tuple[str, date], pywraplp.Variable]
) -> None:
    """In each slot s of day d, the meetings at no home table number at most
    z[s], where z[s] <= the usable tables less the day's home tables, and
    z[s] <= half the parties without a host role free in s who have such a
    request (a meeting takes two of them). Summing over the slots of a day
    keeps the LP small while a slot where few people are free (a session, a
    late start) cannot lend its tables to a busy one."""
    pool: dict[date, list[pywraplp.Variable]] = defaultdict(list)
    for (r, d), var in x.items():
        if inst.uses_pool(*inst.ends[r]):
            pool[d].append(var)
    homes: dict[date, list[pywraplp.Variable]] = defaultdict(list)
    for (_, d), var in y.items():
        homes[d].append(var)
    free_in = _pool_parties_free(inst)
    for d, slots in inst.slots_of_day.items():
        if not pool[d] and not homes[d]:
            continue
        z = []
        for s in slots:
            cap = min(inst.capacity[s], free_in[s] // 2)
            z_s = lp.var(0.0, float(max(0, cap)))
            lp.row([(z_s, 1)] + [(v, 1) for v in homes[d]], inst.capacity[s])
            z.append(z_s)
        lp.row([(v, 1) for v in pool[d]] + [(z_s, -1) for z_s in z], 0)


def _pool_parties_free(inst: Instance) -> list[int]:
    """Slot -> parties free in it that have a request meeting at no home table."""
    parties = {p for r, (a, b) in enumerate(inst.ends) if inst.uses_pool(a, b) and inst.common(r) for p in (a, b)}
    count = [0] * len(inst.capacity)
    for p in parties:
        for s in inst.free[p]:
            count[s] += 1
    return count

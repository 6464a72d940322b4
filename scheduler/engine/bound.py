"""A proven upper bound on the standard score, from a linear relaxation.

The relaxation forgets which slot a meeting takes and keeps only counts per
day: a meeting of request r on day d is x[r, d] in [0, 1]. Any real schedule
gives a feasible x (set x[r, d] = 1 for the day r is met), so the LP optimum
is at least the best schedule's score: a valid upper bound. Its solution also
tells the constructive phase which requests a busy attendee should keep.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .. import rules
from .instance import SCALE, Instance


@dataclass(frozen=True)
class Bound:
    value: float  # in standard-score points
    share: list[float]  # request index -> LP value of meeting it at all


def party_day_capacity(inst: Instance, party: str, day_slots: list[int]) -> int:
    """Most meetings a party can have in these slots (free, pause rule, day cap)."""
    free = [s for s in day_slots if s in inst.free[party]]
    runs = rules.back_to_back_runs(inst.event, free)
    room = sum(rules.consecutive_capacity(len(r), inst.max_consecutive) for r in runs)
    return min(room, inst.cap_day[party])


def solve_bound(inst: Instance, fixed_pairs: set[tuple[str, str]] | None = None) -> Bound:
    fixed_pairs = fixed_pairs or set()
    solver = pywraplp.Solver.CreateSolver("GLOP")
    slots_of_day: dict = defaultdict(list)
    for s, d in enumerate(inst.day_of):
        slots_of_day[d].append(s)
    x: dict[tuple[int, object], pywraplp.Variable] = {}
    for r in range(len(inst.ends)):
        common = set(inst.common(r))
        for d, slots in slots_of_day.items():
            if any(s in common for s in slots):
                x[r, d] = solver.NumVar(0.0, 1.0, "")
    per_req: dict[int, list] = defaultdict(list)
    per_party_day: dict[tuple[str, object], list] = defaultdict(list)
    per_party: dict[str, list] = defaultdict(list)
    per_day: dict[object, list] = defaultdict(list)
    for (r, d), var in x.items():
        a, b = inst.ends[r]
        per_req[r].append(var)
        for p in (a, b):
            per_party_day[p, d].append(var)
            per_party[p].append(var)
        if inst.uses_pool(a, b):
            per_day[d].append(var)
    for r, vars_ in per_req.items():
        lo = 1.0 if inst.ends[r] in fixed_pairs else 0.0
        solver.Add(solver.Sum(vars_) <= 1.0)
        if lo:
            solver.Add(solver.Sum(vars_) >= lo)
    for (p, d), vars_ in per_party_day.items():
        solver.Add(solver.Sum(vars_) <= party_day_capacity(inst, p, slots_of_day[d]))
    for p, vars_ in per_party.items():
        if inst.cap_total[p] < len(vars_):
            solver.Add(solver.Sum(vars_) <= inst.cap_total[p])
    for d, vars_ in per_day.items():
        solver.Add(solver.Sum(vars_) <= sum(inst.pool[s] for s in slots_of_day[d]))
    solver.Maximize(solver.Sum([inst.weight[r] * v for (r, _), v in x.items()]))
    status = solver.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        # Only possible when fixed meetings overfill the relaxation; fall back
        # to the trivial bound (every request met), which is always valid.
        return Bound(sum(inst.weight) / SCALE, [1.0] * len(inst.ends))
    share = [0.0] * len(inst.ends)
    for (r, _), var in x.items():
        share[r] += var.solution_value()
    # The LP optimum is a real number; round up a hair so float noise never
    # puts the bound below a score that reaches it.
    value = solver.Objective().Value() / SCALE
    return Bound(value + 1e-6, share)

"""Large-neighbourhood search: free a few parties' meetings, re-solve exactly.

Each step picks a neighbourhood around a request that is not met yet: its two
parties, the parties they already meet, the parties they asked for, and so on
until the neighbourhood is large enough. Every meeting among those parties is
taken out and CP-SAT re-solves their requests slot by slot, with everything
outside held fixed and the current timetable as a hint, so a step never makes
the schedule worse. Small exact models are what CP-SAT solves well; the whole
event as one model is not (see docs/model.md).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .instance import SCALE, Instance
from .timetable import Timetable


@dataclass
class LnsStats:
    steps: int = 0
    improved: int = 0
    deterministic_time: float = 0.0
    cut_by_clock: bool = False


def slot_cost(inst: Instance) -> list[int]:
    """A small per-slot cost that keeps days compact: later in the day costs
    a little more, so meetings gather at the start of each block."""
    cost, first_of_day = [], {}
    for s, slot in enumerate(inst.event.slots):
        first_of_day.setdefault(slot.day, s)
        cost.append(s - first_of_day[slot.day])
    return cost


def improve(
    inst: Instance,
    table: Timetable,
    *,
    budget: float,
    wall_limit: float,
    target: int,
    seed: int,
    workers: int,
    progress: Callable[[LnsStats], None] | None = None,
) -> LnsStats:
    """Run LNS steps until the deterministic budget or wall-clock limit is spent,
    or the score reaches ``target`` (the bound, in engine units)."""
    rng = random.Random(seed)
    stats = LnsStats()
    size = 30
    started = time.monotonic()
    costs = slot_cost(inst)
    fairness = round(inst.event.settings.fairness_weight * SCALE)
    while stats.deterministic_time < budget and time.monotonic() - started < wall_limit:
        if table.score() >= target:
            break
        seed_req = _pick_unmet(inst, table, rng)
        if seed_req is None:
            break
        parties = _neighbourhood(inst, table, seed_req, size, rng)
        step_budget = min(0.5, max(0.05, budget - stats.deterministic_time))
        gained, optimal, det = _resolve(
            inst, table, parties, costs, fairness, seed + stats.steps, workers, step_budget
        )
        stats.steps += 1
        stats.deterministic_time += det
        stats.improved += gained
        size = min(120, size + 5) if optimal else max(12, size - 5)
        if progress:
            progress(stats)
    else:
        # The loop ran out: by budget (repeatable) or by the wall clock (not).
        stats.cut_by_clock = stats.deterministic_time < budget
    return stats


def _pick_unmet(inst: Instance, table: Timetable, rng: random.Random) -> int | None:
    unmet = [r for r in range(len(inst.ends)) if r not in table.slot_of and inst.common(r)]
    if not unmet:
        return None
    # Heavier requests are tried more often, every one now and then.
    weights = [inst.weight[r] for r in unmet]
    return rng.choices(unmet, weights=weights, k=1)[0]


def _neighbourhood(inst: Instance, table: Timetable, r: int, size: int, rng: random.Random) -> list[str]:
    chosen: list[str] = list(inst.ends[r])
    seen = set(chosen)
    frontier = list(chosen)
    while frontier and len(chosen) < size:
        p = frontier.pop(0)
        met = [inst.ends[x] for x in table.busy[p].values() if x >= 0]
        asked = [inst.ends[x] for x in inst.by_party.get(p, ()) if x not in table.slot_of]
        around = sorted({q for pair in met + rng.sample(asked, min(len(asked), 4)) for q in pair} - seen)
        rng.shuffle(around)
        for q in around:
            if len(chosen) >= size:
                break
            seen.add(q)
            chosen.append(q)
            frontier.append(q)
    return sorted(chosen)


def _resolve(
    inst: Instance,
    table: Timetable,
    parties: list[str],
    costs: list[int],
    fairness: int,
    seed: int,
    workers: int,
    budget: float,
) -> tuple[int, bool, float]:
    inside = set(parties)
    reqs = sorted(
        {x for p in parties for x in inst.by_party.get(p, ()) if set(inst.ends[x]) <= inside} - table.locked
    )
    before = {r: table.slot_of[r] for r in reqs if r in table.slot_of}
    old_score = sum(inst.weight[r] for r in before)
    for r in before:
        table.remove(r)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for r in reqs:
        a, b = inst.ends[r]
        for s in inst.common(r):
            if s not in table.busy[a] and s not in table.busy[b]:
                x[r, s] = model.new_bool_var("")
    _constrain(inst, table, model, x, reqs)
    objective = [inst.weight[r] * v for (r, s), v in x.items()]
    objective += _fairness_terms(inst, table, model, x, parties, fairness)
    model.maximize(sum(objective))
    for (r, s), v in x.items():
        model.add_hint(v, before.get(r) == s)
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed % 2**31
    # One worker per step: on these small models it proves optimality faster
    # than two interleaved workers (measured), and it is deterministic.
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = budget
    status = solver.solve(model)
    det = solver.response_proto.deterministic_time
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {r: s for (r, s), v in x.items() if solver.value(v)}
        new_score = sum(inst.weight[r] for r in chosen)
        if new_score >= old_score:
            for r, s in sorted(chosen.items()):
                table.place(r, s)
            return new_score - old_score, status == cp_model.OPTIMAL, det
    for r, s in before.items():
        table.place(r, s)
    return 0, False, det


def _constrain(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    reqs: list[int],
) -> None:
    per_req: dict[int, list] = defaultdict(list)
    per_party_slot: dict[tuple[str, int], list] = defaultdict(list)
    per_party_day: dict[tuple[str, object], list] = defaultdict(list)
    per_party: dict[str, list] = defaultdict(list)
    per_slot: dict[int, list] = defaultdict(list)
    for (r, s), v in x.items():
        a, b = inst.ends[r]
        per_req[r].append(v)
        for p in (a, b):
            per_party_slot[p, s].append(v)
            per_party_day[p, inst.day_of[s]].append(v)
            per_party[p].append(v)
        if inst.uses_pool(a, b):
            per_slot[s].append(v)
    for vars_ in per_req.values():
        model.add_at_most_one(vars_)
    for vars_ in per_party_slot.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for (p, d), vars_ in per_party_day.items():
        room = inst.cap_day[p] - table.per_day[p, d]
        if room < len(vars_):
            model.add(sum(vars_) <= room)
    for p, vars_ in per_party.items():
        room = inst.cap_total[p] - table.total[p]
        if room < len(vars_):
            model.add(sum(vars_) <= room)
    for s, vars_ in per_slot.items():
        room = inst.pool[s] - table.used[s]
        if room < len(vars_):
            model.add(sum(vars_) <= room)
    if inst.max_consecutive:
        _pause_windows(inst, table, model, per_party_slot)


def _pause_windows(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    per_party_slot: dict[tuple[str, int], list],
) -> None:
    """At most ``limit`` meetings in any limit+1 back-to-back slots."""
    limit = inst.max_consecutive or 0
    slots = inst.event.slots
    parties = {p for p, _ in per_party_slot}
    for p in sorted(parties):
        for start in range(len(slots) - limit):
            window = range(start, start + limit + 1)
            if any(slots[t].run != slots[start].run for t in window):
                continue
            terms = [v for t in window for v in per_party_slot.get((p, t), [])]
            if not terms:
                continue
            fixed = sum(1 for t in window if t in table.busy[p])
            model.add(sum(terms) <= limit - fixed)


def _fairness_terms(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    parties: list[str],
    fairness: int,
) -> list:
    """A bonus for each party's first meeting: nobody goes home with none."""
    if fairness <= 0:
        return []
    per_party: dict[str, list] = defaultdict(list)
    for (r, _), v in x.items():
        for p in inst.ends[r]:
            per_party[p].append(v)
    terms = []
    for p in parties:
        if table.busy[p] or not per_party.get(p):
            continue  # already has a meeting outside, or cannot get one here
        has = model.new_bool_var("")
        model.add(sum(per_party[p]) >= 1).only_enforce_if(has)
        terms.append(fairness * has)
    return terms

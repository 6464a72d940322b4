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
from concurrent.futures import ThreadPoolExecutor
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
    """Run LNS rounds until the deterministic budget or wall-clock limit is spent,
    or the score reaches ``target`` (the bound, in engine units).

    Each round re-solves ``workers`` disjoint neighbourhoods at once, one
    single-threaded CP-SAT each, in threads (CP-SAT releases the GIL). The
    table pool of each slot is split between them, so their answers always
    fit together, and the result does not depend on which thread ends first.
    """
    rng = random.Random(seed)
    stats = LnsStats()
    size = 30
    started = time.monotonic()
    fairness = round(inst.event.settings.fairness_weight * SCALE)
    lanes = max(1, workers)
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        while stats.deterministic_time < budget and time.monotonic() - started < wall_limit:
            if table.score() >= target:
                break
            hoods = _neighbourhoods(inst, table, size, lanes, rng)
            if not hoods:
                break
            step_budget = min(0.5, max(0.05, (budget - stats.deterministic_time) / len(hoods)))
            subs = _prepare(inst, table, hoods, fairness)
            seeds = [seed + stats.steps + i for i in range(len(subs))]
            results = list(pool.map(_solve_sub, subs, seeds, [step_budget] * len(subs)))
            optimal = True
            for sub, (chosen, is_optimal, det) in zip(subs, results, strict=True):
                stats.improved += _apply(inst, table, sub, chosen)
                stats.deterministic_time += det
                optimal &= is_optimal
                stats.steps += 1
            size = min(120, size + 5) if optimal else max(12, size - 5)
            if progress:
                progress(stats)
        else:
            # The loop ran out: by budget (repeatable) or by the wall clock (not).
            stats.cut_by_clock = stats.deterministic_time < budget
    return stats


def _neighbourhoods(inst: Instance, table: Timetable, size: int, lanes: int, rng: random.Random) -> list[list[str]]:
    """Up to ``lanes`` disjoint neighbourhoods, each around an unmet request."""
    unmet = [r for r in range(len(inst.ends)) if r not in table.slot_of and inst.common(r)]
    hoods: list[list[str]] = []
    taken: set[str] = set()
    for _ in range(lanes):
        free = [r for r in unmet if not set(inst.ends[r]) & taken]
        if not free:
            break
        # Heavier requests are tried more often, every one now and then.
        r = rng.choices(free, weights=[inst.weight[x] for x in free], k=1)[0]
        hood = _neighbourhood(inst, table, r, size, rng, taken)
        taken |= set(hood)
        hoods.append(hood)
    return hoods


def _neighbourhood(
    inst: Instance, table: Timetable, r: int, size: int, rng: random.Random, taken: set[str]
) -> list[str]:
    chosen: list[str] = list(inst.ends[r])
    seen = set(chosen) | taken
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


@dataclass
class _Sub:
    """One neighbourhood's sub-model, with what it replaced."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    before: dict[int, int]  # request -> slot it had


def _prepare(inst: Instance, table: Timetable, hoods: list[list[str]], fairness: int) -> list[_Sub]:
    """Take the neighbourhoods' meetings out and build one sub-model each."""
    reqs_of, before_of = [], []
    for parties in hoods:
        inside = set(parties)
        reqs = sorted(
            {x for p in parties for x in inst.by_party.get(p, ()) if set(inst.ends[x]) <= inside} - table.locked
        )
        before = {r: table.slot_of[r] for r in reqs if r in table.slot_of}
        for r in before:
            table.remove(r)
        reqs_of.append(reqs)
        before_of.append(before)
    shares = _pool_shares(inst, table, before_of)
    subs = []
    for parties, reqs, before, share in zip(hoods, reqs_of, before_of, shares, strict=True):
        model = cp_model.CpModel()
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        for r in reqs:
            a, b = inst.ends[r]
            for s in inst.common(r):
                if s not in table.busy[a] and s not in table.busy[b]:
                    x[r, s] = model.new_bool_var("")
        _constrain(inst, table, model, x, share)
        objective = [inst.weight[r] * v for (r, _), v in x.items()]
        objective += _fairness_terms(inst, table, model, x, parties, fairness)
        model.maximize(sum(objective))
        for (r, s), v in x.items():
            model.add_hint(v, before.get(r) == s)
        subs.append(_Sub(model, x, before))
    return subs


def _pool_shares(inst: Instance, table: Timetable, befores: list[dict[int, int]]) -> list[list[int]]:
    """Split each slot's free pool tables between the neighbourhoods: each keeps
    the tables its own meetings used, the rest is shared out evenly."""
    used = [[0] * len(inst.pool) for _ in befores]
    for i, before in enumerate(befores):
        for r, s in before.items():
            if inst.uses_pool(*inst.ends[r]):
                used[i][s] += 1
    shares = [[0] * len(inst.pool) for _ in befores]
    for s in range(len(inst.pool)):
        spare = inst.pool[s] - table.used[s] - sum(u[s] for u in used)
        for i in range(len(befores)):
            extra = spare // len(befores) + (1 if i < spare % len(befores) else 0)
            shares[i][s] = used[i][s] + extra
    return shares


def _solve_sub(sub: _Sub, seed: int, budget: float) -> tuple[dict[int, int] | None, bool, float]:
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed % 2**31
    # One worker per sub-model: on these small models it proves optimality
    # faster than interleaved workers (measured), and it is deterministic.
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = budget
    status = solver.solve(sub.model)
    det = solver.response_proto.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False, det
    chosen = {r: s for (r, s), v in sub.x.items() if solver.value(v)}
    return chosen, status == cp_model.OPTIMAL, det


def _apply(inst: Instance, table: Timetable, sub: _Sub, chosen: dict[int, int] | None) -> int:
    """Put the new answer in if it scores at least as much; else the old one back."""
    old = sum(inst.weight[r] for r in sub.before)
    new = -1 if chosen is None else sum(inst.weight[r] for r in chosen)
    keep = chosen if chosen is not None and new >= old else sub.before
    for r, s in sorted(keep.items()):
        table.place(r, s)
    return max(0, new - old)


def _constrain(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    pool_share: list[int],
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
        room = pool_share[s]
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

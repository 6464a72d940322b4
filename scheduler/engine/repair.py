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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from . import cpsat
from .instance import SCALE, Instance
from .params import LnsParams
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
    params: LnsParams = LnsParams(),
    guide: Sequence[float] = (),
) -> LnsStats:
    """Run LNS rounds until the deterministic budget or wall-clock limit is spent,
    or the score reaches ``target`` (the bound, in engine units).

    Each round re-solves ``workers`` disjoint neighbourhoods at once, one
    single-threaded CP-SAT each, in threads (CP-SAT releases the GIL). The
    free tables of each slot are split between them, so their answers always
    fit together, and the result does not depend on which thread ends first.
    ``params``: neighbourhood sizes and the work of each sub-model.
    """
    rng = random.Random(seed)
    stats = LnsStats()
    size = params.start_size
    started = time.monotonic()
    fairness = round(inst.event.settings.fairness_weight * SCALE)  # 0: a tie-break only
    lanes = max(1, workers)
    most = params.most_step_work(budget)
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        while stats.deterministic_time < budget and time.monotonic() - started < wall_limit:
            if table.score() >= target:
                break
            hoods = _neighbourhoods(inst, table, size, lanes, rng, params.asked_sample, guide, params.max_choices)
            if not hoods:
                break
            share = (budget - stats.deterministic_time) / len(hoods)
            step_budget = min(most, max(params.min_step_work, share))
            wall = max(0.01, wall_limit - (time.monotonic() - started))
            subs, running = [], []
            # Each sub-model starts solving as soon as it is built, while the
            # next one is built: its answer depends on its model, seed and
            # budget only, so the overlap changes no result.
            for i, sub in enumerate(_prepare(inst, table, hoods, fairness)):
                subs.append(sub)
                running.append(pool.submit(_solve_sub, sub, seed + stats.steps + i, step_budget, wall))
            results = [job.result() for job in running]
            optimal = True
            for sub, (chosen, is_optimal, det) in zip(subs, results, strict=True):
                stats.improved += _apply(inst, table, sub, chosen)
                stats.deterministic_time += det
                optimal &= is_optimal
                stats.steps += 1
            step = params.size_step
            size = min(params.max_size, size + step) if optimal else max(params.min_size, size - step)
            if progress:
                progress(stats)
        else:
            # The loop ran out: by budget (repeatable) or by the wall clock (not).
            stats.cut_by_clock = stats.deterministic_time < budget
    return stats


def _neighbourhoods(
    inst: Instance, table: Timetable, size: int, lanes: int, rng: random.Random, asked: int, guide: Sequence[float],
    max_choices: int = LnsParams().max_choices,
) -> list[list[str]]:
    """Up to ``lanes`` disjoint neighbourhoods of ``size`` parties, each around
    an unmet request; ``asked``: unmet requests sampled per party."""
    unmet = [r for r in range(len(inst.ends)) if r not in table.slot_of and inst.common(r)]
    hoods: list[list[str]] = []
    taken: set[str] = set()
    for _ in range(lanes):
        free = [r for r in unmet if not set(inst.ends[r]) & taken]
        if not free:
            break
        # Heavier requests, and those the LP meets, are tried more often.
        r = rng.choices(free, weights=[_pull(inst, x, guide) for x in free], k=1)[0]
        hood = _neighbourhood(inst, table, r, size, rng, taken, asked, max_choices)
        taken |= set(hood)
        hoods.append(hood)
    return hoods


def _pull(inst: Instance, r: int, guide: Sequence[float]) -> float:
    """How often the search starts from unmet request r: its weight, times
    how much of it the LP bound meets (plus a hundredth, so that every
    request is tried now and then). Requests the LP leaves unmet are mostly
    those no schedule can meet; starting from them wastes the step
    (measured at 400 attendees, 10 s, two seeds: +4-8 points on caps, the
    sample and 25% hosts)."""
    return inst.weight[r] * (0.01 + guide[r]) if guide else float(inst.weight[r])


def _neighbourhood(
    inst: Instance, table: Timetable, r: int, size: int, rng: random.Random, taken: set[str], asked_sample: int,
    max_choices: int = LnsParams().max_choices,
) -> list[str]:
    """``size`` parties around request r, fewer when their requests' slot
    choices would pass ``max_choices`` (the sub-model's build time)."""
    chosen: list[str] = list(inst.ends[r])
    choices = _Choices(inst, chosen)
    for q in _table_trade(inst, table, r):
        if q not in chosen and q not in taken and len(chosen) < size and choices.add(q, max_choices):
            chosen.append(q)
    seen = set(chosen) | taken
    frontier = list(chosen)
    while frontier and len(chosen) < size:
        p = frontier.pop(0)
        met = [inst.ends[x] for x in table.busy[p].values() if x >= 0]
        asked = [inst.ends[x] for x in inst.by_party.get(p, ()) if x not in table.slot_of]
        around = sorted({q for pair in met + rng.sample(asked, min(len(asked), asked_sample)) for q in pair} - seen)
        rng.shuffle(around)
        for q in around:
            if len(chosen) >= size:
                break
            seen.add(q)
            if choices.add(q, max_choices):
                chosen.append(q)
                frontier.append(q)
    return sorted(chosen)


class _Choices:
    """The (request, slot) choices of the requests inside a growing neighbourhood."""

    def __init__(self, inst: Instance, parties: Sequence[str]):
        self.inst, self.inside, self.count = inst, set(), 0
        for p in parties:
            self.count += self._new(p)
            self.inside.add(p)

    def _new(self, q: str) -> int:
        """The choices of q's requests with parties already inside (or with q itself)."""
        inst = self.inst
        return sum(len(inst.common(x)) for x in inst.by_party.get(q, ())
                   if all(p == q or p in self.inside for p in inst.ends[x]))

    def add(self, q: str, most: int) -> bool:
        """Take party q in unless its requests with those inside pass ``most`` choices."""
        extra = self._new(q)
        if self.count + extra > most:
            return False
        self.inside.add(q)
        self.count += extra
        return True


def _table_trade(inst: Instance, table: Timetable, r: int) -> list[str]:
    """Parties whose meetings must move for request r to get a table, so the
    sub-model can weigh them: for a host with no home table on r's days, the
    cheapest meeting in each full slot of one such day (a home table costs a
    table all day); for a meeting at no home, the weakest host holding a table
    that day and the cheapest meeting in one of r's slots."""
    a, b = inst.ends[r]
    open_slots = [s for s in inst.common(r) if s not in table.busy[a] and s not in table.busy[b]]
    if not open_slots or any(table.table_free(a, b, s) for s in open_slots):
        return []
    hosts = inst.hosts_of(a, b)
    day = max(sorted({inst.day_of[s] for s in open_slots}), key=lambda d: sum(inst.day_of[s] == d for s in open_slots))
    found: list[str] = []
    if hosts:
        for s in inst.slots_of_day[day]:
            found += _cheapest_at(inst, table, s)
    else:
        found += _cheapest_at(inst, table, min(open_slots, key=lambda s: (len(table.at_slot[s]), s)))
    found += _weakest_host(inst, table, day)
    return found


def _cheapest_at(inst: Instance, table: Timetable, s: int) -> list[str]:
    """The parties of the lightest movable meeting at no home table in slot s."""
    movable = [x for x in table.at_slot[s] if x not in table.locked and inst.uses_pool(*inst.ends[x])]
    if not movable:
        return []
    return list(inst.ends[min(movable, key=lambda x: (inst.weight[x], x))])


def _weakest_host(inst: Instance, table: Timetable, day: date) -> list[str]:
    """The host holding a table on ``day`` whose meetings at home weigh least, with its guests."""
    meetings: dict[str, list[int]] = defaultdict(list)
    for s in inst.slots_of_day[day]:
        for x in table.at_slot[s]:
            home = table.home(x)
            if home is not None:
                meetings[home].append(x)
    candidates = [h for h, xs in meetings.items() if not set(xs) & table.locked]
    if not candidates:
        return []
    host = min(sorted(candidates), key=lambda h: sum(inst.weight[x] for x in meetings[h]))
    return [host] + sorted({p for x in meetings[host] for p in inst.ends[x]} - {host})


@dataclass
class _Sub:
    """One neighbourhood's sub-model, with what it replaced."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    homes: dict[tuple[str, date], cp_model.IntVar]  # (host, day) -> holds its table, decided here
    before: dict[int, tuple[int, str | None]]  # request -> (slot, home) it had


def _prepare(inst: Instance, table: Timetable, hoods: list[list[str]], fairness: int) -> Iterator[_Sub]:
    """Take the neighbourhoods' meetings out, then build one sub-model each."""
    reqs_of, before_of = [], []
    for parties in hoods:
        inside = set(parties)
        reqs = sorted(
            {x for p in parties for x in inst.by_party.get(p, ()) if set(inst.ends[x]) <= inside} - table.locked
        )
        before = {r: (table.slot_of[r], table.home(r)) for r in reqs if r in table.slot_of}
        for r in before:
            table.remove(r)
        reqs_of.append(reqs)
        before_of.append(before)
    shares = _table_shares(inst, table, before_of)
    home_shares = _home_shares(inst, table, before_of)
    for parties, reqs, before, share, home_share in zip(hoods, reqs_of, before_of, shares, home_shares,
                                                        strict=True):
        model = cp_model.CpModel()
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        for r in reqs:
            a, b = inst.ends[r]
            for s in inst.common(r):
                if s not in table.busy[a] and s not in table.busy[b]:
                    x[r, s] = model.new_bool_var("")
        homes = _home_vars(inst, table, model, x, before)
        _constrain(inst, table, model, x, homes, share, home_share)
        firsts = _first_meetings(inst, table, model, x, parties)
        _objective(inst, table, model, x, firsts, fairness)
        # The previous timetable, as a whole hint (set in bulk: per variable
        # it was a tenth of the search's wall time at 400 attendees).
        hint = model.proto.solution_hint
        hint.vars.extend(v.index for v in x.values())
        hint.values.extend(int(r in before and before[r][0] == s) for r, s in x)
        yield _Sub(model, x, homes, before)


def _objective(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    firsts: list[cp_model.IntVar],
    fairness: int,
) -> None:
    """The goal first, then comfort as a tie-break. The goal: with Fairness
    above 0, the score plus that bonus per first meeting (the organizer's
    trade); at 0, lexicographic: the score first, then first meetings.
    Comfort: each meeting costs how far it sits from its parties' meetings
    outside the sub-model (the constructive phase's comfort cost), scaled so
    that no comfort gain outweighs one unit of the goal; without it the
    search scatters meetings over the day and leaves the comfort phase more
    holes than it can close (measured: idle slots per attendee-day 1.91 ->
    1.44 at 400 attendees with 10% hosts, at the same score). Built as one
    weighted sum: Python sums of CP-SAT terms were a fifth of the search's
    wall time."""
    per_score, per_first = (1, fairness) if fairness > 0 else (len(firsts) + 1, 1)
    part: dict[tuple[str, int], int] = {}  # a party's cost in a slot, shared by its requests
    for r, s in x:
        for p in inst.ends[r]:
            if (p, s) not in part:
                part[p, s] = table.party_comfort_cost(p, s)
    cost = {(r, s): part[inst.ends[r][0], s] + part[inst.ends[r][1], s] for r, s in x}
    worst: dict[int, int] = {}
    for (r, _), c in cost.items():
        worst[r] = max(worst.get(r, 0), c)
    scale = sum(worst.values()) + 1
    coefficients = [scale * per_score * inst.weight[r] - cost[r, s] for r, s in x]
    coefficients += [scale * per_first] * len(firsts)
    # Set on the proto in bulk, as CpModel.maximize stores it (negated, scaling
    # -1): maximize walked the terms one by one, a sixth of the build time.
    objective = model.proto.objective
    objective.vars.extend(v.index for v in [*x.values(), *firsts])
    objective.coeffs.extend(-c for c in coefficients)
    objective.scaling_factor = -1.0


def _home_vars(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    before: dict[int, tuple[int, str | None]],
) -> dict[tuple[str, date], cp_model.IntVar]:
    """y[h, d]: host h holds its home table on day d, for the hosts that hold
    none outside this sub-model that day (the others hold one anyway). A
    meeting with a host needs a held table: the host's, or either host's when
    two hosts meet."""
    had = {(home, inst.day_of[s]) for s, home in before.values() if home is not None}
    homes: dict[tuple[str, date], cp_model.IntVar] = {}
    for (r, s), v in x.items():
        day = inst.day_of[s]
        hosts = inst.hosts_of(*inst.ends[r])
        if not hosts or any(table.at_home[h, day] for h in hosts):
            continue
        for h in hosts:
            if (h, day) not in homes:
                homes[h, day] = model.new_bool_var("")
                model.add_hint(homes[h, day], (h, day) in had)
        model.add_bool_or([v.Not()] + [homes[h, day] for h in hosts])
    return homes


def _table_shares(
    inst: Instance, table: Timetable, befores: list[dict[int, tuple[int, str | None]]]
) -> list[list[int]]:
    """Split each slot's free tables between the neighbourhoods: each keeps the
    tables its own meetings used (a released home table counts in every slot
    of its day), the rest is shared out evenly, so answers always fit together."""
    used = [[0] * len(inst.capacity) for _ in befores]
    for i, before in enumerate(befores):
        for s, home in before.values():
            if home is None:
                used[i][s] += 1
        for _, day in _released(inst, table, before):
            for s in inst.slots_of_day[day]:
                used[i][s] += 1
    shares = [[0] * len(inst.capacity) for _ in befores]
    for s in range(len(inst.capacity)):
        taken = table.used[s] + table.holders[inst.day_of[s]] + sum(u[s] for u in used)
        spare = max(0, inst.capacity[s] - taken)
        for i in range(len(befores)):
            extra = spare // len(befores) + (1 if i < spare % len(befores) else 0)
            shares[i][s] = used[i][s] + extra
    return shares


def _released(inst: Instance, table: Timetable, before: dict[int, tuple[int, str | None]]) -> set[tuple[str, date]]:
    """The (host, day) home tables a neighbourhood's meetings held and no meeting left outside holds."""
    return {(home, inst.day_of[s]) for s, home in before.values()
            if home is not None and not table.at_home[home, inst.day_of[s]]}


def _home_shares(
    inst: Instance, table: Timetable, befores: list[dict[int, tuple[int, str | None]]]
) -> list[dict[date, int]]:
    """Split each day's home tables between the neighbourhoods as ``_table_shares``
    splits a slot's tables: fewer than the tables, when Fixed meetings rows
    without a host pin some (``Instance.home_capacity``), which no host can
    hold all day."""
    released = [Counter(day for _, day in _released(inst, table, before)) for before in befores]
    shares: list[dict[date, int]] = [{} for _ in befores]
    for day in inst.slots_of_day:
        cap = inst.home_capacity.get(day, len(inst.capacity))
        spare = max(0, cap - table.holders[day] - sum(r[day] for r in released))
        for i in range(len(befores)):
            extra = spare // len(befores) + (1 if i < spare % len(befores) else 0)
            shares[i][day] = released[i][day] + extra
    return shares


Answer = tuple[dict[int, int], set[tuple[str, date]]]  # request -> slot, (host, day) holding a table


def _solve_sub(sub: _Sub, seed: int, budget: float, wall: float) -> tuple[Answer | None, bool, float]:
    solver = cpsat.sub_model_solver(budget, seed)
    solver.parameters.max_time_in_seconds = wall  # the time limit is a promise, even on a loaded machine
    status = cpsat.solve(solver, sub.model)
    det = solver.response_proto.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False, det
    chosen = {r: s for (r, s), v in sub.x.items() if solver.value(v)}
    held = {key for key, y in sub.homes.items() if solver.value(y)}
    return (chosen, held), status == cp_model.OPTIMAL, det


def _apply(inst: Instance, table: Timetable, sub: _Sub, answer: Answer | None) -> int:
    """Put the new answer in if it scores at least as much; else the old one back."""
    old = sum(inst.weight[r] for r in sub.before)
    new = -1 if answer is None else sum(inst.weight[r] for r in answer[0])
    if answer is None or new < old:
        for r, (s, home) in sorted(sub.before.items()):
            table.place(r, s, home)
        return 0
    chosen, held = answer
    for r, s in sorted(chosen.items()):
        day = inst.day_of[s]
        hosts = inst.hosts_of(*inst.ends[r])
        # The home the answer paid for: a table it holds, else one held outside.
        home = next((h for h in hosts if (h, day) in held), None)
        home = home or next((h for h in hosts if table.at_home[h, day]), hosts[0] if hosts else None)
        table.place(r, s, home)
    return new - old


def _constrain(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    homes: dict[tuple[str, date], cp_model.IntVar],
    table_share: list[int],
    home_share: dict[date, int],
) -> None:
    per_req: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    per_party_slot: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    per_party_day: dict[tuple[str, date], list[cp_model.IntVar]] = defaultdict(list)
    per_party: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    per_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
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
            model.add(cp_model.LinearExpr.sum(vars_) <= room)
    for p, vars_ in per_party.items():
        room = inst.cap_total[p] - table.total[p]
        if room < len(vars_):
            model.add(cp_model.LinearExpr.sum(vars_) <= room)
    homes_of_day: dict[date, list[cp_model.IntVar]] = defaultdict(list)
    for (_, day), y in homes.items():
        homes_of_day[day].append(y)
    for s in sorted(set(per_slot) | {t for day in homes_of_day for t in inst.slots_of_day[day]}):
        terms = per_slot.get(s, []) + homes_of_day.get(inst.day_of[s], [])
        if table_share[s] < len(terms):
            model.add(cp_model.LinearExpr.sum(terms) <= table_share[s])
    for day, ys in homes_of_day.items():
        if home_share.get(day, len(ys)) < len(ys):
            model.add(cp_model.LinearExpr.sum(ys) <= home_share[day])
    if inst.max_consecutive:
        pause_windows(inst, table, model, per_party_slot)


def pause_windows(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    per_party_slot: dict[tuple[str, int], list[cp_model.IntVar]],
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
            model.add(cp_model.LinearExpr.sum(terms) <= limit - fixed)


def _first_meetings(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    parties: list[str],
) -> list[cp_model.IntVar]:
    """One boolean per party with no meeting outside the sub-model that could
    get one here: true only if it does (nobody goes home with none)."""
    per_party: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (r, _), v in x.items():
        for p in inst.ends[r]:
            per_party[p].append(v)
    found = []
    for p in parties:
        if table.busy[p] or not per_party.get(p):
            continue  # already has a meeting outside, or cannot get one here
        has = model.new_bool_var("")
        model.add(cp_model.LinearExpr.sum(per_party[p]) >= 1).only_enforce_if(has)
        found.append(has)
    return found

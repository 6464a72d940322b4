"""The exact optimum of a small event, by one CP-SAT model of the whole contract.

Written from the contract and the rule functions of ``scheduler.rules`` only,
not from the engine's Instance or Timetable, so it cannot share the engine's
assumptions: one boolean per request and slot (two for a meeting of two hosts:
at either home), one per host and day for holding a home table. Tables are
counted per slot: meetings at no home table plus the hosts holding a table
that day fit the usable tables (any such counts can be given real tables).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler import rules
from scheduler.model import Event
from scheduler.schedule import SessionPlacement


def optimum(
    event: Event, placements: tuple[SessionPlacement, ...], seconds: float = 60.0, proven: bool = True
) -> float | None:
    """The best standard score, or None when CP-SAT cannot prove it in time
    (or the fixed meetings cannot all be held). ``proven=False``: the best
    score found in time, proven or not (for measuring, never for tests)."""
    model = cp_model.CpModel()
    free = rules.party_free_slots(event, rules.session_busy(event, placements))
    hosts = {p.key for p in event.parties if p.host}
    day_of = [s.day for s in event.slots]
    usable = {d: rules.usable_tables(event, d) for d in event.days}
    x: dict[tuple[str, str, int, str | None], cp_model.IntVar] = {}  # (a, b, slot, home) -> meets there
    weight: dict[tuple[str, str], int] = {}
    for req in event.requests:
        if rules.never_reason(event, req):
            continue
        weight[req.pair] = round(event.points(req) * 2)  # half points: integers
        homes = [h for h in (req.a, req.b) if h in hosts] or [None]
        for s in sorted(free[req.a] & free[req.b]):
            for home in homes:
                x[req.a, req.b, s, home] = model.new_bool_var("")
    fixed_busy = _fixed(event, model, x, free, hosts)
    _party_rules(event, model, x, free, fixed_busy)
    _tables(event, model, x, hosts, day_of, usable, fixed_busy)
    model.maximize(sum(weight[a, b] * v for (a, b, _, _), v in x.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status == cp_model.OPTIMAL or (not proven and status == cp_model.FEASIBLE):
        return solver.objective_value / 2
    return None


def _fixed(event, model, x, free, hosts) -> list[tuple[str, str, int]]:
    """Fixed meetings are held: a requested pair's variables at that slot sum
    to one; an unrequested pair just takes its parties and a table."""
    slot_at = {s.start: s.index for s in event.slots}
    busy = []
    for f in event.fixed:
        a, b = sorted((event.party_of[f.a], event.party_of[f.b]))
        s = slot_at[f.start]
        here = [v for (p, q, t, _), v in x.items() if (p, q, t) == (a, b, s)]
        if here:
            model.add(sum(here) == 1)
        else:
            busy.append((a, b, s))
    return busy


def _party_rules(event, model, x, free, fixed_busy) -> None:
    per_slot: dict[tuple[str, int], list] = defaultdict(list)
    per_day: dict[tuple[str, object], list] = defaultdict(list)
    per_party: dict[str, list] = defaultdict(list)
    per_pair: dict[tuple[str, str], list] = defaultdict(list)
    for (a, b, s, _), v in x.items():
        per_pair[a, b].append(v)
        for p in (a, b):
            per_slot[p, s].append(v)
            per_day[p, event.slots[s].day].append(v)
            per_party[p].append(v)
    extra_slot: dict[tuple[str, int], int] = defaultdict(int)
    extra_day: dict[tuple[str, object], int] = defaultdict(int)
    extra: dict[str, int] = defaultdict(int)
    for a, b, s in fixed_busy:
        for p in (a, b):
            extra_slot[p, s] += 1
            extra_day[p, event.slots[s].day] += 1
            extra[p] += 1
    for vars_ in per_pair.values():
        model.add(sum(vars_) <= 1)
    for key, vars_ in per_slot.items():
        model.add(sum(vars_) + extra_slot[key] <= 1)
    for party in event.parties:
        p = party.key
        day_cap, total_cap = rules.party_day_cap(event, party), rules.party_total_cap(event, party)
        for d in event.days:
            if day_cap is not None and per_day[p, d]:
                model.add(sum(per_day[p, d]) + extra_day[p, d] <= day_cap)
        if total_cap is not None and per_party[p]:
            model.add(sum(per_party[p]) + extra[p] <= total_cap)
        _pause(event, model, p, per_slot, extra_slot)


def _pause(event, model, p, per_slot, extra_slot) -> None:
    limit = event.settings.max_consecutive_meetings
    if not limit:
        return
    slots = event.slots
    for start in range(len(slots) - limit):
        window = range(start, start + limit + 1)
        if any(slots[t].run != slots[start].run for t in window):
            continue  # not back-to-back: a break or another block in between
        terms = [v for t in window for v in per_slot.get((p, t), [])]
        fixed = sum(extra_slot[p, t] for t in window)
        if terms:
            model.add(sum(terms) + fixed <= limit)


def _tables(event, model, x, hosts, day_of, usable, fixed_busy) -> None:
    holds: dict[tuple[str, object], cp_model.IntVar] = {}
    per_slot: dict[int, list] = defaultdict(list)
    for (_, _, s, home), v in x.items():
        if home is None:
            per_slot[s].append(v)
            continue
        key = (home, day_of[s])
        if key not in holds:
            holds[key] = model.new_bool_var("")
        model.add_implication(v, holds[key])
    fixed_pool: dict[int, int] = defaultdict(int)
    for a, b, s in fixed_busy:
        home = b if b in hosts else a if a in hosts else None
        if home is None:
            fixed_pool[s] += 1
        else:
            key = (home, day_of[s])
            if key not in holds:
                holds[key] = model.new_bool_var("")
            model.add(holds[key] == 1)
    held_on: dict[object, list] = defaultdict(list)
    for (_, d), v in holds.items():
        held_on[d].append(v)
    for s, d in enumerate(day_of):
        model.add(sum(per_slot[s]) + fixed_pool[s] + sum(held_on[d]) <= usable[d])

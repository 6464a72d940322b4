"""Comfort: close the idle gaps in attendees' days without losing a meeting.

After the score is settled, meetings move within their day to shorten the
idle time between each party's first and last meeting of the day (the
"holes" of B2B scheduling). Two steps, both keeping the set of meetings, each
meeting's day and its host's home table, so the standard score and the bound
stay as they are:

* a greedy pass moves one meeting at a time to a free slot that shortens
  its parties' days;
* a CP-SAT pass takes a few parties' meetings of one day out at a time and
  re-times them exactly, minimising the sum of their day spans.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from .. import rules
from . import cpsat
from .instance import Instance
from .params import ComfortParams
from .repair import pause_windows
from .timetable import Timetable


def idle(table: Timetable, party: str, day: date) -> int:
    """Slots with no meeting between the party's first and last meeting that day."""
    return rules.idle_slots([s for s in table.busy[party] if table.inst.day_of[s] == day])


def compact(
    inst: Instance,
    table: Timetable,
    steps: int = 0,
    seconds: float = 0.0,
    seed: int = 0,
    deadline: float | None = None,
    params: ComfortParams = ComfortParams(),
    workers: int = 1,
) -> Compacted:
    """Move meetings to slots that shorten idle gaps.
    ``steps``: exact sub-models after the greedy passes, all within ``seconds``
    of wall clock from the call (counted, so that the count, not the clock, ends the pass
    and a second run does the same); ``deadline`` (time.monotonic()): when
    the greedy passes stop, finished or not; ``params``: passes, sub-model
    size and work; ``workers``: exact sub-models solved at once."""
    # ``seconds`` count from this call: the greedy passes spend them too (1.5 s at
    # 10,000 attendees, which the exact pass then overran the time limit by).
    exact_by = time.monotonic() + seconds
    moves, cut = _greedy(inst, table, params.greedy_passes, deadline)
    if steps > 0:
        left = max(0.0, exact_by - time.monotonic())
        cut |= _exact(inst, table, steps, left, random.Random(seed), params, workers)
        more, late = _greedy(inst, table, 1, deadline)
        moves, cut = moves + more, cut or late
    return Compacted(moves, cut)


@dataclass(frozen=True)
class Compacted:
    moves: int  # meetings moved by the greedy passes
    cut_by_clock: bool  # the wall clock, not the counted work, ended a pass: two runs may differ


def _greedy(inst: Instance, table: Timetable, passes: int, deadline: float | None = None) -> tuple[int, bool]:
    """Moves made, and whether the deadline stopped the passes."""
    moves = 0
    for _ in range(passes):
        moved = 0
        for count, r in enumerate(sorted(table.slot_of)):
            if deadline is not None and count % 512 == 0 and time.monotonic() > deadline:
                return moves + moved, True
            if r not in table.locked and _improve_one(inst, table, r):
                moved += 1
        moves += moved
        if not moved:
            break
    return moves, False


def _improve_one(inst: Instance, table: Timetable, r: int) -> bool:
    a, b = inst.ends[r]
    s = table.slot_of[r]
    home = table.home(r)
    day = inst.day_of[s]
    before = idle(table, a, day) + idle(table, b, day)
    if before == 0:
        return False
    table.remove(r)
    best, best_cost = s, before
    for t in inst.common(r):
        if t == s or inst.day_of[t] != day or not table.can_place(r, t):
            continue
        table.place(r, t, home)
        cost = idle(table, a, day) + idle(table, b, day)
        table.remove(r)
        if cost < best_cost:
            best, best_cost = t, cost
    table.place(r, best, home)
    return best != s


def _exact(
    inst: Instance,
    table: Timetable,
    steps: int,
    seconds: float,
    rng: random.Random,
    params: ComfortParams,
    workers: int = 1,
) -> bool:
    """Re-time a few parties' meetings of one day exactly, ``steps`` times,
    around the parties with the most idle slots; up to ``workers`` sub-models
    at once, each on another day (days share nothing: every meeting stays on
    its day), solved in threads and applied in order, so the result does not
    depend on which ends first. True when the wall clock (``seconds``), not
    the count of steps, ended the pass."""
    started = time.monotonic()
    done = 0
    gaps = _gaps(table)  # kept up to date below: a full recount was a third of a step at 5,000 attendees
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        while done < steps:
            worst = _worst(gaps)
            if not worst:
                return False
            if time.monotonic() - started > seconds:
                return True
            picks = _picks(worst, rng, params.worst_share, min(max(1, workers), steps - done))
            built = [_retime_model(inst, table, _around(table, p, day, rng, params.parties), day) for p, day in picks]
            subs = [sub for sub in built if sub is not None]
            jobs = [pool.submit(_retime_solve, sub, params.step_work) for sub in subs]
            for sub, job in zip(subs, jobs, strict=True):
                _retime_apply(table, sub, job.result())
                for p in sub.parties:
                    gaps[p, sub.day] = idle(table, p, sub.day)
            done += len(picks)
    return False


def _picks(
    worst: list[tuple[str, date]], rng: random.Random, share: float, lanes: int
) -> list[tuple[str, date]]:
    """Up to ``lanes`` party-days drawn from the worst ``share``, each on another day."""
    pool = worst[: max(1, int(len(worst) * share))]
    picks: list[tuple[str, date]] = []
    for _ in range(lanes):
        free = [(p, d) for p, d in pool if all(d != day for _, day in picks)]
        if not free:
            break
        picks.append(rng.choice(free))
    return picks


def _gaps(table: Timetable) -> dict[tuple[str, date], int]:
    """Idle slots of every party-day with a meeting."""
    return {
        (party, day): idle(table, party, day)
        for party, busy in table.busy.items()
        for day in sorted({table.inst.day_of[s] for s in busy})
    }


def _worst(gaps: dict[tuple[str, date], int]) -> list[tuple[str, date]]:
    """The party-days with idle slots, most first (ties by party, then day)."""
    return sorted((key for key, gap in gaps.items() if gap), key=lambda k: (-gaps[k], k[0], str(k[1])))


def _around(table: Timetable, party: str, day: date, rng: random.Random, size: int) -> set[str]:
    """The party and the parties it meets that day, then theirs, up to the size."""
    chosen, frontier = {party}, [party]
    while frontier and len(chosen) < size:
        p = frontier.pop(0)
        others = sorted({q for s, r in table.busy[p].items() if r >= 0 and table.inst.day_of[s] == day
                         for q in table.inst.ends[r]} - chosen)
        rng.shuffle(others)
        for q in others[: size - len(chosen)]:
            chosen.add(q)
            frontier.append(q)
    return chosen


Choices = dict[tuple[int, int], cp_model.IntVar]  # (request, slot) -> meets then


@dataclass
class _Retime:
    """One party-day sub-model, its meetings already taken out of the table."""

    model: cp_model.CpModel
    x: Choices
    before: dict[int, tuple[int, str | None]]  # request -> (slot, home) it had
    cost_before: int
    day: date
    parties: set[str]


def _retime_model(inst: Instance, table: Timetable, parties: set[str], day: date) -> _Retime | None:
    reqs = sorted(r for r, s in table.slot_of.items() if inst.day_of[s] == day and r not in table.locked
                  and set(inst.ends[r]) <= parties)
    if len(reqs) < 2:
        return None
    before = {r: (table.slot_of[r], table.home(r)) for r in reqs}
    cost_before = sum(_span(table, p, day) for p in parties)
    for r in reqs:
        table.remove(r)
    for _, home in before.values():  # homes stay held: every meeting stays on its day
        if home is not None and not table.at_home[home, day]:
            table.reserve(home, day)
    model = cp_model.CpModel()
    x = {(r, s): model.new_bool_var("") for r in reqs for s in inst.common(r)
         if inst.day_of[s] == day and s not in table.busy[inst.ends[r][0]] and s not in table.busy[inst.ends[r][1]]}
    _rules(inst, table, model, x, reqs, before)
    spans = _spans(inst, table, model, x, parties, day)
    model.minimize(sum(spans))
    for (r, s), v in x.items():
        model.add_hint(v, before[r][0] == s)
    return _Retime(model, x, before, cost_before, day, parties)


def _retime_solve(sub: _Retime, work: float) -> dict[int, int] | None:
    """The new slot of each meeting, or None when it is not shorter."""
    solver = cpsat.sub_model_solver(work)
    status = cpsat.solve(solver, sub.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value >= sub.cost_before:
        return None
    return {r: s for (r, s), v in sub.x.items() if solver.value(v)}


def _retime_apply(table: Timetable, sub: _Retime, slots: dict[int, int] | None) -> None:
    table.release_reservations(sub.day)
    for r, (s, home) in sorted(sub.before.items()):
        table.place(r, s if slots is None else slots[r], home)


def _span(table: Timetable, party: str, day: date) -> int:
    held = [s for s in table.busy[party] if table.inst.day_of[s] == day]
    return max(held) - min(held) if held else 0


def _rules(
    inst: Instance,
    table: Timetable,
    model: cp_model.CpModel,
    x: Choices,
    reqs: list[int],
    before: dict[int, tuple[int, str | None]],
) -> None:
    """Each meeting once, that day; a party once per slot; the pause rule; a
    slot's meetings without a host within its free tables."""
    per_req: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    per_party_slot: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    per_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (r, s), v in x.items():
        per_req[r].append(v)
        for p in inst.ends[r]:
            per_party_slot[p, s].append(v)
        if before[r][1] is None:
            per_slot[s].append(v)
    for r in reqs:
        model.add_exactly_one(per_req[r])
    for vars_ in per_party_slot.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for s, vars_ in per_slot.items():
        free = inst.capacity[s] - table.used[s] - table.holders[inst.day_of[s]]
        model.add(sum(vars_) <= max(0, free))
    if inst.max_consecutive:
        pause_windows(inst, table, model, per_party_slot)


def _spans(
    inst: Instance, table: Timetable, model: cp_model.CpModel, x: Choices, parties: set[str], day: date
) -> list[cp_model.LinearExpr]:
    """Last minus first slot of each party's day, counting meetings held outside too."""
    slots = inst.slots_of_day[day]
    lo, hi = slots[0], slots[-1]
    at: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (r, s), v in x.items():
        for p in inst.ends[r]:
            at[p].append((s, v))
    spans = []
    for p in sorted(parties):
        if not at[p]:
            continue
        first, last = model.new_int_var(lo, hi, ""), model.new_int_var(lo, hi, "")
        for s, v in at[p]:
            model.add(first <= s).only_enforce_if(v)
            model.add(last >= s).only_enforce_if(v)
        for s in table.busy[p]:
            if inst.day_of[s] == day:
                model.add(first <= s)
                model.add(last >= s)
        spans.append(last - first)
    return spans

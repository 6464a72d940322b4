"""The constructive phase: a first timetable, fast, guided by the bound's LP.

Requests are taken best first: heavier ones first, and among equals those the
LP relaxation keeps (so a popular attendee's few free slots go to the requests
the optimum would give them), then those with fewer options. Each goes to the
free slot that keeps both parties' days compact; when no slot is free, one
blocking meeting may move to another slot to make room (a one-step ejection).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import date

from .instance import Instance
from .params import ConstructParams
from .timetable import Timetable


def order(inst: Instance, share: list[float], first: frozenset[int] = frozenset()) -> list[int]:
    """Requests in the order the constructive phase tries them; ``first`` (met
    in a published schedule) go before all others, so they move rather than drop."""
    rank = _fairness_rank(inst)
    return sorted(
        range(len(inst.ends)),
        key=lambda r: (r not in first, -round(share[r], 3), -inst.weight[r], rank[r], len(inst.common(r)), r),
    )


def _fairness_rank(inst: Instance) -> list[int]:
    """For each request, its best position in either party's own list: every
    attendee's top request comes before anyone's second."""
    rank = [len(inst.ends)] * len(inst.ends)
    for reqs in inst.by_party.values():
        for pos, r in enumerate(sorted(reqs, key=lambda r: (-inst.weight[r], r))):
            rank[r] = min(rank[r], pos)
    return rank


def construct(
    inst: Instance,
    table: Timetable,
    share: list[float],
    first: frozenset[int] = frozenset(),
    homes: dict[tuple[str, date], float] | None = None,
    deadline: float | None = None,
    reserve_at: tuple[float, ...] = ConstructParams().reserve_at,
    stop: threading.Event | None = None,
) -> bool:
    """Place requests greedily, once per distinct set of reservations and
    each time from the same start, keeping the best timetable (the first on
    ties). ``homes``: the LP's value of each host holding a table on each
    day; in a pass, the hosts it gives at least a ``reserve_at`` value keep
    a table reserved that day (without the LP: none), so early meetings do
    not take the tables of the day's busiest hosts. False when the deadline
    stopped a pass before every request was tried (a second run may differ);
    no later pass is started then, nor once ``stop`` is set (Ctrl-C: a pass
    is not cut, its timetable is the first complete one, but the user does
    not wait for another)."""
    plans = _distinct(_reservations(inst, homes, at) for at in reserve_at)
    start = table.snapshot() if len(plans) > 1 else None
    best: tuple[int, int, dict[str, object]] | None = None  # score, pass, state
    finished = True
    for i, reserved in enumerate(plans):
        if start is not None and i:
            table.restore(start)
        finished = _construct_once(table, share, first, reserved, deadline)
        if start is not None and (best is None or table.score() > best[0]):
            best = (table.score(), i, table.snapshot())
        if not finished or (stop is not None and stop.is_set()):
            break
    if best is not None and best[1] != i:
        table.restore(best[2])
    return finished


def _construct_once(
    table: Timetable,
    share: list[float],
    first: frozenset[int],
    reserved: list[tuple[str, date]],
    deadline: float | None,
) -> bool:
    inst = table.inst
    finished = True
    for host, day in reserved:
        if table.table_free_all_day(day):
            table.reserve(host, day)
    for count, r in enumerate(order(inst, share, first)):
        if deadline is not None and count % 16 == 0 and time.monotonic() > deadline:
            finished = False
            break  # the time limit is a promise: what is placed so far is a valid timetable
        if r in table.slot_of:
            continue
        # Ejection is costly: skip it when a party is already at a meeting
        # limit, since moving meetings cannot help then.
        if not place_one(table, r) and table.has_room(r):
            eject_and_place(table, r)
    table.release_reservations()
    # Reserved tables their hosts did not use are free now: what fits there goes in.
    return fill(table, share, first, deadline) and finished


def fill(table: Timetable, share: list[float], first: frozenset[int] = frozenset(),
         deadline: float | None = None) -> bool:
    """Place every unmet request that fits as the timetable stands, in the
    constructive order: a step that moved meetings (the release of unused
    reservations, a search step around other requests) can leave room that
    no step looks at again. False when the deadline cut it."""
    inst = table.inst
    for count, r in enumerate(order(inst, share, first)):
        if deadline is not None and count % 16 == 0 and time.monotonic() > deadline:
            return False
        if r not in table.slot_of:
            place_one(table, r)
    return True


def place_one(table: Timetable, r: int) -> bool:
    options = table.options(r)
    if not options:
        return False
    # A table held already costs nothing more; a new one costs a table in
    # every slot of the day, so a host fills the days it holds first.
    best = min(options, key=lambda s: (_opens_home(table, r, s), table.comfort_cost(r, s), s))
    table.place(r, best)
    return True


def _opens_home(table: Timetable, r: int, s: int) -> bool:
    """Whether meeting r in slot s makes a host hold a table all day that it
    does not hold yet: a held table costs nothing more, a new one a table in
    every slot of the day."""
    a, b = table.inst.ends[r]
    home = table.choose_home(a, b, s)
    return home is not None and not table.at_home[home, table.inst.day_of[s]]


def eject_and_place(table: Timetable, r: int) -> bool:
    """Free a common slot by moving the meeting(s) that block it elsewhere."""
    inst = table.inst
    a, b = inst.ends[r]
    for s in inst.common(r):
        blockers = {table.busy[p][s] for p in (a, b) if s in table.busy[p]}
        if not blockers or any(x < 0 or x in table.locked for x in blockers):
            continue
        moved: list[tuple[int, int]] = []
        for x in blockers:
            moved.append((x, table.remove(x)))
        if table.can_place(r, s) and _relocate_all(table, [x for x, _ in moved], avoid=s, r=r):
            return True
        # Undo: put everything back where it was.
        for x, _ in moved:
            if x in table.slot_of:
                table.remove(x)
        if r in table.slot_of:
            table.remove(r)
        for x, old in moved:
            table.place(x, old)
    return False


def _relocate_all(table: Timetable, movers: list[int], avoid: int, r: int) -> bool:
    table.place(r, avoid)
    for x in movers:
        options = [s for s in table.options(x) if s != avoid]
        if not options:
            return False
        table.place(x, min(options, key=lambda s: (_opens_home(table, x, s), table.comfort_cost(x, s), s)))
    return True


def _reservations(
    inst: Instance, homes: dict[tuple[str, date], float] | None, at: float
) -> list[tuple[str, date]]:
    # Without the LP (cut by the time limit) nothing is reserved: guessing
    # would give tables to hosts that may not deserve them; the search decides.
    if not homes:
        return []
    return sorted((key for key, value in homes.items() if value >= at), key=lambda k: (-homes[k], k))


def _distinct(plans: Iterable[list[tuple[str, date]]]) -> list[list[tuple[str, date]]]:
    """The plans in their order, each once."""
    found: list[list[tuple[str, date]]] = []
    for plan in plans:
        if plan not in found:
            found.append(plan)
    return found

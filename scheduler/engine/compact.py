"""Comfort: close the idle gaps in attendees' days without losing a meeting.

After the score is settled, each meeting may move to another slot of the same
day where both parties are free, when that shortens the idle time between
their first and last meeting of the day. The set of meetings never changes,
so the standard score and the bound stay as they were.
"""

from __future__ import annotations

from .instance import Instance
from .timetable import Timetable


def idle(table: Timetable, party: str, day: object) -> int:
    """Slots with no meeting between the party's first and last meeting that day."""
    held = [s for s in table.busy[party] if table.inst.day_of[s] == day]
    if not held:
        return 0
    return max(held) - min(held) + 1 - len(held)


def compact(inst: Instance, table: Timetable, passes: int = 3) -> int:
    """Move meetings to slots that shorten idle gaps; returns the moves made."""
    moves = 0
    for _ in range(passes):
        moved = 0
        for r in sorted(table.slot_of):
            if r not in table.locked and _improve_one(inst, table, r):
                moved += 1
        moves += moved
        if not moved:
            break
    return moves


def _improve_one(inst: Instance, table: Timetable, r: int) -> bool:
    a, b = inst.ends[r]
    s = table.slot_of[r]
    day = inst.day_of[s]
    before = idle(table, a, day) + idle(table, b, day)
    if before == 0:
        return False
    table.remove(r)
    best, best_cost = s, before
    for t in inst.common(r):
        if t == s or inst.day_of[t] != day or not table.can_place(r, t):
            continue
        table.place(r, t)
        cost = idle(table, a, day) + idle(table, b, day)
        table.remove(r)
        if cost < best_cost:
            best, best_cost = t, cost
    table.place(r, best)
    return best != s

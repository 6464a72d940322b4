"""How comfortable a schedule is for the people in it: idle gaps and table moves.

Plain figures over any schedule, for the Summary and the benchmark; the
engine's own comfort rules (compact slots, staying at one's table) aim at
them but do not compute them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from . import rules
from .model import Event
from .schedule import Schedule


@dataclass(frozen=True)
class Comfort:
    idle_slots: int  # meeting slots with no meeting between a party's first and last meeting of a day
    party_days: int  # (party, day) pairs with at least one meeting
    back_to_back: int  # pairs of a party's meetings in consecutive slots of one block
    table_changes: int  # ... of which at different tables

    @property
    def idle_per_day(self) -> float:
        return self.idle_slots / self.party_days if self.party_days else 0.0


def comfort(event: Event, schedule: Schedule) -> Comfort:
    slots_of: dict[tuple[str, object], list[tuple[int, str, int]]] = defaultdict(list)
    for m in schedule.meetings:
        if not 0 <= m.slot < len(event.slots):
            continue
        for p in (m.a, m.b):
            slots_of[p, event.slots[m.slot].day].append((m.slot, m.room, m.table))
    idle = back_to_back = changes = 0
    for held in slots_of.values():
        held.sort()
        idle += rules.idle_slots([s for s, _, _ in held])
        for (s, room, table), (t, room2, table2) in zip(held, held[1:], strict=False):
            if rules.back_to_back(event, s, t):
                back_to_back += 1
                changes += (room, table) != (room2, table2)
    return Comfort(idle, len(slots_of), back_to_back, changes)

"""The engine's working timetable: which request meets in which slot.

A mutable, engine-internal structure with the checks every phase needs
(party free, caps, table pool, pause rule). Tables are chosen at the end, so
here a slot only counts how many pool tables it uses.
"""

from __future__ import annotations

from collections import defaultdict

from .instance import Instance


class Timetable:
    def __init__(self, inst: Instance):
        self.inst = inst
        self.slot_of: dict[int, int] = {}  # request -> slot
        self.busy: dict[str, dict[int, int]] = defaultdict(dict)  # party -> slot -> request (or -1-fixed)
        self.total: dict[str, int] = defaultdict(int)
        self.per_day: dict[tuple[str, object], int] = defaultdict(int)
        self.used: list[int] = [0] * len(inst.pool)
        self.locked: set[int] = set()  # requests that must not move

    # -- queries -----------------------------------------------------------
    def score(self) -> int:
        return sum(self.inst.weight[r] for r in self.slot_of)

    def can_place(self, r: int, s: int) -> bool:
        a, b = self.inst.ends[r]
        return self.can_hold(a, b, s)

    def can_hold(self, a: str, b: str, s: int) -> bool:
        inst = self.inst
        if s in self.busy[a] or s in self.busy[b]:
            return False
        if inst.uses_pool(a, b) and self.used[s] >= inst.pool[s]:
            return False
        day = inst.day_of[s]
        for p in (a, b):
            if s not in inst.free[p]:
                return False
            if self.total[p] >= inst.cap_total[p] or self.per_day[p, day] >= inst.cap_day[p]:
                return False
            if not self._pause_ok(p, s):
                return False
        return True

    def has_room(self, r: int) -> bool:
        """Both parties below their total cap and, on some common day, their day cap."""
        inst = self.inst
        a, b = inst.ends[r]
        if self.total[a] >= inst.cap_total[a] or self.total[b] >= inst.cap_total[b]:
            return False
        days = {inst.day_of[s] for s in inst.common(r)}
        return any(all(self.per_day[p, d] < inst.cap_day[p] for p in (a, b)) for d in days)

    def options(self, r: int) -> list[int]:
        return [s for s in self.inst.common(r) if self.can_place(r, s)]

    def _pause_ok(self, p: str, s: int) -> bool:
        limit = self.inst.max_consecutive
        if not limit:
            return True
        slots = self.inst.event.slots
        busy = self.busy[p]
        run = 1
        t = s - 1
        while t >= 0 and t in busy and slots[t].run == slots[s].run:
            run, t = run + 1, t - 1
        t = s + 1
        while t < len(slots) and t in busy and slots[t].run == slots[s].run:
            run, t = run + 1, t + 1
        return run <= limit

    # -- changes -----------------------------------------------------------
    def hold(self, a: str, b: str, s: int, tag: int) -> None:
        day = self.inst.day_of[s]
        for p in (a, b):
            self.busy[p][s] = tag
            self.total[p] += 1
            self.per_day[p, day] += 1
        if self.inst.uses_pool(a, b):
            self.used[s] += 1

    def release(self, a: str, b: str, s: int) -> None:
        day = self.inst.day_of[s]
        for p in (a, b):
            del self.busy[p][s]
            self.total[p] -= 1
            self.per_day[p, day] -= 1
        if self.inst.uses_pool(a, b):
            self.used[s] -= 1

    def place(self, r: int, s: int) -> None:
        a, b = self.inst.ends[r]
        self.hold(a, b, s, r)
        self.slot_of[r] = s

    def remove(self, r: int) -> int:
        s = self.slot_of.pop(r)
        a, b = self.inst.ends[r]
        self.release(a, b, s)
        return s

    def comfort_cost(self, r: int, s: int) -> int:
        """Lower is better: next to the parties' other meetings, early in the day."""
        a, b = self.inst.ends[r]
        slots = self.inst.event.slots
        cost = 0
        for p in (a, b):
            busy = self.busy[p]
            if not busy:
                continue
            near = any(
                t in busy and slots[t].run == slots[s].run for t in (s - 1, s + 1) if 0 <= t < len(slots)
            )
            same_day = sum(1 for t in busy if self.inst.day_of[t] == self.inst.day_of[s])
            cost += 0 if near else (4 if same_day else 2)
        return cost

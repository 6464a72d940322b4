"""The engine's working timetable: which request meets in which slot.

A mutable, engine-internal structure with the checks every phase needs
(party free, caps, tables, pause rule). Tables are chosen at the end, so here
a slot only counts tables: the meetings at no host's home table in that slot,
plus one table all day for every host with a meeting at home that day (a
host holds its home table exactly on the days it meets there).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date
from typing import Literal

from .. import rules
from .instance import Instance


class Timetable:
    def __init__(self, inst: Instance):
        self.inst = inst
        self.slot_of: dict[int, int] = {}  # request -> slot
        self.busy: dict[str, dict[int, int]] = defaultdict(dict)  # party -> slot -> request (or -1-fixed)
        self.total: dict[str, int] = defaultdict(int)
        self.per_day: dict[tuple[str, date], int] = defaultdict(int)
        self.used: list[int] = [0] * len(inst.capacity)  # slot -> meetings at no home table
        self.at_home: dict[tuple[str, date], int] = defaultdict(int)  # (host, day) -> meetings at its table
        self.holders: dict[date, int] = defaultdict(int)  # day -> hosts holding a home table
        self.holding: dict[date, set[str]] = defaultdict(set)  # day -> those hosts, for reasons
        self.locked: set[int] = set()  # requests that must not move
        self.at_slot: dict[int, set[int]] = defaultdict(set)  # slot -> requests met in it
        self.home_at: dict[tuple[str, str, int], str | None] = {}  # (a, b, slot) -> host whose table
        self.reserved: set[tuple[str, date]] = set()  # (host, day) held before any meeting

    # Everything a change touches: what ``snapshot`` copies and ``restore`` puts back.
    _STATE = (
        "slot_of", "busy", "total", "per_day", "used", "at_home", "holders", "holding",
        "locked", "at_slot", "home_at", "reserved",
    )

    def snapshot(self) -> dict[str, object]:
        """A copy of the timetable's state (not of the instance it reads)."""
        return {name: copy.deepcopy(getattr(self, name)) for name in self._STATE}

    def restore(self, state: dict[str, object]) -> None:
        """Put back a state taken by ``snapshot`` (copied again, so it can be reused)."""
        for name in self._STATE:
            setattr(self, name, copy.deepcopy(state[name]))

    # -- queries -----------------------------------------------------------
    def score(self) -> int:
        return sum(self.inst.weight[r] for r in self.slot_of)

    def can_place(self, r: int, s: int) -> bool:
        a, b = self.inst.ends[r]
        return self.can_hold(a, b, s)

    def can_hold(self, a: str, b: str, s: int, home: str | None | Literal[True] = True) -> bool:
        """Whether a and b can meet in slot s (``home``: at that host's table; True: as ``choose_home``)."""
        inst = self.inst
        if s in self.busy[a] or s in self.busy[b] or s not in inst.free[a] or s not in inst.free[b]:
            return False
        return self._below_caps(a, b, inst.day_of[s]) and self._fits_slot(a, b, s, home)

    def _below_caps(self, a: str, b: str, day: date) -> bool:
        """Both parties below their total cap and their cap for ``day``."""
        inst = self.inst
        return all(self.total[p] < inst.cap_total[p] and self.per_day[p, day] < inst.cap_day[p] for p in (a, b))

    def _fits_slot(self, a: str, b: str, s: int, home: str | None | Literal[True] = True) -> bool:
        """A table for a and b in slot s, and neither meets too many times in a row."""
        return self.table_free(a, b, s, home) and self._pause_ok(a, s) and self._pause_ok(b, s)

    def table_free(self, a: str, b: str, s: int, home: str | None | Literal[True] = True) -> bool:
        """A table for a meeting of a and b in slot s: a free one in the slot, or
        the host's home table (``home``'s, or as ``choose_home``), held already or free all day."""
        inst = self.inst
        day = inst.day_of[s]
        if home is True:
            home = self.choose_home(a, b, s)
        if home is None:
            return self.used[s] + self.holders[day] < inst.capacity[s]
        return self.at_home[home, day] > 0 or self.table_free_all_day(day)

    def table_free_all_day(self, day: date) -> bool:
        """A table for one more host all day: free in every slot, and not one a
        fixed meeting without a host pins (so none of them is free all day)."""
        inst = self.inst
        if self.holders[day] >= inst.home_capacity.get(day, len(inst.capacity)):
            return False
        return all(self.used[t] + self.holders[day] < inst.capacity[t] for t in inst.slots_of_day[day])

    def choose_home(self, a: str, b: str, s: int) -> str | None:
        """The host whose home table a meeting of a and b in slot s would use:
        the host, or, when two hosts meet, one already holding a table that
        day (the second by key when both or neither do)."""
        hosts = self.inst.hosts_of(a, b)
        if len(hosts) < 2:
            return hosts[0] if hosts else None
        day = self.inst.day_of[s]
        return next((h for h in hosts if self.at_home[h, day]), hosts[0])

    def has_room(self, r: int) -> bool:
        """Both parties below their total cap and, on some common day, their day cap."""
        inst = self.inst
        a, b = inst.ends[r]
        return any(self._below_caps(a, b, day) for day in {inst.day_of[s] for s in inst.common(r)})

    def options(self, r: int) -> list[int]:
        """The slots where request r can meet now: ``can_place`` for each of
        its common slots (both parties free there by definition), with the
        caps checked once a day, not once a slot (the constructive phase asks
        this for every request and every ejection; slot by slot it was half
        its time)."""
        inst = self.inst
        a, b = inst.ends[r]
        busy_a, busy_b = self.busy[a], self.busy[b]
        below: dict[date, bool] = {}
        found = []
        for s in inst.common(r):
            if s in busy_a or s in busy_b:
                continue
            day = inst.day_of[s]
            if day not in below:
                below[day] = self._below_caps(a, b, day)
            if below[day] and self._fits_slot(a, b, s):
                found.append(s)
        return found

    def _pause_ok(self, p: str, s: int) -> bool:
        limit = self.inst.max_consecutive
        return not limit or rules.run_through(self.inst.event, self.busy[p], s) <= limit

    # -- changes -----------------------------------------------------------
    def reserve(self, host: str, day: date) -> None:
        """Hold a host's home table on a day before it has a meeting there, so
        the constructive phase does not give the day's tables away first."""
        self.reserved.add((host, day))
        self._add_home(host, day)

    def release_reservations(self, day: date | None = None) -> None:
        """Drop the reservations (of ``day`` only, if given): a host now holds
        a table only where it meets."""
        for host, held in sorted(self.reserved):
            if day is None or held == day:
                self._drop_home(host, held)
                self.reserved.discard((host, held))

    def _add_home(self, host: str, day: date) -> None:
        self.at_home[host, day] += 1
        if self.at_home[host, day] == 1:
            self.holders[day] += 1
            self.holding[day].add(host)

    def _drop_home(self, host: str, day: date) -> None:
        self.at_home[host, day] -= 1
        if self.at_home[host, day] == 0:
            self.holders[day] -= 1
            self.holding[day].discard(host)

    def hold(self, a: str, b: str, s: int, tag: int, home: str | None | Literal[True] = True) -> None:
        """Book a and b in slot s (``tag``: the request, or -1-i for fixed
        meeting i); ``home``: the host whose table it uses (True: choose)."""
        day = self.inst.day_of[s]
        for p in (a, b):
            self.busy[p][s] = tag
            self.total[p] += 1
            self.per_day[p, day] += 1
        if home is True:
            home = self.choose_home(a, b, s)
        self.home_at[a, b, s] = home
        if home is None:
            self.used[s] += 1
        else:
            self._add_home(home, day)

    def release(self, a: str, b: str, s: int) -> None:
        day = self.inst.day_of[s]
        for p in (a, b):
            del self.busy[p][s]
            self.total[p] -= 1
            self.per_day[p, day] -= 1
        home = self.home_at.pop((a, b, s))
        if home is None:
            self.used[s] -= 1
        else:
            self._drop_home(home, day)

    def place(self, r: int, s: int, home: str | None | Literal[True] = True) -> None:
        a, b = self.inst.ends[r]
        self.hold(a, b, s, r, home)
        self.slot_of[r] = s
        self.at_slot[s].add(r)

    def home(self, r: int) -> str | None:
        """The host at whose table request r meets (None: a table of its own)."""
        a, b = self.inst.ends[r]
        return self.home_at[a, b, self.slot_of[r]]

    def remove(self, r: int) -> int:
        s = self.slot_of.pop(r)
        self.at_slot[s].discard(r)
        a, b = self.inst.ends[r]
        self.release(a, b, s)
        return s

    def comfort_cost(self, r: int, s: int) -> int:
        """Lower is better: next to the parties' other meetings, early in the day."""
        a, b = self.inst.ends[r]
        return self.party_comfort_cost(a, s) + self.party_comfort_cost(b, s)

    def party_comfort_cost(self, p: str, s: int) -> int:
        """Party p's part of ``comfort_cost`` for a meeting in slot s."""
        busy = self.busy[p]
        if not busy:
            return 0
        if any(t in busy and rules.back_to_back(self.inst.event, s, t) for t in (s - 1, s + 1)):
            return 0
        return 4 if self.per_day.get((p, self.inst.day_of[s]), 0) else 2

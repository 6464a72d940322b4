"""Tables for the timetable: host home tables, then few table changes.

Timing is settled before this phase; here each slot's meetings get a table.
A host keeps one home table for the day. Everyone else stays at the table of
their previous meeting when it is free, so attendees move as little as
possible; otherwise the meeting takes a table in the same room, then any.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from .. import rules
from ..schedule import Meeting
from .instance import Instance

TableRef = tuple[str, int]


class Timed(NamedTuple):
    """A meeting whose slot is settled, waiting for its table."""

    a: str
    b: str
    slot: int
    fixed: bool = False
    pin: TableRef | None = None  # given by a fixed or kept meeting; table 0: only the room
    home: str | None = None  # the host at whose home table it sits
    soft: bool = False  # the pin is a kept meeting's table: kept when it is free, else another at the same time


def home_tables(inst: Instance, timed: Sequence[Timed]) -> dict[tuple[str, date], TableRef]:
    """A home table for each host on each day it has a meeting at home: the
    table a fixed meeting pins it to, else a table in the room such a meeting
    names, else the table its kept meetings of a published schedule sit at
    (when no fixed meeting takes it that day), else the free table of that
    day's rooms that the fewest kept meetings sit at (they move to another
    table at the same time). Hosts without a meeting at home that day hold none."""
    homes: dict[tuple[str, date], TableRef] = {}
    hard = [m for m in timed if m.pin and not m.soft]
    pinned = {(*m.pin, inst.day_of[m.slot]) for m in hard if m.pin and m.pin[1]}
    for m in hard:
        if m.home and m.pin and m.pin[1] and len(inst.hosts_of(m.a, m.b)) == 1:
            homes.setdefault((m.home, inst.day_of[m.slot]), m.pin)
    for m in hard:  # two hosts: the table is the home of one without another that day
        day = inst.day_of[m.slot]
        if m.pin and m.pin[1] and len(inst.hosts_of(m.a, m.b)) == 2 and m.pin not in (
            homes.get((m.a, day)), homes.get((m.b, day))
        ):
            homeless = [h for h in (m.a, m.b) if (h, day) not in homes]
            if homeless:
                homes[homeless[0], day] = m.pin
    for m in hard:
        day = inst.day_of[m.slot]
        if m.home and m.pin and not m.pin[1] and (m.home, day) not in homes:
            taken = set(homes.values())
            free = [t for t in rules.tables_on(inst.event, day) if t[0] == m.pin[0] and t not in taken]
            free = [t for t in free if (*t, day) not in pinned]
            if free:
                homes[m.home, day] = free[0]
    _kept_homes(inst, timed, homes, pinned)
    for day in inst.event.days:
        taken = {ref for (_, d), ref in homes.items() if d == day}
        tables = [t for t in rules.tables_on(inst.event, day) if t not in taken and (*t, day) not in pinned]
        # Leave the rooms that fixed meetings name without a table for those
        # meetings, and move as few kept meetings as can be.
        wanted = {m.pin[0] for m in hard if m.pin and not m.pin[1] and inst.day_of[m.slot] == day}
        kept_at = Counter(m.pin for m in timed if m.soft and m.pin and inst.day_of[m.slot] == day)
        tables.sort(key=lambda t: (t[0] in wanted, kept_at[t]))
        waiting = sorted({m.home for m in timed if m.home and inst.day_of[m.slot] == day and (m.home, day) not in homes})
        for host, ref in zip(waiting, tables, strict=False):
            homes[host, day] = ref
    return homes


def _kept_homes(
    inst: Instance, timed: Sequence[Timed], homes: dict[tuple[str, date], TableRef], pinned: set[tuple[str, int, date]]
) -> None:
    """A host keeps the home table of its kept meetings (a re-solve) when no
    fixed meeting sits there that day and no other host holds it. Meetings
    with a guest go first: a kept visit of another host at that table must
    not take it from its host."""
    tables = {(*t, day) for day in inst.event.days for t in rules.tables_on(inst.event, day)}
    taken: dict[date, set[TableRef]] = defaultdict(set)
    for (_, held), home in homes.items():
        taken[held].add(home)
    kept = [m for m in timed if m.soft and m.pin and m.pin[1] and inst.hosts_of(m.a, m.b)]
    for m in sorted(kept, key=lambda m: len(inst.hosts_of(m.a, m.b))):
        day = inst.day_of[m.slot]
        ref = m.pin
        if ref is None or (*ref, day) not in tables or (*ref, day) in pinned or ref in taken[day]:
            continue
        homeless = [h for h in inst.hosts_of(m.a, m.b) if (h, day) not in homes]
        if homeless:
            homes[homeless[0], day] = ref
            taken[day].add(ref)


def assign(inst: Instance, timed: Sequence[Timed], homes: dict[tuple[str, date], TableRef]) -> list[Meeting]:
    by_slot: dict[int, list[Timed]] = defaultdict(list)
    for item in timed:
        by_slot[item.slot].append(item)
    meetings: list[Meeting] = []
    last: dict[str, TableRef] = {}
    current_day: date | None = None
    for s in sorted(by_slot):
        day = inst.day_of[s]
        if day != current_day:
            last, current_day = {}, day
            all_tables = rules.tables_on(inst.event, day)
            homes_today = {ref for (h, d), ref in homes.items() if d == day}
        # Tables given by fixed meetings first, then fixed meetings with only a
        # room, then meetings at a home table, then kept meetings whose table is
        # still free (before those that must move, so these take no kept
        # meeting's table), then the rest.
        claimed = homes_today | {m.pin for m in by_slot[s] if m.pin and m.pin[1] and not m.soft}
        order = sorted(by_slot[s], key=lambda m: (_rank(m, homes, day, claimed), m.a, m.b))
        free = _FreeTables(all_tables, homes_today)
        for m in order:
            home = homes.get((m.home, day)) if m.home else None
            pinned = None if m.soft else m.pin
            if pinned and pinned[1] == 0:  # a fixed meeting with a room but no table
                pinned = home if home and home[0] == pinned[0] else _first_free(pinned[0], free)
            if m.soft and not home and m.pin in free:
                pinned = m.pin  # a kept meeting stays at its table when nothing took it
            ref = pinned or home or _pick(m.a, m.b, last, free)
            free.take(ref)
            last[m.a] = last[m.b] = ref
            meetings.append(Meeting(m.a, m.b, s, ref[0], ref[1], fixed=m.fixed))
    return meetings


def _rank(m: Timed, homes: dict[tuple[str, date], TableRef], day: date, claimed: set[TableRef]) -> int:
    """The order a slot's meetings take their tables in (see ``assign``)."""
    if m.pin and not m.soft:
        return 0 if m.pin[1] else 1
    if m.home and (m.home, day) in homes:
        return 2
    if m.pin:
        return 4 if m.pin in claimed else 3
    return 5


class _FreeTables:
    """A slot's tables in their order, and the first one not yet taken, overall
    or in a room. Within a slot tables are only ever taken, so the first free
    one only moves forward: each slot costs time linear in its tables, not in
    tables times meetings (thousands of each at 10,000 attendees)."""

    def __init__(self, tables: list[TableRef], blocked: set[TableRef]):
        self.tables = tables
        self.blocked = set(blocked)
        self.position = {t: i for i, t in enumerate(tables)}
        self.rooms: dict[str | None, list[TableRef]] = {None: tables}
        for t in tables:
            self.rooms.setdefault(t[0], []).append(t)
        self.next: dict[str | None, int] = {}

    def __contains__(self, ref: object) -> bool:
        """A table of this slot's rooms that nothing has taken."""
        return ref in self.position and ref not in self.blocked

    def take(self, ref: TableRef) -> None:
        self.blocked.add(ref)

    def first(self, room: str | None = None) -> TableRef | None:
        """The first free table (of ``room`` when given), None when all are taken."""
        order = self.rooms.get(room, [])
        i = self.next.get(room, 0)
        while i < len(order) and order[i] in self.blocked:
            i += 1
        self.next[room] = i
        return order[i] if i < len(order) else None


def _first_free(room: str, free: _FreeTables) -> TableRef:
    ref = free.first(room)
    if ref is None:
        raise RuntimeError(f"no free table left in {room} for a fixed meeting")
    return ref


def _pick(a: str, b: str, last: dict[str, TableRef], free: _FreeTables) -> TableRef:
    for p in (a, b):
        if p in last and last[p] in free:
            return last[p]
    # Else the first free table of the room either last sat in, else any.
    near = [t for t in (free.first(last[p][0]) for p in (a, b) if p in last) if t is not None]
    ref = min(near, key=free.position.__getitem__) if near else free.first()
    # The timetable never puts more meetings in a slot than the pool allows,
    # and fixed meetings are checked against host tables before solving.
    if ref is None:
        raise RuntimeError("more meetings in a slot than free tables")
    return ref

"""Tables for the timetable: host home tables, then few table changes.

Timing is settled before this phase; here each slot's meetings get a table.
A host keeps one home table for the day. Everyone else stays at the table of
their previous meeting when it is free, so attendees move as little as
possible; otherwise the meeting takes a table in the same room, then any.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from .. import rules
from ..schedule import Meeting
from .instance import FixedPlacement, Instance, hosts_present

TableRef = tuple[str, int]


def home_tables(inst: Instance, kept: Sequence[FixedPlacement] = ()) -> dict[tuple[str, date], TableRef]:
    """Each host present on a day gets a home table: the one a fixed or kept
    meeting already puts them at, else the first table of that day's rooms
    that no fixed or kept meeting is pinned to."""
    homes: dict[tuple[str, date], TableRef] = {}
    pinned = {(f.room, f.table, inst.day_of[f.slot]) for f in kept if f.room and f.table}
    for f in kept:
        for host in (f.a, f.b):
            other = f.b if host == f.a else f.a
            if host in inst.hosts and other not in inst.hosts and f.room and f.table:
                homes.setdefault((host, inst.day_of[f.slot]), (f.room, f.table))
        if f.a in inst.hosts and f.b in inst.hosts and f.room and f.table:
            # Two hosts meet at the second one's home (see _host_table).
            homes.setdefault((f.b, inst.day_of[f.slot]), (f.room, f.table))
    for f in kept:  # a host's fixed meeting with a room but no table: a home in that room
        day = inst.day_of[f.slot]
        for host in (f.a, f.b):
            if host in inst.hosts and f.room and not f.table and (host, day) not in homes:
                taken = set(homes.values())
                free = [t for t in rules.tables_on(inst.event, day) if t[0] == f.room and t not in taken]
                free = [t for t in free if (*t, day) not in pinned]
                if free:
                    homes[host, day] = free[0]
    for day in inst.event.days:
        taken = {ref for (_, d), ref in homes.items() if d == day}
        tables = [t for t in rules.tables_on(inst.event, day) if t not in taken and (*t, day) not in pinned]
        waiting = [h for h in hosts_present(inst.event, inst.hosts, inst.free, day) if (h, day) not in homes]
        for host, ref in zip(waiting, tables, strict=False):
            homes[host, day] = ref
    return homes


def assign(
    inst: Instance,
    timed: list[tuple[str, str, int, bool, TableRef | None]],
    homes: dict[tuple[str, date], TableRef],
) -> list[Meeting]:
    """timed: (a, b, slot, fixed, table pinned by a fixed meeting or None)."""
    by_slot: dict[int, list] = defaultdict(list)
    for item in timed:
        by_slot[item[2]].append(item)
    meetings: list[Meeting] = []
    last: dict[str, TableRef] = {}
    current_day: date | None = None
    for s in sorted(by_slot):
        day = inst.day_of[s]
        if day != current_day:
            last, current_day = {}, day
        homes_today = {ref for (h, d), ref in homes.items() if d == day}
        # Tables given by fixed meetings first, then fixed meetings with only a room, then the rest.
        order = sorted(by_slot[s], key=lambda m: (0 if m[4] and m[4][1] else 1 if m[4] else 2, m[0], m[1]))
        taken: set[TableRef] = set()
        all_tables = rules.tables_on(inst.event, day)
        for a, b, _, fixed, pinned in order:
            if pinned and pinned[1] == 0:  # a fixed meeting with a room but no table
                home = _host_table(homes, a, b, day)
                pinned = home if home and home[0] == pinned[0] else _first_free(pinned[0], all_tables, taken | homes_today)
            ref = (
                pinned or _host_table(homes, a, b, day) or _pick(a, b, last, taken | homes_today, all_tables)
            )
            taken.add(ref)
            last[a] = last[b] = ref
            meetings.append(Meeting(a, b, s, ref[0], ref[1], fixed=fixed))
    return meetings


def _first_free(room: str, tables: list[TableRef], blocked: set[TableRef]) -> TableRef:
    free = [t for t in tables if t[0] == room and t not in blocked]
    if not free:
        raise RuntimeError(f"no free table left in {room} for a fixed meeting")
    return free[0]


def _host_table(homes: dict[tuple[str, date], TableRef], a: str, b: str, day: date) -> TableRef | None:
    # When two hosts meet, the meeting is at the home of the second (by key):
    # one rule, so both agendas agree.
    for p in (b, a):
        if (p, day) in homes:
            return homes[p, day]
    return None


def _pick(
    a: str, b: str, last: dict[str, TableRef], blocked: set[TableRef], tables: list[TableRef]
) -> TableRef:
    for p in (a, b):
        if p in last and last[p] not in blocked:
            return last[p]
    rooms = [last[p][0] for p in (a, b) if p in last]
    free = [t for t in tables if t not in blocked]
    same_room = [t for t in free if t[0] in rooms]
    # The timetable never puts more meetings in a slot than the pool allows,
    # and fixed meetings are checked against host tables before solving.
    if not (same_room or free):
        raise RuntimeError("more meetings in a slot than free tables")
    return (same_room or free)[0]

"""Tables for the timetable: host home tables, then few table changes.

Timing is settled before this phase; here each slot's meetings get a table.
A host keeps one home table for the day. Everyone else stays at the table of
their previous meeting when it is free, so attendees move as little as
possible; otherwise the meeting takes a table in the same room, then any.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import date
from typing import NamedTuple

from .. import rules
from ..schedule import Meeting
from .instance import FixedPlacement, Instance

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


def table_pin(f: FixedPlacement | None) -> TableRef | None:
    """The room and table a fixed or kept meeting names (table 0: the room only)."""
    if f is None or f.room is None:
        return None
    return (f.room, f.table or 0)


def from_fixed(f: FixedPlacement, home: str | None = None) -> Timed:
    """A Fixed meetings row, or a meeting kept from a published schedule, waiting for its table."""
    return Timed(f.a, f.b, f.slot, f.fixed, table_pin(f), home, f.kept)


def home_tables(inst: Instance, timed: Sequence[Timed]) -> dict[tuple[str, date], TableRef]:
    """A home table for each host on each day it has a meeting at home: the
    table a fixed meeting with a guest pins it to, else a table in the room
    such a meeting names, else the table its kept meetings of a published
    schedule sit at (when no fixed meeting of others takes it that day),
    else the table of a fixed meeting of two hosts (for one of the hosts in
    every fixed meeting at that table), else the free table of that day's
    rooms that the fewest kept meetings sit at (they move to another table at
    the same time). Hosts without a meeting at home that day hold none. The
    Fixed meetings rows are checked in the same order
    (``explain._host_problems``), so a valid set always gets its tables."""
    homes: dict[tuple[str, date], TableRef] = {}
    hard = [m for m in timed if m.pin and not m.soft]
    pinned = {(*m.pin, inst.day_of[m.slot]) for m in hard if m.pin and m.pin[1]}
    holders = _common_hosts(inst, hard)
    for m in hard:
        if m.home and m.pin and m.pin[1] and len(inst.hosts_of(m.a, m.b)) == 1:
            homes.setdefault((m.home, inst.day_of[m.slot]), m.pin)
    for m in hard:
        day = inst.day_of[m.slot]
        if m.home and m.pin and not m.pin[1] and len(inst.hosts_of(m.a, m.b)) == 1 and (m.home, day) not in homes:
            _home_in_room(inst, homes, m.home, day, m.pin[0], pinned)
    visits = visit_holders(inst, timed)
    for (room, number, day), holder in visits.items():
        homes.setdefault((holder, day), (room, number))
    guests, anyway = guest_places(inst, hard), holding_anyway(inst, timed)
    for m in hard:  # two hosts in a room without a table: the one fixed_visit_homes names holds a table there
        day = inst.day_of[m.slot]
        if len(inst.hosts_of(m.a, m.b)) == 2 and m.pin and not m.pin[1]:
            in_room = room_holder(inst, m, guests, visits, anyway)
            if in_room is not None and (in_room, day) not in homes:
                _home_in_room(inst, homes, in_room, day, m.pin[0], pinned)
    _kept_homes(inst, timed, homes, pinned, holders)
    for day in inst.event.days:
        taken = {ref for (_, d), ref in homes.items() if d == day}
        tables = [t for t in rules.tables_on(inst.event, day) if t not in taken and (*t, day) not in pinned]
        # Leave the rooms that fixed meetings name without a table for those
        # meetings, and move as few kept meetings as can be.
        wanted = {m.pin[0] for m in hard if m.pin and not m.pin[1] and inst.day_of[m.slot] == day}
        kept_at = Counter(m.pin for m in timed if m.soft and m.pin and inst.day_of[m.slot] == day)
        tables.sort(key=lambda t: (t[0] in wanted, kept_at[t]))
        waiting = sorted({m.home for m in timed if m.home and inst.day_of[m.slot] == day
                          and not _home_of(inst, m, homes, day)})
        for host, ref in zip(waiting, tables, strict=False):
            homes[host, day] = ref
    return homes


def fixed_visit_homes(inst: Instance, fixed: Sequence[Timed]) -> dict[int, str]:
    """For each fixed meeting of two hosts (by position in ``fixed``), the
    host whose home table it sits at, as ``home_tables`` decides: the
    timetable counts that host's table all day."""
    holders, guests, anyway = visit_holders(inst, fixed), guest_places(inst, fixed), holding_anyway(inst, fixed)
    found: dict[int, str] = {}
    for i, m in enumerate(fixed):
        if not m.pin or m.soft or len(inst.hosts_of(m.a, m.b)) < 2:
            continue
        day = inst.day_of[m.slot]
        host = holders.get((*m.pin, day)) if m.pin[1] else room_holder(inst, m, guests, holders, anyway)
        if host is not None:
            found[i] = host
    return found


def guest_places(inst: Instance, timed: Sequence[Timed]) -> dict[tuple[str, date], TableRef]:
    """Where each host's fixed meetings with a guest put it that day: a table,
    or a room (table 0) when they name only that."""
    found: dict[tuple[str, date], TableRef] = {}
    for m in timed:
        if m.pin and not m.soft and len(inst.hosts_of(m.a, m.b)) == 1:
            key = (inst.hosts_of(m.a, m.b)[0], inst.day_of[m.slot])
            if key not in found or (m.pin[1] and not found[key][1]):  # a table before a room only
                found[key] = m.pin
    return found


def visit_holders(inst: Instance, timed: Sequence[Timed]) -> dict[tuple[str, int, date], str]:
    """Who holds each table that fixed meetings of two hosts pin: the host
    whose fixed meeting with a guest pins it; else, among the hosts in every
    fixed meeting there with no fixed meeting with a guest that day, the one
    whose kept meetings sit there (a re-solve), else the first by key."""
    hard = [m for m in timed if m.pin and not m.soft]
    guests = guest_places(inst, hard)
    anyway = holding_anyway(inst, timed)
    kept = {(h, *m.pin, inst.day_of[m.slot]) for m in timed if m.soft and m.pin for h in (m.a, m.b)}
    found: dict[tuple[str, int, date], str] = {}
    for key, hosts in sorted(_common_hosts(inst, hard).items(), key=lambda kv: (kv[0][2], kv[0][:2])):
        day = key[2]
        own = sorted(h for h in hosts if guests.get((h, day)) == key[:2])
        free = sorted(h for h in hosts if (h, day) not in guests)
        free.sort(key=lambda h: ((h, *key) not in kept, (h, day) not in anyway))
        if own or free:
            found[key] = (own or free)[0]
    return found


def room_holder(
    inst: Instance, m: Timed, guests: dict[tuple[str, date], TableRef], holders: dict[tuple[str, int, date], str],
    guests_anyway: Collection[tuple[str, date]] = (),
) -> str | None:
    """Whose home a fixed meeting of two hosts naming only a room sits at: a
    host placed in that room by its other fixed meetings, else one placed
    nowhere that day, one holding a table anyway first (a fixed meeting with
    a guest that names no table), then the first by key."""
    day, room = inst.day_of[m.slot], m.pin[0] if m.pin else ""
    placed = dict(guests)
    for (r, number, d), host in holders.items():
        placed.setdefault((host, d), (r, number))
    pair = sorted(inst.hosts_of(m.a, m.b))
    there = [h for h in pair if placed.get((h, day), ("", 0))[0] == room]
    free = [h for h in pair if (h, day) not in placed]
    free.sort(key=lambda h: (h, day) not in guests_anyway)
    return (there or free)[0] if there or free else None


def holding_anyway(inst: Instance, timed: Sequence[Timed]) -> set[tuple[str, date]]:
    """The hosts that hold a table on a day whatever happens: they have a
    fixed meeting with a guest that day. Giving them a table two hosts meet
    at costs no extra table all day."""
    return {(inst.hosts_of(m.a, m.b)[0], inst.day_of[m.slot]) for m in timed
            if not m.soft and (m.pin is not None or m.fixed) and len(inst.hosts_of(m.a, m.b)) == 1}


def _common_hosts(inst: Instance, hard: Sequence[Timed]) -> dict[tuple[str, int, date], set[str]]:
    """For each table a fixed meeting of two hosts pins, the hosts in every
    fixed meeting at that table that day: one of them holds it all day."""
    found: dict[tuple[str, int, date], set[str]] = {}
    for m in hard:
        if m.pin and m.pin[1] and len(inst.hosts_of(m.a, m.b)) == 2:
            key = (*m.pin, inst.day_of[m.slot])
            found[key] = found.get(key, {m.a, m.b}) & {m.a, m.b}
    for m in hard:  # a fixed meeting with a guest there: only its host may hold it
        if m.pin and m.pin[1] and len(inst.hosts_of(m.a, m.b)) < 2:
            key = (*m.pin, inst.day_of[m.slot])
            if key in found:
                found[key] &= set(inst.hosts_of(m.a, m.b))
    return found


def _home_in_room(
    inst: Instance, homes: dict[tuple[str, date], TableRef], host: str, day: date, room: str,
    pinned: set[tuple[str, int, date]],
) -> None:
    """Give ``host`` the first table of ``room`` that nobody holds or pins that day."""
    taken = {ref for (_, d), ref in homes.items() if d == day}
    free = [t for t in rules.tables_on(inst.event, day) if t[0] == room and t not in taken and (*t, day) not in pinned]
    if free:
        homes[host, day] = free[0]


def _home_of(inst: Instance, m: Timed, homes: dict[tuple[str, date], TableRef], day: date) -> TableRef | None:
    """The home table the meeting sits at: its own table when that is one of
    its hosts' homes (a visit between two hosts), else its host's, else the
    other host's."""
    held = [homes[h, day] for h in inst.hosts_of(m.a, m.b) if (h, day) in homes]
    if m.pin and m.pin in held:
        return m.pin
    if m.pin and not m.pin[1]:  # a room only: a home in that room
        return next((t for t in held if t[0] == m.pin[0]), None)
    if m.home and (m.home, day) in homes:
        return homes[m.home, day]
    return held[0] if held else None


def _kept_homes(
    inst: Instance, timed: Sequence[Timed], homes: dict[tuple[str, date], TableRef], pinned: set[tuple[str, int, date]],
    holders: dict[tuple[str, int, date], set[str]],
) -> None:
    """A host keeps the home table of its kept meetings (a re-solve) when no
    other host holds it and no fixed meeting pins it, unless the host is in
    every fixed meeting there, and nobody else's kept meetings sit there.
    Meetings with a guest go first: a kept visit of another host at that
    table must not take it from its host; then, of a host's tables, the one
    most of its meetings sat at."""
    tables = {(*t, day) for day in inst.event.days for t in rules.tables_on(inst.event, day)}
    taken: dict[date, set[TableRef]] = defaultdict(set)
    for (_, held), home in homes.items():
        taken[held].add(home)
    # Fixed meetings naming only a room need that many of its tables free in some slot.
    need = Counter((m.pin[0], m.slot) for m in timed if m.pin and not m.pin[1] and not m.soft)
    room_need = {(room, inst.day_of[s]): n for (room, s), n in sorted(need.items(), key=lambda kv: kv[1])}

    def room_left(room: str, day: date) -> int:
        return sum(1 for r, n, d in tables if r == room and d == day and (r, n) not in taken[day]
                   and (r, n, day) not in pinned)
    kept = [m for m in timed if m.soft and m.pin and m.pin[1] and inst.hosts_of(m.a, m.b)]
    # Who the kept meetings at each table that day are with: a host made so
    # after publishing may have met at a table others met at all day; taking
    # it would move all of them, so such a host gets a table like a new one.
    met_at: dict[tuple[str, int, date], list[Timed]] = defaultdict(list)
    for m in timed:
        if m.soft and m.pin and m.pin[1]:
            met_at[*m.pin, inst.day_of[m.slot]].append(m)
    # Of a host's kept tables that day, the one most of its meetings sat at first (a host who only
    # visited a former host's table there keeps its own).
    mine = Counter((m.home, m.pin, inst.day_of[m.slot]) for m in kept)
    for m in sorted(kept, key=lambda m: (len(inst.hosts_of(m.a, m.b)), -mine[m.home, m.pin, inst.day_of[m.slot]])):
        day = inst.day_of[m.slot]
        ref = m.pin
        if ref is None or (*ref, day) not in tables or ref in taken[day]:
            continue
        if m.home and any(m.home not in (other.a, other.b) for other in met_at[*ref, day]):
            continue
        # Only the host the timetable counted a table for (m.home) may take one.
        allowed = holders.get((*ref, day), set()) if (*ref, day) in pinned else {m.home}
        homeless = [h for h in (m.home,) if h and (h, day) not in homes and h in allowed]
        if homeless and (ref[0], day) in room_need and room_left(ref[0], day) <= room_need[ref[0], day]:
            continue  # the room's last free tables go to the fixed meetings that name it
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
        at_home = {m: _home_of(inst, m, homes, day) for m in by_slot[s]}
        order = sorted(by_slot[s], key=lambda m: (_rank(m, at_home[m], claimed), m.a, m.b))
        free = _FreeTables(all_tables, homes_today)
        for m in order:
            home = at_home[m]
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


def _rank(m: Timed, home: TableRef | None, claimed: set[TableRef]) -> int:
    """The order a slot's meetings take their tables in (see ``assign``)."""
    if m.pin and not m.soft:
        return 0 if m.pin[1] else 1
    if home:
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

"""Plain-words reasons: why a request got no meeting, why a fixed meeting fails."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date

from .. import rules
from ..model import Event
from ..problems import rows_text
from ..schedule import Unscheduled
from . import tables
from .instance import FixedPlacement, Instance
from .timetable import Timetable


class _Tables:
    """What the finished timetable leaves free, computed once: whether a slot
    has a pool table free, and whether a day has one free in every slot (what
    a host without a home table that day would need). The reasons then ask per
    request only about its own days, so explaining every unmet request is
    linear in their common slots instead of re-counting the day each time."""

    def __init__(self, inst: Instance, table: Timetable):
        self.inst, self.table = inst, table
        self.pool = [table.used[s] + table.holders[day] < inst.capacity[s] for s, day in enumerate(inst.day_of)]
        self.all_day = {day: all(self.pool[s] for s in slots) for day, slots in inst.slots_of_day.items()}
        self.holding = {day: sorted(hosts) for day, hosts in table.holding.items() if hosts}

    def free_slots(self, a: str, b: str, slots: list[int], days: set[date]) -> list[int]:
        """The slots among ``slots`` where Timetable.table_free holds: a pool
        table free in the slot, or (with a host) a home table held that day or
        free all day."""
        inst, table = self.inst, self.table
        hosts = inst.hosts_of(a, b)
        if not hosts:
            return [s for s in slots if self.pool[s]]
        ok = {d for d in days if self.all_day[d] or any(table.at_home.get((h, d), 0) > 0 for h in hosts)}
        return [s for s in slots if inst.day_of[s] in ok]


def _no_table_all_day(tables: _Tables, slots: list[int], name: Callable[[str], str]) -> str:
    """Why no table is free all day on the days of ``slots``: the hosts
    holding one all day, when any do (a fixed meeting can give a host its
    table), else meetings worth more."""
    inst = tables.inst
    days = sorted({inst.day_of[s] for s in slots})
    held = {d: tables.holding[d] for d in days if d in tables.holding}
    if not held:
        return "every table is taken all day by meetings worth more"
    every = all(len(held.get(d, ())) >= max(inst.capacity[s] for s in inst.slots_of_day[d]) for d in days)
    if len(days) == 1:
        hosts = held[days[0]]
        who = f"host{'s' if len(hosts) > 1 else ''} {_some(hosts, name)} hold{'' if len(hosts) > 1 else 's'}"
        if every:
            one = max(inst.capacity[s] for s in inst.slots_of_day[days[0]]) == 1
            return f"{who} {'the only table' if one else 'every table'} all day"
        return f"no table is free all day: {who} one all day, and meetings take the others at some time"
    per_day = "; ".join(f"on {d:%a %d %b} host{'s' if len(h) > 1 else ''} {_some(h, name)}" for d, h in held.items())
    if every:
        return f"hosts hold every table all day ({per_day})"
    return f"no table is free all day: hosts hold tables all day ({per_day}), and meetings take the others"


def _some(hosts: list[str], name: Callable[[str], str], most: int = 3) -> str:
    """Up to ``most`` hosts by name, and how many more."""
    shown = ", ".join(name(h) for h in hosts[:most])
    return shown + (f" and {len(hosts) - most} more" if len(hosts) > most else "")


NOT_REACHED = "not reached before the time limit: both parties and a table are still free at a common time (allow more --time-limit)"


def unmet_reason(inst: Instance, table: Timetable, r: int, tables: _Tables | None = None) -> str:
    """The first reason that explains why request r is not in the timetable."""
    a, b = inst.ends[r]
    name = _namer(inst.event)
    for p in (a, b):
        if not inst.free[p]:
            return f"{name(p)} has no free meeting slot (absent, unavailable or in sessions)"
    common = inst.common(r)
    if not common:
        return "no common free time"
    for p in (a, b):
        if table.total[p] >= inst.cap_total[p]:
            return f"{name(p)} reached their meeting limit ({inst.cap_total[p]})"
    day_of, per_day = inst.day_of, table.per_day
    days = {day_of[s] for s in common}
    below = {d for d in days if per_day[a, d] < inst.cap_day[a] and per_day[b, d] < inst.cap_day[b]}
    if not below:
        return "over the daily meeting limit on every common day"
    busy_a, busy_b = table.busy[a], table.busy[b]
    open_slots = [s for s in common if s not in busy_a and s not in busy_b]
    if not open_slots:
        full = [p for p in (a, b) if all(s in table.busy[p] for s in common)]
        if len(full) == 1:
            return f"counterpart fully booked: {name(full[0])} has meetings in every common free slot"
        return "lost to higher-priority requests: both fully booked at their common free times"
    tables = tables or _Tables(inst, table)
    with_table = tables.free_slots(a, b, open_slots, days)
    if not with_table:
        hosts = inst.hosts_of(a, b)
        if hosts and not any(table.at_home[h, day_of[s]] for h in hosts for s in open_slots):
            names = ", ".join(f"{d:%a %d %b}" for d in sorted({day_of[s] for s in open_slots}))
            who = " or ".join(f"host {name(h)}" for h in hosts)
            return f"no home table for {who} on {names}: {_no_table_all_day(tables, open_slots, name)}"
        return "no table free at the common free times"
    under_cap = [s for s in with_table if day_of[s] in below]
    if not under_cap:
        return "over the daily meeting limit on the days both are still free"
    if inst.max_consecutive and not any(table.can_place(r, s) for s in under_cap):
        return f"the pause after {inst.max_consecutive} consecutive meetings leaves no common slot"
    # A slot and a table are free for it now: only a search cut short leaves
    # such a request out (a finished construction places what fits).
    return NOT_REACHED


def unscheduled(inst: Instance, table: Timetable) -> list[Unscheduled]:
    """Every request without a meeting: those no schedule may meet first, then
    the rest, each with its reason."""
    found = [Unscheduled(a, b, why) for (a, b), why in sorted(inst.never.items())]
    tables = _Tables(inst, table)
    found += [
        Unscheduled(*inst.ends[r], unmet_reason(inst, table, r, tables))
        for r in range(len(inst.ends))
        if r not in table.slot_of
    ]
    return found


def _namer(event: Event) -> Callable[[str], str]:
    def name(party_key: str) -> str:
        return event.party[party_key].label

    return name


def fixed_problems(inst: Instance, fixed: list[FixedPlacement], origins: list[str]) -> list[str]:
    """Every rule a fixed meeting breaks, in plain words with its row."""
    event = inst.event
    name = _namer(event)
    problems: list[str] = []
    seen: dict[tuple[str, int], str] = {}
    tables: dict[tuple[int, str, int], str] = {}
    requested = set(inst.ends) if fixed else set()
    pairs: dict[tuple[str, str], str] = {}
    for f, origin in zip(fixed, origins, strict=True):
        slot = event.slots[f.slot]
        when = f"{slot.start:%Y-%m-%d %H:%M}"
        pair = (min(f.a, f.b), max(f.a, f.b))
        why = inst.never.get(pair)
        if why is None and pair not in requested:
            from ..rules import pair_allowed

            why = pair_allowed(event, f.a, f.b)
        if why:
            problems.append(f"{origin}: {name(f.a)} and {name(f.b)} cannot meet: {why}")
        if pair in pairs:  # a pair meets once: verify says so of every schedule
            problems.append(f"{origin}: {name(f.a)} and {name(f.b)} already have the fixed meeting "
                            f"{pairs[pair]}; a pair meets once")
        pairs.setdefault(pair, origin)
        for p in (f.a, f.b):
            if f.slot not in inst.free[p]:
                problems.append(
                    f"{origin}: {name(p)} is not free at {when} (absent, unavailable, in a session or a plenary)"
                )
            if (p, f.slot) in seen:
                problems.append(
                    f"{origin}: {name(p)} already has the fixed meeting of {seen[p, f.slot]} at {when}"
                )
            seen[p, f.slot] = origin
        if f.room and f.table:
            key = (f.slot, f.room, f.table)
            if key in tables:
                problems.append(
                    f"{origin}: table {f.room} T{f.table} at {when} is already taken by {tables[key]}"
                )
            tables[key] = origin
    return (problems + _cap_problems(inst, fixed, origins) + _host_problems(inst, fixed, origins)
            + _table_problems(inst, fixed, origins))


def _cap_problems(inst: Instance, fixed: list[FixedPlacement], origins: list[str]) -> list[str]:
    """Fixed meetings of one party above its Max meetings, in all or per day
    (``rules.cap_breaches``, as verify checks), or back-to-back above the
    event's Max consecutive meetings: no schedule could keep both them and the rule."""
    event, name = inst.event, _namer(inst.event)
    rows: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for f, origin in zip(fixed, origins, strict=True):
        for p in (f.a, f.b):
            rows[p].append((f.slot, origin))
    problems, told = [], set()
    for breach in rules.cap_breaches(event, [(f.a, f.b, f.slot) for f in fixed]):
        p = event.party_of[breach.attendee]
        if (p, breach.day) in told:  # a team: one message, for its lowest cap
            continue
        told.add((p, breach.day))
        held = [(s, o) for s, o in rows[p] if breach.day is None or inst.day_of[s] == breach.day]
        if breach.day is None:
            problems.append(f"{_listed(held)}: {name(p)} has {len(held)} fixed meetings, above "
                            f"{_whose_cap(event, p, 'Max meetings')} ({inst.cap_total[p]})")
        else:
            problems.append(f"{_listed(held)}: {name(p)} has {len(held)} fixed meetings on {breach.day}, "
                            f"above {_whose_cap(event, p, 'Max meetings per day')} ({inst.cap_day[p]})")
    for p, held in sorted(rows.items()):
        limit = inst.max_consecutive or len(held)
        for run in rules.back_to_back_runs(event, [s for s, _ in held]):
            if len(run) > limit:
                problems.append(f"{_listed([h for h in held if h[0] in run])}: {name(p)} has {len(run)} "
                                f"back-to-back fixed meetings, above Max consecutive meetings ({limit})")
    return problems


def _whose_cap(event: Event, party: str, column: str) -> str:
    """Where the cap comes from, in words: "their Max meetings", "the event's
    Max meetings per day", or for a team the member whose cap is the lowest."""
    def cap(key: str) -> int | None:
        return event.attendee[key].max_meetings if column == "Max meetings" else event.cap_per_day(key)

    members = event.party[party].members
    lowest = min((k for k in members if cap(k) is not None), key=lambda k: (cap(k), k))
    own = (event.attendee[lowest].max_meetings if column == "Max meetings"
           else event.attendee[lowest].max_meetings_per_day) is not None
    if not own:
        return f"the event's {column}"
    if len(members) > 1:
        return f"the {column} of {event.attendee[lowest].name or event.attendee[lowest].id}"
    return f"their {column}"


def _listed(held: list[tuple[int, str]]) -> str:
    """The rows, in time order."""
    return rows_text([origin for _, origin in sorted(held)])


def _host_problems(inst: Instance, fixed: list[FixedPlacement], origins: list[str]) -> list[str]:
    """A host keeps one home table a day, and nobody else sits at it that day:
    the rows with a host and a guest name one table (or one room) per host
    and day; a row of two hosts sits at one of their home tables; no other
    row uses a home table that day."""
    name = _namer(inst.event)
    homes: dict[tuple[str, date], tuple[str, int, str]] = {}  # (host, day) -> room, table, row
    problems = []
    rows = list(zip(fixed, origins, strict=True))
    for f, origin in rows:
        day = inst.day_of[f.slot]
        if not (f.room and f.table):
            continue
        for host in _claims(inst, f):
            home = homes.setdefault((host, day), (f.room, f.table, origin))
            if home[:2] != (f.room, f.table):
                problems.append(f"{origin}: host {name(host)} keeps one table a day, but {home[2]} "
                                f"puts them at {home[0]} T{home[1]} on {day}")
    rooms: dict[tuple[str, date], tuple[str, str]] = {}  # (host, day) -> the room a row without a table names
    for f, origin in rows:
        day = inst.day_of[f.slot]
        if not f.room or f.table:
            continue
        for host in _claims(inst, f):
            table = homes.get((host, day))
            room = rooms.setdefault((host, day), (f.room, origin))
            if table and table[0] != f.room:
                problems.append(f"{origin}: host {name(host)} keeps one table a day, but {table[2]} "
                                f"puts them at {table[0]} T{table[1]} on {day}, not in {f.room}")
            elif room[0] != f.room:
                problems.append(f"{origin}: host {name(host)} keeps one table a day, but {room[1]} "
                                f"puts them in {room[0]} on {day}, not in {f.room}")
    timed = [tables.from_fixed(f) for f in fixed]
    holders = tables.visit_holders(inst, timed)
    problems += _visit_problems(inst, rows, homes, rooms, holders)
    owner = {(room, table, day): (host, where) for (host, day), (room, table, where) in homes.items()}
    for f, origin in rows:
        day = inst.day_of[f.slot]
        held = owner.get((f.room, f.table, day)) if f.room and f.table else None
        if held and held[0] not in (f.a, f.b):
            problems.append(
                f"{origin}: {f.room} T{f.table} is the home table of host {name(held[0])} on {day} "
                f"({held[1]}); no other meeting may use it that day"
            )
    return problems + _room_problems(inst, rows, timed, holders, homes, rooms)


def _room_problems(
    inst: Instance, rows: list[tuple[FixedPlacement, str]], timed: list[tables.Timed],
    holders: dict[tuple[str, int, date], str], homes: dict[tuple[str, date], tuple[str, int, str]],
    rooms: dict[tuple[str, date], tuple[str, str]],
) -> list[str]:
    """A room holds, in each slot, the home tables of the hosts the rows put
    in it that day and the rows without a host in it then: no more than its
    tables."""
    name = _namer(inst.event)
    homed: dict[tuple[str, date], dict[str, str]] = {}  # (room, day) -> host -> the row that puts it there
    for (host, day), (room, _, origin) in homes.items():
        homed.setdefault((room, day), {})[host] = origin
    for (host, day), (room, origin) in rooms.items():
        if (host, day) not in homes:
            homed.setdefault((room, day), {})[host] = origin
    guests, anyway = tables.guest_places(inst, timed), tables.holding_anyway(inst, timed)
    for (f, origin), m in zip(rows, timed, strict=True):
        if f.room and not f.table and len(inst.hosts_of(f.a, f.b)) == 2:
            holder = tables.room_holder(inst, m, guests, holders, anyway)
            if holder is not None and (holder, inst.day_of[f.slot]) not in homes:
                homed.setdefault((f.room, inst.day_of[f.slot]), {}).setdefault(holder, origin)
    pool: dict[tuple[str, int], list[str]] = {}  # (room, slot) -> rows without a host there
    for f, origin in rows:
        if f.room and not inst.hosts_of(f.a, f.b):
            pool.setdefault((f.room, f.slot), []).append(origin)
    problems = []
    for day in inst.event.days:
        size = Counter(room for room, _ in rules.tables_on(inst.event, day))
        for room in sorted(size):
            hosts = homed.get((room, day), {})
            busiest = max((pool.get((room, s), []) for s in inst.slots_of_day.get(day, [])), key=len, default=[])
            if len(hosts) + len(busiest) > size[room]:
                names = ", ".join(f"{name(h)} ({o})" for h, o in sorted(hosts.items()))
                others = f" and {len(busiest)} row(s) without a host at one time ({', '.join(busiest)})" if busiest else ""
                last = max([*hosts.values(), *busiest], key=lambda o: [r[1] for r in rows].index(o))
                problems.append(f"{last}: {room} has {size[room]} table(s) on {day}, but the Fixed meetings rows "
                                f"put {len(hosts)} host(s) there for the whole day: {names}{others}; a host keeps "
                                "one table all day")
    return problems


def _claims(inst: Instance, f: FixedPlacement) -> list[str]:
    """The hosts whose home table this meeting is: a host meeting a guest who is no host."""
    return [h for h, other in ((f.a, f.b), (f.b, f.a)) if h in inst.hosts and other not in inst.hosts]


def _visit_problems(
    inst: Instance, rows: list[tuple[FixedPlacement, str]], homes: dict[tuple[str, date], tuple[str, int, str]],
    rooms: dict[tuple[str, date], tuple[str, str]], holders: dict[tuple[str, int, date], str],
) -> list[str]:
    """Rows of two hosts sit at one of their home tables: a table such rows
    name is held by the host ``tables.visit_holders`` names, the rule the
    tables phase follows (``homes`` takes it); without one the rows break the
    rule. A row with only a room needs a host whose home may be in that room."""
    name = _namer(inst.event)
    groups: dict[tuple[str, int, date], list[tuple[FixedPlacement, str]]] = {}
    for f, origin in rows:
        if f.room and f.table and len(inst.hosts_of(f.a, f.b)) == 2:
            groups.setdefault((f.room, f.table, inst.day_of[f.slot]), []).append((f, origin))
    problems = []
    for (room, table, day), group in groups.items():
        holder = holders.get((room, table, day))
        if holder is not None:
            homes.setdefault((holder, day), (room, table, group[0][1]))
            continue
        f, origin = group[0]
        common = set.intersection(*({f.a, f.b} for f, _ in group))
        others = [o for g, o in rows if (g.room, g.table) == (room, table) and inst.day_of[g.slot] == day
                  and not common <= {g.a, g.b}]
        if common and others:
            problems.append(f"{origin}: {name(f.a)} and {name(f.b)} meet at {room} T{table} on {day}, but "
                            f"{others[0]} uses that table too that day, and a host's home table takes only "
                            "that host's meetings")
        elif common:
            where = ", ".join(homes[h, day][2] if (h, day) in homes else rooms[h, day][1] for h in sorted(common))
            problems.append(f"{origin}: {name(f.a)} and {name(f.b)} meet at {room} T{table} on {day}, but both "
                            f"keep another home table that day ({where})")
        else:
            problems.append(f"{origin}: {room} T{table} holds meetings of two hosts on {day} with no host in all "
                            f"of them ({', '.join(o for _, o in group)}): a host's home table takes only that "
                            "host's meetings")
    for f, origin in rows:
        day, in_room = inst.day_of[f.slot], f.room
        if not in_room or f.table or len(inst.hosts_of(f.a, f.b)) < 2:
            continue
        places = [homes[h, day][0] if (h, day) in homes else rooms[h, day][0] if (h, day) in rooms else None
                  for h in (f.a, f.b)]
        if in_room not in places and None not in places:
            problems.append(f"{origin}: {name(f.a)} and {name(f.b)} meet in {in_room} on {day}, but both keep "
                            f"their home table in another room that day ({places[0]}, {places[1]})")
    return problems


def _table_problems(inst: Instance, fixed: list[FixedPlacement], origins: list[str]) -> list[str]:
    """Fixed meetings of one slot, plus the home tables their hosts hold all
    day, must fit the usable tables."""
    own: dict[int, list[str]] = {}
    homes: dict[date, dict[str, str]] = {}  # day -> host -> the first row giving it a table
    # A fixed meeting of two hosts counts the table of the host the tables phase seats it with.
    visits = tables.fixed_visit_homes(inst, [tables.from_fixed(f) for f in fixed])
    for i, (f, origin) in enumerate(zip(fixed, origins, strict=True)):
        hosts = inst.hosts_of(f.a, f.b)
        if hosts:
            homes.setdefault(inst.day_of[f.slot], {}).setdefault(visits.get(i, hosts[0]), origin)
        else:
            own.setdefault(f.slot, []).append(origin)
    problems, told = [], set()
    for s in sorted(set(own) | {t for d in homes for t in inst.slots_of_day[d]}):
        day = inst.day_of[s]
        held = homes.get(day, {})
        rows = own.get(s, [])
        if len(rows) + len(held) <= inst.capacity[s] or (not rows and day in told):
            continue
        told.add(day)
        where = rows_text(rows + list(held.values()))
        holders = ", ".join(inst.event.party[h].label for h in sorted(held))
        what = " and ".join(
            part for part in (
                f"{len(rows)} fixed meeting{'' if len(rows) == 1 else 's'} at {inst.event.slots[s].start:%H:%M}"
                if rows else "",
                f"{len(held)} host home table{'' if len(held) == 1 else 's'} all day ({holders})" if held else "",
            ) if part
        )
        if inst.capacity[s] == 0:
            problems.append(f"{where}: {what} on {day}, but no meeting table is usable that day (the Dates of "
                            "the Meetings rooms, or Spare tables); open a room that day or move the rows")
        else:
            problems.append(f"{where}: {what} on {day}: more than the {inst.capacity[s]} meeting tables usable "
                            "(after spare tables); add tables or move a fixed meeting")
    return problems

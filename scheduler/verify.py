"""Check every hard rule of the contract on any schedule.

Independent of how the schedule was made: the engine's output, or a
workbook an organizer edited by hand. ``solve`` runs it before writing and
refuses to write a schedule that fails it. Findings are located problems: the
Meetings or Sessions row that breaks the rule, and the rule in plain words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from . import rules
from .model import Event
from .problems import Problem
from .schedule import Meeting, Schedule, SessionPlacement


def verify(
    event: Event, schedule: Schedule, *, file: str = "schedule.xlsx", check_lost: bool = True
) -> list[Problem]:
    """Every problem of the schedule, one checker per rule (see :data:`CHECKS`)."""
    found: list[Problem] = []
    for check in CHECKS:
        found += check(event, schedule, file)
    if check_lost:
        found += _lost(event, schedule, file)
    return found


def _row(m: Meeting, position: int) -> int:
    return m.row if m.row is not None else position + 2


# A meeting checker gets the meetings that name known parties and a known slot,
# with their position in Schedule.meetings (for the row when none was read).
Placed = list[tuple[int, Meeting]]


def _problem(file: str, m: Meeting, i: int, text: str, column: str = "") -> Problem:
    return Problem(text, file=file, sheet="Meetings", row=_row(m, i), column=column)


def _sessions(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    return session_problems(event, schedule.sessions, file=file)


def _meetings(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """The rules of single meetings, in Meetings row order."""
    known: Placed = []
    found: list[Problem] = []
    for i, m in enumerate(schedule.meetings):
        if m.a not in event.party or m.b not in event.party or not 0 <= m.slot < len(event.slots):
            found.append(_problem(file, m, i, "meeting names an unknown party or slot"))
        else:
            known.append((i, m))
    for check in (_pair_allowed, _pair_once, _parties_free, _one_meeting_at_a_time, _table_exists, _table_once):
        found += check(event, schedule, known, file)
    return sorted(found, key=lambda p: p.row or 0)


def _pair_allowed(event: Event, schedule: Schedule, known: Placed, file: str) -> list[Problem]:
    """Rule: the two may meet at all (rules.pair_allowed)."""
    found = []
    for i, m in known:
        why = rules.pair_allowed(event, m.a, m.b)
        if why:
            text = f"{event.party[m.a].label} and {event.party[m.b].label} may not meet: {why}"
            found.append(_problem(file, m, i, text, "Attendee B"))
    return found


def _pair_once(event: Event, schedule: Schedule, known: Placed, file: str) -> list[Problem]:
    """Rule: a pair meets once."""
    found = []
    first: dict[tuple[str, str], int] = {}
    for i, m in known:
        if m.pair in first:
            found.append(_problem(file, m, i, f"the pair already meets in row {first[m.pair]}", "Attendee B"))
        first[m.pair] = _row(m, i)
    return found


def _parties_free(event: Event, schedule: Schedule, known: Placed, file: str) -> list[Problem]:
    """Rule: both parties are present, available and not at a session (rules.party_free_slots)."""
    free = rules.party_free_slots(event, rules.session_busy(event, schedule.sessions))
    found = []
    for i, m in known:
        for p in (m.a, m.b):
            if m.slot not in free[p]:
                when = f"{event.slots[m.slot].start:%Y-%m-%d %H:%M}"
                found.append(_problem(file, m, i, f"{event.party[p].label} is not free at {when}", "Start"))
    return found


def _one_meeting_at_a_time(event: Event, schedule: Schedule, known: Placed, file: str) -> list[Problem]:
    """Rule: a party is in one meeting at a time."""
    found = []
    at: dict[tuple[str, int], int] = {}
    for i, m in known:
        for p in (m.a, m.b):
            if (p, m.slot) in at:
                text = f"{event.party[p].label} is also in the meeting of row {at[p, m.slot]}"
                found.append(_problem(file, m, i, text, "Start"))
            at[p, m.slot] = _row(m, i)
    return found


def _table_exists(event: Event, schedule: Schedule, known: Placed, file: str) -> list[Problem]:
    """Rule: the table is one of a meeting room open that day."""
    found = []
    for i, m in known:
        day = event.slots[m.slot].day
        room = event.room.get(m.room.casefold().strip()) if m.room else None
        room = room or next((r for r in event.rooms if r.name == m.room), None)
        if room is None or room.use != "Meetings" or not room.open_on(day):
            found.append(_problem(file, m, i, f"room {m.room} is not a meeting room open on {day}", "Room"))
        elif not 1 <= m.table <= room.tables:
            text = f"{room.name} has no table T{m.table} (it has {room.tables})"
            found.append(_problem(file, m, i, text, "Table"))
    return found


def _table_once(event: Event, schedule: Schedule, known: Placed, file: str) -> list[Problem]:
    """Rule: a table holds one meeting at a time."""
    found = []
    first: dict[tuple[int, str, int], int] = {}
    for i, m in known:
        key = (m.slot, m.room, m.table)
        if key in first:
            text = f"table {m.room} T{m.table} is also used by row {first[key]}"
            found.append(_problem(file, m, i, text, "Table"))
        first[key] = _row(m, i)
    return found


def _known(event: Event, m: Meeting) -> bool:
    return m.a in event.party and m.b in event.party and 0 <= m.slot < len(event.slots)


def _caps(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """Rule: nobody above Max meetings, in all or per day (``rules.cap_breaches``)."""
    known = [(m.a, m.b, m.slot) for m in schedule.meetings if _known(event, m)]
    out = []
    for breach in rules.cap_breaches(event, known):
        name = event.attendee[breach.attendee].name
        if breach.day is None:
            out.append(_att(file, f"{name} has {breach.count} meetings, above Max meetings {breach.cap}"))
        else:
            out.append(_att(file, f"{name} has {breach.count} meetings on {breach.day}, above {breach.cap} per day"))
    return out


def _att(file: str, text: str) -> Problem:
    return Problem(text, file=file, sheet="Meetings")


def _spare(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """Rule: no slot uses more tables than are left after the spare ones."""
    per_slot = Counter(m.slot for m in schedule.meetings if _known(event, m))
    out = []
    for s, n in sorted(per_slot.items()):
        day = event.slots[s].day
        limit = rules.usable_tables(event, day)
        if n > limit:
            when = f"{event.slots[s].start:%Y-%m-%d %H:%M}"
            out.append(
                _att(file, f"{n} meetings at {when}, above the {limit} tables usable after spare tables")
            )
    return out


def _pause(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """Rule: a pause after Max consecutive meetings back-to-back meetings."""
    limit = event.settings.max_consecutive_meetings
    if not limit:
        return []
    slots_of: dict[str, list[int]] = defaultdict(list)
    for m in schedule.meetings:
        if _known(event, m):
            slots_of[m.a].append(m.slot)
            slots_of[m.b].append(m.slot)
    out = []
    for p, slots in sorted(slots_of.items()):
        for run in rules.back_to_back_runs(event, slots):
            if len(run) > limit:
                start = event.slots[run[0]].start
                out.append(
                    _att(
                        file,
                        f"{event.party[p].label} has {len(run)} back-to-back meetings from {start:%Y-%m-%d %H:%M}, above {limit}",
                    )
                )
    return out


TableDay = tuple[str, int, date]  # (room, table number, day)


def _hosts(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """Rule: a host's meetings of a day sit at its one home table, except a
    visit to another host, at that host's home table; nobody else sits at a
    home table that day."""
    hosts = {p.key for p in event.parties if p.host}
    if not hosts:
        return []
    at: dict[TableDay, list[tuple[int, Meeting]]] = defaultdict(list)
    for i, m in enumerate(schedule.meetings):
        if 0 <= m.slot < len(event.slots):
            at[m.room, m.table, event.slots[m.slot].day].append((i, m))
    out, home = _guest_homes(event, hosts, at, file)
    out += _strangers_at_homes(event, at, home, file)
    out += _visits(event, hosts, at, home, file)
    return out


def _guest_homes(
    event: Event, hosts: set[str], at: dict[TableDay, list[tuple[int, Meeting]]], file: str
) -> tuple[list[Problem], dict[TableDay, str]]:
    """A host's meetings with guests of a day are at one table: its home."""
    out: list[Problem] = []
    tables_of: dict[tuple[str, date], set[TableDay]] = defaultdict(set)
    for key, placed in at.items():
        for _, m in placed:
            for p, other in ((m.a, m.b), (m.b, m.a)):
                if p in hosts and other not in hosts:
                    tables_of[p, key[2]].add(key)
    home: dict[TableDay, str] = {}
    for (p, day), keys in sorted(tables_of.items()):
        if len(keys) > 1:
            out.append(
                _att(
                    file, f"host {event.party[p].label} uses {len(keys)} tables on {day}, not one home table"
                )
            )
        home[min(keys)] = p
    return out, home


def _strangers_at_homes(
    event: Event,
    at: dict[TableDay, list[tuple[int, Meeting]]],
    home: dict[TableDay, str],
    file: str,
) -> list[Problem]:
    """Every meeting at a host's home table that day has the host in it."""
    out = []
    for key, owner in sorted(home.items()):
        for i, m in at[key]:
            if owner not in (m.a, m.b):
                text = f"table {m.room} T{m.table} is the home table of host {event.party[owner].label} on {key[2]}"
                out.append(Problem(text, file=file, sheet="Meetings", row=_row(m, i), column="Table"))
    return out


def _visits(
    event: Event,
    hosts: set[str],
    at: dict[TableDay, list[tuple[int, Meeting]]],
    home: dict[TableDay, str],
    file: str,
) -> list[Problem]:
    """A meeting of two hosts sits at one of their home tables: a table that
    is no host's home by its guests must be held all day by a host in all its
    meetings, and a host holds one table a day (a matching of such tables to
    hosts with no guest table that day)."""
    out: list[Problem] = []
    homed = {(p, key[2]) for key, p in home.items()}
    open_tables: dict[TableDay, list[str]] = {}
    for key, placed in sorted(at.items()):
        if key in home or not any(m.a in hosts and m.b in hosts for _, m in placed):
            continue
        shared = set.intersection(*({m.a, m.b} for _, m in placed)) & hosts
        open_tables[key] = sorted(p for p in shared if (p, key[2]) not in homed)
    for key in _unmatched(open_tables):
        i, m = next((i, m) for i, m in at[key] if m.a in hosts and m.b in hosts)
        names = " and ".join(event.party[p].label for p in sorted({m.a, m.b}))
        text = f"{names} meet at {m.room} T{m.table} on {key[2]}, which is neither host's home table that day"
        out.append(Problem(text, file=file, sheet="Meetings", row=_row(m, i), column="Table"))
    return out


def _unmatched(candidates: dict[TableDay, list[str]]) -> list[TableDay]:
    """Tables left without a host when each host takes at most one table of
    its day among its candidates (augmenting paths: a few tables a day)."""
    owner: dict[tuple[str, date], TableDay] = {}

    def take(key: TableDay, seen: set[str]) -> bool:
        for p in candidates[key]:
            if p in seen:
                continue
            seen.add(p)
            held = owner.get((p, key[2]))
            if held is None or take(held, seen):
                owner[p, key[2]] = key
                return True
        return False

    return [key for key in sorted(candidates) if not take(key, set())]


def _fixed(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """Rule: every Fixed meetings row is held at its time (and its room and table when given)."""
    out = []
    held = {
        (m.pair, event.slots[m.slot].start): m for m in schedule.meetings if 0 <= m.slot < len(event.slots)
    }
    for f in event.fixed:
        a, b = event.party_of.get(f.a), event.party_of.get(f.b)
        if a is None or b is None:
            continue
        m = held.get(((min(a, b), max(a, b)), f.start))
        if m is None:
            out.append(
                _att(
                    file,
                    f"fixed meeting {f.origin or (f.a + '-' + f.b)} is missing at {f.start:%Y-%m-%d %H:%M}",
                )
            )
        elif (f.room and event.room[f.room].name != m.room) or (f.table and f.table != m.table):
            out.append(_att(file, f"fixed meeting {f.origin} is not at its given room and table"))
    return out


def _lost(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """Bookkeeping, not a rule of attendance: every request is either met or
    listed in Unscheduled. A warning: a meeting deleted by hand leaves its
    request in neither, and the schedule is still one attendees can keep (the
    solve treats any finding on its own schedule as a bug all the same)."""
    met = {m.pair for m in schedule.meetings}
    listed = {(min(u.a, u.b), max(u.a, u.b)) for u in schedule.unscheduled}
    out = []
    for r in event.requests:
        if r.pair not in met and r.pair not in listed:
            names = f"{event.party[r.a].label} and {event.party[r.b].label}"
            out.append(Problem(f"the request of {names} is neither met nor listed (a meeting deleted by hand?); "
                               "add a row for it to Unscheduled, with the reason", file=file,
                               sheet="Unscheduled", warning=True))
    return out


def session_problems(event: Event, placements: Sequence[SessionPlacement], *, file: str) -> list[Problem]:
    """Every session rule of :func:`scheduler.rules.session_breaches`, located
    at the Sessions row that breaks it (rows in sheet order)."""

    def row(index: int) -> int:
        p = placements[index]
        return p.row if p.row is not None else index + 2

    found = [
        Problem(
            b.text.replace("{other}", str(row(b.other)) if b.other is not None else ""),
            file=file,
            sheet="Sessions",
            row=row(b.index) if b.index is not None else None,
            column=b.column,
        )
        for b in rules.session_breaches(event, placements)
    ]
    return sorted(found, key=lambda p: (p.row is not None, p.row or 0))


# Every rule but "every request met or listed", which a partial schedule may skip.
CHECKS = (_sessions, _meetings, _caps, _spare, _pause, _hosts, _fixed)

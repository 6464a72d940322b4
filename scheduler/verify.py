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
from .io.problems import Problem
from .model import Event
from .schedule import Meeting, Schedule, SessionPlacement


def verify(
    event: Event, schedule: Schedule, *, file: str = "schedule.xlsx", check_lost: bool = True
) -> list[Problem]:
    found: list[Problem] = []
    found += session_problems(event, schedule.sessions, file=file)
    found += _meetings(event, schedule, file)
    found += _hosts(event, schedule, file)
    found += _fixed(event, schedule, file)
    if check_lost:
        found += _lost(event, schedule, file)
    return found


def _row(m: Meeting, position: int) -> int:
    return m.row if m.row is not None else position + 2


def _meetings(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    out: list[Problem] = []
    busy = rules.session_busy(event, schedule.sessions)
    free = rules.party_free_slots(event, busy)
    at: dict[tuple[str, int], int] = {}
    table_at: dict[tuple[int, str, int], int] = {}
    pairs: dict[tuple[str, str], int] = {}
    per_slot: Counter[int] = Counter()

    def bad(m: Meeting, i: int, text: str, column: str = "") -> None:
        out.append(Problem(text, file=file, sheet="Meetings", row=_row(m, i), column=column))

    for i, m in enumerate(schedule.meetings):
        if m.a not in event.party or m.b not in event.party or not 0 <= m.slot < len(event.slots):
            bad(m, i, "meeting names an unknown party or slot")
            continue
        slot = event.slots[m.slot]
        why = rules.pair_allowed(event, m.a, m.b)
        if why:
            bad(
                m,
                i,
                f"{event.party[m.a].label} and {event.party[m.b].label} may not meet: {why}",
                "Attendee B",
            )
        if m.pair in pairs:
            bad(m, i, f"the pair already meets in row {pairs[m.pair]}", "Attendee B")
        pairs[m.pair] = _row(m, i)
        for p in (m.a, m.b):
            if m.slot not in free[p]:
                bad(m, i, f"{event.party[p].label} is not free at {slot.start:%Y-%m-%d %H:%M}", "Start")
            if (p, m.slot) in at:
                bad(m, i, f"{event.party[p].label} is also in the meeting of row {at[p, m.slot]}", "Start")
            at[p, m.slot] = _row(m, i)
        room = event.room.get(m.room.casefold().strip()) if m.room else None
        room = room or next((r for r in event.rooms if r.name == m.room), None)
        if room is None or room.use != "Meetings" or not room.open_on(slot.day):
            bad(m, i, f"room {m.room} is not a meeting room open on {slot.day}", "Room")
        elif not 1 <= m.table <= room.tables:
            bad(m, i, f"{room.name} has no table T{m.table} (it has {room.tables})", "Table")
        key = (m.slot, m.room, m.table)
        if key in table_at:
            bad(m, i, f"table {m.room} T{m.table} is also used by row {table_at[key]}", "Table")
        table_at[key] = _row(m, i)
        per_slot[m.slot] += 1
    out += _caps(event, schedule, file)
    out += _spare(event, per_slot, file)
    out += _pause(event, schedule, file)
    return out


def _caps(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    out: list[Problem] = []
    total: Counter[str] = Counter()
    per_day: Counter[tuple[str, date]] = Counter()
    for m in schedule.meetings:
        if m.a not in event.party or m.b not in event.party or not 0 <= m.slot < len(event.slots):
            continue
        for p in (m.a, m.b):
            for member in event.party[p].members:
                total[member] += 1
                per_day[member, event.slots[m.slot].day] += 1
    for a in event.attendees:
        if a.max_meetings is not None and total[a.key] > a.max_meetings:
            out.append(
                _att(file, f"{a.name} has {total[a.key]} meetings, above Max meetings {a.max_meetings}")
            )
        cap = event.cap_per_day(a.key)
        for day in event.days:
            if cap is not None and per_day[a.key, day] > cap:
                out.append(
                    _att(file, f"{a.name} has {per_day[a.key, day]} meetings on {day}, above {cap} per day")
                )
    return out


def _att(file: str, text: str) -> Problem:
    return Problem(text, file=file, sheet="Meetings")


def _spare(event: Event, per_slot: Counter[int], file: str) -> list[Problem]:
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
    limit = event.settings.max_consecutive_meetings
    if not limit:
        return []
    slots_of: dict[str, list[int]] = defaultdict(list)
    for m in schedule.meetings:
        if m.a in event.party and m.b in event.party and 0 <= m.slot < len(event.slots):
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


def _hosts(event: Event, schedule: Schedule, file: str) -> list[Problem]:
    """A host keeps one table a day; nobody else sits at it that day."""
    out: list[Problem] = []
    hosts = {p.key for p in event.parties if p.host}
    if not hosts:
        return out
    tables_of: dict[tuple[str, date], set[tuple[str, int]]] = defaultdict(set)
    valid = [m for m in schedule.meetings if 0 <= m.slot < len(event.slots)]
    for m in valid:
        day = event.slots[m.slot].day
        for p in (m.a, m.b):
            other = m.b if p == m.a else m.a
            if p in hosts and other not in hosts:
                tables_of[p, day].add((m.room, m.table))
    home = {}
    for (p, day), refs in sorted(tables_of.items()):
        if len(refs) > 1:
            out.append(
                _att(
                    file, f"host {event.party[p].label} uses {len(refs)} tables on {day}, not one home table"
                )
            )
        home[next(iter(sorted(refs)))] = (p, day)
    for i, m in enumerate(valid):
        day = event.slots[m.slot].day
        owner = home.get((m.room, m.table))
        if owner and owner[1] == day and owner[0] not in (m.a, m.b) and not (m.a in hosts and m.b in hosts):
            out.append(
                Problem(
                    f"table {m.room} T{m.table} is the home table of host {event.party[owner[0]].label} on {day}",
                    file=file,
                    sheet="Meetings",
                    row=_row(m, i),
                    column="Table",
                )
            )
    return out


def _fixed(event: Event, schedule: Schedule, file: str) -> list[Problem]:
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
    """Every request is either met or listed in Unscheduled."""
    met = {m.pair for m in schedule.meetings}
    listed = {(min(u.a, u.b), max(u.a, u.b)) for u in schedule.unscheduled}
    out = []
    for r in event.requests:
        if r.pair not in met and r.pair not in listed:
            names = f"{event.party[r.a].label} and {event.party[r.b].label}"
            out.append(
                Problem(f"the request of {names} is neither met nor listed", file=file, sheet="Unscheduled")
            )
    return out


def session_problems(event: Event, placements: Sequence[SessionPlacement], *, file: str) -> list[Problem]:
    """Each session once, in a session room open that day and big enough, one
    session per room at a time, speakers present, free and in one talk at a time,
    pins kept."""
    out: list[Problem] = []
    placed = Counter(p.session for p in placements)
    for s in event.sessions:
        if placed[s.key] != 1:
            out.append(
                Problem(
                    f"session {s.id} is placed {placed[s.key]} times, not once", file=file, sheet="Sessions"
                )
            )
    used: list[tuple[str, object, int]] = []
    talks: dict[str, list[tuple[object, int]]] = defaultdict(list)
    for i, p in enumerate(placements):
        row = p.row if p.row is not None else i + 2
        session = event.session.get(p.session)
        if session is None or not 0 <= p.period < len(event.periods):
            out.append(Problem("unknown session or period", file=file, sheet="Sessions", row=row))
            continue
        period = event.periods[p.period]
        room = next((r for r in event.rooms if r.name == p.room or r.key == p.room.casefold()), None)
        if room is None or room.use != "Sessions" or not room.open_on(period.day):
            out.append(
                Problem(
                    f"room {p.room} is not a session room open on {period.day}",
                    file=file,
                    sheet="Sessions",
                    row=row,
                    column="Room",
                )
            )
            continue
        audience = session.expected_audience or len(event.audience.get(session.key, ()))
        if room.capacity is not None and audience > room.capacity:
            out.append(
                Problem(
                    f"{session.id}: audience {audience} above {room.name}'s capacity {room.capacity}",
                    file=file,
                    sheet="Sessions",
                    row=row,
                    column="Room",
                )
            )
        for other_room, other_period, other_row in used:
            if other_room == room.name and event.periods[other_period].interval.overlaps(period.interval):  # type: ignore[index]
                out.append(
                    Problem(
                        f"{room.name} also holds the session of row {other_row} then",
                        file=file,
                        sheet="Sessions",
                        row=row,
                        column="Room",
                    )
                )
        used.append((room.name, p.period, row))
        for spk in session.speakers:
            for other_interval, other_row in talks[spk]:
                if other_interval.overlaps(period.interval):  # type: ignore[attr-defined]
                    out.append(
                        Problem(
                            f"speaker {spk} also speaks in row {other_row} then",
                            file=file,
                            sheet="Sessions",
                            row=row,
                        )
                    )
            talks[spk].append((period.interval, row))
            if spk in event.attendee:
                presence = event.presence(spk)
                away = not (presence.start <= period.start and period.end <= presence.end)
                unavailable = any(
                    u.attendee == spk and u.interval.overlaps(period.interval) for u in event.unavailable
                )
                if away or unavailable:
                    name = event.attendee[spk].name
                    out.append(
                        Problem(
                            f"speaker {name} is not available for {session.id}",
                            file=file,
                            sheet="Sessions",
                            row=row,
                        )
                    )
        if session.pin_room and event.room[session.pin_room].name != room.name:
            out.append(
                Problem(
                    f"{session.id} is pinned to another room",
                    file=file,
                    sheet="Sessions",
                    row=row,
                    column="Room",
                )
            )
        if session.pin_start and session.pin_start != period.start:
            out.append(
                Problem(
                    f"{session.id} is pinned to another start",
                    file=file,
                    sheet="Sessions",
                    row=row,
                    column="Start",
                )
            )
        if session.pin_day and session.pin_day != period.day:
            out.append(
                Problem(
                    f"{session.id} is pinned to another day",
                    file=file,
                    sheet="Sessions",
                    row=row,
                    column="Date",
                )
            )
    return out

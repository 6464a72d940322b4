"""Re-solve after publishing: keep what still holds, move little, then add.

Every meeting of the published schedule that the changed event still allows
is kept at its slot and table (locked rows first, then by weight); the ones no
longer allowed at their time are placed again before any new request, so
they move instead of dropping; only then are new meetings added. Every
session keeps its room and period while that placement still keeps the
session rules; only the others (and new sessions) are placed again, around
the kept ones.

A meeting moves only when a rule forces it, and :func:`resolve_with_reasons`
says which rule for each one (shown in changes.xlsx and on revised agendas).
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from .. import rules
from ..model import Event, FixedMeeting, Period, Slot, key_of
from ..schedule import Meeting, Schedule, SessionPlacement
from .instance import FixedPlacement, Instance, build
from .solve import Progress, SolveError, SolveOptions, hold_fixed, resolve_fixed, sessions_for, solve
from .timetable import Timetable


def resolve_from_previous(
    event: Event,
    previous: Schedule,
    options: SolveOptions,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Schedule:
    return resolve_with_reasons(event, previous, options, progress, stop)[0]


def resolve_with_reasons(
    event: Event,
    previous: Schedule,
    options: SolveOptions,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[Schedule, dict[tuple[str, str], str], dict[str, str]]:
    """The re-solve; for each previous meeting that had to move, the rule that
    moved it; and for each session placed again (by key), why. The time
    limit counts from here: placing sessions again is the run's session phase."""
    started = time.monotonic()
    stages = options.params.stages
    deadline = started + min(stages.sessions_end * options.time_limit,
                             stages.sessions_overrun * options.session_seconds)
    placements, placed_again = replaced_sessions(event, previous, options, deadline, stop)
    # A session search that ran to its deadline was ended by the clock, not by its work.
    cut_by_clock = time.monotonic() >= deadline
    why: dict[tuple[str, str], str] = {}
    keep, moved = kept_meetings(event, previous, placements, why)
    near = _sessions_now_near(event, previous, placements, placed_again)
    why = {pair: f"{reason} (sessions placed again: {near[pair]})" if pair in near else reason
           for pair, reason in why.items()}
    schedule = solve(event, options, progress, stop, placements=placements, keep=keep, first=moved, started=started)
    _table_reasons(event, previous, schedule, why)
    locked = {m.pair for m in previous.meetings if m.locked}
    meetings = tuple(
        Meeting(m.a, m.b, m.slot, m.room, m.table, m.fixed, m.pair in locked) for m in schedule.meetings
    )
    figures = replace(schedule.figures, repeatable=schedule.figures.repeatable and not cut_by_clock)
    new = Schedule(meetings, schedule.sessions, schedule.unscheduled, figures, schedule.home_tables)
    return new, why, placed_again


def _sessions_now_near(
    event: Event, previous: Schedule, placements: tuple[SessionPlacement, ...], moved: dict[str, str]
) -> dict[tuple[str, str], str]:
    """Pair -> the sessions placed again that one of its attendees now has at its old time."""
    new_at = [(p.session, event.periods[p.period]) for p in placements if p.session in moved]
    near: dict[tuple[str, str], str] = {}
    for m in previous.meetings:
        if not 0 <= m.slot < len(event.slots) or m.a not in event.party or m.b not in event.party:
            continue
        when = event.slots[m.slot].interval
        people = set(event.party[m.a].members) | set(event.party[m.b].members)
        hit = [
            event.session[key].id for key, period in new_at
            if period.interval.overlaps(when) and people & event.attending[key]
        ]
        if hit:
            near[m.pair] = ", ".join(hit)
    return near


def replaced_sessions(
    event: Event, previous: Schedule, options: SolveOptions, deadline: float | None = None,
    stop: threading.Event | None = None,
) -> tuple[tuple[SessionPlacement, ...], dict[str, str]]:
    """The sessions' placement for the re-solve, and for each session of the
    previous schedule placed elsewhere (by key), why. A printed agenda lists
    every session its attendee goes to, so a session that still keeps every
    session rule where it was stays there; the others (and new sessions) are
    placed around the kept ones. If they cannot be, every session is placed
    again. ``deadline`` (time.monotonic()) and ``stop`` (Ctrl-C) bound both
    placements, as in ``solve``'s session phase."""
    kept, broken = still_placed(event, previous)
    if not broken and len(kept) == len(event.sessions):
        return kept, {}
    try:
        placements = sessions_for(_pinned(event, kept), options, deadline, stop)
        others = ""
    except SolveError:
        placements = sessions_for(event, options, deadline, stop)
        names = ", ".join(event.session[key].id for key in broken) or "the new sessions"
        others = f"every session was placed again, as {names} could not fit around the others"
    before = {p.session: (p.period, p.room) for p in previous.sessions}
    now = {p.session: (p.period, p.room) for p in placements}
    return placements, {
        key: broken.get(key, others) for key in now if key in before and before[key] != now[key]
    }


def still_placed(event: Event, previous: Schedule) -> tuple[tuple[SessionPlacement, ...], dict[str, str]]:
    """The previous placements of sessions still in the event that break no
    session rule, and for each session that breaks one (by key), the first rule
    broken. Of two that clash (one room or one speaker at one time), only one
    moves. A session to be placed again whose pins fix its room and start
    takes that place from a kept one."""
    counts = Counter(p.session for p in previous.sessions)
    placements = [p for p in previous.sessions if p.session in event.session and counts[p.session] == 1]
    gone = {p.session: p.gone.reason for p in placements if p.gone is not None}
    placements = [p for p in placements if p.gone is None]
    broken = _broken(event, placements, set(range(len(placements))))
    kept = [p for p in placements if p.session not in broken]
    # A session whose period is gone by a few minutes (its block shifted) tries
    # the nearest period of its day in its room, after the sessions still in
    # place: of a clash, the shifted one gives way. It is a change all the same.
    shifted = [q for p in previous.sessions if p.session in gone and (q := _shifted(event, p)) is not None]
    clash = _broken(event, kept + shifted, set(range(len(kept), len(kept) + len(shifted))))
    kept += [p for p in shifted if p.session not in clash]
    newcomers = _pinned_places(event, {p.session for p in kept})
    taken = _broken(event, kept + newcomers, set(range(len(kept))))
    why = {**broken, **gone, **taken}
    for key, rule in {**clash, **taken}.items():  # the old time's reason first: why it moved at all
        if key in gone:
            why[key] = f"{gone[key]}, and at the nearest period: {rule}"
    return tuple(p for p in kept if p.session not in taken), why


def _shifted(event: Event, p: SessionPlacement) -> SessionPlacement | None:
    """A session whose published period is gone, at the nearest period of that
    day in its room, when the room is still a Sessions room; else None."""
    assert p.gone is not None
    nearest = _nearest(event.periods, p.gone.start, p.gone.end)
    room = event.room.get(key_of(p.room))
    if p.period >= 0 or nearest is None or room is None or room.use != "Sessions":
        return None
    return SessionPlacement(p.session, nearest, room.name)


def _broken(event: Event, placements: list[SessionPlacement], movable: set[int]) -> dict[str, str]:
    """Session key -> the first rule it breaks, for the placements at the
    ``movable`` positions; of two that clash, the movable one, the first named
    if both are."""
    found: dict[str, str] = {}
    for b in rules.session_breaches(event, placements):
        at = b.index if b.index in movable else b.other if b.other in movable else None
        if at is None:
            continue
        # The text names the other side of a clash as seen from the session that moves.
        across = b.other if at == b.index else b.index
        other = "" if across is None else event.session[placements[across].session].id
        found.setdefault(placements[at].session, b.text.replace("row {other}", other).replace("{other}", other))
    return found


def _pinned_places(event: Event, known: set[str]) -> list[SessionPlacement]:
    """Where the sessions not in ``known`` must go, for those whose pins fix a room and a start."""
    starts = {p.start: p.index for p in event.periods}
    return [
        SessionPlacement(s.key, starts[s.pin_start], event.room[s.pin_room].name)
        for s in event.sessions
        if s.key not in known and s.pin_start in starts and s.pin_room in event.room
    ]


def _pinned(event: Event, kept: tuple[SessionPlacement, ...]) -> Event:
    """The event with each kept session pinned to its room and start."""
    at = {p.session: p for p in kept}
    room_key = {r.name: r.key for r in event.rooms}
    sessions = tuple(
        replace(s, pin_start=event.periods[at[s.key].period].start, pin_end=event.periods[at[s.key].period].end,
                pin_room=room_key[at[s.key].room])
        if s.key in at else s
        for s in event.sessions
    )
    return replace(event, sessions=sessions)


def kept_meetings(
    event: Event,
    previous: Schedule,
    placements: tuple[SessionPlacement, ...],
    why: dict[tuple[str, str], str] | None = None,
) -> tuple[list[FixedPlacement], list[tuple[str, str]]]:
    """(meetings kept at their time, pairs that were met and must move); ``why``
    gets the rule that moves each one. The Fixed meetings rows are held
    first, so a row added since publishing takes its attendees' time from
    the meetings that had it, and those move. A kept meeting keeps its table
    too, unless a fixed meeting or a host's one home table of the day needs
    it or the event no longer has it: then the tables phase gives it another
    at the same time (``_table_reasons`` says why).

    Locked meetings go first, then by weight. A host's meeting takes a table
    all day: when the change made someone a host, took someone out of a host's
    team or took tables away, keeping it can cost several meetings at that
    table, and keeping those can cost the host's. So the meetings are also held
    with those of hosts last, and with those of hosts first. The order that
    keeps more weight wins; at equal weight, the one that moves fewer
    meetings, then fewer of hosts (each needs a table all day elsewhere, so it
    is the likeliest to be lost)."""
    inst = build(event, placements)
    weight = {pair: event.points(r) for pair, r in event.request.items()}
    by_weight = sorted(previous.meetings, key=lambda m: (not m.locked, -weight.get(m.pair, 0.0), m.slot, m.pair))
    hosts_last = sorted(by_weight, key=lambda m: (not m.locked, bool(inst.hosts_of(m.a, m.b))))
    hosts_first = sorted(by_weight, key=lambda m: (not m.locked, not inst.hosts_of(m.a, m.b)))

    def merit(kept: tuple[list[FixedPlacement], list[tuple[str, str]], dict[tuple[str, str], str]]) -> tuple[float, int, int]:
        lost_hosts = sum(bool(inst.hosts_of(a, b)) for a, b in kept[1])
        return round(_weight(kept[0], weight), 6), -len(kept[1]), -lost_hosts

    best = _keep(event, inst, previous, by_weight)
    for order in (hosts_last, hosts_first):
        if order != by_weight:
            other = _keep(event, inst, previous, order)
            if merit(other) > merit(best):
                best = other
    keep, moved, reasons = best
    if why is not None:
        why.update(reasons)
    return keep, moved


def _weight(keep: list[FixedPlacement], weight: dict[tuple[str, str], float]) -> float:
    return sum(weight.get((f.a, f.b), 0.0) for f in keep)


def _keep(
    event: Event, inst: Instance, previous: Schedule, ordered: list[Meeting]
) -> tuple[list[FixedPlacement], list[tuple[str, str]], dict[tuple[str, str], str]]:
    """``kept_meetings`` with the meetings held in the given order."""
    rows = {(rules.fixed_pair(event, f), f.start): f for f in event.fixed}
    homes = _published_homes(event, previous)
    # Rows that name no table keep the published one, at the home it had (the
    # solve books them so: solve._seated): the timetable must count that home.
    seats = {(m.a, m.b, m.slot): homes.get((m.pair, m.slot)) for m in previous.meetings
             if m.slot >= 0 and (row := rows.get((m.pair, event.slots[m.slot].start))) is not None
             and _seat_open(event, row, m)}
    table = Timetable(inst)
    busy, rows_at = _hold_fixed_rows(event, inst, table, seats, {(m.a, m.b, m.slot) for m in previous.meetings})
    fixed_pair = {pair: f.origin for (pair, _), f in rows.items()}
    keep: list[FixedPlacement] = []
    moved: list[tuple[str, str]] = []
    why: dict[tuple[str, str], str] = {}
    for m in ordered:
        if m.a not in event.party or m.b not in event.party or rules.pair_allowed(event, m.a, m.b):
            continue  # a cancellation or a new Never: dropped, the diff says why
        if m.slot < 0 and m.gone is not None:  # its time is no longer in the event: the nearest, if any
            nearest = _nearest(event.slots, m.gone.start)
            # Kept or not, it moves; the organizer pinned it: say that the rule came first.
            why[m.pair] = f"locked, but {m.gone.reason}" if m.locked else m.gone.reason
            if nearest is None:
                moved.append(m.pair)
                continue
            m = replace(m, slot=nearest)
        row = rows.get((m.pair, event.slots[m.slot].start))
        if row is not None:  # a Fixed meetings row holds it already; where the row leaves the table open,
            if (m.a, m.b, m.slot) in seats:  # the published one is kept while no rule needs it
                keep.append(FixedPlacement(m.a, m.b, m.slot, m.room, m.table, kept=True,
                                           home=seats[m.a, m.b, m.slot]))
            continue
        if m.pair in fixed_pair:
            why[m.pair] = f"the fixed meeting {fixed_pair[m.pair]} now sets its time"
            continue
        home = homes.get((m.pair, m.slot))
        reason = _cannot_hold(event, table, m, busy, rows_at, home)
        if reason:
            moved.append(m.pair)
            reason = f"{m.gone.reason}, and {reason}" if m.gone is not None else reason
            # The organizer pinned it: say that the rule came first.
            why[m.pair] = f"locked, but {reason}" if m.locked else reason
            continue
        table.hold(m.a, m.b, m.slot, -1, home or True)
        busy[m.a, m.slot] = busy[m.b, m.slot] = "a locked meeting" if m.locked else "a kept meeting"
        at_table = not _table_gone(event, m)
        keep.append(FixedPlacement(m.a, m.b, m.slot, m.room if at_table else None, m.table if at_table else None,
                                   fixed=False, kept=True, home=home))  # no row fixes it now
    return keep, moved, why


Busy = dict[tuple[str, int], str]  # (party, slot) -> the meeting it has then, in words


def _nearest(times: Sequence[Slot | Period], start: datetime | None, end: datetime | None = None) -> int | None:
    """The slot (or period) of the same day whose start is nearest a published
    start that the event no longer has, if less than a length away (the
    published one's when ``end`` gives it, else the candidate's): a block
    shifted by a few minutes moves its meetings with it, in their order. Of
    periods starting together, the one whose end is nearest ``end``."""
    if start is None:
        return None

    def length(s: Slot | Period) -> timedelta:
        return end - start if end is not None and end > start else s.end - s.start

    near = [s for s in times if s.start.date() == start.date() and abs(s.start - start) < length(s)]
    if not near:
        return None
    return min(near, key=lambda s: (abs(s.start - start), abs(s.end - end) if end else timedelta(0), s.start)).index


def _hold_fixed_rows(
    event: Event, inst: Instance, table: Timetable, seats: dict[tuple[str, str, int], str | None],
    published: set[tuple[str, str, int]],
) -> tuple[Busy, dict[int, str]]:
    """Book the Fixed meetings rows in ``table`` as the solve does (``seats``:
    those kept at their published table, with the host whose home it was); the
    parties they take, and the first row of each slot that is new there since
    publishing (one already there took no table from the others), in words.
    A row that breaks a rule itself is left to the solve, which refuses it
    with its own message."""
    try:
        fixed, origins = resolve_fixed(event)
    except SolveError:
        return {}, {}
    hold_fixed(inst, table, [replace(f, home=seats.get((f.a, f.b, f.slot))) if f.table is None else f
                             for f in fixed])
    busy: Busy = {}
    rows_at: dict[int, str] = {}
    for f, origin in zip(fixed, origins, strict=True):
        busy.setdefault((f.a, f.slot), f"the fixed meeting {origin}")
        busy.setdefault((f.b, f.slot), f"the fixed meeting {origin}")
        if (f.a, f.b, f.slot) not in published:
            rows_at.setdefault(f.slot, origin)
    return busy, rows_at


def _table_reasons(event: Event, previous: Schedule, new: Schedule, why: dict[tuple[str, str], str]) -> None:
    """For each published meeting kept at its time but not at its table, why."""
    placed = {m.pair: m for m in new.meetings}
    homes = {(room, number, day): host for host, day, room, number in new.home_tables}
    home_of = {(host, day): (room, number) for host, day, room, number in new.home_tables}
    rows: dict[tuple[int, str, int], str] = {}
    rows_on: dict[tuple[str, int, str], tuple[set[str], str]] = {}  # (room, table, day) -> (parties, row)
    for f, origin in zip(*resolve_fixed(event), strict=True):  # the solve has accepted them
        if f.room and f.table:
            rows[f.slot, f.room, f.table] = origin
            rows_on.setdefault((f.room, f.table, event.slots[f.slot].day.isoformat()), ({f.a, f.b}, origin))
    for m in previous.meetings:
        n = placed.get(m.pair)
        if n is None or m.pair in why or n.slot != m.slot or (n.room, n.table) == (m.room, m.table):
            continue
        day = event.slots[m.slot].day.isoformat()
        owner = homes.get((m.room, m.table, day))
        host = next((p for p in m.pair if (p, day) in home_of), None)
        if m.gone is not None or _table_gone(event, m):
            why[m.pair] = m.gone.reason if m.gone is not None else _table_gone(event, m)
        elif (m.slot, m.room, m.table) in rows:
            why[m.pair] = f"its table is taken by the fixed meeting {rows[m.slot, m.room, m.table]}"
        elif owner is not None and owner not in m.pair:
            why[m.pair] = f"{m.room} {m.table_name} is now the home table of host {_name(event, owner)} on {day}"
        elif host is not None:
            why[m.pair] = _host_moved(event, host, day, m, home_of[host, day], rows_on)
        else:
            why[m.pair] = "its table went to another meeting at that time"
        if m.locked:
            why[m.pair] = f"locked, but {why[m.pair]}"


def _host_moved(
    event: Event, host: str, day: str, m: Meeting, home: tuple[str, int], rows_on: dict[tuple[str, int, str], tuple[set[str], str]]
) -> str:
    """Why a host's kept meeting changed table: the host keeps one table all
    day, and a fixed meeting put the host at another or took the old one."""
    now = f"{home[0]} T{home[1]}"
    mine = rows_on.get((*home, day))
    if mine and host in mine[0]:
        return f"host {_name(event, host)} keeps one table all day, and the fixed meeting {mine[1]} puts them at {now} on {day}"
    theirs = rows_on.get((m.room, m.table, day))
    if theirs and host not in theirs[0]:
        return (f"host {_name(event, host)} keeps one table all day, and the fixed meeting {theirs[1]} takes "
                f"{m.room} {m.table_name} on {day}: their table is now {now}")
    return f"host {_name(event, host)} keeps one table all day: now {now} on {day}"


def _seat_open(event: Event, row: FixedMeeting, m: Meeting) -> bool:
    """Whether a Fixed meetings row leaves open the table ``m`` was published
    at: it names no room (a kept table may move to another room) and the
    event still has that table."""
    return row.room is None and row.table is None and m.gone is None and not _table_gone(event, m)


def _table_gone(event: Event, m: Meeting) -> str:
    day = event.slots[m.slot].day
    if any(r.name == m.room and 1 <= m.table <= r.tables for r in event.meeting_rooms(day)):
        return ""
    return f"table {m.table_name} of {m.room} is no longer available on {day:%Y-%m-%d} (Rooms sheet)"


def _published_homes(event: Event, previous: Schedule) -> dict[tuple[tuple[str, str], int], str]:
    """(pair, slot) -> the host whose home table a published meeting of two
    hosts sat at: the one host in every meeting at that table that day. Held
    so in the re-solve, a host who only visited others that day needs no
    table of its own (counting one made a re-solve of an unchanged event
    drop published meetings for want of tables)."""
    at: dict[tuple[str, int, date], list[Meeting]] = defaultdict(list)
    for m in previous.meetings:
        if 0 <= m.slot < len(event.slots) and m.a in event.party and m.b in event.party:
            at[m.room, m.table, event.slots[m.slot].day].append(m)
    holder: dict[tuple[str, int, date], str] = {}
    ambiguous: dict[tuple[str, int, date], set[str]] = {}
    for key, meetings in at.items():
        common = set.intersection(*({p for p in m.pair if event.party[p].host} for m in meetings))
        if len(common) == 1:
            holder[key] = common.pop()
        elif len(common) == 2:  # only meetings of these two hosts there: the one holding no other table
            ambiguous[key] = common
    elsewhere = {(host, key[2]) for key, host in holder.items()}
    for key, hosts in sorted(ambiguous.items()):
        free = sorted(h for h in hosts if (h, key[2]) not in elsewhere)
        if len(free) == 1:
            holder[key] = free[0]
    return {(m.pair, m.slot): holder[key] for key, meetings in at.items() if key in holder
            for m in meetings if all(event.party[p].host for p in m.pair)}


def _cannot_hold(
    event: Event, table: Timetable, m: Meeting, busy: Busy, rows_at: dict[int, str], home: str | None = None
) -> str:
    """Which rule keeps the meeting from its old slot (at ``home``'s table, when
    given), in words; "" when none does."""
    if table.can_hold(m.a, m.b, m.slot, home or True):
        return ""
    inst, s = table.inst, m.slot
    at = f"{event.slots[s].start:%Y-%m-%d %H:%M}"
    for p in m.pair:
        name = _name(event, p)
        if s in table.busy[p]:
            return f"{name} has {busy.get((p, s), 'a fixed or locked meeting')} at {at}"
        if s not in inst.free[p]:
            return (f"{name} is no longer free at {at} (Unavailable sheet, arrival or departure, "
                    "or a session now at that time)")
        if table.total[p] >= inst.cap_total[p]:
            return f"{name} reached their Max meetings"
        if table.per_day[p, inst.day_of[s]] >= inst.cap_day[p]:
            return f"{name} reached their Max meetings per day"
        if not table._pause_ok(p, s):
            return f"{name} would pass Max consecutive meetings"
    day = inst.day_of[s]
    host = home or table.choose_home(m.a, m.b, s)
    if host is not None and not table.at_home[host, day] and table.used[s] + table.holders[day] < inst.capacity[s]:
        return (f"host {_name(event, host)} keeps one table all day, and no table is free all day on "
                f"{day:%Y-%m-%d}")
    row = rows_at.get(s)
    if row is None and table.used[s] < inst.capacity[s]:  # the tables left are hosts' all day
        held = sorted(table.holding[day])
        if len(held) == 1:
            said = (busy.get((held[0], t), "") for t in inst.slots_of_day[day])
            why = next((text for text in said if text.startswith("the fixed meeting")), "")
            return f"no table is left at {at}: host {_name(event, held[0])} holds one all day" + \
                (f" for {why}" if why else "")
        if held:
            names = ", ".join(_name(event, h) for h in held[:3]) + (" and more" if len(held) > 3 else "")
            return f"no table is left at {at}: hosts {names} hold tables all day"
    return f"no table is left at {at}" + (f" (the fixed meeting {row} takes one)" if row else "")


def _name(event: Event, party: str) -> str:
    p = event.party.get(party)
    return p.label if p else party

"""The hard rules of the contract, each in one place.

Both the engine (to build its model) and ``verify`` (to check any schedule,
including one edited by hand) use these functions, so a rule cannot drift
between the two.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .model import Event, FixedMeeting, Interval, Party, Period, Request, Room, Session, key_of
from .schedule import SessionPlacement


def expected_audience(event: Event, session_key: str) -> int:
    """The Expected audience column, or else the number of attendees who list the session."""
    session = event.session[session_key]
    if session.expected_audience is not None:
        return session.expected_audience
    return len(event.audience.get(session_key, ()))


def session_busy(event: Event, placements: Sequence[SessionPlacement]) -> dict[str, list[Interval]]:
    """Attendee key -> times taken by sessions they attend or speak at."""
    busy: dict[str, list[Interval]] = defaultdict(list)
    period_of = {p.session: event.periods[p.period].interval for p in placements}
    for a in event.attendees:
        for s in a.sessions:
            if s in period_of:
                busy[a.key].append(period_of[s])
    for session in event.sessions:
        if session.key in period_of:
            for spk in session.speakers:
                if period_of[session.key] not in busy[spk]:
                    busy[spk].append(period_of[session.key])
    return dict(busy)


def attendee_free_slots(event: Event, attendee_key: str, busy: Mapping[str, list[Interval]]) -> set[int]:
    """Slots in which the attendee is present, available and not in a session."""
    away = [u.interval for u in event.unavailable if u.attendee == attendee_key]
    return _free_slots(event, attendee_key, _open_slots(event), away + busy.get(attendee_key, []))


def _open_slots(event: Event) -> list[tuple[int, Interval]]:
    """The slots outside plenaries and breaks, with their times."""
    blocked = [b.interval for b in event.blocks if b.activity in ("Plenary", "Break")]
    slots = [(slot.index, slot.interval) for slot in event.slots]
    return [(i, iv) for i, iv in slots if not any(iv.overlaps(b) for b in blocked)]


def _free_slots(event: Event, attendee_key: str, open_slots: list[tuple[int, Interval]],
                blocked: list[Interval]) -> set[int]:
    presence = event.presence(attendee_key)
    return {
        i
        for i, iv in open_slots
        if presence.start <= iv.start and iv.end <= presence.end and not any(iv.overlaps(b) for b in blocked)
    }


def party_free_slots(event: Event, busy: Mapping[str, list[Interval]]) -> dict[str, set[int]]:
    """Party key -> slots where every member is free (teams meet together)."""
    # The plenaries and everyone's unavailability are gathered once: per
    # attendee they cost seconds at 10,000 attendees.
    open_slots = _open_slots(event)
    away: dict[str, list[Interval]] = defaultdict(list)
    for u in event.unavailable:
        away[u.attendee].append(u.interval)
    per_attendee = {
        a.key: _free_slots(event, a.key, open_slots, away.get(a.key, []) + busy.get(a.key, []))
        for a in event.attendees
    }
    result = {}
    for party in event.parties:
        sets = [per_attendee[m] for m in party.members]
        result[party.key] = set.intersection(*sets) if sets else set()
    return result


def never_reason(event: Event, request: Request) -> str | None:
    """Why this pair may never meet, whatever the timetable; None if it may."""
    if request.excluded:
        return request.excluded
    if request.priority == 0:
        return "declined (Never)"
    pa, pb = event.party[request.a], event.party[request.b]
    if pa.key == pb.key:
        return "request to oneself"
    if pa.org_key == pb.org_key:
        return "same organization"
    if not (pa.languages & pb.languages):
        return "no shared language"
    return None


def pair_allowed(event: Event, a: str, b: str) -> str | None:
    """Why parties a and b may not meet at all (for meetings with or without a request)."""
    req = event.request.get((min(a, b), max(a, b)))
    if req is not None:
        return never_reason(event, req)
    pa, pb = event.party[a], event.party[b]
    if a == b:
        return "a party cannot meet itself"
    if pa.org_key == pb.org_key:
        return "same organization"
    if not (pa.languages & pb.languages):
        return "no shared language"
    return None


def party_total_cap(event: Event, party: Party) -> int | None:
    """A team meeting counts toward every member's cap: the smallest applies."""
    caps = [event.attendee[m].max_meetings for m in party.members]
    known = [c for c in caps if c is not None]
    return min(known) if known else None


def party_day_cap(event: Event, party: Party) -> int | None:
    caps = [event.cap_per_day(m) for m in party.members]
    known = [c for c in caps if c is not None]
    return min(known) if known else None


@dataclass(frozen=True)
class CapBreach:
    """An attendee with more meetings than a Max meetings allows."""

    attendee: str  # attendee key
    day: date | None  # None: Max meetings over the event; else Max meetings per day, that day
    count: int
    cap: int
    slots: tuple[int, ...]  # the slots of those meetings


def cap_breaches(event: Event, meetings: Iterable[tuple[str, str, int]]) -> list[CapBreach]:
    """Rule: nobody above Max meetings, in all or per day; a team meeting
    counts for every member. ``meetings``: (party, party, slot)."""
    slots: dict[str, list[int]] = defaultdict(list)
    for one, other, s in meetings:
        for p in (one, other):
            for member in event.party[p].members:
                slots[member].append(s)
    found = []
    for a in event.attendees:
        held = sorted(slots.get(a.key, ()))
        if a.max_meetings is not None and len(held) > a.max_meetings:
            found.append(CapBreach(a.key, None, len(held), a.max_meetings, tuple(held)))
        cap = event.cap_per_day(a.key)
        if cap is None:
            continue
        by_day: dict[date, list[int]] = defaultdict(list)
        for s in held:
            by_day[event.slots[s].day].append(s)
        found += [CapBreach(a.key, day, len(on), cap, tuple(on)) for day, on in sorted(by_day.items())
                  if len(on) > cap]
    return found


def spare_tables(event: Event, tables_in_slot: int) -> int:
    """Tables kept free for walk-ins in a slot that has ``tables_in_slot`` tables."""
    s = event.settings
    by_share = int(tables_in_slot * s.spare_tables_percent / 100.0 + 0.5)
    return min(tables_in_slot, max(s.spare_tables, by_share))


def tables_on(event: Event, day: date) -> list[tuple[str, int]]:
    """(room name, table number) of every meeting table usable that day."""
    return [(r.name, k) for r in event.meeting_rooms(day) for k in range(1, r.tables + 1)]


def usable_tables(event: Event, day: date) -> int:
    """Tables in use at most per slot that day, after the spare ones."""
    n = len(tables_on(event, day))
    return n - spare_tables(event, n)


def back_to_back(event: Event, s: int, t: int) -> bool:
    """Slots s and t follow each other directly, in either order, in one
    Meetings block (a break between blocks ends a run)."""
    lo, hi = min(s, t), max(s, t)
    return hi == lo + 1 and lo >= 0 and hi < len(event.slots) and event.slots[lo].run == event.slots[hi].run


def back_to_back_runs(event: Event, slots: Iterable[int]) -> list[list[int]]:
    """Group slot indices into maximal runs of back-to-back slots."""
    runs: list[list[int]] = []
    for s in sorted(slots):
        if runs and back_to_back(event, runs[-1][-1], s):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def run_through(event: Event, busy: Container[int], s: int) -> int:
    """Length of the back-to-back run that slot s joins when the slots in
    ``busy`` are taken too (the pause rule's count, without sorting)."""
    length, t = 1, s - 1
    while t in busy and back_to_back(event, t, t + 1):
        length, t = length + 1, t - 1
    t = s + 1
    while t in busy and back_to_back(event, t - 1, t):
        length, t = length + 1, t + 1
    return length


def consecutive_capacity(length: int, limit: int | None) -> int:
    """Most meetings in ``length`` back-to-back slots with a pause after ``limit``."""
    if limit is None or limit <= 0:
        return length
    return length - length // (limit + 1)


def idle_slots(slots: Sequence[int]) -> int:
    """Slots without a meeting between the first and the last of ``slots``
    (the distinct slots of one party's meetings on one day)."""
    return max(slots) - min(slots) + 1 - len(slots) if slots else 0


# --------------------------------------------------------------------------- sessions


def seats(room: Room) -> int:
    """The room's Capacity; 0 when it has none. The contract requires a
    Capacity of every session room (the reader refuses a Sessions room
    without one), so a room built without it in code seats nobody rather
    than everybody."""
    return room.capacity or 0


def room_fits(room: Room, audience: int) -> bool:
    """The room seats the expected audience (see :func:`seats`)."""
    return audience <= seats(room)


def session_room_open(room: Room, day: date) -> bool:
    """A session may use a room with Use = Sessions that is open that day."""
    return room.use == "Sessions" and room.open_on(day)


def speaker_free(event: Event, speaker: str, interval: Interval) -> bool:
    """The speaker is at the event for the whole talk and not marked unavailable during it."""
    presence = event.presence(speaker)
    if not (presence.start <= interval.start and interval.end <= presence.end):
        return False
    return not any(u.attendee == speaker and u.interval.overlaps(interval) for u in event.unavailable)


FixedTimes = dict[str, list[tuple[Interval, FixedMeeting]]]  # party key -> its fixed meetings and their times


def fixed_pair(event: Event, f: FixedMeeting) -> tuple[str, str]:
    """The two parties a Fixed meetings row sets a meeting of (a team's member
    stands for the team), in key order, as meetings and requests name them."""
    a, b = event.party_of.get(f.a, f.a), event.party_of.get(f.b, f.b)
    return (a, b) if a <= b else (b, a)


def fixed_meeting_times(event: Event) -> FixedTimes:
    """Party key -> its fixed meetings with their slot times. A team meets as
    a whole, so the meeting takes every member. A row whose start is no slot
    start is left out here: solve and validate report it."""
    slot_at = {s.start: s.interval for s in event.slots}
    found: FixedTimes = defaultdict(list)
    for f in event.fixed:
        if f.start in slot_at:
            for key in dict.fromkeys(event.party_of.get(key_of(k)) for k in (f.a, f.b)):
                if key is not None:
                    found[key].append((slot_at[f.start], f))
    return found


@dataclass(frozen=True)
class SessionClash:
    """A fixed meeting a session must keep clear of, and who links the two:
    ``person`` lists the session (or speaks at it, ``speaker``) and is in the
    meeting or in the team of someone who is."""

    interval: Interval
    meeting: FixedMeeting
    person: str  # attendee key
    speaker: bool


def fixed_meetings_of(
    event: Event, session: Session, times: FixedTimes
) -> list[SessionClash]:
    """The fixed meetings of everyone who attends or speaks at the session
    (``times`` from :func:`fixed_meeting_times`), each once. Rule: a session
    is not placed over any of them, as whoever is in it is not free for
    meetings then, and a fixed meeting is kept as given."""
    people = [(k, False) for k in event.audience.get(session.key, ())] + [(k, True) for k in session.speakers]
    found: dict[FixedMeeting, SessionClash] = {}
    for person, speaker in people:
        for interval, f in times.get(event.party_of.get(person, ""), ()):
            found.setdefault(f, SessionClash(interval, f, person, speaker))
    return list(found.values())


def clash_text(event: Event, clash: SessionClash) -> str:
    """"the fixed meeting Bob & Cy at 2017-06-05 09:25 (f.xlsx › Fixed meetings
    › row 2), as Ann lists the session and is in Bob's team"."""
    f = clash.meeting

    def name(key: str) -> str:
        a = event.attendee.get(key_of(key))
        return a.name or a.id if a is not None else key

    where = f" ({f.origin})" if f.origin else ""
    text = f"the fixed meeting {name(f.a)} & {name(f.b)} at {f.start:%Y-%m-%d %H:%M}{where}, as "
    text += f"{name(clash.person)} {'speaks at' if clash.speaker else 'lists'} the session"
    if clash.person not in (key_of(f.a), key_of(f.b)):
        member = f.a if event.party_of.get(key_of(f.a)) == event.party_of.get(clash.person) else f.b
        text += f" and is in {name(member)}'s team"
    return text


def room_pin_kept(event: Event, session: Session, room: Room) -> bool:
    """The session is not pinned to a room, or this is that room (a pin to a
    room the event does not have is kept by no room)."""
    if not session.pin_room:
        return True
    pinned = event.room.get(session.pin_room)
    return pinned is not None and pinned.name == room.name


def broken_time_pins(session: Session, period: Period) -> list[tuple[str, str]]:
    """(column, pin) of every time pin (start, day) of the session that this period breaks."""
    broken = []
    if (session.pin_start and session.pin_start != period.start) or (session.pin_end and session.pin_end != period.end):
        broken.append(("Start", "start"))
    if session.pin_day and session.pin_day != period.day:
        broken.append(("Date", "day"))
    return broken


def broken_pins(event: Event, session: Session, room: Room, period: Period) -> list[tuple[str, str]]:
    """(column, pin) of every pin of the session that this room and period break."""
    broken = [] if room_pin_kept(event, session, room) else [("Room", "room")]
    return broken + broken_time_pins(session, period)


@dataclass(frozen=True)
class Breach:
    """One broken rule: the rule's name, what is wrong in plain words, and
    where: the position of the placement in the sequence checked (None when it
    is about the schedule as a whole) and the column at fault. A text that
    names a second placement says ``{other}`` where the caller puts that
    placement's row; ``other`` is its position."""

    rule: str
    text: str
    index: int | None = None
    column: str = ""
    other: int | None = None


@dataclass(frozen=True)
class _Placed:
    index: int
    session: Session
    period: Period
    room: Room


def session_breaches(event: Event, placements: Sequence[SessionPlacement]) -> list[Breach]:
    """Every session rule broken by ``placements``, rule by rule."""
    found = sessions_placed_once(event, placements)
    found += session_rooms_open(event, placements)
    placed = _well_placed(event, placements)
    checks = (room_capacity, one_session_per_room, speakers_available, pins_kept, fixed_meetings_kept, clear_of_plenaries)
    for check in checks:
        found += check(event, placed)
    return found


def period_clear(event: Event, period: Period) -> bool:
    """Rule: nothing is placed during a Plenary or a Break (the Schedule sheet's
    Activity), sessions included."""
    return not any(b.activity in ("Plenary", "Break") and period.interval.overlaps(b.interval) for b in event.blocks)


def clear_of_plenaries(event: Event, placed: Sequence[_Placed]) -> list[Breach]:
    """Rule: no session runs over a Plenary or a Break (:func:`period_clear`)."""
    return [
        Breach("clear of plenaries and breaks", f"{p.session.id} runs over a Plenary or a Break", p.index, "Start")
        for p in placed
        if not period_clear(event, p.period)
    ]


def sessions_placed_once(event: Event, placements: Sequence[SessionPlacement]) -> list[Breach]:
    """Rule: every session is placed exactly once."""
    placed = Counter(p.session for p in placements)
    return [
        Breach("placed once", f"session {s.id} is placed {placed[s.key]} times, not once")
        for s in event.sessions
        if placed[s.key] != 1
    ]


def _room_named(event: Event, name: str) -> Room | None:
    return next((r for r in event.rooms if r.name == name or r.key == name.casefold()), None)


def session_rooms_open(event: Event, placements: Sequence[SessionPlacement]) -> list[Breach]:
    """Rule: a known session in a known period, in a session room open that day."""
    found = []
    for i, p in enumerate(placements):
        if p.session not in event.session or not 0 <= p.period < len(event.periods):
            found.append(Breach("known session and period", "unknown session or period", i))
            continue
        day = event.periods[p.period].day
        room = _room_named(event, p.room)
        if room is None or not session_room_open(room, day):
            text = f"room {p.room} is not a session room open on {day}"
            found.append(Breach("session room open", text, i, "Room"))
    return found


def _well_placed(event: Event, placements: Sequence[SessionPlacement]) -> list[_Placed]:
    """The placements that pass :func:`session_rooms_open`; the other rules look only at these."""
    placed = []
    for i, p in enumerate(placements):
        session = event.session.get(p.session)
        if session is None or not 0 <= p.period < len(event.periods):
            continue
        period = event.periods[p.period]
        room = _room_named(event, p.room)
        if room is not None and session_room_open(room, period.day):
            placed.append(_Placed(i, session, period, room))
    return placed


def room_capacity(event: Event, placed: Sequence[_Placed]) -> list[Breach]:
    """Rule: the room seats the session's expected audience."""
    found = []
    for p in placed:
        audience = expected_audience(event, p.session.key)
        if not room_fits(p.room, audience):
            text = f"{p.session.id}: audience {audience} above {p.room.name}'s capacity {p.room.capacity}"
            if p.room.capacity is None:
                text = f"{p.session.id}: {p.room.name} has no Capacity, so no seats for audience {audience}"
            found.append(Breach("room capacity", text, p.index, "Room"))
    return found


def one_session_per_room(event: Event, placed: Sequence[_Placed]) -> list[Breach]:
    """Rule: a room holds one session at a time."""
    found = []
    for k, p in enumerate(placed):
        for q in placed[:k]:
            if q.room.name == p.room.name and q.period.interval.overlaps(p.period.interval):
                text = f"{p.room.name} also holds the session of row {{other}} then"
                found.append(Breach("one session per room", text, p.index, "Room", q.index))
    return found


def speakers_available(event: Event, placed: Sequence[_Placed]) -> list[Breach]:
    """Rule: a speaker gives one talk at a time, and is at the event and free for it."""
    found = []
    talks: dict[str, list[_Placed]] = defaultdict(list)
    for p in placed:
        for spk in p.session.speakers:
            for q in talks[spk]:
                if q.period.interval.overlaps(p.period.interval):
                    who = event.attendee[spk].name if spk in event.attendee else spk
                    text = f"speaker {who} also speaks in row {{other}} then"
                    found.append(Breach("one talk at a time", text, p.index, "", q.index))
            talks[spk].append(p)
            if spk in event.attendee and not speaker_free(event, spk, p.period.interval):
                name = event.attendee[spk].name
                text = f"speaker {name} is not available for {p.session.id}"
                found.append(Breach("speaker available", text, p.index))
    return found


def pins_kept(event: Event, placed: Sequence[_Placed]) -> list[Breach]:
    """Rule: a session pinned to a room, a start or a day is there."""
    return [
        Breach("pin kept", f"{p.session.id} is pinned to another {pin}", p.index, column)
        for p in placed
        for column, pin in broken_pins(event, p.session, p.room, p.period)
    ]


def fixed_meetings_kept(event: Event, placed: Sequence[_Placed]) -> list[Breach]:
    """Rule: a session is not placed over a fixed meeting of anyone who attends or speaks at it."""
    times = fixed_meeting_times(event)
    found = []
    for p in placed:
        for clash in fixed_meetings_of(event, p.session, times):
            if clash.interval.overlaps(p.period.interval):
                text = f"{p.session.id} runs over {clash_text(event, clash)}"
                found.append(Breach("fixed meetings kept", text, p.index, "Start"))
    return found

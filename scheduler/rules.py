"""The hard rules of the contract, each in one place.

Both the engine (to build its model) and ``verify`` (to check any schedule,
including one edited by hand) use these functions, so a rule cannot drift
between the two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from .model import Event, Interval, Party, Request
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
    presence = event.presence(attendee_key)
    blocked = [u.interval for u in event.unavailable if u.attendee == attendee_key]
    blocked += busy.get(attendee_key, [])
    blocked += [b.interval for b in event.blocks if b.activity in ("Plenary", "Break")]
    free = set()
    for slot in event.slots:
        iv = slot.interval
        if presence.start <= iv.start and iv.end <= presence.end and not any(iv.overlaps(b) for b in blocked):
            free.add(slot.index)
    return free


def party_free_slots(event: Event, busy: Mapping[str, list[Interval]]) -> dict[str, set[int]]:
    """Party key -> slots where every member is free (teams meet together)."""
    per_attendee = {a.key: attendee_free_slots(event, a.key, busy) for a in event.attendees}
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


def back_to_back_runs(event: Event, slots: Iterable[int]) -> list[list[int]]:
    """Group slot indices into maximal runs of back-to-back slots (same block,
    consecutive positions)."""
    runs: list[list[int]] = []
    for s in sorted(slots):
        prev = runs[-1][-1] if runs else None
        if prev is not None and s == prev + 1 and event.slots[prev].run == event.slots[s].run:
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def consecutive_capacity(length: int, limit: int | None) -> int:
    """Most meetings in ``length`` back-to-back slots with a pause after ``limit``."""
    if limit is None or limit <= 0:
        return length
    return length - length // (limit + 1)

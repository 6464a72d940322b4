"""The naive scheduler our benchmark compares against.

What request/accept platforms do: take requests first come, first served
(in the order the event lists them), and book each into the earliest slot
where both parties and a table are free. No look-ahead, no priorities, no
repair.

It is written from the contract and ``rules`` alone, not from the engine's
Instance or Timetable, so that it cannot share the engine's assumptions: it
books real tables, and a host takes a home table only when it first meets on
a day, choosing a table nobody uses that day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from .. import rules
from ..model import Event, FixedMeeting, Request
from ..schedule import Figures, Meeting, Schedule, SessionPlacement, SolveStatus, Unscheduled

TableRef = tuple[str, int]
NOT_BOOKED = "not booked by first come, first served"


class _Book:
    """Who is busy when, which tables are used, and the hosts' home tables."""

    def __init__(self, event: Event, placements: tuple[SessionPlacement, ...]):
        self.event = event
        self.free = rules.party_free_slots(event, rules.session_busy(event, placements))
        self.busy: dict[str, set[int]] = defaultdict(set)
        self.per_day: dict[tuple[str, date], int] = defaultdict(int)
        self.total: dict[str, int] = defaultdict(int)
        self.in_slot: dict[int, set[TableRef]] = defaultdict(set)  # tables of meetings without a host
        self.home: dict[tuple[str, date], TableRef] = {}
        self.caps = {p.key: (rules.party_total_cap(event, p), rules.party_day_cap(event, p)) for p in event.parties}

    def party_ok(self, p: str, s: int) -> bool:
        day = self.event.slots[s].day
        total, per_day = self.caps[p]
        if s not in self.free[p] or s in self.busy[p]:
            return False
        if (total is not None and self.total[p] >= total) or (per_day is not None and self.per_day[p, day] >= per_day):
            return False
        limit = self.event.settings.max_consecutive_meetings
        if limit:
            runs = rules.back_to_back_runs(self.event, self.busy[p] | {s})
            if any(len(run) > limit for run in runs):
                return False
        return True

    def table_for(self, a: str, b: str, s: int) -> tuple[TableRef, str | None] | None:
        """A table for a meeting of a and b in slot s, and the host it is home to."""
        day = self.event.slots[s].day
        hosts = [p for p in (b, a) if self.event.party[p].host]
        for h in hosts:
            if (h, day) in self.home:
                return self.home[h, day], h
        homes = {ref for (_, d), ref in self.home.items() if d == day}
        tables = rules.tables_on(self.event, day)
        usable = rules.usable_tables(self.event, day)
        slots = [t.index for t in self.event.slots if t.day == day] if hosts else [s]
        if any(len(self.in_slot[t]) + len(homes) + 1 > usable for t in slots):
            return None
        for ref in tables:
            if ref not in homes and all(ref not in self.in_slot[t] for t in slots):
                return ref, (hosts[0] if hosts else None)
        return None

    def book(self, a: str, b: str, s: int, ref: TableRef, host: str | None) -> None:
        day = self.event.slots[s].day
        for p in (a, b):
            self.busy[p].add(s)
            self.per_day[p, day] += 1
            self.total[p] += 1
        if host is None:
            self.in_slot[s].add(ref)
        else:
            self.home.setdefault((host, day), ref)


def first_come_first_served(event: Event, placements: tuple[SessionPlacement, ...]) -> Schedule:
    book = _Book(event, placements)
    meetings: list[Meeting] = []
    unscheduled: list[Unscheduled] = []
    score = 0.0
    met = set()
    for f in event.fixed:  # agreed before anything else
        meeting = _fixed(book, f)
        meetings.append(meeting)
        met.add(meeting.pair)
        score += event.points(event.request[meeting.pair]) if meeting.pair in event.request else 0.0
    for req in event.requests:
        if req.pair in met:
            continue
        booked = _first_slot(book, req) if not rules.never_reason(event, req) else None
        if booked is None:
            unscheduled.append(Unscheduled(req.a, req.b, rules.never_reason(event, req) or NOT_BOOKED))
            continue
        meetings.append(booked)
        score += event.points(req)
    meetings.sort(key=lambda m: (m.slot, m.room, m.table))
    home_tables = tuple((h, d.isoformat(), room, t) for (h, d), (room, t) in sorted(book.home.items()))
    return Schedule(tuple(meetings), placements, tuple(unscheduled), Figures(score=score, status=SolveStatus.FCFS), home_tables)


def _fixed(book: _Book, f: FixedMeeting) -> Meeting:
    event = book.event
    a, b = sorted((event.party_of[f.a], event.party_of[f.b]))
    s = next(t.index for t in event.slots if t.start == f.start)
    hosts = [p for p in (b, a) if event.party[p].host]
    found = book.table_for(a, b, s)
    ref = (event.room[f.room].name, f.table) if f.room and f.table else found[0] if found else ("?", 0)
    book.book(a, b, s, ref, hosts[0] if hosts else None)
    return Meeting(a, b, s, ref[0], ref[1], fixed=True)


def _first_slot(book: _Book, req: Request) -> Meeting | None:
    for s in range(len(book.event.slots)):
        if not (book.party_ok(req.a, s) and book.party_ok(req.b, s)):
            continue
        found = book.table_for(req.a, req.b, s)
        if found is not None:
            ref, host = found
            book.book(req.a, req.b, s, ref, host)
            return Meeting(req.a, req.b, s, ref[0], ref[1])
    return None

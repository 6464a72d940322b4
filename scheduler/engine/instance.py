"""The event flattened into the arrays the engine phases share.

Built once per solve from the immutable Event and the session placement:
which slots each party is free in, its caps, the table pool of each slot, the
requests that can ever be met and their weights, and the fixed meetings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from .. import rules
from ..model import Event, Request
from ..schedule import SessionPlacement

# The engine works in integers: one standard-score point is SCALE units, so
# fairness and comfort terms stay small beside any request.
SCALE = 100


@dataclass(frozen=True)
class FixedPlacement:
    a: str
    b: str
    slot: int
    room: str | None
    table: int | None
    fixed: bool = True  # False: a kept meeting of a previous schedule, not a Fixed meetings row
    kept: bool = False  # a meeting of the published schedule (a re-solve): its time holds, its table may change
    home: str | None = None  # kept, of two hosts: the host whose home table it sat at when published


@dataclass
class Instance:
    event: Event
    placements: tuple[SessionPlacement, ...]
    free: dict[str, set[int]]  # party -> free slots
    day_of: list[date]  # slot -> day
    cap_total: dict[str, int]
    cap_day: dict[str, int]  # per day (a large number when none)
    capacity: list[int]  # slot -> meeting tables usable in it (after spare tables)
    hosts: set[str]  # host party keys
    requests: list[Request]  # the ones that can be met, in a fixed order
    weight: list[int]  # standard score x SCALE
    ends: list[tuple[str, str]]
    by_party: dict[str, list[int]] = field(default_factory=dict)  # party -> request indices
    fixed: list[FixedPlacement] = field(default_factory=list)
    never: dict[tuple[str, str], str] = field(default_factory=dict)  # pair -> reason never met
    max_consecutive: int | None = None
    commons: list[tuple[int, ...]] = field(default_factory=list)  # request -> common free slots
    slots_of_day: dict[date, list[int]] = field(default_factory=dict)
    # day -> most hosts that can hold a home table: the usable tables less those
    # a Fixed meetings row without a host pins (no host can hold one all day)
    home_capacity: dict[date, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.commons = [tuple(sorted(self.free[a] & self.free[b])) for a, b in self.ends]
        self.slots_of_day = {}
        for s, day in enumerate(self.day_of):
            self.slots_of_day.setdefault(day, []).append(s)

    def hosts_of(self, a: str, b: str) -> list[str]:
        """The hosts among a and b: a meeting with a host sits at a host's home
        table (the timetable chooses which when two hosts meet)."""
        return [p for p in (b, a) if p in self.hosts]

    def uses_pool(self, a: str, b: str) -> bool:
        """A meeting without a host takes a table of its own in its slot."""
        return a not in self.hosts and b not in self.hosts

    def common(self, r: int) -> tuple[int, ...]:
        """Slots where both parties of request r are free, in time order."""
        return self.commons[r]


def build(event: Event, placements: tuple[SessionPlacement, ...]) -> Instance:
    busy = rules.session_busy(event, placements)
    free = rules.party_free_slots(event, busy)
    big = len(event.slots) + 1
    cap_total, cap_day = {}, {}
    for p in event.parties:
        total = rules.party_total_cap(event, p)
        day = rules.party_day_cap(event, p)
        cap_total[p.key] = big if total is None else total
        cap_day[p.key] = big if day is None else day
    hosts = {p.key for p in event.parties if p.host}
    usable = {day: max(0, rules.usable_tables(event, day)) for day in event.days}
    pool_pinned: dict[date, set[tuple[str, int]]] = defaultdict(set)
    for f in event.fixed:
        a, b = event.party_of.get(f.a, f.a), event.party_of.get(f.b, f.b)
        if f.room and f.table and a not in hosts and b not in hosts:
            pool_pinned[f.start.date()].add((f.room, f.table))
    requests, weight, ends, never = [], [], [], {}
    for req in sorted(event.requests, key=lambda r: r.pair):
        reason = rules.never_reason(event, req)
        if reason:
            never[req.pair] = reason
            continue
        requests.append(req)
        weight.append(round(event.points(req) * SCALE))
        ends.append(req.pair)
    by_party: dict[str, list[int]] = defaultdict(list)
    for i, (a, b) in enumerate(ends):
        by_party[a].append(i)
        by_party[b].append(i)
    return Instance(
        event=event,
        placements=placements,
        free=free,
        day_of=[s.day for s in event.slots],
        cap_total=cap_total,
        cap_day=cap_day,
        capacity=[usable[s.day] for s in event.slots],
        home_capacity={day: max(0, usable[day] - len(pool_pinned[day])) for day in event.days},
        hosts=hosts,
        requests=requests,
        weight=weight,
        ends=ends,
        by_party=dict(by_party),
        never=never,
        max_consecutive=event.settings.max_consecutive_meetings,
    )

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


@dataclass
class Instance:
    event: Event
    placements: tuple[SessionPlacement, ...]
    free: dict[str, set[int]]  # party -> free slots
    day_of: list[date]  # slot -> day
    cap_total: dict[str, int]
    cap_day: dict[str, int]  # per day (a large number when none)
    pool: list[int]  # slot -> tables usable by meetings without a host
    hosts: set[str]  # host party keys
    requests: list[Request]  # the ones that can be met, in a fixed order
    weight: list[int]  # standard score x SCALE
    ends: list[tuple[str, str]]
    by_party: dict[str, list[int]] = field(default_factory=dict)  # party -> request indices
    fixed: list[FixedPlacement] = field(default_factory=list)
    never: dict[tuple[str, str], str] = field(default_factory=dict)  # pair -> reason never met
    max_consecutive: int | None = None
    commons: list[tuple[int, ...]] = field(default_factory=list)  # request -> common free slots

    def __post_init__(self) -> None:
        self.commons = [tuple(sorted(self.free[a] & self.free[b])) for a, b in self.ends]

    def uses_pool(self, a: str, b: str) -> bool:
        """Meetings with a host sit at the host's home table, outside the pool."""
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
    pool = _pool(event, hosts, free)
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
        pool=pool,
        hosts=hosts,
        requests=requests,
        weight=weight,
        ends=ends,
        by_party=dict(by_party),
        never=never,
        max_consecutive=event.settings.max_consecutive_meetings,
    )


def hosts_present(event: Event, hosts: set[str], free: dict[str, set[int]], day: date) -> list[str]:
    """Hosts that get a home table on ``day``: those free in at least one slot."""
    return sorted(h for h in hosts if any(event.slots[s].day == day for s in free[h]))


def _pool(event: Event, hosts: set[str], free: dict[str, set[int]]) -> list[int]:
    per_day = {}
    for day in event.days:
        n = len(rules.tables_on(event, day))
        per_day[day] = max(0, n - rules.spare_tables(event, n) - len(hosts_present(event, hosts, free, day)))
    return [per_day[s.day] for s in event.slots]

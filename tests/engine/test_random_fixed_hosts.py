"""Random small events with many hosts, small rooms and Fixed meetings rows
naming a table, a room or nothing, solved and re-solved after a host flips and
rows are added: `validate` (preflight) refuses the input with a plain reason,
or the schedule passes verify. Every seed below once ended in an internal
error or a schedule verify rejected, on input validate had accepted."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from scheduler import build
from scheduler.engine.change import resolve_with_reasons
from scheduler.engine.solve import SolveOptions, preflight, solve
from scheduler.model import Attendee, Event, FixedMeeting, Room
from scheduler.verify import verify

from .test_random_events import blocks

FAST = SolveOptions(time_limit=1.5, workers=1, seed=0, session_time_limit=1)


def hosts_event(seed: int, hosts_share: float, rows: int, flip: int | None = None) -> Event:
    rng = random.Random(seed)
    n = rng.randint(8, 30)
    people = [Attendee(id=f"P{i}", name=f"P {i}", organization=f"Org{i}", host=rng.random() < hosts_share,
                       team="crew" if i in (1, 2) else None) for i in range(n)]
    if flip is not None:
        people[flip % n] = replace(people[flip % n], host=not people[flip % n].host)
    asks = [(f"P{a}", f"P{b}", rng.choice([1, 2, 3])) for a, b in (rng.sample(range(n), 2) for _ in range(3 * n))]
    rooms = [Room("r1", "Meetings", tables=rng.randint(2, 5)), Room("r2", "Meetings", tables=rng.randint(1, 3))]
    grid = build.cut_slots(blocks(), 20, 5)
    hosts = [i for i, p in enumerate(people) if p.host] or [0]
    fixed = []
    for k in range(rows):
        a = rng.choice(hosts) if rng.random() < 0.7 else rng.randrange(n)
        b = rng.choice([x for x in range(n) if x != a])
        room, table = rng.choice([(None, None), ("r1", None), ("r2", None), ("r1", rng.randint(1, 2)), ("r2", 1)])
        fixed.append(FixedMeeting(f"p{a}", f"p{b}", rng.choice(grid[:8]).start, room, table, f"row {k + 2}"))
    return build.event(blocks=blocks(), rooms=rooms, attendees=people, asks=asks, fixed=fixed)


@pytest.mark.parametrize("seed", [7, 16, 36, 62, 83, 101, 180, 282])
def test_a_solve_keeps_every_rule_or_validate_says_why(seed: int) -> None:
    event = hosts_event(seed, 0.3, random.Random(seed).randint(1, 6))
    if preflight(event):
        return  # refused before solving, with the rows named
    assert verify(event, solve(event, FAST)) == []


@pytest.mark.parametrize("seed", [6, 19, 25, 38, 99])
def test_a_re_solve_keeps_every_rule_or_validate_says_why(seed: int) -> None:
    before = hosts_event(seed, 0.2, 0)
    old = solve(before, FAST)
    rng = random.Random(seed)
    after = hosts_event(seed, 0.2, rng.randint(1, 5), flip=rng.randrange(30))
    if preflight(after):
        return
    new, moves, _ = resolve_with_reasons(after, old, FAST)
    assert verify(after, new) == []

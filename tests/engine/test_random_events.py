"""Random small events with every feature at once (teams, hosts, caps, the pause
rule, spare tables, sessions, unavailability, fixed meetings): the engine either
explains in plain words why it cannot schedule, or its schedule passes verify."""

from __future__ import annotations

import random
from datetime import date

import pytest

from scheduler import build
from scheduler.engine.solve import SolveError, SolveOptions, solve
from scheduler.model import Attendee, Event, FixedMeeting, Room, Session, Settings, Unavailability
from scheduler.verify import verify

DAYS = (date(2017, 6, 4), date(2017, 6, 5))


def blocks() -> list:
    found = []
    for d in DAYS:
        found += [
            build.block(d, "9:00", "12:00"),
            build.block(d, "12:00", "13:00", "Break", "Lunch"),
            build.block(d, "13:00", "15:00"),
            build.block(d, "10:00", "11:00", "Sessions"),
        ]
    return found


def random_event(seed: int) -> Event:
    rng = random.Random(seed)
    n = rng.randint(6, 40)
    people = [
        Attendee(
            id=f"P{i}",
            name=f"P {i}",
            organization=f"Org{rng.randint(0, n)}" if i % 7 else "Shared Org",
            team="crew" if i in (1, 2) else None,
            host=rng.random() < 0.06,
            languages=rng.choice([("English",), ("French",), ("English", "French")]),
            max_meetings=rng.choice([None, None, 2, 5]),
            max_meetings_per_day=rng.choice([None, 3]),
            sessions=("s1",) if rng.random() < 0.3 else (),
        )
        for i in range(n)
    ]
    people[2] = Attendee(**{**people[2].__dict__, "organization": people[1].organization})
    asks = [(f"P{a}", f"P{b}", rng.choice([0, 1, 2, 2, 3])) for a, b in (rng.sample(range(n), 2) for _ in range(4 * n))]
    grid = build.cut_slots(blocks(), 20, 5)
    fixed = []
    for k in range(rng.randint(0, 3)):
        a, b = rng.sample(range(n), 2)
        room, table = rng.choice([(None, None), ("r1", None), ("r1", rng.randint(1, 2))])
        fixed.append(FixedMeeting(f"p{a}", f"p{b}", rng.choice(grid).start, room, table, f"row {k + 2}"))
    unavailable = [
        Unavailability(f"p{rng.randrange(n)}", build.at(DAYS[0], "9:00"), build.at(DAYS[0], "10:00"))
        for _ in range(n // 5)
    ]
    return build.event(
        blocks=blocks(),
        rooms=[
            Room("R1", "Meetings", tables=rng.randint(2, 8)),
            Room("R2", "Meetings", tables=2, dates=frozenset({DAYS[1]})),
            Room("Lib", "Sessions", capacity=100),
        ],
        attendees=people,
        asks=asks,
        unavailable=unavailable,
        sessions=[Session("S1", "Batteries", speakers=("p0",))],
        fixed=fixed,
        settings=Settings(name="random", max_consecutive_meetings=rng.choice([None, 2]), spare_tables=rng.choice([0, 1])),
    )


@pytest.mark.parametrize("seed", range(60))
def test_random_events_are_scheduled_within_the_rules_or_explained(seed: int):
    event = random_event(seed)
    try:
        schedule = solve(event, SolveOptions(time_limit=1, workers=2, seed=seed, session_time_limit=0.3))
    except SolveError as err:
        assert err.reasons and all(len(r) > 20 for r in err.reasons)
        return
    assert [p.render() for p in verify(event, schedule)] == []
    assert schedule.figures.score <= schedule.figures.bound + 1e-6

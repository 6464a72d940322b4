"""Small random events of every shape, for tests against exact optima.

Each knob of the contract varies with the seed: hosts from none to 40% of the
attendees, scarce or plentiful tables, a team, the pause rule, daily and total
caps, partial presence, unavailable times, a session with a speaker, fixed
meetings, French-only attendees, spare tables.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from scheduler import build
from scheduler.model import Attendee, Event, FixedMeeting, Room, Session, Settings, Unavailability

DAYS = (date(2017, 6, 5), date(2017, 6, 6))


def blocks(rng: random.Random) -> list:
    found = []
    for d in DAYS:
        end = rng.choice(["10:15", "10:40", "11:05"])
        found += [build.block(d, "9:00", end), build.block(d, "11:30", "12:20")]
        found.append(build.block(d, "9:25", "9:50", "Sessions", "Track"))
    return found


def small_event(seed: int, attendees: int | None = None, hosts: float | None = None) -> Event:
    rng = random.Random(seed)
    n = attendees or rng.randint(5, 12)
    host_share = rng.choice([0.0, 0.1, 0.25, 0.4]) if hosts is None else hosts
    people = [_person(rng, i, n, host_share) for i in range(n)]
    if n >= 6 and rng.random() < 0.4:  # a team of two from one organization
        people[4] = Attendee(**{**people[4].__dict__, "team": "crew", "organization": "Crew Inc"})
        people[5] = Attendee(**{**people[5].__dict__, "team": "crew", "organization": "Crew Inc"})
    asks = [
        (f"P{a}", f"P{b}", rng.choice([0, 1, 1, 2, 2, 3]))
        for a, b in (rng.sample(range(n), 2) for _ in range(rng.randint(n, 3 * n)))
    ]
    grid = build.cut_slots(blocks(random.Random(seed)), 20, 5)
    fixed = []
    if rng.random() < 0.3:
        a, b = rng.sample(range(n), 2)
        fixed.append(FixedMeeting(f"p{a}", f"p{b}", rng.choice(grid).start, origin="Fixed meetings › row 2"))
    unavailable = [
        Unavailability(f"p{rng.randrange(n)}", build.at(DAYS[1], "9:00"), build.at(DAYS[1], "9:30"))
        for _ in range(rng.randint(0, 2))
    ]
    settings = Settings(
        name=f"shape {seed}",
        max_consecutive_meetings=rng.choice([None, None, 2]),
        max_meetings_per_day=rng.choice([None, None, 2]),
        spare_tables=rng.choice([0, 0, 1]),
    )
    return build.event(
        blocks=blocks(random.Random(seed)),
        rooms=[
            Room("Hall", "Meetings", tables=rng.randint(1, max(1, n // 3))),
            Room("Annex", "Meetings", tables=1, dates=frozenset({DAYS[1]})),
            Room("Library", "Sessions", capacity=50),
        ],
        attendees=people,
        asks=asks,
        unavailable=unavailable,
        sessions=[Session("S1", "Batteries", speakers=("p0",))],
        fixed=fixed,
        settings=settings,
    )


def _person(rng: random.Random, i: int, n: int, host_share: float) -> Attendee:
    arrives = departs = None
    presence = rng.random()
    if presence < 0.15:
        arrives = build.at(DAYS[1], "9:00")
    elif presence < 0.3:
        departs = build.at(DAYS[0], "11:00") + timedelta(hours=rng.choice([0, 1]))
    return Attendee(
        id=f"P{i}",
        name=f"Person {i}",
        organization=f"Org{rng.randint(0, n)}",
        host=rng.random() < host_share,
        languages=rng.choice([("English",)] * 4 + [("French",), ("English", "French")]),
        max_meetings=rng.choice([None, None, None, 2, 3]),
        max_meetings_per_day=rng.choice([None, None, None, 1]),
        arrives=arrives,
        departs=departs,
        sessions=("s1",) if rng.random() < 0.3 else (),
    )

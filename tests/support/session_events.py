"""Tiny session events for the tests of the sessions' modules, built by hand:
Sessions blocks as periods, session rooms with a capacity, attendees who
list the sessions they attend."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from scheduler.model import Attendee, Block, Event, Period, Room, Session, Settings, Unavailability
from scheduler.schedule import SessionPlacement

DAY = date(2017, 6, 5)
DAY2 = date(2017, 6, 6)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


def periods(*spans: tuple[datetime, datetime]) -> tuple[Period, ...]:
    return tuple(Period(i, start, end) for i, (start, end) in enumerate(spans))


def room(name: str, capacity: int, dates: set[date] | None = None) -> Room:
    return Room(name, "Sessions", capacity=capacity, dates=frozenset(dates) if dates else None)


def person(key: str, *sessions: str, **more: object) -> Attendee:
    return Attendee(key, name=key.upper(), sessions=sessions, **more)  # type: ignore[arg-type]


def event(
    spans: tuple[Period, ...],
    rooms: tuple[Room, ...],
    sessions: tuple[Session, ...],
    attendees: tuple[Attendee, ...] = (),
    meetings: tuple[tuple[datetime, datetime], ...] = (),
    unavailable: tuple[Unavailability, ...] = (),
) -> Event:
    blocks = tuple(Block(p.day, p.start, p.end, "Sessions") for p in spans)
    blocks += tuple(Block(s.date(), s, e, "Meetings") for s, e in meetings)
    return Event(
        settings=Settings(name="x"),
        blocks=blocks,
        slots=(),
        periods=spans,
        rooms=rooms,
        sessions=sessions,
        attendees=attendees,
        unavailable=unavailable,
    )


def placed(ev: Event, placements: tuple[SessionPlacement, ...]) -> dict[str, tuple[Period, str]]:
    return {pl.session: (ev.periods[pl.period], pl.room) for pl in placements}


def random_event(rng: random.Random, sessions: int, people: int) -> Event:
    spans = periods(
        *[(at(h, day=d), at(h + 1, 30 if h == 9 else 0, day=d)) for d in (DAY, DAY2) for h in (9, 10, 11, 14)]
    )
    rooms = (room("A", 60), room("B", 40), room("C", 25))
    tracks = ["auto", "ict", "clean"]
    keys = [f"s{i}" for i in range(sessions)]
    all_sessions = tuple(Session(k, track=tracks[i % 3], speakers=(f"p{i % 7}",)) for i, k in enumerate(keys))
    attendees = tuple(person(f"p{j}", *rng.sample(keys, rng.randint(1, 4))) for j in range(people))
    return event(
        spans,
        rooms,
        all_sessions,
        attendees,
        meetings=((at(10), at(12)), (at(10, day=DAY2), at(12, day=DAY2))),
    )

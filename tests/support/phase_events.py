"""Tiny hand-made events for the tests of single engine phases.

One Meetings block 9:00-10:40 a day: with 20-minute meetings and 5-minute
buffers that is four slots a day, at 9:00, 9:25, 9:50 and 10:15.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from scheduler import build
from scheduler.model import Attendee, Event, Room, Settings, Unavailability

DAY = date(2017, 6, 5)
DAY2 = date(2017, 6, 6)


def people(ids: str, hosts: str = "") -> list[Attendee]:
    """One attendee per letter, each of their own organization; the letters in ``hosts`` are hosts."""
    return [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}", host=x in hosts) for x in ids]


def event(
    ids: str,
    asks: Sequence[tuple],
    *,
    hosts: str = "",
    tables: int = 3,
    days: tuple[date, ...] = (DAY,),
    settings: Settings | None = None,
    unavailable: Sequence[Unavailability] = (),
) -> Event:
    return build.event(
        blocks=[build.block(d, "9:00", "10:40") for d in days],
        rooms=[Room("Hall", "Meetings", tables=tables)],
        attendees=people(ids, hosts),
        asks=asks,
        settings=settings,
        unavailable=unavailable,
    )

"""Scenarios of a capacity plan: variants of one parsed Event.

A scenario changes what an organizer can still book or decide: the number of
meeting tables, the meeting and buffer lengths, the spare tables. Everything
else (people, requests, sessions, the time grid) stays as read. Slots are
re-cut with ``build.cut_slots``, the one definition the reader uses too.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..build import cut_slots
from ..io.read import spare_tables as parse_spare
from ..model import Event, FixedMeeting, Room, Slot


@dataclass(frozen=True)
class Scenario:
    """One combination of values; ``spare`` as typed: ``3`` tables or ``10%``."""

    tables: int  # meeting tables on the busiest day
    meeting_minutes: int
    buffer_minutes: int
    spare: str

    @property
    def label(self) -> str:
        return (
            f"{self.tables} tables, {self.meeting_minutes}-min meetings + {self.buffer_minutes} buffer, "
            f"spare {self.spare}"
        )

    @property
    def line(self) -> str:
        """Everything but the tables: one line of the charts."""
        return f"{self.meeting_minutes} min + {self.buffer_minutes}, spare {self.spare}"


class ScenarioValueError(ValueError):
    """A value given for a scenario that cannot be used; the message says why."""


def scenarios(
    event: Event,
    tables: Sequence[int] = (),
    meeting_minutes: Sequence[int] = (),
    buffer_minutes: Sequence[int] = (),
    spare: Sequence[str] = (),
) -> list[Scenario]:
    """The cross product of the values; an empty list keeps the event's own value."""
    s = event.settings
    tables = _unique(tables) or [peak_tables(event)]
    meeting_minutes = _unique(meeting_minutes) or [s.meeting_minutes]
    buffer_minutes = _unique(buffer_minutes) or [s.buffer_minutes]
    spare = _unique([_normal_spare(x) for x in spare]) or [current_spare(event)]
    for n in tables:
        if n < 1:
            raise ScenarioValueError(f"tables must be at least 1 (found {n})")
    for m in meeting_minutes:
        if m < 5:
            raise ScenarioValueError(f"meeting minutes must be at least 5 (found {m})")
    for b in buffer_minutes:
        if b < 0:
            raise ScenarioValueError(f"buffer minutes must not be negative (found {b})")
    combos = itertools.product(tables, meeting_minutes, buffer_minutes, spare)
    return [Scenario(*c) for c in combos]


def variant(event: Event, scenario: Scenario) -> Event:
    """The event as it would be under ``scenario``."""
    settings = replace(
        event.settings,
        meeting_minutes=scenario.meeting_minutes,
        buffer_minutes=scenario.buffer_minutes,
        **{"spare_tables": 0, "spare_tables_percent": 0.0, **parse_spare(scenario.spare)},
    )
    rooms = spread_tables(event, scenario.tables)
    slots = cut_slots(event.blocks, scenario.meeting_minutes, scenario.buffer_minutes)
    fixed = _unpin_lost_tables(event.fixed, {r.key: r.tables for r in rooms})
    return replace(event, settings=settings, slots=slots, rooms=rooms, fixed=_to_slot_starts(fixed, slots))


def _to_slot_starts(fixed: Sequence[FixedMeeting], slots: Sequence[Slot]) -> tuple[FixedMeeting, ...]:
    """With other meeting or buffer minutes a fixed meeting's start may no longer
    start a slot: it moves to the slot running at that time, else to the
    nearest slot start that day (see ``notes``). One left without a slot that
    day fails the scenario with the engine's reason."""
    starts = {s.start for s in slots}
    moved = []
    for f in fixed:
        if f.start not in starts:
            same_day = [s for s in slots if s.day == f.start.date()]
            running = [s for s in same_day if s.start <= f.start < s.end]
            nearest = min(same_day, key=lambda s: abs(s.start - f.start), default=None)
            target = running[0] if running else nearest
            f = replace(f, start=target.start) if target else f
        moved.append(f)
    return tuple(moved)


def _unpin_lost_tables(fixed: Sequence[FixedMeeting], tables: dict[str, int]) -> tuple[FixedMeeting, ...]:
    """A fixed meeting pinned to a table the scenario no longer has stays in
    its room and slot; the engine picks its table (see ``notes``)."""
    return tuple(
        replace(f, table=None) if f.room and f.table and f.table > tables.get(f.room, 0) else f for f in fixed
    )


def notes(event: Event, changed: Event) -> list[str]:
    """What the scenario changed beyond its values, for the plan's Notes column."""
    pairs = list(zip(event.fixed, changed.fixed, strict=True))
    found = []
    unpinned = [f for f, g in pairs if f.table != g.table]
    if unpinned:
        tables = _some(f"{event.room[f.room].name} T{f.table}" for f in unpinned if f.room)  # each has one
        found.append(
            f"{len(unpinned)} fixed meeting(s) pinned to tables this scenario lacks ({tables}) keep their room only"
        )
    moved = [(f, g) for f, g in pairs if f.start != g.start]
    if moved:
        times = _some(f"{f.start:%a %H:%M} → {g.start:%H:%M}" for f, g in moved)
        found.append(f"{len(moved)} fixed meeting(s) moved to a slot start ({times})")
    return found


def _some(texts: Iterable[str]) -> str:
    unique = list(dict.fromkeys(texts))
    return ", ".join(unique[:3]) + (", ..." if len(unique) > 3 else "")


def peak_tables(event: Event) -> int:
    """Meeting tables on the busiest day, the number ``--tables`` sets."""
    return max((_day_tables(event, day) for day in event.days), default=0)


def tables_per_day(event: Event) -> str:
    """``40`` when every day has the same tables, else ``31–40``."""
    counts = [_day_tables(event, day) for day in event.days] or [0]
    low, high = min(counts), max(counts)
    return str(high) if low == high else f"{low}–{high}"


def spread_tables(event: Event, total: int) -> tuple[Room, ...]:
    """Rooms with ``total`` meeting tables on the busiest day, in proportion to
    their current tables (largest remainders); a meeting room open only on
    other days keeps the same proportion. Rooms without any tables share
    equally when no meeting room has tables."""
    meeting = [r for r in event.rooms if r.use == "Meetings"]
    if not meeting:
        return event.rooms
    busiest = max(event.days, key=lambda d: _day_tables(event, d)) if event.days else None
    weights = {r.key: float(r.tables) for r in meeting}
    if not any(weights.values()):
        weights = dict.fromkeys(weights, 1.0)
    on_peak = [r for r in meeting if busiest is None or r.open_on(busiest)] or meeting
    scale = total / sum(weights[r.key] for r in on_peak)
    exact = {r.key: weights[r.key] * scale for r in meeting}
    counts = {k: int(v) for k, v in exact.items()}
    # The busiest day gets exactly ``total``: the largest remainders round up.
    short = total - sum(counts[r.key] for r in on_peak)
    for r in sorted(on_peak, key=lambda r: (counts[r.key] - exact[r.key], r.key))[:short]:
        counts[r.key] += 1
    for r in meeting:
        if r not in on_peak:
            counts[r.key] = round(exact[r.key])
    return tuple(replace(r, tables=counts[r.key]) if r.use == "Meetings" else r for r in event.rooms)


def current_spare(event: Event) -> str:
    s = event.settings
    if s.spare_tables_percent:
        return f"{s.spare_tables_percent:g}%"
    return str(s.spare_tables)


def _normal_spare(text: str) -> str:
    """``10 %`` -> ``10%``, ``03`` -> ``3``; a bad value says why."""
    try:
        parsed = parse_spare(text.strip())
    except ValueError as err:
        raise ScenarioValueError(f"spare tables {text.strip()!r}: {err}") from None
    if "spare_tables_percent" in parsed:
        return f"{parsed['spare_tables_percent']:g}%"
    return str(parsed["spare_tables"])


def _day_tables(event: Event, day: date) -> int:
    return sum(r.tables for r in event.meeting_rooms(day))


def _unique(values: Sequence) -> list:
    return list(dict.fromkeys(values))

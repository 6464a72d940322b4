"""Re-solve after publishing: keep what still holds, move little, then add.

Every meeting of the published schedule that the changed event still allows
is kept at its slot and table (locked rows first, then by weight); the ones no
longer allowed at their time are placed again before any new request, so
they move instead of dropping; only then are new meetings added. Sessions
keep their rooms and periods while they stay valid.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .. import rules
from ..model import Event
from ..schedule import Meeting, Schedule, SessionPlacement
from .instance import FixedPlacement, build
from .solve import Progress, SolveOptions, sessions_for, solve
from .timetable import Timetable


def resolve_from_previous(
    event: Event,
    previous: Schedule,
    options: SolveOptions,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Schedule:
    placements = kept_sessions(event, previous) or sessions_for(event, options)
    keep, moved = kept_meetings(event, previous, placements)
    schedule = solve(event, options, progress, stop, placements=placements, keep=keep, first=moved)
    locked = {m.pair for m in previous.meetings if m.locked}
    meetings = tuple(
        Meeting(m.a, m.b, m.slot, m.room, m.table, m.fixed, m.pair in locked) for m in schedule.meetings
    )
    return Schedule(meetings, schedule.sessions, schedule.unscheduled, schedule.figures, schedule.home_tables)


def kept_sessions(event: Event, previous: Schedule) -> tuple[SessionPlacement, ...] | None:
    """The previous placement, if it still places every session validly."""
    from ..verify import session_problems

    keys = {p.session for p in previous.sessions}
    if keys != {s.key for s in event.sessions}:
        return None
    if session_problems(event, previous.sessions, file=""):
        return None
    return previous.sessions


def kept_meetings(
    event: Event, previous: Schedule, placements: tuple[SessionPlacement, ...]
) -> tuple[list[FixedPlacement], list[tuple[str, str]]]:
    """(meetings kept in place, pairs that were met and must move)."""
    inst = build(event, placements)
    table = Timetable(inst)
    fixed_pairs = {_fixed_key(event, f) for f in event.fixed}
    taken: set[tuple[int, str, int]] = set()
    keep: list[FixedPlacement] = []
    moved: list[tuple[str, str]] = []
    weight = {pair: event.points(r) for pair, r in event.request.items()}
    ordered = sorted(
        previous.meetings, key=lambda m: (not m.locked, -weight.get(m.pair, 0.0), m.slot, m.pair)
    )
    for m in ordered:
        if m.a not in event.party or m.b not in event.party or rules.pair_allowed(event, m.a, m.b):
            continue  # a cancellation or a new Never: dropped, the diff says why
        if (m.pair, event.slots[m.slot].start) in fixed_pairs:
            continue  # a Fixed meetings row holds it already
        where = (m.slot, m.room, m.table)
        if where in taken or not _table_exists(event, m) or not table.can_hold(m.a, m.b, m.slot):
            moved.append(m.pair)
            continue
        table.hold(m.a, m.b, m.slot, -1)
        taken.add(where)
        keep.append(FixedPlacement(m.a, m.b, m.slot, m.room, m.table, fixed=m.fixed))
    return keep, moved


def _fixed_key(event: Event, f) -> tuple[tuple[str, str], object]:
    a, b = event.party_of.get(f.a, f.a), event.party_of.get(f.b, f.b)
    return ((min(a, b), max(a, b)), f.start)


def _table_exists(event: Event, m: Meeting) -> bool:
    day = event.slots[m.slot].day
    return any(r.name == m.room and 1 <= m.table <= r.tables for r in event.meeting_rooms(day))

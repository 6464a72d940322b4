"""How well the sessions are placed: plain figures over any schedule.

For the Summary sheet and the tests; the engine's session model aims at the
same figures (it minimises them stage by stage) but builds them as solver
expressions, not from this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .model import Event, Period
from .schedule import SessionPlacement


@dataclass(frozen=True)
class SessionFigures:
    # Attendee key -> pairs of their sessions at overlapping times (a speaker attends their own talk).
    clashes_by_attendee: dict[str, list[tuple[str, str]]]
    same_track_overlaps: int  # pairs of sessions of one track at overlapping times
    track_room_changes: int  # per track and day: rooms used minus one
    unplaced: list[str]  # session keys without a placement

    @property
    def clashes(self) -> int:
        """Clashing pairs, counted once per attendee."""
        return sum(len(pairs) for pairs in self.clashes_by_attendee.values())


def session_figures(event: Event, placements: Sequence[SessionPlacement]) -> SessionFigures:
    by_index = {p.index: p for p in event.periods}
    when = {pl.session: by_index[pl.period] for pl in placements}
    order = {s.key: i for i, s in enumerate(event.sessions)}
    by_attendee: dict[str, list[tuple[str, str]]] = {}
    for attendee, mine in sessions_of(event).items():
        placed = sorted((s for s in mine if s in when), key=lambda s: order.get(s, len(order)))
        pairs = [
            (s, t)
            for i, s in enumerate(placed)
            for t in placed[i + 1 :]
            if when[s].interval.overlaps(when[t].interval)
        ]
        if pairs:
            by_attendee[attendee] = pairs
    return SessionFigures(
        clashes_by_attendee=by_attendee,
        same_track_overlaps=_same_track_overlaps(event, when),
        track_room_changes=_track_room_changes(event, placements, when),
        unplaced=[s.key for s in event.sessions if s.key not in when],
    )


def sessions_of(event: Event) -> dict[str, set[str]]:
    """Attendee key -> sessions they list or speak at."""
    found: dict[str, set[str]] = {a.key: set(a.sessions) for a in event.attendees}
    for s in event.sessions:
        for speaker in s.speakers:
            found.setdefault(speaker, set()).add(s.key)
    return found


def _same_track_overlaps(event: Event, when: dict[str, Period]) -> int:
    placed = [s for s in event.sessions if s.key in when and s.track is not None]
    return sum(
        1
        for i, s in enumerate(placed)
        for t in placed[i + 1 :]
        if s.track == t.track and when[s.key].interval.overlaps(when[t.key].interval)
    )


def _track_room_changes(event: Event, placements: Sequence[SessionPlacement], when: dict[str, Period]) -> int:
    rooms: dict[tuple[str, date], set[str]] = {}
    for pl in placements:
        track = event.session[pl.session].track
        if track is not None:
            rooms.setdefault((track, when[pl.session].day), set()).add(pl.room)
    return sum(len(r) - 1 for r in rooms.values())

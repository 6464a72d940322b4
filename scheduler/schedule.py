"""What the engine hands back: plain, immutable objects, no Excel, no solver.

A :class:`Schedule` is interpreted against the :class:`~scheduler.model.Event`
it was solved for: meetings name parties and a slot index, sessions name a
period index and a room.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SolveStatus(StrEnum):
    """How a run ended. The value is the text the Summary sheet and the report print."""

    OPTIMAL = "OPTIMAL"  # the score reaches the proven upper bound
    FEASIBLE = "FEASIBLE"  # a valid schedule below the bound (or not proven to reach it)
    INTERRUPTED = "INTERRUPTED"  # stopped by the user; the best valid schedule found until then
    FCFS = "FCFS"  # made by the first-come-first-served baseline, not by the engine


@dataclass(frozen=True)
class Gone:
    """Where a published meeting or session was, read back for a re-solve,
    when the changed event no longer has that time, room or table: it is
    placed again, and the change report names the old place and why."""

    reason: str  # "no meeting slot starts at 2017-06-06 13:00 any more (Schedule sheet)"
    where: str  # the old place as the published schedule wrote it: "2017-06-06 13:00, Canadian Room T3"
    start: datetime | None = None  # its published start, when that time is gone
    end: datetime | None = None  # a session's published end, when the row gives it


@dataclass(frozen=True)
class LeftOut:
    """A published Meetings row a re-solve cannot use: a Team change made it a
    second meeting of one pair or a meeting of a team with itself, or a
    hand edit made a cell unreadable. Its attendees lost that meeting, so the
    change report lists it as dropped."""

    row: int
    sides: tuple[tuple[str, ...], tuple[str, ...]]  # registered attendee keys named on each side
    labels: tuple[str, str]  # each side as written: its names, or its IDs
    ids: tuple[str, str]  # each side's Attendee cell as written
    where: str  # "2017-06-05 09:25, Hall T1", or what the row gives of it
    reason: str


@dataclass(frozen=True)
class Meeting:
    a: str  # party key (a < b, as in Request)
    b: str
    slot: int  # index into Event.slots
    room: str  # room name
    table: int  # 1-based: table k is "T<k>"
    fixed: bool = False
    locked: bool = False
    # Row in a schedule workbook this meeting was read from (for located findings).
    row: int | None = field(default=None, compare=False)
    # Read back for a re-solve, and its place is gone from the event (slot -1 when its time is).
    gone: Gone | None = field(default=None, compare=False)
    # Read back for a re-solve: the registered attendees the row named on side a and on side b
    # (a team's members as published), so the change report tells who joined or left the
    # meeting with a Team change.
    named: tuple[frozenset[str], frozenset[str]] | None = field(default=None, compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b)

    @property
    def table_name(self) -> str:
        return f"T{self.table}"


@dataclass(frozen=True)
class SessionPlacement:
    session: str  # session key
    period: int  # index into Event.periods
    room: str  # room name
    # Row in a schedule workbook this placement was read from (for located findings).
    row: int | None = field(default=None, compare=False)
    # Read back for a re-solve, and its period or room is gone from the event (period -1 when its time is).
    gone: Gone | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Unscheduled:
    a: str  # party keys of the request
    b: str
    reason: str  # plain words


@dataclass(frozen=True)
class Figures:
    """Key figures of a run; the Summary sheet prints them."""

    score: float = 0.0  # the standard score
    bound: float = 0.0  # proven upper bound on the standard score
    bound_method: str = ""  # how it was proven (the LP relaxation, or the capacity bound when time ran out)
    # What the engine maximised first: the standard score, plus Fairness weight
    # points per party with a meeting when that weight is above 0 (at 0,
    # fairness and then comfort only break ties, so the objective is the score).
    objective: float = 0.0
    status: SolveStatus | None = None  # None: not from a run (a schedule read back)
    solve_seconds: float = 0.0
    seed: int = 0
    workers: int = 1
    phases: tuple[tuple[str, float], ...] = ()  # (phase name, seconds)
    repeatable: bool = True  # False when the wall clock, not the work budget, ended the search

    @property
    def gap(self) -> float:
        """Relative gap to the bound (0.0 = proven optimal)."""
        if self.bound <= 1e-3:  # no request to meet: the bound is only its safety margin
            return 0.0
        return (self.bound - self.score) / self.bound


@dataclass(frozen=True)
class Schedule:
    meetings: tuple[Meeting, ...] = ()
    sessions: tuple[SessionPlacement, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    figures: Figures = field(default_factory=Figures)
    # Home table of each host per day: (party key, ISO date) -> (room, table).
    home_tables: tuple[tuple[str, str, str, int], ...] = ()

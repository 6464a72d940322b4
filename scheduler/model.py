"""The immutable event: everything the engine needs, nothing about Excel.

The readers in ``scheduler.io`` build an :class:`Event` from workbooks; the
engine, the verifier and the documents only ever read it. IDs are kept twice:
``id`` as first written (for display) and ``key`` trimmed and case-folded
(for matching), as the workbook contract asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property

MUTUAL_FACTOR = 1.5
PRIORITY_NAMES = {0: "Never", 1: "High", 2: "Medium", 3: "Low"}


def key_of(text: str) -> str:
    """The matching form of an ID, team or organization name."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Interval:
    """A half-open span of local (event time zone) time."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class Settings:
    name: str
    venue: str = ""
    time_zone: str = "America/Toronto"
    meeting_minutes: int = 20
    buffer_minutes: int = 5
    max_meetings_per_day: int | None = None
    paper_size: str = "Letter"
    session_room_headroom: float = 15.0  # per cent of the expected audience
    # Our additions (documented in the README): tuning and comfort.
    max_consecutive_meetings: int | None = None
    spare_tables: int = 0
    spare_tables_percent: float = 0.0
    fairness_weight: float = 0.0  # 0: fairness only breaks ties of the standard score
    duplex_printing: str = "Yes"  # Yes | No: agendas start on odd pages
    mutual_factor: float = MUTUAL_FACTOR
    priority_points: tuple[float, float, float] = (4.0, 2.0, 1.0)


@dataclass(frozen=True)
class Block:
    """One row of the Schedule sheet."""

    day: date
    start: datetime
    end: datetime
    activity: str  # Meetings | Sessions | Plenary | Break
    label: str = ""

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True)
class Slot:
    """One meeting slot cut from a Meetings block; ``index`` is its position in
    ``Event.slots`` (sorted by time). ``run`` numbers the block it came from so
    that back-to-back slots can be recognised."""

    index: int
    start: datetime
    end: datetime
    run: int

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True)
class Period:
    """One Sessions block: every session placed in it runs the whole block."""

    index: int
    start: datetime
    end: datetime
    label: str = ""

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True)
class Room:
    name: str
    use: str  # Meetings | Sessions
    capacity: int | None = None
    tables: int = 0
    dates: frozenset[date] | None = None  # None: every day

    def open_on(self, day: date) -> bool:
        return self.dates is None or day in self.dates

    @property
    def key(self) -> str:
        return key_of(self.name)


@dataclass(frozen=True)
class Track:
    name: str
    sector: str = ""
    description: str = ""

    @property
    def key(self) -> str:
        return key_of(self.name)


@dataclass(frozen=True)
class Session:
    id: str
    title: str = ""
    track: str | None = None  # track key
    speakers: tuple[str, ...] = ()  # attendee keys
    expected_audience: int | None = None
    pin_day: date | None = None
    pin_start: datetime | None = None
    pin_room: str | None = None  # room key
    origin: str = field(default="", compare=False)  # "FILE › SHEET › row N", for explanations
    # Not read from workbooks: a re-solve keeps a session in its very period,
    # which pin_start alone does not say when two Sessions blocks start together.
    pin_end: datetime | None = None

    @property
    def key(self) -> str:
        return key_of(self.id)


@dataclass(frozen=True)
class Attendee:
    id: str
    name: str
    organization: str = ""
    title: str = ""
    delegation: str = ""
    sectors: tuple[str, ...] = ()
    email: str = ""
    languages: tuple[str, ...] = ("English",)
    arrives: datetime | None = None
    departs: datetime | None = None
    max_meetings: int | None = None
    max_meetings_per_day: int | None = None
    sessions: tuple[str, ...] = ()  # session keys
    team: str | None = None  # team key
    host: bool = False
    agenda_language: str = ""  # en | fr; empty: from Languages (see scheduler.i18n.agenda_language)

    @property
    def key(self) -> str:
        return key_of(self.id)

    @property
    def org_key(self) -> str:
        return key_of(self.organization) if self.organization else f"~{self.key}"


@dataclass(frozen=True)
class Party:
    """Who meets: one attendee, or a whole Team meeting as one."""

    key: str  # the attendee key, or "team:<team key>"
    label: str  # display name
    members: tuple[str, ...]  # attendee keys
    org_key: str
    languages: frozenset[str]  # case-folded
    host: bool = False

    @property
    def is_team(self) -> bool:
        return self.key.startswith("team:")


class Excluded(StrEnum):
    """Why a request is left out before any scheduling: one set of reasons for the
    reader, the code-built events of the tests, the rules and the validate summary."""

    SELF = "request to oneself"
    SAME_ORGANIZATION = "same organization"
    DECLINED = "declined"


@dataclass(frozen=True)
class Request:
    """All requests between two parties, merged into one."""

    a: str  # party key (a < b)
    b: str
    priority: int  # 1 High, 2 Medium, 3 Low, 0 Never
    mutual: bool = False
    note: str = ""
    asked_by: tuple[str, ...] = ()  # attendee keys who asked
    excluded: Excluded | None = None  # why it can never be met

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b)


@dataclass(frozen=True)
class Unavailability:
    attendee: str  # attendee key
    start: datetime
    end: datetime
    reason: str = ""

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True)
class FixedMeeting:
    a: str  # attendee keys as given
    b: str
    start: datetime
    room: str | None = None  # room key
    table: int | None = None
    origin: str = ""  # "FILE › SHEET › row N", for explanations


@dataclass(frozen=True)
class Event:
    settings: Settings
    blocks: tuple[Block, ...]
    slots: tuple[Slot, ...]
    periods: tuple[Period, ...]
    rooms: tuple[Room, ...]
    tracks: tuple[Track, ...] = ()
    sessions: tuple[Session, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    parties: tuple[Party, ...] = ()
    requests: tuple[Request, ...] = ()
    unavailable: tuple[Unavailability, ...] = ()
    fixed: tuple[FixedMeeting, ...] = ()
    extras: dict[str, str] = field(default_factory=dict, compare=False)

    # Look-ups, built once. cached_property writes to __dict__, which a frozen
    # dataclass allows.
    @cached_property
    def attendee(self) -> dict[str, Attendee]:
        return {a.key: a for a in self.attendees}

    @cached_property
    def party(self) -> dict[str, Party]:
        return {p.key: p for p in self.parties}

    @cached_property
    def party_of(self) -> dict[str, str]:
        """Attendee key -> the key of the party they meet as."""
        return {m: p.key for p in self.parties for m in p.members}

    @cached_property
    def session(self) -> dict[str, Session]:
        return {s.key: s for s in self.sessions}

    @cached_property
    def room(self) -> dict[str, Room]:
        return {r.key: r for r in self.rooms}

    @cached_property
    def track(self) -> dict[str, Track]:
        return {t.key: t for t in self.tracks}

    @cached_property
    def days(self) -> tuple[date, ...]:
        return tuple(sorted({b.day for b in self.blocks}))

    @cached_property
    def request(self) -> dict[tuple[str, str], Request]:
        return {r.pair: r for r in self.requests}

    @cached_property
    def audience(self) -> dict[str, tuple[str, ...]]:
        """Session key -> attendee keys who list it."""
        found: dict[str, list[str]] = {s.key: [] for s in self.sessions}
        for a in self.attendees:
            for s in a.sessions:
                found.setdefault(s, []).append(a.key)
        return {k: tuple(v) for k, v in found.items()}

    @cached_property
    def attending(self) -> dict[str, frozenset[str]]:
        """Session key -> attendee keys in it: those who list it and its
        speakers (a speaker attends their own talk)."""
        return {s.key: frozenset(self.audience.get(s.key, ())) | frozenset(s.speakers) for s in self.sessions}

    def meeting_rooms(self, day: date) -> tuple[Room, ...]:
        return tuple(r for r in self.rooms if r.use == "Meetings" and r.open_on(day))

    def session_rooms(self, day: date) -> tuple[Room, ...]:
        return tuple(r for r in self.rooms if r.use == "Sessions" and r.open_on(day))

    def points(self, request: Request) -> float:
        """The standard score of meeting this request."""
        if request.priority not in (1, 2, 3):
            return 0.0
        base = self.settings.priority_points[request.priority - 1]
        return base * (self.settings.mutual_factor if request.mutual else 1.0)

    def presence(self, attendee_key: str) -> Interval:
        """The attendee's presence window (the whole event when not given)."""
        a = self.attendee[attendee_key]
        first = datetime.combine(self.days[0], datetime.min.time())
        last = datetime.combine(self.days[-1], datetime.min.time()) + timedelta(days=1)
        return Interval(a.arrives or first, a.departs or last)

    def cap_per_day(self, attendee_key: str) -> int | None:
        a = self.attendee[attendee_key]
        if a.max_meetings_per_day is not None:
            return a.max_meetings_per_day
        return self.settings.max_meetings_per_day

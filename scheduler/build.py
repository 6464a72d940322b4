"""Build an Event in code, without workbooks.

The contract's derived rules live here once: slots cut from Meetings blocks,
teams merged into parties, requests merged per pair. Tests use it to write
tiny events whose answers can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .model import (
    Attendee,
    Block,
    Event,
    Excluded,
    FixedMeeting,
    Party,
    Period,
    Request,
    Room,
    Session,
    Settings,
    Slot,
    Track,
    Unavailability,
    key_of,
)


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes)


def block(day: date, start: str, end: str, activity: str = "Meetings", label: str = "") -> Block:
    return Block(day, at(day, start), at(day, end), activity, label)


def slot_starts(start: datetime, end: datetime, meeting_minutes: int, buffer_minutes: int) -> list[datetime]:
    """Where the slots of a Meetings block from ``start`` to ``end`` begin: a
    meeting every meeting + buffer minutes, the last one ending by ``end``; a
    remainder too short for a meeting is unused."""
    length, step = timedelta(minutes=meeting_minutes), timedelta(minutes=meeting_minutes + buffer_minutes)
    starts = []
    while start + length <= end:
        starts.append(start)
        start += step
    return starts


def cut_slots(blocks: Iterable[Block], meeting_minutes: int, buffer_minutes: int) -> tuple[Slot, ...]:
    """Meetings blocks cut into slots; nothing during a Break or a Plenary."""
    blocks = sorted(blocks, key=lambda b: (b.start, b.end))
    closed = [b.interval for b in blocks if b.activity in ("Break", "Plenary")]
    length = timedelta(minutes=meeting_minutes)
    found: list[tuple[datetime, datetime, int]] = []
    run = 0
    for b in (x for x in blocks if x.activity == "Meetings"):
        run += 1
        for start in slot_starts(b.start, b.end, meeting_minutes, buffer_minutes):
            end = start + length
            if any(start < c.end and c.start < end for c in closed):
                run += 1  # slots on either side of a break are not back-to-back
            else:
                found.append((start, end, run))
    found.sort()
    return tuple(Slot(i, s, e, run) for i, (s, e, run) in enumerate(found))


def cut_periods(blocks: Iterable[Block]) -> tuple[Period, ...]:
    sessions = sorted((b for b in blocks if b.activity == "Sessions"), key=lambda b: (b.start, b.end))
    return tuple(Period(i, b.start, b.end, b.label) for i, b in enumerate(sessions))


def form_parties(
    attendees: Sequence[Attendee], team_party: Callable[[str, list[Attendee]], Party]
) -> list[Party]:
    """One party per attendee, except that a Team meets as one party, made by
    ``team_party(team, members)`` and listed where its first member is."""
    members: dict[str, list[Attendee]] = {}
    for a in attendees:
        if a.team:
            members.setdefault(a.team, []).append(a)
    parties: list[Party] = []
    for a in attendees:
        if not a.team:
            languages = frozenset(lang.casefold() for lang in a.languages)
            parties.append(Party(a.key, a.name, (a.key,), a.org_key, languages, a.host))
        elif members[a.team][0] is a:
            parties.append(team_party(a.team, members[a.team]))
    return parties


def team_party(team: str, label: str, members: Sequence[Attendee], org_key: str) -> Party:
    """A Team as one party: every member's languages; a host when any member is."""
    languages = frozenset(lang.casefold() for m in members for lang in m.languages)
    return Party(f"team:{team}", label, tuple(m.key for m in members), org_key, languages, any(m.host for m in members))


def make_parties(attendees: Sequence[Attendee], team_names: dict[str, str] | None = None) -> tuple[Party, ...]:
    """The parties of an event built in code, sorted by key; a Team takes its
    first member's organization."""
    names = team_names or {}

    def team(key: str, members: list[Attendee]) -> Party:
        return team_party(key, names.get(key, key), members, members[0].org_key)

    return tuple(sorted(form_parties(attendees, team), key=lambda p: p.key))


def exclusion(a: str, b: str, org_of: Mapping[str, str], declined: bool) -> Excluded | None:
    """Why the request between parties a and b is left out, first reason first
    (the reader and code-built events share it)."""
    if a == b:
        return Excluded.SELF
    if org_of[a] == org_of[b]:
        return Excluded.SAME_ORGANIZATION
    if declined:
        return Excluded.DECLINED
    return None


@dataclass
class PairAsks:
    """Every request between two parties a < b, as they come, before merging."""

    forward: list[int] = field(default_factory=list)  # priorities a's side asked of b (0 = Never)
    backward: list[int] = field(default_factory=list)  # priorities b's side asked of a
    notes: list[str] = field(default_factory=list)
    asked_by: list[str] = field(default_factory=list)  # attendee keys, first ask first

    def add(self, asker: str, from_a: bool, priority: int, note: str) -> None:
        (self.forward if from_a else self.backward).append(priority)
        if note and note not in self.notes:
            self.notes.append(note)
        if asker not in self.asked_by:
            self.asked_by.append(asker)


def merged_request(a: str, b: str, pair: PairAsks, org_of: Mapping[str, str]) -> Request:
    """One Request for the pair: mutual when both sides asked; the highest
    priority wins; any Never declines the pair, whoever asked."""
    asked = pair.forward + pair.backward
    wanted = [p for p in asked if p != 0]
    mutual = any(p != 0 for p in pair.forward) and any(p != 0 for p in pair.backward)
    excluded = exclusion(a, b, org_of, 0 in asked)
    priority = 0 if excluded is Excluded.DECLINED or not wanted else min(wanted)
    return Request(a, b, priority, mutual, " / ".join(pair.notes), tuple(pair.asked_by), excluded)


def merge_requests(
    asks: Iterable[tuple[str, str, int, str]], party_of: dict[str, str], org_of: dict[str, str]
) -> tuple[Request, ...]:
    """(from attendee, to party, priority, note) -> one Request per pair (:func:`merged_request`), sorted."""
    pairs: dict[tuple[str, str], PairAsks] = {}
    for frm, to_party, priority, note in asks:
        src = party_of[frm]
        a, b = sorted((src, to_party))
        pairs.setdefault((a, b), PairAsks()).add(frm, src == a, priority, note)
    return tuple(merged_request(a, b, pairs[a, b], org_of) for a, b in sorted(pairs))


def event(
    *,
    blocks: Sequence[Block],
    rooms: Sequence[Room],
    attendees: Sequence[Attendee],
    asks: Sequence[tuple[str, str] | tuple[str, str, int] | tuple[str, str, int, str]] = (),
    settings: Settings | None = None,
    sessions: Sequence[Session] = (),
    tracks: Sequence[Track] = (),
    unavailable: Sequence[Unavailability] = (),
    fixed: Sequence[FixedMeeting] = (),
) -> Event:
    """An Event from plain pieces; ``asks`` are (from, to[, priority[, note]]) with
    attendee IDs or team names, priority 2 (Medium) by default."""
    settings = settings or Settings(name="Test event")
    parties = make_parties(attendees)
    party_of = {m: p.key for p in parties for m in p.members}
    for p in parties:
        if p.is_team:
            party_of[p.key] = p.key
            party_of[p.key.removeprefix("team:")] = p.key
    org_of = {p.key: p.org_key for p in parties}
    full = []
    for ask in asks:
        priority = ask[2] if len(ask) > 2 else 2
        note = ask[3] if len(ask) > 3 else ""
        full.append((key_of(ask[0]), party_of[key_of(ask[1])], int(priority), str(note)))
    return Event(
        settings=settings,
        blocks=tuple(blocks),
        slots=cut_slots(blocks, settings.meeting_minutes, settings.buffer_minutes),
        periods=cut_periods(blocks),
        rooms=tuple(rooms),
        tracks=tuple(tracks),
        sessions=tuple(sessions),
        attendees=tuple(attendees),
        parties=parties,
        requests=merge_requests(full, party_of, org_of),
        unavailable=tuple(unavailable),
        fixed=tuple(fixed),
    )

"""Build an Event in code, without workbooks.

The contract's derived rules live here once: slots cut from Meetings blocks,
teams merged into parties, requests merged per pair. Tests use it to write
tiny events whose answers can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def cut_slots(blocks: Iterable[Block], meeting_minutes: int, buffer_minutes: int) -> tuple[Slot, ...]:
    """Meetings blocks cut into slots; nothing during a Break or a Plenary."""
    blocks = sorted(blocks, key=lambda b: (b.start, b.end))
    closed = [b.interval for b in blocks if b.activity in ("Break", "Plenary")]
    length, step = timedelta(minutes=meeting_minutes), timedelta(minutes=meeting_minutes + buffer_minutes)
    found: list[tuple[datetime, datetime, int]] = []
    run = 0
    for b in (x for x in blocks if x.activity == "Meetings"):
        run += 1
        start = b.start
        while start + length <= b.end:
            end = start + length
            if any(start < c.end and c.start < end for c in closed):
                run += 1  # slots on either side of a break are not back-to-back
            else:
                found.append((start, end, run))
            start += step
    found.sort()
    return tuple(Slot(i, s, e, run) for i, (s, e, run) in enumerate(found))


def cut_periods(blocks: Iterable[Block]) -> tuple[Period, ...]:
    sessions = sorted((b for b in blocks if b.activity == "Sessions"), key=lambda b: (b.start, b.end))
    return tuple(Period(i, b.start, b.end, b.label) for i, b in enumerate(sessions))


def make_parties(attendees: Sequence[Attendee], team_names: dict[str, str] | None = None) -> tuple[Party, ...]:
    """One party per attendee, except that a Team meets as one party."""
    team_names = team_names or {}
    teams: dict[str, list[Attendee]] = {}
    parties = []
    for a in attendees:
        if a.team:
            teams.setdefault(a.team, []).append(a)
        else:
            langs = frozenset(x.casefold() for x in a.languages)
            parties.append(Party(a.key, a.name, (a.key,), a.org_key, langs, a.host))
    for team, members in teams.items():
        langs = frozenset(x.casefold() for a in members for x in a.languages)
        label = team_names.get(team, team)
        keys = tuple(a.key for a in members)
        host = any(a.host for a in members)
        parties.append(Party(f"team:{team}", label, keys, members[0].org_key, langs, host))
    return tuple(sorted(parties, key=lambda p: p.key))


def exclusion(a: str, b: str, org_of: dict[str, str], declined: bool) -> Excluded | None:
    """Why the request between parties a and b is left out, first reason first
    (the reader and code-built events share it)."""
    if a == b:
        return Excluded.SELF
    if org_of[a] == org_of[b]:
        return Excluded.SAME_ORGANIZATION
    if declined:
        return Excluded.DECLINED
    return None


def merge_requests(
    asks: Iterable[tuple[str, str, int, str]], party_of: dict[str, str], org_of: dict[str, str]
) -> tuple[Request, ...]:
    """(from attendee, to party, priority, note) -> one Request per pair.

    Mutual when both sides asked; the highest priority wins; any Never
    declines the pair, whoever asked.
    """
    merged: dict[tuple[str, str], dict] = {}
    for frm, to_party, priority, note in asks:
        src = party_of[frm]
        a, b = sorted((src, to_party))
        entry = merged.setdefault((a, b), {"sides": set(), "prios": [], "never": False, "notes": [], "by": []})
        entry["by"].append(frm)
        if priority == 0:
            entry["never"] = True
        else:
            entry["prios"].append(priority)
            entry["sides"].add(src)
        if note and note not in entry["notes"]:
            entry["notes"].append(note)
    requests = []
    for (a, b), e in sorted(merged.items()):
        excluded = exclusion(a, b, org_of, e["never"])
        priority = 0 if e["never"] or not e["prios"] else min(e["prios"])
        mutual = len(e["sides"]) == 2
        requests.append(Request(a, b, priority, mutual, " / ".join(e["notes"]), tuple(e["by"]), excluded))
    return tuple(requests)


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

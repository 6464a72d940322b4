"""Event shapes for the benchmark: the bundled generator's event, changed the
way real events differ from it.

Each family takes the generated event (``scheduler example``) and changes one
thing: many hosts, scarce or plentiful tables, many teams, tight daily caps,
short attendance windows, many French-only attendees. Changes are made on the
parsed Event with the same rules the reader applies (parties and merged
requests from ``scheduler.build``), so every shape is a valid event.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time, timedelta

from scheduler import build
from scheduler.model import Attendee, Event, Request

# name -> (what it changes, function)
FAMILIES: dict[str, str] = {
    "sample": "the generator as is",
    "hosts-10-scarce": "10% hosts, tables for 15% of attendees",
    "hosts-10": "10% hosts, tables as generated",
    "hosts-25": "25% hosts, tables as generated",
    "scarce": "no extra hosts, tables for 15% of attendees",
    "teams": "a third of attendees in teams of 2-3 from one organization",
    "caps": "at most 3 meetings a day and 6 in all for everyone",
    "windows": "half the attendees present one day only",
    "french": "40% French-only attendees",
}


def shape(event: Event, family: str, seed: int = 7) -> Event:
    rng = random.Random(seed)
    if family == "sample":
        return event
    if family == "hosts-10-scarce":
        return _tables(_hosts(event, 0.10, rng), 0.15)
    if family == "hosts-10":
        return _hosts(event, 0.10, rng)
    if family == "hosts-25":
        return _hosts(event, 0.25, rng)
    if family == "scarce":
        return _tables(event, 0.15)
    if family == "teams":
        return _teams(event, rng)
    if family == "caps":
        people = [replace(a, max_meetings=6, max_meetings_per_day=3) for a in event.attendees]
        return _rebuild(event, people)
    if family == "windows":
        return _windows(event, rng)
    if family == "french":
        pinned = _in_fixed(event)  # keep the agreed meetings valid
        people = [
            replace(a, languages=("French",)) if a.key not in pinned and rng.random() < 0.4 else a
            for a in event.attendees
        ]
        return _rebuild(event, people)
    raise ValueError(f"unknown family {family}")


def _hosts(event: Event, share: float, rng: random.Random) -> Event:
    pinned = _in_fixed(event)  # keep fixed tables valid
    people = [
        replace(a, host=a.host or (not a.team and a.key not in pinned and rng.random() < share)) for a in event.attendees
    ]
    return _rebuild(event, people)


def _in_fixed(event: Event) -> set[str]:
    return {k.casefold() for f in event.fixed for k in (f.a, f.b)}


def _tables(event: Event, share: float) -> Event:
    """Meeting tables per day about ``share`` of the attendees, spread over the
    meeting rooms as generated."""
    rooms = [r for r in event.rooms if r.use == "Meetings"]
    total = sum(r.tables for r in rooms) or 1
    wanted = max(1, round(share * len(event.attendees)))
    scaled = {r.key: max(1, round(r.tables * wanted / total)) for r in rooms}
    fixed = tuple(
        replace(f, table=None) if f.room and f.table and f.table > scaled.get(f.room, 0) else f for f in event.fixed
    )
    return replace(
        event, rooms=tuple(replace(r, tables=scaled.get(r.key, r.tables)) for r in event.rooms), fixed=fixed
    )


def _teams(event: Event, rng: random.Random) -> Event:
    # A team is free only when all its members are: a member of an agreed
    # meeting could make it impossible (a team-mate absent at its time).
    pinned = _in_fixed(event)
    by_org: dict[str, list[Attendee]] = {}
    for a in event.attendees:
        if not a.team and not a.host and a.organization and a.key not in pinned:
            by_org.setdefault(a.org_key, []).append(a)
    team_of: dict[str, str] = {}
    for org, members in sorted(by_org.items()):
        if len(members) >= 2 and rng.random() < 0.6:
            for a in members[: rng.randint(2, 3)]:
                team_of[a.key] = f"team-{org}"
    people = [replace(a, team=team_of.get(a.key, a.team)) for a in event.attendees]
    return _rebuild(event, people)


def _windows(event: Event, rng: random.Random) -> Event:
    days = event.days
    pinned = _in_fixed(event)  # keep the agreed meetings valid
    people = []
    for a in event.attendees:
        if a.arrives is None and a.departs is None and not a.sessions and a.key not in pinned and rng.random() < 0.5:
            day = rng.choice(days)
            a = replace(a, arrives=datetime.combine(day, time(0)), departs=datetime.combine(day, time(0)) + timedelta(days=1))
        people.append(a)
    return _rebuild(event, people)


def _rebuild(event: Event, people: list[Attendee]) -> Event:
    """Parties and merged requests again, as the reader makes them."""
    parties = build.make_parties(people)
    party_of = {m: p.key for p in parties for m in p.members}
    org_of = {p.key: p.org_key for p in parties}
    asks = []
    for req in event.requests:
        if req.priority == 0 and req.excluded not in (None, "declined (Never)"):
            continue
        for asker in req.asked_by or (req.a,):
            target = req.b if event.party_of.get(asker, asker) == req.a else req.a
            member = event.party[target].members[0]
            asks.append((asker, party_of[member], req.priority, req.note))
    requests = build.merge_requests(asks, party_of, org_of)
    return replace(event, attendees=tuple(people), parties=parties, requests=_keep_order(requests))


def _keep_order(requests: tuple[Request, ...]) -> tuple[Request, ...]:
    return tuple(sorted(requests, key=lambda r: r.pair))

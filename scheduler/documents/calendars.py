"""Calendar files: one RFC 5545 ``.ics`` per attendee, written with icalendar.

Every event carries the event's time zone (TZID, with a VTIMEZONE in the
file). UIDs come from what does not change when a schedule is re-solved —
the pair of parties for a meeting, the session ID for a session — so that a
moved meeting updates the attendee's calendar entry instead of adding a second
one.

After a re-solve each file is written against the attendee's previous file
(``history``): every UID it ever held stays in it. An entry whose time, place
or text changed gets its SEQUENCE raised by one; an entry no longer on the
agenda is kept as ``STATUS:CANCELLED`` with a raised SEQUENCE, so a calendar
that imports the new file removes it (RFC 5545 §3.8.1.11 and §3.8.7.4;
RFC 5546 §2.1.4: a higher SEQUENCE supersedes). DTSTAMP is the time of
writing (``SOURCE_DATE_EPOCH`` fixes it for reproducible files).
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from scheduler.documents.common import (
    Item,
    Program,
    file_names,
    party_names,
    party_orgs,
    person_line,
    words_for,
)
from scheduler.i18n import N_, Words
from scheduler.model import Event
from scheduler.schedule import Schedule

# The properties whose change makes a revision one a calendar must apply (RFC 5545 §3.8.7.4
# names start, end and status; a new table or description matters as much to an attendee).
REVISED = ("dtstart", "dtend", "location", "summary", "description", "status")

History = Mapping[str, VEvent]  # UID -> the entry as last written for one attendee


def uid(event: Event, *parts: str) -> str:
    """A UID that depends only on the event name and what the entry is."""
    text = "\x1f".join((event.settings.name, *parts))
    return f"{hashlib.sha1(text.encode('utf-8')).hexdigest()}@scheduler"


def _zone(event: Event) -> tzinfo | None:
    try:
        return ZoneInfo(event.settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None  # the reader reports a bad zone; here times stay floating


def writing_time() -> datetime:
    """DTSTAMP: now, in UTC, to the second; SOURCE_DATE_EPOCH when set (reproducible builds)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(fixed), UTC) if fixed.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0)


def _timezone(event: Event) -> Timezone | None:
    """VTIMEZONE covering the event's years (not 1970-2038: files stay small)."""
    if _zone(event) is None or not event.days:
        return None
    first, last = event.days[0], event.days[-1]
    return Timezone.from_tzid(event.settings.time_zone, first_date=date(first.year - 1, 1, 1),
                              last_date=date(last.year + 1, 12, 31))


# ---------------------------------------------------------------- entries


def _said(w: Words, label: str, value: str) -> str:
    """'Sectors: ICT' / 'Secteurs : TIC'."""
    return w._("{label}: {value}").format(label=w._(label), value=value)


def _meeting(event: Event, item: Item, w: Words) -> tuple[str, str, str, str]:
    """UID, summary, location and description of a meeting."""
    party, meeting = item.counterpart, item.meeting
    pair = meeting.pair if meeting is not None else (item.start.isoformat(), item.room, item.table)
    who = party_names(event, party) if party else "?"
    orgs = party_orgs(event, party) if party else ""
    summary = _said(w, N_("Meeting"), who) + (f" ({orgs})" if orgs else "")
    lines = []
    if party:
        if party.is_team:
            lines.append(w._("Team {name}:").format(name=party.label))
        for key in party.members:
            a = event.attendee[key]
            lines.append(f"{a.name} — {person_line(a)}" if person_line(a) else a.name)
            if a.sectors:
                lines.append(_said(w, N_("Sectors"), ", ".join(a.sectors)))
    if item.teammates:
        lines.append(_said(w, N_("With your team"), ", ".join(event.attendee[k].name for k in item.teammates)))
    if item.note:
        lines.append(_said(w, N_("Note"), item.note))
    location = w._("{room}, table {table}").format(room=item.room, table=item.table)
    return (uid(event, "meeting", *pair), summary, location, "\n".join(lines))


def _session(event: Event, item: Item, w: Words) -> tuple[str, str, str, str]:
    session = event.session[item.session]
    speakers = [event.attendee[k].name for k in session.speakers if k in event.attendee]
    lines = [_said(w, N_("Track"), item.track)] if item.track else []
    if speakers:
        lines.append(_said(w, N_("Speakers"), ", ".join(speakers)))
    if item.speaker:
        lines.append(w._("You are a speaker at this session."))
    summary = _said(w, N_("Session"), item.title) + (" " + w._("(speaker)") if item.speaker else "")
    return (uid(event, "session", item.session), summary, item.room, "\n".join(lines))


def _plenary(event: Event, item: Item, w: Words) -> tuple[str, str, str, str]:
    return (uid(event, "plenary", item.day.isoformat(), item.title), _said(w, N_("Plenary"), item.title),
            event.settings.venue, "")


def _fields(event: Event, item: Item, w: Words) -> tuple[str, str, str, str] | None:
    """In the attendee's language (``w``)."""
    if item.kind == "meeting":
        return _meeting(event, item, w)
    if item.kind == "session":
        return _session(event, item, w)
    if item.kind == "plenary":
        return _plenary(event, item, w)
    return None  # a break: clutter in a calendar


def _vevent(ident: str, summary: str, location: str, description: str, item: Item,
            zone: tzinfo | None) -> VEvent:
    entry = VEvent()
    entry.add("uid", ident)
    entry.add("dtstart", item.start.replace(tzinfo=zone) if zone else item.start)
    entry.add("dtend", item.end.replace(tzinfo=zone) if zone else item.end)
    entry.add("summary", summary)
    if location:
        entry.add("location", location)
    if description:
        entry.add("description", description)
    entry.add("status", "CONFIRMED")
    return entry


def _same(a: VEvent, b: VEvent) -> bool:
    return all(_value(a, name) == _value(b, name) for name in REVISED)


def _value(entry: VEvent, name: str) -> object:
    if name not in entry:
        return None
    return entry.decoded(name) if name in ("dtstart", "dtend") else str(entry[name])


def _revise(entry: VEvent, before: VEvent | None, stamp: datetime) -> VEvent:
    """Give ``entry`` its SEQUENCE against the previous revision, and the DTSTAMP."""
    sequence = int(before.get("sequence", 0)) if before is not None else 0
    if before is not None and not _same(entry, before):
        sequence += 1
    entry.add("sequence", sequence)
    entry.add("dtstamp", stamp)
    return entry


def cancelled(before: VEvent, stamp: datetime) -> VEvent:
    """The entry as it was, marked cancelled with a raised SEQUENCE (unchanged if already cancelled)."""
    if str(before.get("status", "")).upper() == "CANCELLED":
        return before
    entry = copy.deepcopy(before)
    for name in ("status", "sequence", "dtstamp"):
        entry.pop(name, None)
    entry.add("status", "CANCELLED")
    entry.add("sequence", int(before.get("sequence", 0)) + 1)
    entry.add("dtstamp", stamp)
    return entry


# ---------------------------------------------------------------- files


class Calendars:
    """Writes attendees' calendars; the time zone is serialized once."""

    def __init__(self, program: Program, stamp: datetime | None = None) -> None:
        self.program = program
        event = program.event
        self.zone = _zone(event)
        self.stamp = stamp or writing_time()
        vtimezone = _timezone(event)
        self.vtimezone = vtimezone.to_ical() if vtimezone is not None else b""

    def _head(self, attendee_key: str) -> bytes:
        event = self.program.event
        cal = Calendar()
        # Property values that icalendar does not escape: a line break in a name would break the file.
        cal.add("prodid", " ".join(f"-//scheduler//{event.settings.name}//EN".split()))
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", " ".join(f"{event.settings.name} — {event.attendee[attendee_key].name}".split()))
        if self.zone is not None:
            cal.add("x-wr-timezone", event.settings.time_zone)
        return cal.to_ical().removesuffix(b"END:VCALENDAR\r\n")

    def entries(self, attendee_key: str, history: History | None = None) -> list[VEvent]:
        """The attendee's meetings, sessions and plenaries, then every earlier entry
        no longer on the agenda, cancelled."""
        event, history = self.program.event, history or {}
        w = words_for(event.attendee[attendee_key])
        found: dict[str, VEvent] = {}
        for item in self.program.items(attendee_key):
            fields = _fields(event, item, w)
            if fields is None or fields[0] in found:  # one UID once per file (RFC 5545)
                continue
            entry = _vevent(*fields, item, self.zone)
            found[fields[0]] = _revise(entry, history.get(fields[0]), self.stamp)
        gone = [cancelled(before, self.stamp) for ident, before in history.items() if ident not in found]
        return list(found.values()) + gone

    def ics(self, attendee_key: str, history: History | None = None) -> bytes:
        """The calendar file of one attendee."""
        parts = [self._head(attendee_key), self.vtimezone]
        parts += [entry.to_ical() for entry in self.entries(attendee_key, history)]
        return b"".join(parts) + b"END:VCALENDAR\r\n"


def read_history(path: Path) -> dict[str, VEvent]:
    """UID -> entry of an earlier calendar file; empty when there is none or it cannot be read."""
    try:
        cal = Calendar.from_ical(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return {str(e["uid"]): e for e in cal.walk("VEVENT") if "uid" in e}


def calendar_for(program: Program, attendee_key: str) -> Calendar:
    """One attendee's calendar, parsed (handy for checks; files use :class:`Calendars`)."""
    return Calendar.from_ical(Calendars(program).ics(attendee_key))


def render_calendars(event: Event, schedule: Schedule, folder: str | Path, program: Program | None = None,
                     previous: str | Path | None = None, stamp: datetime | None = None,
                     only: set[str] | None = None) -> list[Path]:
    """``folder/<attendee-id>.ics`` for every attendee; stale .ics files are removed.

    ``previous``: the calendars/ folder of the published run; each file keeps
    the UIDs of the one it replaces (moved entries revised, dropped ones
    cancelled). ``only``: attendee keys to write; the others' files are
    copied from ``previous`` unchanged (nothing of theirs changed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writer = Calendars(program or Program(event, schedule), stamp)
    names = file_names(event.attendees)
    written = []
    for attendee in event.attendees:
        path = folder / f"{names[attendee.key]}.ics"
        old = Path(previous) / path.name if previous is not None else None
        if only is not None and attendee.key not in only and old is not None and old.is_file():
            _link_or_copy(old, path)
        else:
            history = read_history(old) if old is not None else {}
            path.write_bytes(writer.ics(attendee.key, history))
        written.append(path)
    keep = set(written)
    for stale in folder.glob("*.ics"):
        if stale not in keep:
            stale.unlink()
    return written


def _link_or_copy(source: Path, dest: Path) -> None:
    dest.unlink(missing_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        dest.write_bytes(source.read_bytes())

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

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Component, Timezone
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

History = Mapping[str, "Entry"]  # UID -> the entry as last written for one attendee
HISTORY = "calendar-history.json"  # in the output folder: every calendar's entries, for the next re-solve


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


# An entry as calendar-history.json keeps it: uid, start, end (ISO), summary,
# location, description, status, then the SEQUENCE number.
HistoryRow = list[str | int]


@dataclass(frozen=True)
class Entry:
    """One calendar entry as written for an attendee: what the next version is compared with."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    status: str = "CONFIRMED"
    sequence: int = 0

    def same(self, other: Entry) -> bool:
        """Nothing an attendee would notice changed (so the SEQUENCE stays)."""
        keys = ("start", "end", "summary", "location", "description", "status")
        return all(getattr(self, k) == getattr(other, k) for k in keys)

    def cancelled(self) -> Entry:
        """Marked cancelled with a raised SEQUENCE; unchanged if it already was."""
        if self.status == "CANCELLED":
            return self
        return replace(self, status="CANCELLED", sequence=self.sequence + 1)

    def row(self) -> HistoryRow:
        return [self.uid, self.start.isoformat(), self.end.isoformat(), self.summary, self.location,
                self.description, self.status, self.sequence]

    @classmethod
    def from_row(cls, row: HistoryRow, zone: tzinfo | None) -> Entry:
        uid, start, end, summary, location, description, status, sequence = row
        return cls(str(uid), _local(str(start), zone), _local(str(end), zone), str(summary), str(location),
                   str(description), str(status), int(sequence))

    @classmethod
    def from_vevent(cls, e: Component, zone: tzinfo | None) -> Entry:
        def text(name: str) -> str:
            return str(e.get(name, ""))

        start, end = e.decoded("dtstart"), e.decoded("dtend") if "dtend" in e else e.decoded("dtstart")
        if zone is not None and start.tzinfo is not None:
            start, end = start.astimezone(zone), end.astimezone(zone)
        return cls(text("uid"), start, end, text("summary"), text("location"), text("description"),
                   text("status").upper() or "CONFIRMED", int(e.get("sequence", 0)))


def _local(text: str, zone: tzinfo | None) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.astimezone(zone) if zone is not None and moment.tzinfo is not None else moment


def _vevent(entry: Entry, stamp: datetime) -> bytes:
    """The VEVENT of one entry, built and serialized by icalendar."""
    e = VEvent()
    e.add("uid", entry.uid)
    e.add("dtstamp", stamp)
    e.add("dtstart", entry.start)
    e.add("dtend", entry.end)
    e.add("summary", entry.summary)
    if entry.location:
        e.add("location", entry.location)
    if entry.description:
        e.add("description", entry.description)
    e.add("status", entry.status)
    e.add("sequence", entry.sequence)
    return e.to_ical()


# ---------------------------------------------------------------- files


class Calendars:
    """Writes attendees' calendars. The time zone is serialized once, and every entry once
    however many files hold it (sessions and plenaries are in hundreds)."""

    def __init__(self, program: Program, stamp: datetime | None = None) -> None:
        self.program = program
        event = program.event
        self.zone = _zone(event)
        self.stamp = stamp or writing_time()
        vtimezone = _timezone(event)
        self.vtimezone = vtimezone.to_ical() if vtimezone is not None else b""
        self.serialized: dict[Entry, bytes] = {}

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

    def entries(self, attendee_key: str, history: History | None = None) -> list[Entry]:
        """The attendee's meetings, sessions and plenaries, then every earlier entry
        no longer on the agenda, cancelled. An entry that changed since ``history``
        gets the next SEQUENCE."""
        event, history = self.program.event, history or {}
        w = words_for(event.attendee[attendee_key])
        found: dict[str, Entry] = {}
        for item in self.program.items(attendee_key):
            fields = _fields(event, item, w)
            if fields is None or fields[0] in found:  # one UID once per file (RFC 5545)
                continue
            ident, summary, location, description = fields
            start = item.start.replace(tzinfo=self.zone) if self.zone else item.start
            end = item.end.replace(tzinfo=self.zone) if self.zone else item.end
            entry = Entry(ident, start, end, summary, location, description)
            before = history.get(ident)
            if before is not None:
                same = entry.same(before)
                entry = replace(entry, sequence=before.sequence if same else before.sequence + 1)
            found[ident] = entry
        gone = [before.cancelled() for ident, before in history.items() if ident not in found]
        return list(found.values()) + gone

    def ics(self, attendee_key: str, history: History | None = None) -> tuple[bytes, list[Entry]]:
        """The calendar file of one attendee, and its entries (the next version's history)."""
        entries = self.entries(attendee_key, history)
        parts = [self._head(attendee_key), self.vtimezone]
        for entry in entries:
            if entry not in self.serialized:
                self.serialized[entry] = _vevent(entry, self.stamp)
            parts.append(self.serialized[entry])
        return b"".join(parts) + b"END:VCALENDAR\r\n", entries


def read_history(path: Path, zone: tzinfo | None = None) -> dict[str, Entry]:
    """UID -> entry of an earlier calendar file; empty when there is none or it cannot be read."""
    try:
        cal = Calendar.from_ical(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return {str(e["uid"]): Entry.from_vevent(e, zone) for e in cal.walk("VEVENT") if "uid" in e}


class Histories:
    """The entries of the previous run's calendars: from its calendar-history.json, or
    (a folder written before there was one) by reading each .ics file."""

    def __init__(self, previous: Path | None, zone: tzinfo | None) -> None:
        self.previous, self.zone = previous, zone
        self.rows: dict[str, list[HistoryRow]] | None = None
        if previous is not None and (previous / HISTORY).is_file():
            with contextlib.suppress(OSError, ValueError):
                self.rows = json.loads((previous / HISTORY).read_text(encoding="utf-8"))["calendars"]

    @property
    def indexed(self) -> bool:
        return self.rows is not None

    def of(self, stem: str) -> dict[str, Entry]:
        if self.previous is None:
            return {}
        if self.rows is not None:
            return {str(row[0]): Entry.from_row(row, self.zone) for row in self.rows.get(stem, [])}
        return read_history(self.previous / "calendars" / f"{stem}.ics", self.zone)

    def raw(self, stem: str) -> list[HistoryRow] | None:
        return self.rows.get(stem) if self.rows is not None else None


def calendar_for(program: Program, attendee_key: str) -> Calendar:
    """One attendee's calendar, parsed (handy for checks; files use :class:`Calendars`)."""
    return Calendar.from_ical(Calendars(program).ics(attendee_key)[0])


def render_calendars(event: Event, schedule: Schedule, folder: str | Path, program: Program | None = None,
                     previous: str | Path | None = None, stamp: datetime | None = None,
                     only: set[str] | None = None, history_out: Path | None = None) -> list[Path]:
    """``folder/<attendee-id>.ics`` for every attendee; stale .ics files are removed.

    ``previous``: the published run's folder; each file keeps the UIDs of the
    one it replaces (moved entries revised, dropped ones cancelled). ``only``:
    attendee keys to write; the others' files are copied from ``previous``
    unchanged (nothing of theirs changed). ``history_out``: where to write
    every file's entries (calendar-history.json), the next re-solve's history."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writer = Calendars(program or Program(event, schedule), stamp)
    old = Histories(Path(previous) if previous is not None else None, writer.zone)
    names = file_names(event.attendees)
    written, index = [], {}
    for attendee in event.attendees:
        stem = names[attendee.key]
        path = folder / f"{stem}.ics"
        before = Path(previous) / "calendars" / path.name if previous is not None else None
        raw = old.raw(stem)
        if only is not None and attendee.key not in only and before is not None and before.is_file() \
                and raw is not None:
            _link_or_copy(before, path)
            index[stem] = raw
        else:
            data, entries = writer.ics(attendee.key, old.of(stem))
            path.write_bytes(data)
            index[stem] = [e.row() for e in entries]
        written.append(path)
    keep = set(written)
    for stale in folder.glob("*.ics"):
        if stale not in keep:
            stale.unlink()
    if history_out is not None:
        history_out.write_text(json.dumps({"version": 1, "calendars": index}, ensure_ascii=False),
                               encoding="utf-8")
        written.append(history_out)
    return written


def _link_or_copy(source: Path, dest: Path) -> None:
    dest.unlink(missing_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        dest.write_bytes(source.read_bytes())

"""An Event written back as a contract workbook (the rows a user would type),
so that test instances can be kept as files in the product's own format."""

from __future__ import annotations

from scheduler.model import Event

from .workbooks import Book

PRIORITY = {1: "High", 2: "Medium", 3: "Low", 0: "Never"}


def event_book(event: Event) -> Book:
    s = event.settings
    book: Book = {
        "Event": [
            ["Setting", "Value"],
            ["Name", s.name],
            ["Meeting minutes", s.meeting_minutes],
            ["Buffer minutes", s.buffer_minutes],
            ["Spare tables", s.spare_tables],
        ],
        "Schedule": [["Date", "Start", "End", "Activity", "Label"]]
        + [[b.day, b.start.time(), b.end.time(), b.activity, b.label] for b in event.blocks],
        "Rooms": [["Room", "Use", "Capacity", "Tables", "Dates"]]
        + [
            [r.name, r.use, r.capacity or None, r.tables or None, ";".join(sorted(d.isoformat() for d in (r.dates or ()))) or None]
            for r in event.rooms
        ],
        "Sessions": [["Session", "Title", "Speakers"]]
        + [[x.id, x.title, ";".join(x.speakers)] for x in event.sessions],
        "Attendees": [_attendee_header()] + [_attendee(a) for a in event.attendees],
        "Unavailable": [["Attendee", "Date", "Start", "End"]]
        + [[u.attendee, u.start.date(), u.start.time(), u.end.time()] for u in event.unavailable],
        "Requests": [["From", "To", "Priority"]] + _asks(event),
        "Fixed meetings": [["Attendee A", "Attendee B", "Date", "Start"]]
        + [[f.a, f.b, f.start.date(), f.start.time()] for f in event.fixed],
    }
    if s.max_consecutive_meetings:
        book["Event"].append(["Max consecutive meetings", s.max_consecutive_meetings])
    if s.max_meetings_per_day:
        book["Event"].append(["Max meetings per day", s.max_meetings_per_day])
    return book


def _attendee_header() -> list[object]:
    return ["Attendee", "Name", "Organization", "Languages", "Arrives", "Departs", "Max meetings",
            "Max meetings per day", "Sessions", "Team", "Host"]


def _attendee(a) -> list[object]:
    return [a.id, a.name, a.organization, ";".join(a.languages), a.arrives, a.departs, a.max_meetings,
            a.max_meetings_per_day, ";".join(a.sessions), a.team, "yes" if a.host else None]


def _asks(event: Event) -> list[list[object]]:
    rows = []
    for req in event.requests:
        for asker in req.asked_by:
            target = req.b if event.party_of[asker] == req.a else req.a
            party = event.party[target]
            to = party.key.removeprefix("team:") if party.is_team else party.members[0]
            rows.append([asker, to, PRIORITY[req.priority]])
    return rows

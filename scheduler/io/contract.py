"""The workbook contract as data: sheets, columns, settings.

One place that the reader, the template, the forms and the writer share, so a
column is named once. Documented for users in ``docs/workbook.md`` (a test keeps the two in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | id | idlist | list | int | date | time | datetime | datelist | yesno | enum
    required: bool = False  # a cell must be filled
    choices: tuple[str, ...] = ()  # for kind == "enum"
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    appendable: bool = False  # rows may come from several files
    help: str = ""


@dataclass(frozen=True)
class SettingSpec:
    name: str
    kind: str  # text | int | float | enum | tz | spare | percent
    default: object
    choices: tuple[str, ...] = ()
    help: str = ""


PRIORITIES = ("High", "Medium", "Low", "Never")
ACTIVITIES = ("Meetings", "Sessions", "Plenary", "Break")
USES = ("Meetings", "Sessions")
PAPER_SIZES = ("Letter", "A4")
AGENDA_LANGUAGES = ("en", "fr")

SETTINGS = (
    SettingSpec("Name", "text", None, help="Event title, printed on every agenda (required)."),
    SettingSpec("Venue", "text", "", help="Printed on every agenda."),
    SettingSpec("Time zone", "tz", "America/Toronto", help="IANA name, for calendar files."),
    SettingSpec("Meeting minutes", "int", 20, help="Length of one one-to-one meeting (at least 5)."),
    SettingSpec("Buffer minutes", "int", 5, help="Changeover time between two meeting slots."),
    SettingSpec("Max meetings per day", "int", None, help="Cap per attendee; an attendee's own column overrides."),
    SettingSpec("Paper size", "enum", "Letter", PAPER_SIZES, help="For printed agendas."),
    SettingSpec(
        "Session room headroom",
        "percent",
        15.0,
        help="Prefer a session room with this many seats to spare over the expected audience (15% by default).",
    ),
    # Our additions.
    SettingSpec("Max consecutive meetings", "int", None, help="Forced pause after this many back-to-back meetings."),
    SettingSpec("Spare tables", "spare", 0, help="Tables kept free in every slot for walk-ins: a number (3) or a share (10%)."),
    SettingSpec(
        "Fairness weight",
        "float",
        0.0,
        help="0: among schedules of equal score, prefer the one where more attendees get a meeting. "
        "Above 0: a bonus, in Low-request points, for each attendee's first meeting (may cost score).",
    ),
    SettingSpec("Duplex printing", "enum", "Yes", ("Yes", "No"), help="Yes: every agenda starts on an odd page (blank backs added) for double-sided printing."),
)

SHEETS = (
    SheetSpec(
        "Event",
        (Column("Setting", "text", True, help="The setting's name."), Column("Value", "text", help="Its value.")),
        required=True,
        help="Two columns, Setting and Value: event name, venue, meeting length and the rest.",
    ),
    SheetSpec(
        "Schedule",
        (
            Column("Date", "date", True, help="Conference day."),
            Column("Start", "time", True, help="Block start (HH:MM)."),
            Column("End", "time", True, help="Block end (HH:MM)."),
            Column("Activity", "enum", True, ACTIVITIES, help="Meetings, Sessions, Plenary or Break."),
            Column("Label", "text", help="Shown on agendas (Opening plenary, Lunch)."),
        ),
        required=True,
        help="The time grid, one row per block.",
    ),
    SheetSpec(
        "Rooms",
        (
            Column("Room", "id", True, help="Name at the venue, unique."),
            Column("Use", "enum", True, USES, help="Meetings or Sessions."),
            Column("Capacity", "int", help="Seats (session rooms)."),
            Column("Tables", "int", help="Meeting tables (meeting rooms); table k is named T<k>."),
            Column("Dates", "datelist", help="Days the room can be used; empty = every day."),
        ),
        required=True,
    ),
    SheetSpec(
        "Tracks",
        (
            Column("Track", "id", True, help="Track name, unique."),
            Column("Sector", "text", help="Automotive, ICT, Clean Technology..."),
            Column("Description", "text"),
        ),
    ),
    SheetSpec(
        "Sessions",
        (
            Column("Session", "id", True, help="Session ID, unique."),
            Column("Title", "text"),
            Column("Track", "id", help="A Track; sessions of one track should not run at the same time."),
            Column("Speakers", "idlist", help="Attendee IDs, separated by ;"),
            Column("Expected audience", "int", help="Default: attendees who list the session."),
            Column("Date", "date", help="Optional pin to a day."),
            Column("Start", "time", help="Optional pin to a start time."),
            Column("Room", "id", help="Optional pin to a room."),
        ),
    ),
    SheetSpec(
        "Attendees",
        (
            Column("Attendee", "id", True, help="Attendee ID, unique."),
            Column("Name", "text", True, help="Full name."),
            Column("Organization", "text", help="Attendees of one organization never meet each other."),
            Column("Title", "text", help="Job title, printed."),
            Column("Delegation", "text", help="Member state or province (Georgia, Quebec)."),
            Column("Sectors", "list", help="Interests, separated by ;"),
            Column("Email", "text"),
            Column("Languages", "list", help="Default English; a meeting needs a shared language."),
            Column("Arrives", "datetime", help="Presence window start; empty = whole event."),
            Column("Departs", "datetime", help="Presence window end; a bare date = to the end of that day."),
            Column("Max meetings", "int", help="Total cap."),
            Column("Max meetings per day", "int", help="Overrides the Event setting."),
            Column("Sessions", "idlist", help="Session IDs the attendee will attend."),
            Column("Team", "text", help="Attendees with the same Team meet together, as one party."),
            Column("Host", "yesno", help="yes: keeps one table all day; guests come to it."),
            Column("Agenda language", "enum", choices=AGENDA_LANGUAGES,
                   help="en or fr; empty: French for those who speak French but not English, else English."),
            Column("Status", "enum", choices=("cancelled",),
                   help="Empty, or cancelled: the attendee's requests, Unavailable rows, fixed meetings and "
                        "session listings are set aside with a warning each."),
        ),
        required=True,
        appendable=True,
    ),
    SheetSpec(
        "Unavailable",
        (
            Column("Attendee", "id", True),
            Column("Date", "date", True),
            Column("Start", "time", True),
            Column("End", "time", True),
            Column("Reason", "text"),
        ),
        appendable=True,
        help="Times an attendee cannot meet.",
    ),
    SheetSpec(
        "Requests",
        (
            Column("From", "id", True, help="Attendee ID of who asks."),
            Column("To", "id", True, help="Attendee ID or Team name of whom they want to meet."),
            Column("Priority", "enum", False, PRIORITIES, help="High, Medium (default), Low, or Never (declines the pair)."),
            Column("Note", "text", help="Printed on both agendas."),
        ),
        required=True,
        appendable=True,
    ),
    SheetSpec(
        "Fixed meetings",
        (
            Column("Attendee A", "id", True),
            Column("Attendee B", "id", True),
            Column("Date", "date", True),
            Column("Start", "time", True),
            Column("Room", "id"),
            Column("Table", "text", help="T3 or 3."),
        ),
        appendable=True,
        help="Meetings already agreed: kept as given.",
    ),
)

SHEET = {s.name.casefold(): s for s in SHEETS}


def header_key(text: object) -> str:
    """Headers match ignoring case, spaces, underscores and a trailing (unit)."""
    s = re.sub(r"\([^)]*\)\s*$", "", str(text or ""))
    return re.sub(r"[\s_]+", "", s).casefold()


def sheet_key(text: object) -> str:
    return str(text or "").strip().casefold()

"""mailing.csv: who gets which files, written with the documents, read by `scheduler send`.

One row per attendee: ID, name, e-mail address, the agenda and calendar file
(relative to the output folder), whether the agenda changed in this run
(after a re-solve), and the language of the attendee's agenda, which the
mail is written in (``en`` when the column is missing). Organizers may fix an
address here before sending.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..i18n import agenda_language
from ..model import Event

FILE = "mailing.csv"
COLUMNS = ("Attendee", "Name", "Email", "Agenda", "Calendar", "Changed", "Event", "Language")


@dataclass(frozen=True)
class Recipient:
    id: str
    name: str
    email: str
    agenda: str  # path relative to the output folder
    calendar: str
    changed: bool
    event: str  # the event's name, for the subject line
    row: int  # line in mailing.csv, for messages
    language: str = "en"  # of the agenda, and so of the mail


def write_mailing(event: Event, folder: Path, stems: dict[str, str], changed: Collection[str] | None) -> Path:
    """``stems``: attendee key -> file stem of their agenda and calendar; ``changed``:
    keys whose agenda changed (None: not a re-solve, nobody is marked)."""
    path = folder / FILE
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for a in event.attendees:
            stem = stems[a.key]
            flag = "yes" if changed is not None and a.key in changed else "no"
            out.writerow([a.id, a.name, a.email, f"agendas/{stem}.pdf", f"calendars/{stem}.ics", flag,
                          event.settings.name, agenda_language(a.languages, a.agenda_language)])
    return path


def read_mailing(folder: Path) -> list[Recipient]:
    """The recipients; FileNotFoundError when the folder has no mailing.csv."""
    with (folder / FILE).open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return [
        Recipient(r.get("Attendee", "").strip(), r.get("Name", "").strip(), r.get("Email", "").strip(),
                  r.get("Agenda", "").strip(), r.get("Calendar", "").strip(),
                  r.get("Changed", "").strip().casefold() == "yes", r.get("Event", "").strip(), number,
                  (r.get("Language") or "en").strip().casefold())
        for number, r in enumerate(rows, start=2)
    ]

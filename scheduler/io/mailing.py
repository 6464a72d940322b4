"""mailing.csv: who gets which files, written with the documents, read by `scheduler send`.

One row per attendee: ID, name, e-mail address, the agenda and calendar file
(relative to the output folder), whether the agenda changed in this run
(after a re-solve), and the language of the attendee's agenda, which the
mail is written in (``en`` when the column is missing). Organizers may fix an
address here before sending.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..i18n import agenda_language
from ..model import Event
from .excel_text import is_formula_like

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
            out.writerow([_quoted(v) for v in (a.id, a.name, a.email, f"agendas/{stem}.pdf",
                                                f"calendars/{stem}.ics", flag, event.settings.name,
                                                agenda_language(a.languages, a.agenda_language))])
    return path


def _quoted(value: str) -> str:
    """A cell a spreadsheet would take for a formula gets a leading ' (CSV injection:
    organizers open this file in Excel); reading takes it off again. A value that
    already starts with ' before such a character gets one more, so it reads back whole."""
    return "'" + value if is_formula_like(value) or (value.startswith("'") and is_formula_like(value[1:])) \
        else value


def _unquoted(value: str | None) -> str:
    text = (value or "").strip()
    return text[1:] if text.startswith("'") and _quoted(text[1:]) == text else text


def read_mailing(folder: Path) -> list[Recipient]:
    """The recipients; FileNotFoundError when the folder has no mailing.csv. As we
    write it (UTF-8, commas), or as Excel saves it back after an edit (UTF-8 with
    a byte-order mark, or the Windows code page; commas, or semicolons where
    the decimal separator is a comma)."""
    raw = (folder / FILE).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    return [
        Recipient(_unquoted(r.get("Attendee")), _unquoted(r.get("Name")), _unquoted(r.get("Email")),
                  _unquoted(r.get("Agenda")), _unquoted(r.get("Calendar")),
                  _unquoted(r.get("Changed")).casefold() == "yes", _unquoted(r.get("Event")), number,
                  (_unquoted(r.get("Language")) or "en").casefold())
        for number, r in enumerate(rows, start=2)
    ]

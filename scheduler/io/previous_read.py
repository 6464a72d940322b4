"""Who was who in a published schedule.xlsx (its Attendees sheet).

A re-solve needs the people of the previous schedule twice: to check that it
belongs to this event (same IDs, same people), and to name attendees who have
since cancelled, whom the changed event no longer knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from ..model import Event, key_of
from .problems import Problem


@dataclass(frozen=True)
class Person:
    id: str
    name: str | None  # None: the sheet has no such column
    organization: str | None
    row: int  # Excel row in the Attendees sheet


def read_people(path: str | Path) -> dict[str, Person]:
    """Attendee key -> Person; empty when the workbook has no Attendees sheet."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if "Attendees" not in book.sheetnames:
            return {}
        rows = book["Attendees"].iter_rows(values_only=True)
        header = [str(h or "").strip().casefold() for h in next(rows, ())]
        wanted = {name: header.index(name) for name in ("attendee", "name", "organization") if name in header}
        if "attendee" not in wanted:
            return {}
        people = {}
        for number, values in enumerate(rows, start=2):
            cells = {k: _text(values[i]) if i < len(values) else "" for k, i in wanted.items()}
            if cells["attendee"]:
                people[key_of(cells["attendee"])] = Person(
                    cells["attendee"], cells.get("name"), cells.get("organization"), number
                )
        return people
    finally:
        book.close()


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def renamed(event: Event, people: dict[str, Person], file: str) -> list[Problem]:
    """Attendees whose name or organization differs between the previous schedule and the event."""
    problems = []
    for a in event.attendees:
        before = people.get(a.key)
        if before is None:
            continue
        for column, old, new in (("Name", before.name, a.name), ("Organization", before.organization,
                                                                  a.organization)):
            if old is not None and old.casefold() != " ".join(new.split()).casefold():
                problems.append(Problem(
                    f"{a.id} is {new!r} in the registration but {old!r} in the previous schedule: "
                    "is this schedule from another event? If the same person was renamed, run again "
                    "with --accept-renames",
                    file=file, sheet="Attendees", row=before.row, column=column, found=old,
                ))
    return problems

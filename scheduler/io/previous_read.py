"""Who was who in a published schedule.xlsx (its Attendees sheet).

A re-solve needs the people of the previous schedule twice: to check that it
belongs to this event (same IDs, same people), and to name attendees who have
since cancelled, whom the changed event no longer knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Event, key_of
from ..problems import Problem
from .workbook import Unreadable, open_workbook


@dataclass(frozen=True)
class Person:
    id: str
    name: str | None  # None: the sheet has no such column
    organization: str | None
    row: int  # Excel row in the Attendees sheet


def read_people(path: str | Path) -> dict[str, Person]:
    """Attendee key -> Person; empty when the workbook has no Attendees sheet or cannot be
    read (read_schedule reports that, located)."""
    try:
        book = open_workbook(Path(path), Path(path).name)
    except Unreadable:
        return {}
    try:
        if "Attendees" not in book.titles:
            return {}
        rows = book.read("Attendees").rows
    except Unreadable:
        return {}
    finally:
        book.close()
    if not rows:
        return {}
    header = [_text(h).casefold() for h in rows[0][1]]
    wanted = {name: header.index(name) for name in ("attendee", "name", "organization") if name in header}
    if "attendee" not in wanted:
        return {}
    people = {}
    for number, values in rows[1:]:
        cells = {k: _text(values[i]) if i < len(values) else "" for k, i in wanted.items()}
        if cells["attendee"]:
            people[key_of(cells["attendee"])] = Person(
                cells["attendee"], cells.get("name"), cells.get("organization"), number
            )
    return people


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def renamed(event: Event, people: dict[str, Person], file: str) -> list[Problem]:
    """Attendees whose name or organization differs between the previous
    schedule and the event, or whose ID changed (:func:`new_ids`)."""
    problems = new_ids(event, people, file)
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


def new_ids(event: Event, people: dict[str, Person], file: str) -> list[Problem]:
    """People of the previous schedule missing from the event while exactly
    one newly registered attendee has their name and organization: an ID
    typed anew. Left alone, the re-solve would cancel every published meeting
    of theirs and book them again as a stranger's."""
    def who(name: str | None, organization: str | None) -> tuple[str, str]:
        return _text(name).casefold(), _text(organization).casefold()

    newcomers: dict[tuple[str, str], list[str]] = {}
    for a in event.attendees:
        if a.key not in people:
            newcomers.setdefault(who(a.name, a.organization), []).append(a.id)
    registered = event.attendee
    problems = []
    for key, before in people.items():
        if key in registered or not before.name:
            continue
        match = newcomers.get(who(before.name, before.organization), [])
        if len(match) == 1:
            problems.append(Problem(
                f"{before.id} ({before.name}) is no longer in the registration, and {match[0]} is new with "
                f"the same name and organization: if it is the same person, give them back the ID "
                f"{before.id} in the workbook so that their published meetings stay; if not, run again "
                f"with --accept-renames (the meetings of {before.id} are then cancelled)",
                file=file, sheet="Attendees", row=before.row, column="Attendee", found=before.id,
            ))
    return problems

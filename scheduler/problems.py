"""Located problems: every message names FILE › SHEET › row N › COLUMN."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict, Unpack


@dataclass(frozen=True)
class Problem:
    message: str  # what is wrong, in plain words
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    found: str | None = None  # what was found, shown in brackets
    warning: bool = False

    def render(self) -> str:
        where = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        text = self.message
        if self.found is not None:
            text += f" (found: {self.found})"
        prefix = " › ".join(where)
        return f"{prefix}: {text}" if prefix else text


class Where(TypedDict, total=False):
    """Where a problem is, as keyword arguments of ``Problems.error`` and ``warn``."""

    file: str
    sheet: str
    row: int | None
    column: str
    found: str | None


@dataclass
class Problems:
    """Collects problems; errors stop a run, warnings are printed and counted."""

    items: list[Problem] = field(default_factory=list)

    def error(self, message: str, **where: Unpack[Where]) -> None:
        self.items.append(Problem(message, **where))

    def warn(self, message: str, **where: Unpack[Where]) -> None:
        self.items.append(Problem(message, warning=True, **where))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def __bool__(self) -> bool:
        return bool(self.errors)


class InputError(Exception):
    """Raised when input cannot be used; carries every problem found, and
    ``partial``: the event as read without the rows in error, when the errors
    are all in such rows (the settings, time grid, rooms and tracks read), so
    the checks that need a whole event can still run on it."""

    def __init__(self, problems: list[Problem], partial: object | None = None):
        self.problems = problems
        self.partial = partial
        super().__init__("\n".join(p.render() for p in problems))


def plural(count: int, word: str) -> str:
    """"1 meeting", "2 meetings"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def join_words(words: Sequence[str], last: str = "and") -> str:
    """"A1", "A1 and A2", "A1, A2 and A3" (or "A1, A2 or A3"); "" for none."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def rows_text(origins: list[str]) -> str:
    """Where several rows are, each "FILE › SHEET › row N": "ev.xlsx › Fixed
    meetings › rows 2, 3" when they share a sheet, else each in full."""
    heads = {o.rpartition(" › row ")[0] for o in origins}
    numbers = [o.rpartition(" › row ")[2] for o in origins]
    if len(origins) > 1 and len(heads) == 1 and all(n.isdigit() for n in numbers):
        return f"{heads.pop()} › rows {', '.join(sorted(set(numbers), key=int))}"
    return ", ".join(dict.fromkeys(origins))

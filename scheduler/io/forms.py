"""Preference forms: one workbook per delegation (or organization) to collect requests.

``write_forms`` reads the Attendees of the registration workbooks and writes,
for each group, a workbook its members fill in and send back:

- ``Instructions``: what to do, and the group's members with their IDs;
- ``Catalogue``: every other attendee, to choose whom to meet;
- ``Requests`` and ``Unavailable``: contract sheets, empty, with drop-downs;
- ``Lists`` (hidden): the ID lists the drop-downs point to (an inline list
  longer than 255 characters breaks Excel);
- ``Form`` (hidden): ``Group`` and ``Members`` (the members' IDs joined with
  ``;``), so the reader can report a row whose From is not one of them:
  see :func:`form_members`.

The filled forms are given to ``validate`` / ``solve`` beside the
registration workbook; their Requests and Unavailable rows are appended.
So a form holds no other contract sheet (Catalogue is not one).

Attendees are read straight from the Attendees sheet(s) rather than with
``read_event``: a registration file on its own often has no Requests yet,
and the forms only need a few columns.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import zip_longest
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from scheduler.i18n import ENGLISH, FRENCH, N_, in_all
from scheduler.io import cells
from scheduler.io.contract import PRIORITIES, SHEET, header_key, sheet_key
from scheduler.io.excel_text import guard, safe_row
from scheduler.io.template import fit_to_width
from scheduler.io.workbook import BadCell, Sheet, Unreadable, open_workbook
from scheduler.model import key_of
from scheduler.problems import InputError, Problem, Problems

FORM_SHEET = "Form"
LISTS_SHEET = "Lists"
GROUPINGS = ("delegation", "organization")
CATALOGUE_COLUMNS = ("Attendee", "Name", "Title", "Organization", "Delegation", "Sectors", "Languages", "Team")
# Header words shown with their French beside them: "Priority (Priorité)". The reader
# ignores a trailing "(...)" in a header, so the contract sheets still read back.
HEADER_WORDS = (N_("Attendee"), N_("Name"), N_("Title"), N_("Organization"), N_("Delegation"), N_("Sectors"),
                N_("Languages"), N_("Team"), N_("From"), N_("To"), N_("Priority"), N_("Note"), N_("Date"),
                N_("Start"), N_("End"), N_("Reason"))
STEPS = (
    N_("1. Look through the Catalogue sheet for people you would like to meet (use the filters on the headers)."),
    N_("2. In the Requests sheet, write one row per person: From = your ID, To = their ID (or a team name),"),
    N_("   Priority = High, Medium or Low (Medium if left empty), and a Note if you like (printed on both agendas)."),
    N_("   Priority Never means you do not want to meet that person, whoever asks."),
    N_("3. In the Unavailable sheet, give the times you cannot meet: your ID, the date, start and end (HH:MM)."),
    N_("4. Save the file and send it back to the organizers. Do not rename the sheets or the headers."),
)
GROUP_WORDS = {"delegation": N_("delegation"), "organization": N_("organization")}
CATALOGUE_WIDTHS = (10, 26, 34, 38, 24, 48, 16, 30)
EXCEL_EPOCH = date(1899, 12, 30)
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Person:
    """What a form shows about one attendee."""

    id: str
    name: str
    title: str = ""
    organization: str = ""
    delegation: str = ""
    sectors: str = ""
    languages: str = ""
    team: str = ""

    @property
    def key(self) -> str:
        return key_of(self.id)

    def row(self) -> list[str | None]:
        values = (self.id, self.name, self.title, self.organization, self.delegation, self.sectors,
                  self.languages, self.team)
        return [v or None for v in values]


@dataclass(frozen=True)
class Registration:
    """The few things forms need from the registration workbooks."""

    people: tuple[Person, ...]
    event_name: str = ""
    days: tuple[date, ...] = ()


# ---------------------------------------------------------------- names


def ascii_fold(text: str) -> str:
    """Côté -> Cote."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    """A lower-case, dash-separated, ASCII form of a name: Prince Edward Island -> prince-edward-island."""
    folded = ascii_fold(text).lower().replace("&", " and ")
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    return "-".join(words)


def file_names(groups: Iterable[str]) -> dict[str, str]:
    """Group -> a file name, unique even when two names give the same slug."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for group in groups:
        base = slugify(group) or "group"
        name, k = base, 2
        while name in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name)
        result[group] = f"{name}.xlsx"
    return result


# ---------------------------------------------------------------- reading


def read_registration(paths: Sequence[str | Path]) -> Registration:
    """Attendees (appended across files), the event name and the days.

    Raises :class:`InputError` with located problems when there is no
    Attendees sheet, or a row lacks its ID or name, or an ID repeats.
    """
    problems = Problems()
    people: list[Person] = []
    seen: dict[str, str] = {}
    event_name, days = "", set()
    found = False
    for path in map(Path, paths):
        try:
            wb = open_workbook(path, path.name)
        except Unreadable as exc:
            problems.items.append(exc.problem(path.name))
            continue
        try:
            sheets = {sheet_key(title): title for title in wb.titles}
            if "attendees" in sheets:
                found = True
                _read_attendees(wb.read(sheets["attendees"]), people, seen, problems)
            if "event" in sheets:
                event_name = event_name or _event_name(wb.read(sheets["event"]))
            if "schedule" in sheets:
                days.update(_schedule_days(wb.read(sheets["schedule"])))
        except Unreadable as exc:
            problems.items.append(exc.problem(path.name))
        finally:
            wb.close()
    if not found and not problems:
        problems.error("no Attendees sheet in the files given; forms list the attendees of the registration workbook")
    if problems:
        raise InputError(problems.items)
    return Registration(tuple(people), event_name, tuple(sorted(days)))


def _header_map(sheet: Sheet) -> tuple[dict[str, int], list[tuple[int, list[Any]]]]:
    """Header key -> column, and the rows below the header with their numbers."""
    if not sheet.rows or sheet.rows[0][0] != 1:
        return {}, []
    header = sheet.rows[0][1]
    return {header_key(v): i for i, v in enumerate(header) if not cells.is_blank(v)}, sheet.rows[1:]


def _read_attendees(sheet: Sheet, people: list[Person], seen: dict[str, str], problems: Problems) -> None:
    columns, rows = _header_map(sheet)
    file = sheet.file
    where = {"file": file, "sheet": sheet.title}
    missing = [name for name in ("Attendee", "Name") if header_key(name) not in columns]
    for name in missing:
        problems.error("required column is missing", row=1, column=name, **where)
    if missing:
        return

    def cell(values: Sequence[Any], column: str) -> str:
        index = columns.get(header_key(column))
        if index is None or index >= len(values):
            return ""
        value = values[index]
        if column in ("Sectors", "Languages"):
            return "; ".join(cells.split_list(value))
        return cells.text(value)

    for number, values in rows:
        bad = [(i, v) for i, v in enumerate(values) if isinstance(v, BadCell) and i in columns.values()]
        for i, v in bad:  # a formula never computed, or #REF!: say so rather than "must be filled in"
            header = next(h for h, at in columns.items() if at == i)
            column = next((c for c in CATALOGUE_COLUMNS if header_key(c) == header), header)
            problems.error(v.message, row=number, column=column, found=v.found, **where)
        if bad:
            continue
        person = Person(*(cell(values, c) for c in CATALOGUE_COLUMNS))
        if not person.id:
            problems.error("this cell must be filled in", row=number, column="Attendee", **where)
        elif person.key in seen:
            problems.error(f"attendee ID already used in {seen[person.key]}", row=number, column="Attendee",
                           found=person.id, **where)
        elif not person.name:
            problems.error("this cell must be filled in", row=number, column="Name", **where)
        else:
            seen[person.key] = f"{file} row {number}"
            people.append(person)


def _event_name(sheet: Sheet) -> str:
    columns, rows = _header_map(sheet)
    setting, value = columns.get("setting"), columns.get("value")
    if setting is None or value is None:
        return ""
    for _, values in rows:
        if len(values) > max(setting, value) and header_key(values[setting]) == "name":
            return cells.text(values[value])
    return ""


def _schedule_days(sheet: Sheet) -> set[date]:
    """Days of the Schedule, for the Unavailable date drop-down; bad cells are the reader's business."""
    columns, rows = _header_map(sheet)
    index = columns.get("date")
    days: set[date] = set()
    if index is None:
        return days
    for _, values in rows:
        if index < len(values) and not cells.is_blank(values[index]):
            with contextlib.suppress(ValueError):
                days.add(cells.parse_date(values[index]))
    return days


# ---------------------------------------------------------------- grouping


def group_people(people: Sequence[Person], by: str) -> dict[str, list[Person]]:
    """Group -> members, groups in order of first appearance; names match trimmed and case-folded."""
    if by not in GROUPINGS:
        raise ValueError(f"forms are made by delegation or by organization, not {by!r}")
    groups: dict[str, list[Person]] = {}
    label: dict[str, str] = {}
    for p in people:
        written = p.delegation if by == "delegation" else p.organization
        written = written or f"No {by}"
        group = label.setdefault(key_of(written), written)
        groups.setdefault(group, []).append(p)
    return groups


# ---------------------------------------------------------------- writing


def write_forms(registration_paths: Sequence[str | Path], out_dir: str | Path, by: str = "delegation",
                force: bool = False) -> list[Path]:
    """Write one preference form per delegation (or organization) into ``out_dir``.
    A form already there may be one a delegate filled and sent back: unless
    ``force``, it is an error, and nothing is written."""
    registration = read_registration(registration_paths)
    groups = group_people(registration.people, by)
    names = file_names(groups)
    out = Path(out_dir)
    there = sorted(names[g] for g in groups if (out / names[g]).exists())
    if there and not force:
        listed = ", ".join(there[:5]) + (f" and {len(there) - 5} more" if len(there) > 5 else "")
        raise InputError([Problem(f"{out} already holds {listed}, which may be filled forms sent back; "
                                  "write the forms to a new folder with --out, or pass --force to replace them")])
    out.mkdir(parents=True, exist_ok=True)
    teams = _teams(registration.people)
    paths = []
    for group, members in groups.items():
        path = out / names[group]
        write_form(path, group, by, members, registration, teams)
        paths.append(path)
    return paths


def _teams(people: Sequence[Person]) -> dict[str, str]:
    """Team key -> the team name as first written."""
    teams: dict[str, str] = {}
    for p in people:
        if p.team:
            teams.setdefault(key_of(p.team), p.team)
    return teams


def write_form(path: Path, group: str, by: str, members: Sequence[Person], registration: Registration,
               teams: dict[str, str]) -> Path:
    member_keys = {p.key for p in members}
    others = [p for p in registration.people if p.key not in member_keys]
    own_teams = {key_of(p.team) for p in members if p.team}
    targets = [p.id for p in others] + [name for key, name in teams.items() if key not in own_teams]
    wb = Workbook(write_only=True)
    _instructions(wb, group, by, members, registration.event_name)
    _catalogue(wb, others)
    request_rows = _prepared_rows(len(members), per_member=15, at_least=200)
    _requests(wb, request_rows, len(members), len(targets))
    _unavailable(wb, _prepared_rows(len(members), per_member=2, at_least=100), len(members), registration.days)
    _lists(wb, [p.id for p in members], targets)
    _form(wb, group, by, members)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _prepared_rows(members: int, per_member: int, at_least: int) -> int:
    """Rows that get drop-downs: enough for a big delegation, rounded up to a hundred."""
    wanted = max(at_least, members * per_member)
    return -(-wanted // 100) * 100


def _styled(ws: Any, value: object, *, bold: bool = False, fmt: str | None = None, wrap: bool = False) -> WriteOnlyCell:
    cell = guard(WriteOnlyCell(ws, value=value))
    if bold:
        cell.font = BOLD
    if fmt:
        cell.number_format = fmt
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def heading(name: str) -> str:
    """'Priority (Priorité)'; just 'Note' when French writes it alike."""
    french = FRENCH._(name)
    return name if french == name else f"{name} ({french})"


def _header(ws: Any, names: Sequence[str], widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append([_styled(ws, heading(name), bold=True) for name in names])


def _instructions(wb: Workbook, group: str, by: str, members: Sequence[Person], event_name: str) -> None:
    ws = wb.create_sheet("Instructions")
    fit_to_width(ws)
    for letter, width in zip("ABCD", (12, 28, 36, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([_styled(ws, in_all(N_("Meeting requests — {group}"), group=group), bold=True)])
    if event_name:
        ws.append(safe_row(ws, [event_name]))
    for w in (ENGLISH, FRENCH):  # the steps in English, then in French
        ws.append([])
        ws.append([_styled(ws, w._("What to do"), bold=True)])
        for line in STEPS:
            ws.append([w._(line)])
    ws.append([])
    for w in (ENGLISH, FRENCH):
        count = w.ngettext("The {by} {group} has {count} attendee; only this ID can be used in From:",
                           "The {by} {group} has {count} attendees; only these IDs can be used in From:",
                           len(members))
        ws.append([count.format(by=w._(GROUP_WORDS[by]), group=group, count=len(members))])
    ws.append([_styled(ws, heading(h), bold=True) for h in ("Attendee", "Name", "Title", "Organization")])
    for p in members:
        ws.append(safe_row(ws, [p.id, p.name, p.title or None, p.organization or None]))


def _catalogue(wb: Workbook, others: Sequence[Person]) -> None:
    ws = wb.create_sheet("Catalogue")
    fit_to_width(ws)
    _header(ws, CATALOGUE_COLUMNS, CATALOGUE_WIDTHS)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(CATALOGUE_COLUMNS))}{len(others) + 1}"
    for p in others:
        ws.append(safe_row(ws, p.row()))


def _list_range(column: str, count: int) -> str:
    return f"{LISTS_SHEET}!${column}$2:${column}${count + 1}"


def _drop_down(formula: str, prompt: str, error: str) -> DataValidation:
    """A list drop-down; ``prompt`` and ``error`` are catalogue strings, shown in English and French."""
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = in_all(N_("Not in the list"))  # at most 32 characters (Excel)
    dv.error = in_all(error, sep="\n")
    dv.showInputMessage = True
    dv.prompt = in_all(prompt, sep="\n")
    return dv


def _requests(wb: Workbook, rows: int, members: int, targets: int) -> None:
    ws = wb.create_sheet("Requests")
    _header(ws, [c.name for c in SHEET["requests"].columns], (12, 30, 12, 60))
    last = rows + 1
    if members:
        dv = _drop_down(_list_range("A", members), N_("Your attendee ID"),
                        N_("From must be the ID of one of your members."))
        dv.add(f"A2:A{last}")
        ws.data_validations.append(dv)
    if targets:
        dv = _drop_down(_list_range("B", targets), N_("ID (see Catalogue) or team name"),
                        N_("To must be an attendee ID from the Catalogue, or a team name."))
        dv.add(f"B2:B{last}")
        ws.data_validations.append(dv)
    dv = _drop_down('"' + ",".join(PRIORITIES) + '"', N_("High, Medium, Low or Never"),
                    N_("Use High, Medium, Low or Never."))
    dv.add(f"C2:C{last}")
    ws.data_validations.append(dv)


def _unavailable(wb: Workbook, rows: int, members: int, days: Sequence[date]) -> None:
    ws = wb.create_sheet("Unavailable")
    _header(ws, [c.name for c in SHEET["unavailable"].columns], (12, 12, 8, 8, 36))
    formats = (None, "yyyy-mm-dd", "hh:mm", "hh:mm")
    for _ in range(rows):  # formatted empty cells: typed dates and times show as the reader expects
        ws.append([_styled(ws, None, fmt=f) if f else None for f in formats])
    last = rows + 1
    if members:
        dv = _drop_down(_list_range("A", members), N_("Your attendee ID"),
                        N_("Attendee must be the ID of one of your members."))
        dv.add(f"A2:A{last}")
        ws.data_validations.append(dv)
    if days:
        serials = [(d - EXCEL_EPOCH).days for d in (days[0], days[-1])]
        dv = DataValidation(type="date", operator="between", formula1=str(serials[0]), formula2=str(serials[1]),
                            allow_blank=True)
        dv.showErrorMessage = True
        dv.error = in_all(N_("The event runs from {first} to {last}."), sep="\n", first=days[0].isoformat(),
                          last=days[-1].isoformat())
        dv.add(f"B2:B{last}")
        ws.data_validations.append(dv)


def _lists(wb: Workbook, members: Sequence[str], targets: Sequence[str]) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ws.append(["Members", "Others"])
    for pair in zip_longest(members, targets):
        ws.append(safe_row(ws, pair))


def _form(wb: Workbook, group: str, by: str, members: Sequence[Person]) -> None:
    ws = wb.create_sheet(FORM_SHEET)
    ws.sheet_state = "hidden"
    ws.append(["Group", "By", "Members"])
    ws.append(safe_row(ws, [group, by, "; ".join(p.id for p in members)]))


# ---------------------------------------------------------------- for the reader


def form_members(path: str | Path) -> set[str] | None:
    """The member IDs of the group a preference form was made for, trimmed and
    case-folded like every ID (``key_of``); None when the workbook is not a form
    (no hidden ``Form`` sheet with Group and Members: an organizer's own sheet
    called Form is just another sheet). The reader uses it to report Requests
    and Unavailable rows of a form whose From / Attendee is not a member."""
    wb = open_workbook(Path(path), Path(path).name)
    try:
        title = next((t for t in wb.titles if sheet_key(t) == sheet_key(FORM_SHEET) and t in wb.hidden), None)
        if title is None:
            return None
        columns, rows = _header_map(wb.read(title))
        index = columns.get("members")
        if index is None or "group" not in columns or not rows:
            return None
        values = rows[0][1]
        listed = values[index] if index < len(values) else None
        return {key_of(m) for m in cells.split_list(listed)}
    finally:
        wb.close()

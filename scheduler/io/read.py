"""Reading organizers' workbooks into an :class:`~scheduler.model.Event`.

``read_event`` opens one or more workbooks (``.xlsx``, ``.ods``, ``.xls``,
``.xlsb``) through the reading layer (``io/workbook.py``, python-calamine),
finds each contract sheet by name across them, checks every cell and every
reference, and either returns the event with its warnings or raises
:class:`InputError` carrying every problem found (errors and warnings), each
located ``FILE › SHEET › row N › COLUMN``. The format is documented for users
in ``docs/workbook.md``.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from scheduler import build, rules
from scheduler.i18n import LANGUAGE_NAMES
from scheduler.io import cells, suggest
from scheduler.io.contract import (
    ACTIVITIES,
    AGENDA_LANGUAGES,
    SETTINGS,
    SHEET,
    SHEETS,
    USES,
    SettingSpec,
    SheetSpec,
    header_key,
    sheet_key,
)
from scheduler.io.workbook import BadCell, Unreadable, Workbook, not_a_workbook, open_workbook
from scheduler.model import (
    Attendee,
    Block,
    Event,
    Excluded,
    FixedMeeting,
    Party,
    Period,
    Request,
    Room,
    Session,
    Settings,
    Slot,
    Track,
    Unavailability,
    key_of,
)
from scheduler.problems import InputError, Problem, Problems, join_words

Parser = Callable[[object], Any]
not_xlsx_reason = not_a_workbook  # the web page's upload check says why a file is refused


@dataclass(frozen=True)
class ReadResult:
    event: Event
    warnings: tuple[Problem, ...]
    files: tuple[str, ...]


# ---------------------------------------------------------------- files and sheets


@dataclass
class Row:
    """One non-empty data row, keyed by contract column name (present columns only)."""

    file: str
    sheet: str
    number: int
    values: dict[str, object]
    broken: frozenset[str] = frozenset()  # columns holding an Excel error, already reported

    def where(self, column: str = "") -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.number, "column": column}

    @property
    def origin(self) -> str:
        return f"{self.file} › {self.sheet} › row {self.number}"


@dataclass
class Table:
    """A contract sheet, its rows appended from every file that has it."""

    spec: SheetSpec
    sources: list[tuple[str, str]] = field(default_factory=list)  # (file, sheet title)
    rows: list[Row] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.sources)

    def where(self) -> dict[str, Any]:
        files = ", ".join(dict.fromkeys(f for f, _ in self.sources))
        return {"file": files, "sheet": self.sources[0][1] if self.sources else self.spec.name}


def display_names(paths: Sequence[Path]) -> list[str]:
    """Files are named by their base name, or by the path given when two share a name."""
    names = [p.name for p in paths]
    return [p.name if names.count(p.name) == 1 else str(p) for p in paths]


def distinct(names: Sequence[str]) -> list[str]:
    """Names told apart: the second "Talks.xlsx" becomes "Talks.xlsx (2)"."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _given_before(path: Path, name: str, first: dict[Path, str], problems: Problems) -> bool:
    """The same file given twice (``event.xlsx ./event.xlsx``) is read once, with a warning:
    read twice, every row would repeat itself."""
    try:
        same = path.resolve(strict=True)
    except OSError:
        return False  # opening it says what is wrong
    if same in first:
        problems.warn(f"this file is given twice (also as {first[same]}); it is read once", file=name)
        return True
    first[same] = name
    return False


def open_book(path: Path, name: str, problems: Problems) -> Workbook | None:
    try:
        return open_workbook(path, name)
    except Unreadable as exc:
        problems.items.append(exc.problem(name))
        return None


def find_sheets(books: list[Workbook]) -> dict[str, list[tuple[Workbook, str]]]:
    """Contract sheet name -> every (book, sheet title) holding it. Other sheets are ignored."""
    found: dict[str, list[tuple[Workbook, str]]] = {spec.name: [] for spec in SHEETS}
    for book in books:
        for title in book.titles:
            spec = SHEET.get(sheet_key(title))
            if spec is not None:
                found[spec.name].append((book, title))
    return found


def read_tables(books: list[Workbook], problems: Problems, all_opened: bool) -> dict[str, Table]:
    found = find_sheets(books)
    tables: dict[str, Table] = {}
    for spec in SHEETS:
        sources = found[spec.name]
        if len(sources) > 1 and not spec.appendable:
            places = " and ".join(f"{book.name} ({title})" for book, title in sources)
            problems.error(f"this sheet must come from one file only; it is in {places}", sheet=spec.name)
            sources = sources[:1]
        table = Table(spec)
        for book, title in sources:
            table.sources.append((book.name, title))
            table.rows.extend(read_sheet(book, title, spec, problems))
        check_presence(table, books, problems, all_opened)
        tables[spec.name] = table
    return tables


def parse_agenda_language(value: object) -> str:
    """``en`` or ``fr``; the language's name in English or French is understood too ("French", "français")."""
    word = cells.text(value).casefold()
    named = [code for code, names in LANGUAGE_NAMES.items() if word in names]
    if named and named[0] in AGENDA_LANGUAGES:
        return named[0]
    return cells.parse_choice(value, AGENDA_LANGUAGES)


# The sheets other rows refer to by ID.
LISTS = ("Attendees", "Rooms", "Tracks", "Sessions")

# Sheets that may be present with no rows: an event that only schedules
# sessions has no requests; the Event sheet is checked by its values.
MAY_BE_EMPTY = ("Event", "Requests")


def check_presence(table: Table, books: list[Workbook], problems: Problems, all_opened: bool) -> None:
    spec = table.spec
    if not spec.required:
        return
    if not table.present:
        # A file that could not be opened probably holds the sheet: say so once, not per sheet.
        if all_opened:
            names = ", ".join(b.name for b in books) or "the files given"
            titles = {title: book.name for book in books for title in book.titles}
            near = difflib.get_close_matches(spec.name.casefold(), [t.casefold() for t in titles], n=1, cutoff=0.75)
            close = next((t for t in titles if near and t.casefold() == near[0]), None)
            hint = f"; did you mean the sheet {close!r} of {titles[close]}? Rename it to {spec.name}" if close else ""
            problems.error(f"required sheet is missing; add a sheet named {spec.name} (looked in {names}){hint}",
                           sheet=spec.name)
    elif not table.rows and spec.name not in MAY_BE_EMPTY and not _reported(problems, table):
        problems.error("the sheet has no data rows; fill it in below the headers", **table.where())


def _reported(problems: Problems, table: Table) -> bool:
    """An error of the sheet itself (its headers, its file) is reported: "no data rows" would only echo it."""
    titles = {title for _, title in table.sources}
    return any(not p.warning and p.sheet in titles for p in problems.items)


# ---------------------------------------------------------------- one sheet


def read_sheet(book: Workbook, title: str, spec: SheetSpec, problems: Problems) -> list[Row]:
    where: dict[str, Any] = {"file": book.name, "sheet": title}
    if title in book.charts:
        problems.error("is a chart sheet, not a table", **where)
        return []
    try:
        sheet = book.read(title)
    except Unreadable as exc:
        problems.items.append(exc.problem(book.name))
        return []
    check_merges(sheet.merges, where, problems)
    rows = iter(sheet.rows)
    first = next(rows, None)
    if first is None:
        return []
    number, header = first
    lower = _header_row(sheet.rows, spec) if number != 1 or _no_known_header(header, spec) else None
    if number != 1 or lower:
        said = f"; the headers are on row {lower}: delete the rows above them" if lower else ""
        problems.error(f"row 1 must hold the column headers{said}", row=1, **where)
        return []
    mapping = read_header(header, spec, where, problems)
    return read_rows(rows, mapping, where, problems) if mapping else []


def _names_required(values: Sequence[object], spec: SheetSpec) -> bool:
    """Whether a row holds every required header of the sheet."""
    written = {header_key(v) for v in values if isinstance(v, str)}
    return all(header_key(c.name) in written for c in spec.columns if c.required)


def _no_known_header(header: Sequence[object], spec: SheetSpec) -> bool:
    """Row 1 names none of the sheet's columns (a title above the table, perhaps)."""
    known = {header_key(c.name) for c in spec.columns}
    return not any(isinstance(v, str) and header_key(v) in known for v in header)


def _header_row(rows: Sequence[tuple[int, list[object]]], spec: SheetSpec) -> int | None:
    """The first of the sheet's first rows that holds every required header."""
    return next((number for number, values in rows[:5] if number > 1 and _names_required(values, spec)), None)


def check_merges(merges: Sequence[tuple[int, int, int, int]], where: dict[str, Any], problems: Problems) -> None:
    for row, column, last_row, last_column in merges:
        ref = f"{cell_name(row, column)}:{cell_name(last_row, last_column)}"
        if row == 0:
            problems.error("header cells are merged; unmerge them and give each column its own header",
                           row=1, found=ref, **where)
        else:
            problems.warn("cells are merged; only the first cell keeps its value, the others read as empty",
                          row=row + 1, found=ref, **where)


def cell_name(row: int, column: int) -> str:
    """0-based (row, column) -> "C1"."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def read_header(header: list[object], spec: SheetSpec, where: dict[str, Any],
                problems: Problems) -> list[tuple[int, str]]:
    """(index, contract column name) for every known header; problems for the rest."""
    known = {header_key(c.name): c for c in spec.columns}
    mapping: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    unknown: list[str] = []
    for index, value in enumerate(header):
        if cells.is_blank(value):
            continue
        written = cells.text(value)
        if isinstance(value, BadCell) or cells.is_excel_error(value):
            shown = value.found if isinstance(value, BadCell) else written
            problems.error("the header cell holds an Excel error or a formula without a value; type the header",
                           row=1, found=shown, **where)
            continue
        column = known.get(header_key(value))
        if column is None:
            unknown.append(written)
        elif column.name in seen:
            problems.error("this column appears twice", row=1, column=written, **where)
        else:
            seen[column.name] = index
            mapping.append((index, column.name))
    suggested = set()
    required = {c.name for c in spec.columns if c.required}
    for written in unknown:
        near = suggest.header(written, [c.name for c in spec.columns if c.name not in seen])
        if near in required:  # the sheet cannot be read without it: the missing column's error, said better
            suggested.add(near)
            problems.error(f"unknown column; did you mean {near}? Rename the header to {near}",
                           row=1, column=written, found=written, **where)
        elif near:  # the contract: an unknown column is a warning; a typo of an optional one is worth naming
            problems.warn(f"unknown column, ignored; if it is meant as {near}, rename the header to {near}: "
                          f"until then no {near} is read", row=1, column=written, found=written, **where)
        else:
            problems.warn("unknown column, ignored", row=1, column=written, **where)
    if any(not cells.is_blank(v) for v in header):
        for column in spec.columns:
            if column.required and column.name not in seen and column.name not in suggested:
                problems.error("required column is missing", row=1, column=column.name, **where)
    return mapping


def read_rows(rows: Iterator[tuple[int, list[object]]], mapping: list[tuple[int, str]],
              where: dict[str, Any], problems: Problems) -> list[Row]:
    file, sheet = where["file"], where["sheet"]
    errors = cells.EXCEL_ERRORS
    found: list[Row] = []
    for number, values in rows:
        width = len(values)
        picked = {name: values[index] if index < width else None for index, name in mapping}
        # Written out rather than via cells.is_blank: this loop runs once per row of 80,000.
        if not any(v is not None and (type(v) is not str or v.strip()) for v in picked.values()):
            continue  # nothing in a contract column: a note beside the table, or spaces
        broken = []
        for name, v in picked.items():
            if type(v) is str:
                if v in errors:
                    broken.append(name)
                    problems.error("the cell holds an Excel error; fix the formula or type the value",
                                   file=file, sheet=sheet, row=number, column=name, found=v)
                elif not v.isprintable():
                    picked[name] = clean(v, problems, file=file, sheet=sheet, row=number, column=name)
            elif type(v) is BadCell:
                broken.append(name)
                problems.error(v.message, file=file, sheet=sheet, row=number, column=name, found=v.found)
        found.append(Row(file, sheet, number, picked, frozenset(broken)))
    return found


def clean(value: str, problems: Problems, **where: Any) -> str:
    """Line breaks (Alt+Enter), tabs and control characters become one space;
    a warning says so unless only no-break spaces were replaced."""
    cleaned = " ".join(cells.printable(value).split()) if value.strip() else value
    if cells.has_control(value):
        problems.warn("line breaks or control characters in the cell were replaced by spaces",
                      found=cells.visible(value), **where)
    return cleaned


# ---------------------------------------------------------------- parsing helpers


def at_least(minimum: int) -> Parser:
    def parse(value: object) -> int:
        number = cells.parse_int(value)
        if number < minimum:
            raise ValueError("must not be negative" if minimum == 0 else f"must be at least {minimum}")
        return number

    return parse


def one_of(choices: tuple[str, ...]) -> Parser:
    return lambda value: cells.parse_choice(value, choices)


def time_zone(value: object) -> str:
    name, why = suggest.time_zone(cells.text(value))
    if name is None:
        raise ValueError(why)
    return name


def spare_tables(value: object) -> dict[str, Any]:
    """``3`` tables, or a share: ``10%`` (or 0.1 from a percent-formatted cell)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        share = cells.parse_float(value.strip()[:-1])
    elif isinstance(value, float) and not value.is_integer() and 0 < value < 1:
        share = value * 100
    else:
        return {"spare_tables": at_least(0)(value)}
    if not 0 <= share <= 100:
        raise ValueError("a share of tables must be between 0% and 100%")
    return {"spare_tables_percent": share}


def percent(value: object) -> float:
    """``15%``, 15, or 0.15 from a percent-formatted cell: 15 (per cent)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        share = cells.parse_float(value.strip()[:-1])
    elif isinstance(value, float) and not value.is_integer() and 0 < value < 1:
        share = value * 100
    else:
        share = cells.parse_float(value)
    if not 0 <= share <= 1000:
        raise ValueError("give a percentage between 0% and 1000%")
    return share


def setting_parser(spec: SettingSpec) -> Parser:
    field_name = spec.name.lower().replace(" ", "_")
    minimum = {"meeting_minutes": 5, "buffer_minutes": 0}.get(field_name, 1)
    parse: Parser = {
        "text": cells.text,
        "int": at_least(minimum),
        "float": non_negative_float,
        "enum": one_of(spec.choices),
        "tz": time_zone,
        "percent": percent,
    }.get(spec.kind, cells.text)
    if spec.kind == "spare":
        return spare_tables
    return lambda value: {field_name: parse(value)}


def non_negative_float(value: object) -> float:
    number = cells.parse_float(value)
    if number < 0:
        raise ValueError("must not be negative")
    return number


def person(written: str, name: str) -> str:
    return f"{written} ({name})" if name else written


def hhmm(moment: datetime | time) -> str:
    return moment.strftime("%H:%M")


FAR_DAYS = 7  # dates further than this from the event's other dates are typos


def event_days(days: Sequence[date]) -> list[date]:
    """The run of sorted ``days`` around their median with no gap longer than FAR_DAYS."""
    unique = sorted(set(days))
    middle = unique.index(sorted(days)[len(days) // 2])
    first = last = middle
    while first > 0 and (unique[first] - unique[first - 1]).days <= FAR_DAYS:
        first -= 1
    while last < len(unique) - 1 and (unique[last + 1] - unique[last]).days <= FAR_DAYS:
        last += 1
    return unique[first : last + 1]


def day_list(days: Sequence[date]) -> str:
    return f"{days[0].isoformat()} to {days[-1].isoformat()}" if days else "none"


# ---------------------------------------------------------------- building the event


class Builder:
    """Turns the rows of every table into the Event, reporting each problem where it is."""

    def __init__(self, tables: dict[str, Table], problems: Problems, forms: dict[str, set[str]] | None = None):
        self.tables = tables
        self.problems = problems
        # File name -> member IDs, for preference forms (``scheduler forms``):
        # a form may only speak for its own delegation's members.
        self.forms = forms or {}
        self.failures = 0  # errors so far; a row with a new error is not used
        self.grid_incomplete = False  # a Schedule row was left out for its errors
        # IDs repeat across 80,000 requests: fold each distinct spelling once.
        self.key: Callable[[str], str] = functools.lru_cache(maxsize=None)(key_of)
        self.settings = Settings(name="")
        self.days: tuple[date, ...] = ()
        self.slots: tuple[Slot, ...] = ()
        self.periods: tuple[Period, ...] = ()
        # Every ID claimed, even on a row with errors, so that one bad row
        # does not turn every reference to it into a second error.
        self.room_ids: dict[str, Room | None] = {}
        self.room_uses: set[str | None] = set()
        self.track_ids: set[str] = set()
        self.session_ids: set[str] = set()
        self.attendee_ids: set[str] = set()
        self.attendee_labels: dict[str, str] = {}  # key -> "P09 (Ines Miller)", for suggestions
        self.cancelled: dict[str, tuple[str, Row]] = {}  # key -> (label, Attendees row), Status cancelled
        self.cancelled_teams: set[str] = set()
        self.hints: dict[tuple[str, str], str] = {}
        self.written: dict[str, dict[str, str]] = {"session": {}, "track": {}, "room": {}}  # key -> as written
        self.team_labels: dict[str, str] = {}
        self.team_rows: dict[str, list[Row]] = {}
        self.setting_rows: dict[str, Row] = {}
        self.session_refs: list[tuple[Row, list[str]]] = []
        self.party_of: dict[str, str] = {}
        self.parties: dict[str, Party] = {}
        # Sheets that gave no rows for an error of their own (missing, headers unreadable).
        self.unread = {name for name, t in tables.items() if name in LISTS and not t.rows
                       and ((t.spec.required and not t.present) or _reported(problems, t))}

    # -- reporting and cells

    def error(self, message: str, **where: Any) -> None:
        self.failures += 1
        self.problems.error(message, **where)

    def unknown(self, listing: str, message: str, **where: Any) -> None:
        """An ID that the sheet ``listing`` does not list: an error, unless that sheet
        could not be read (every ID would be unknown then; its own error says why)."""
        if listing in self.unread:
            self.failures += 1
        else:
            self.error(message, **where)

    def warn(self, message: str, **where: Any) -> None:
        self.problems.warn(message, **where)

    def get(self, row: Row, column: str, parse: Parser = cells.text, *, required: bool = False,
            default: Any = None) -> Any:
        """The parsed cell; ``default`` when empty or absent; None after reporting a bad value."""
        if column not in row.values or column in row.broken:
            return default  # a missing column or an Excel error is reported once, elsewhere
        raw = row.values[column]
        if cells.is_blank(raw):
            if required:
                self.error("this cell must be filled in", **row.where(column))
            return default
        try:
            return parse(raw)
        except ValueError as exc:
            self.error(str(exc), found=getattr(exc, "found", None) or cells.show(raw), **row.where(column))
            return None

    def claim(self, seen: dict[str, Row], key: str, row: Row, column: str, what: str, written: str) -> bool:
        """Record a unique name; report a repeat naming where it was first used."""
        first = seen.get(key)
        if first is None:
            seen[key] = row
            return True
        self.error(f"{what} already used in {self.place_of(first, row)}", found=written, **row.where(column))
        return False

    def rows(self, sheet: str) -> list[Row]:
        return self.tables[sheet].rows

    def books_meetings(self) -> bool:
        """Whether the event has meetings to book: a Requests or Fixed meetings row.
        Only then does it need a Meetings block and a Meetings room; an event
        that only schedules sessions leaves both sheets empty."""
        return bool(self.rows("Requests") or self.rows("Fixed meetings"))

    # -- the whole event

    def build(self) -> Event:
        self.settings = self.read_settings()
        blocks = self.read_schedule()
        self.days = tuple(sorted({block.day for block, _ in blocks}))
        self.slots = self.cut_slots(blocks)
        self.periods = self.make_periods(blocks)
        rooms = self.read_rooms()
        tracks = self.read_tracks()
        attendees = self.read_attendees()
        sessions = self.read_sessions()
        self.check_session_refs()
        self.check_sessions_have_places(sessions, rooms)
        parties = self.make_parties(attendees)
        event = Event(
            settings=self.settings,
            blocks=tuple(block for block, _ in sorted(blocks, key=lambda b: (b[0].start, b[0].end))),
            slots=self.slots,
            periods=self.periods,
            rooms=tuple(rooms),
            tracks=tuple(tracks),
            sessions=tuple(sessions),
            attendees=tuple(attendees),
            parties=tuple(parties),
            requests=tuple(self.read_requests()),
            unavailable=tuple(self.read_unavailable()),
            fixed=tuple(self.read_fixed()),
        )
        self.check_spare(event)
        return event

    # -- Event

    def read_settings(self) -> Settings:
        table = self.tables["Event"]
        if not table.present:
            return Settings(name="")
        if not any(not cells.is_blank(row.values.get("Value")) for row in table.rows):
            self.error("the sheet has no values; fill in at least the event Name", **table.where())
            return Settings(name="")
        specs = {header_key(s.name): s for s in SETTINGS}
        values: dict[str, Any] = {}
        seen: dict[str, Row] = {}
        for row in table.rows:
            written = self.get(row, "Setting", required=True)
            if not written:
                continue
            spec = specs.get(header_key(written))
            if spec is None:
                self.warn("unknown setting, ignored", found=written, **row.where("Setting"))
            elif self.claim(seen, spec.name, row, "Setting", "this setting is", written):
                self.setting_rows[spec.name] = row
                values.update(self.get(row, "Value", setting_parser(spec), default={}) or {})
        if not values.get("name") and "Name" in seen:
            if not seen["Name"].broken:
                self.error("the event needs a Name: type the event title here", **seen["Name"].where("Value"))
        elif not values.get("name"):
            self.error("the event needs a Name: add a row with Setting Name and the event title as Value",
                       **table.where())
        return Settings(**{"name": "", **values})

    def check_spare(self, event: Event) -> None:
        """Spare tables that keep every table of a meeting day free: no meeting
        could be booked that day, and the solve would only say "no table free"."""
        row = self.setting_rows.get("Spare tables")
        days = sorted({s.day for s in event.slots})
        closed = [d for d in days if event.meeting_rooms(d) and rules.usable_tables(event, d) == 0]
        if row is not None and closed:
            listed = ", ".join(d.isoformat() for d in closed)
            self.warn(f"the spare tables are every meeting table on {listed}: no meeting can be booked then; "
                      "lower Spare tables", **row.where("Value"))

    # -- Schedule: blocks, slots, periods

    def read_schedule(self) -> list[tuple[Block, Row]]:
        blocks: list[tuple[Block, Row]] = []
        saw_meetings = False
        before = self.failures
        for row in self.rows("Schedule"):
            mark = self.failures
            day = self.get(row, "Date", cells.parse_date, required=True)
            start = self.get(row, "Start", cells.parse_time, required=True)
            end = self.get(row, "End", cells.parse_time, required=True)
            activity = self.get(row, "Activity", one_of(ACTIVITIES), required=True)
            label = self.get(row, "Label", default="")
            saw_meetings = saw_meetings or activity == "Meetings"
            if self.failures != mark or None in (day, start, end, activity):
                continue
            if end <= start:
                self.error("End must be after Start", found=f"{hhmm(end)}, Start {hhmm(start)}", **row.where("End"))
                continue
            block = Block(day, datetime.combine(day, start), datetime.combine(day, end), activity, label)
            blocks.append((block, row))
        if self.rows("Schedule") and not saw_meetings and self.books_meetings():
            self.error("the Schedule has no Meetings block; add at least one row with Activity Meetings "
                       "(an event with sessions only leaves Requests and Fixed meetings empty)",
                       **self.tables["Schedule"].where())
        elif self.rows("Schedule") and not saw_meetings and not any(b.activity == "Sessions" for b, _ in blocks):
            self.error("the Schedule has no Meetings or Sessions block: nothing can be scheduled; add a row "
                       "with Activity Meetings or Sessions", **self.tables["Schedule"].where())
        # A block left out for its errors: times of other sheets cannot be checked against the grid.
        self.grid_incomplete = self.failures != before
        blocks = self.check_far_dates(blocks)
        self.check_overlaps([b for b in blocks if b[0].activity == "Meetings"])
        self.check_closed_sessions(blocks)
        return blocks

    def check_far_dates(self, blocks: list[tuple[Block, Row]]) -> list[tuple[Block, Row]]:
        """A date far from the event's other dates is a typo (last year's date
        copied over): an error, and the row is left out of the days."""
        days = sorted(block.day for block, _ in blocks)
        if not days:
            return blocks
        cluster = event_days(days)
        kept = []
        for block, row in blocks:
            if block.day in cluster:
                kept.append((block, row))
                continue
            near = cluster[len(cluster) // 2]
            hint = ""
            with contextlib.suppress(ValueError):
                same_year = block.day.replace(year=near.year)
                if abs((same_year - near).days) <= FAR_DAYS:
                    hint = f"; did you mean {same_year.isoformat()}?"
            self.error(f"this date is {abs((block.day - near).days)} days away from the event's other dates "
                       f"({day_list(cluster)}); check the year{hint}",
                       found=block.day.isoformat(), **row.where("Date"))
        return kept

    def check_closed_sessions(self, blocks: list[tuple[Block, Row]]) -> None:
        """A Sessions block that overlaps a Plenary or a Break can hold no session (nothing
        is placed then): said at its row, so that solve never refuses without one."""
        if not self.rows("Sessions"):
            return
        closed = [(b, r) for b, r in blocks if b.activity in ("Plenary", "Break")]
        usable = 0
        for block, row in blocks:
            if block.activity != "Sessions":
                continue
            clash = next(((b, r) for b, r in closed if b.start < block.end and block.start < b.end), None)
            if clash is None:
                usable += 1
                continue
            other, other_row = clash
            self.warn(f"this Sessions block overlaps the {other.activity} of row {other_row.number} "
                      f"({hhmm(other.start)}–{hhmm(other.end)}); no session can be placed in it",
                      found=f"{hhmm(block.start)}–{hhmm(block.end)}", **row.where("Start"))
        if usable == 0 and any(b.activity == "Sessions" for b, _ in blocks):
            self.error("every Sessions block overlaps a Plenary or a Break, so no session can be placed; "
                       "move a Sessions block or the break", **self.tables["Schedule"].where())

    def check_overlaps(self, meetings: list[tuple[Block, Row]]) -> None:
        latest: tuple[Block, Row] | None = None
        for block, row in sorted(meetings, key=lambda b: (b[0].start, b[0].end)):
            if latest and latest[0].day == block.day and block.start < latest[0].end:
                other, other_row = latest
                self.error(f"this Meetings block overlaps the one in row {other_row.number} "
                           f"({hhmm(other.start)}–{hhmm(other.end)}); Meetings blocks must not overlap",
                           found=f"{hhmm(block.start)}–{hhmm(block.end)}", **row.where("Start"))
            if latest is None or latest[0].day != block.day or block.end > latest[0].end:
                latest = (block, row)

    def cut_slots(self, blocks: list[tuple[Block, Row]]) -> tuple[Slot, ...]:
        """Meetings blocks cut into slots (``build.cut_slots``), with a located
        warning for each block that leaves time unused."""
        for block, row in blocks:
            if block.activity == "Meetings":
                self.check_unused(block, row)
                self.check_swallowed(block, row, blocks)
        return build.cut_slots([b for b, _ in blocks], self.settings.meeting_minutes, self.settings.buffer_minutes)

    def check_swallowed(self, block: Block, row: Row, blocks: list[tuple[Block, Row]]) -> None:
        """A Meetings block whose every slot falls in a Plenary or a Break holds no
        meeting (a Break typed "12:00 AM" for noon starts at midnight): said at its row."""
        starts = build.slot_starts(block.start, block.end, self.settings.meeting_minutes, self.settings.buffer_minutes)
        length = timedelta(minutes=self.settings.meeting_minutes)
        closed = [(b, r) for b, r in blocks if b.activity in ("Plenary", "Break")]
        over = [next(((b, r) for b, r in closed if s < b.end and b.start < s + length), None) for s in starts]
        if starts and all(over):
            other, other_row = next(o for o in over if o)
            self.warn(f"every slot of this Meetings block falls in the {other.activity} of row {other_row.number} "
                      f"({hhmm(other.start)}–{hhmm(other.end)}), so it holds no meeting; check the times",
                      found=f"{hhmm(block.start)}–{hhmm(block.end)}", **row.where("Start"))

    def check_unused(self, block: Block, row: Row) -> None:
        m, b = self.settings.meeting_minutes, self.settings.buffer_minutes
        starts = build.slot_starts(block.start, block.end, m, b)
        if not starts:
            self.warn(f"this Meetings block is shorter than one meeting ({m} minutes); no meeting can be placed in it",
                      found=f"{hhmm(block.start)}–{hhmm(block.end)}", **row.where("End"))
            return
        last_end = starts[-1] + timedelta(minutes=m)
        unused = int((block.end - last_end).total_seconds() // 60)
        if unused > b:
            self.warn(f"{unused} minutes at the end of this Meetings block are unused "
                      f"({hhmm(last_end)}–{hhmm(block.end)}): it fits {len(starts)} meetings of {m} + {b} minutes",
                      found=f"{hhmm(block.start)}–{hhmm(block.end)}", **row.where("End"))

    def make_periods(self, blocks: list[tuple[Block, Row]]) -> tuple[Period, ...]:
        return build.cut_periods([b for b, _ in blocks])

    # -- Rooms and Tracks

    def read_rooms(self) -> list[Room]:
        rooms: list[Room] = []
        seen: dict[str, Row] = {}
        for row in self.rows("Rooms"):
            mark = self.failures
            name = self.get(row, "Room", required=True)
            use = self.get(row, "Use", one_of(USES), required=True)
            capacity = self.get(row, "Capacity", at_least(1))
            tables = self.get(row, "Tables", at_least(1))
            dates = self.get(row, "Dates", cells.parse_dates)
            self.room_uses.add(use)
            if name and not self.claim(seen, self.key(name), row, "Room", "this room name is", name):
                continue
            if name:
                self.room_ids[self.key(name)] = None
                self.written["room"][self.key(name)] = name
            self.check_room_needs(row, use)
            self.check_days(row, "Dates", dates or [], "the room is open on a day that is not in the Schedule")
            if self.failures == mark and name and use:
                room = Room(name, use, capacity, tables or 0, frozenset(dates) if dates else None)
                self.room_ids[room.key] = room
                rooms.append(room)
        # A row whose Use is wrong (None here) was reported already and may be the meeting room.
        if self.rows("Rooms") and not {"Meetings", None} & self.room_uses and self.books_meetings():
            self.error("there is no room with Use Meetings; meetings need at least one: set Use to Meetings "
                       "on the room (with its Tables) where the meetings take place",
                       found=self._uses(), **self.tables["Rooms"].where(), column="Use")
        return rooms

    def _uses(self) -> str:
        """The Use values the Rooms rows give, for a message."""
        return ", ".join(sorted(u for u in self.room_uses if u)) or "none"

    def check_room_needs(self, row: Row, use: str | None) -> None:
        if use == "Meetings" and cells.is_blank(row.values.get("Tables")) and "Tables" not in row.broken:
            self.error("a Meetings room needs its number of Tables (1 or more)", found="empty", **row.where("Tables"))
        if use == "Sessions" and cells.is_blank(row.values.get("Capacity")) and "Capacity" not in row.broken:
            self.error("a Sessions room needs a Capacity (1 or more seats)", found="empty", **row.where("Capacity"))

    def check_days(self, row: Row, column: str, days: Sequence[date], message: str) -> None:
        """Warn about dates that are not conference days (only once the Schedule gave days)."""
        if not self.days:
            return
        for day in days:
            if day not in self.days:
                self.warn(f"{message} ({day_list(self.days)})", found=day.isoformat(), **row.where(column))

    def read_tracks(self) -> list[Track]:
        tracks: list[Track] = []
        seen: dict[str, Row] = {}
        for row in self.rows("Tracks"):
            name = self.get(row, "Track", required=True)
            if not name or not self.claim(seen, self.key(name), row, "Track", "this track name is", name):
                continue
            self.track_ids.add(self.key(name))
            self.written["track"][self.key(name)] = name
            tracks.append(Track(name, self.get(row, "Sector", default=""), self.get(row, "Description", default="")))
        return tracks

    # -- Attendees

    def read_attendees(self) -> list[Attendee]:
        attendees: list[Attendee] = []
        seen: dict[str, Row] = {}
        for row in self.rows("Attendees"):
            mark = self.failures
            written = self.get(row, "Attendee", required=True)
            if written and not self.claim(seen, self.key(written), row, "Attendee", "this attendee ID is", written):
                continue
            if written and self.is_cancelled(row, written):
                continue
            if written:
                self.attendee_ids.add(self.key(written))
            attendee = self.attendee_from(row, written)
            if attendee is not None:
                self.attendee_labels[attendee.key] = person(attendee.id, attendee.name)
            if attendee is not None and self.failures == mark:
                attendees.append(attendee)
        self.cancelled_teams -= set(self.team_labels)
        return attendees

    def is_cancelled(self, row: Row, written: str) -> bool:
        """Status cancelled: the attendee is left out; what refers to them is set aside with a warning."""
        status = self.get(row, "Status", cells.text, default="")
        if not status:
            return False
        if status.casefold() not in ("cancelled", "canceled"):
            self.error("Status must be empty or cancelled", found=status, **row.where("Status"))
            return False
        name = self.get(row, "Name", default="")
        self.cancelled[self.key(written)] = (person(written, name), row)
        team = self.get(row, "Team", default="")
        if team:
            self.cancelled_teams.add(self.key(team))
        listed = self.get(row, "Sessions", cells.split_list, default=[])
        if listed:
            self.warn(f"{person(written, name)} is cancelled: their {len(listed)} session listing(s) are set aside",
                      found="; ".join(listed), **row.where("Sessions"))
        return True

    def set_aside(self, row: Row, column: str, written: str, what: str) -> bool:
        """Warn and return True when ``written`` names a cancelled attendee."""
        found = self.cancelled.get(self.key(written))
        if found is None:
            return False
        label, origin = found
        self.warn(f"{label} is cancelled ({self.place_of(origin, row)} of Attendees): {what} is set aside",
                  found=written, **row.where(column))
        return True

    def did_you_mean(self, written: str, kind: str) -> str:
        """ "; did you mean P09 (Ines Miller)?" among the known IDs of ``kind``, or ""."""
        cache = (kind, self.key(written))
        if cache not in self.hints:
            if len(self.hints) >= 200:  # a wrong file names thousands: suggest for the first ones only
                return ""
            if kind == "attendee":
                labels = self.attendee_labels
            elif kind == "party":
                labels = {**self.attendee_labels, **{k: f"Team {v}" for k, v in self.team_labels.items()}}
            else:
                labels = self.written[kind]
            self.hints[cache] = suggest.closest(self.key(written), list(labels), labels.__getitem__)
        return self.hints[cache]

    def attendee_from(self, row: Row, written: str | None) -> Attendee | None:
        name = self.get(row, "Name", required=True)
        arrives, departs = self.presence(row)
        team = self.get(row, "Team", default="")
        sessions = self.get(row, "Sessions", cells.split_list, default=[])
        attendee = Attendee(
            id=written or "",
            name=name or "",
            organization=self.get(row, "Organization", default=""),
            title=self.get(row, "Title", default=""),
            delegation=self.get(row, "Delegation", default=""),
            sectors=tuple(self.get(row, "Sectors", cells.split_list, default=[]) or ()),
            email=self.get(row, "Email", default=""),
            languages=tuple(self.get(row, "Languages", cells.split_list, default=[]) or ()) or ("English",),
            arrives=arrives,
            departs=departs,
            max_meetings=self.get(row, "Max meetings", at_least(0)),  # 0: sessions only, no meetings
            max_meetings_per_day=self.get(row, "Max meetings per day", at_least(0)),
            sessions=tuple(dict.fromkeys(self.key(s) for s in sessions or ())),
            team=self.key(team) if team else None,
            host=bool(self.get(row, "Host", cells.parse_yesno, default=False)),
            agenda_language=self.get(row, "Agenda language", parse_agenda_language, default=""),
        )
        if sessions:
            self.session_refs.append((row, sessions))
        if team and written:
            self.team_labels.setdefault(self.key(team), team)
            self.team_rows.setdefault(self.key(team), []).append(row)
        return attendee if written else None

    def presence(self, row: Row) -> tuple[datetime | None, datetime | None]:
        """Arrives/Departs; a bare Arrives date means from its start, a bare Departs date to its end."""
        arrives = self.get(row, "Arrives", cells.parse_datetime)
        departs = self.get(row, "Departs", cells.parse_datetime)
        start = arrives[0] if arrives else None
        end = (departs[0] if departs[1] else departs[0] + timedelta(days=1)) if departs else None
        shown = cells.show
        if start and end and end <= start:
            self.error("Departs must be after Arrives", found=f"{shown(departs[0])}, Arrives {shown(arrives[0])}",
                       **row.where("Departs"))
        elif self.days:
            first = datetime.combine(self.days[0], time(0))
            last = datetime.combine(self.days[-1], time(0)) + timedelta(days=1)
            if end and end <= first:
                self.error(f"departs before the event starts ({day_list(self.days)})",
                           found=shown(departs[0]), **row.where("Departs"))
            if start and start >= last:
                self.error(f"arrives after the event ends ({day_list(self.days)})",
                           found=shown(arrives[0]), **row.where("Arrives"))
            far = timedelta(days=FAR_DAYS)
            if start and start < first - far:
                self.error(f"arrives {(first - start).days} days before the event ({day_list(self.days)}); "
                           "check the year, or leave the cell empty for the whole event",
                           found=shown(arrives[0]), **row.where("Arrives"))
            if end and end > last + far:
                self.error(f"departs {(end - last).days} days after the event ({day_list(self.days)}); "
                           "check the year, or leave the cell empty for the whole event",
                           found=shown(departs[0]), **row.where("Departs"))
        return start, end

    # -- Sessions

    def read_sessions(self) -> list[Session]:
        sessions: list[Session] = []
        seen: dict[str, Row] = {}
        for row in self.rows("Sessions"):
            mark = self.failures
            written = self.get(row, "Session", required=True)
            if written and not self.claim(seen, self.key(written), row, "Session", "this session ID is", written):
                continue
            if written:
                self.session_ids.add(self.key(written))
                self.written["session"][self.key(written)] = written
            session = self.session_from(row, written or "")
            if written and self.failures == mark:
                sessions.append(session)
        return sessions

    def session_from(self, row: Row, written: str) -> Session:
        track = self.get(row, "Track")
        if track and self.key(track) not in self.track_ids:
            self.unknown("Tracks", f"unknown track; it must be listed in the Tracks sheet{self.did_you_mean(track, 'track')}",
                       found=track, **row.where("Track"))
        speakers = self.get(row, "Speakers", cells.split_list, default=[])
        speakers = [s for s in speakers or () if not self.set_aside(row, "Speakers", s, "their talk in this session")]
        for speaker in speakers:
            if self.key(speaker) not in self.attendee_ids:
                self.unknown("Attendees", f"unknown attendee; speakers must be listed in the Attendees sheet"
                           f"{self.did_you_mean(speaker, 'attendee')}", found=speaker, **row.where("Speakers"))
        day = self.get(row, "Date", cells.parse_date)
        start = self.get(row, "Start", cells.parse_time)
        room = self.get(row, "Room")
        pin_start = self.check_session_pin(row, day, start)
        self.check_session_room(row, room, day)
        return Session(
            id=written,
            title=self.get(row, "Title", default=""),
            track=self.key(track) if track else None,
            speakers=tuple(dict.fromkeys(self.key(s) for s in speakers or ())),
            expected_audience=self.get(row, "Expected audience", at_least(0)),
            pin_day=day,
            pin_start=pin_start,
            pin_room=self.key(room) if room else None,
            origin=row.origin,
        )

    def check_session_pin(self, row: Row, day: date | None, start: time | None) -> datetime | None:
        if start is not None and day is None:
            if "Date" not in row.broken and cells.is_blank(row.values.get("Date")):
                return self.pin_by_start(row, start)
            return None
        if day is None or not self.days or self.grid_incomplete:
            return None
        that_day = [p for p in self.periods if p.day == day]
        if not that_day:
            self.error("there is no Sessions block in the Schedule on this day", found=day.isoformat(), **row.where("Date"))
            return None
        if start is None:
            return None
        moment = datetime.combine(day, start)
        if not any(p.start == moment for p in that_day):
            starts = ", ".join(hhmm(p.start) for p in that_day)
            self.error(f"no Sessions block starts at this time on {day.isoformat()} (they start at {starts})",
                       found=hhmm(start), **row.where("Start"))
        return moment

    def pin_by_start(self, row: Row, start: time) -> datetime | None:
        """A Start without a Date: the Sessions block that starts then, when only
        one day has one."""
        if self.grid_incomplete:
            return None
        days = sorted({p.day for p in self.periods if p.start.time() == start})
        if len(days) == 1:
            return datetime.combine(days[0], start)
        if days:
            self.error(f"Sessions blocks start at this time on {join_words([d.isoformat() for d in days])}; "
                       "add the Date", found=hhmm(start), **row.where("Date"))
        elif self.days:
            starts = ", ".join(sorted({hhmm(p.start) for p in self.periods}))
            self.error(f"no Sessions block starts at this time (they start at {starts or 'no time'})",
                       found=hhmm(start), **row.where("Start"))
        return None

    def check_session_room(self, row: Row, room: str | None, day: date | None) -> None:
        if not room:
            return
        if self.key(room) not in self.room_ids:
            self.unknown("Rooms", f"unknown room; it must be listed in the Rooms sheet{self.did_you_mean(room, 'room')}",
                       found=room, **row.where("Room"))
            return
        known = self.room_ids[self.key(room)]
        if known is not None and known.use != "Sessions":
            self.error("this is a Meetings room; a session needs a room with Use Sessions", found=room, **row.where("Room"))
        elif known is not None and day is not None and not known.open_on(day):
            self.error(f"the room is not open on {day.isoformat()}", found=room, **row.where("Room"))

    def check_session_refs(self) -> None:
        for row, listed in self.session_refs:
            for session in listed:
                if self.key(session) not in self.session_ids:
                    self.unknown("Sessions", f"unknown session; it must be listed in the Sessions sheet"
                               f"{self.did_you_mean(session, 'session')}", found=session, **row.where("Sessions"))

    def check_sessions_have_places(self, sessions: list[Session], rooms: list[Room]) -> None:
        if not sessions:
            return
        if self.days and not self.periods:
            self.error("there are sessions but the Schedule has no Sessions block to hold them",
                       **self.tables["Sessions"].where())
        if self.rows("Rooms") and not {"Sessions", None} & self.room_uses:
            self.error("there are sessions but no room with Use Sessions: add the rooms the sessions take "
                       "place in (Use Sessions, with a Capacity), or leave the Sessions sheet empty",
                       found=self._uses(), **self.tables["Rooms"].where(), column="Use")

    # -- Teams and parties

    def make_parties(self, attendees: list[Attendee]) -> list[Party]:
        parties = build.form_parties(attendees, self.team_party)
        self.parties = {p.key: p for p in parties}
        self.party_of = {m: p.key for p in parties for m in p.members}
        return parties

    def team_party(self, team: str, members: list[Attendee]) -> Party:
        key = f"team:{team}"
        orgs: dict[str, str] = {}
        for m in members:
            if m.organization:
                orgs.setdefault(self.key(m.organization), f"{m.organization} ({m.id})")
        if len(orgs) > 1:
            row = self.team_rows[team][0]
            self.error(f"Team {self.team_labels[team]} has members from different organizations: "
                       f"{', '.join(orgs.values())}; a Team meets as one party of one organization",
                       found=self.team_labels[team], **row.where("Team"))
        org_key = next(iter(orgs)) if len(orgs) == 1 else f"~{key}"
        self.check_team(team, members)
        return build.team_party(team, self.team_labels[team], members, org_key)

    def check_team(self, team: str, members: list[Attendee]) -> None:
        """A Team name that is also an attendee's ID (requests naming it go to
        that attendee), and members never all present at once (a Team meets
        as a whole, so it would get no meeting)."""
        row, label = self.team_rows[team][0], self.team_labels[team]
        if team in self.attendee_ids and team not in {m.key for m in members}:  # a member's own ID is the team
            self.warn(f"the Team {label} has the name of an attendee ID: a request naming {label} goes to that "
                      "attendee, not to the team; rename the Team", found=label, **row.where("Team"))
        arrives = [m for m in members if m.arrives is not None]
        departs = [m for m in members if m.departs is not None]
        if arrives and departs:
            last_in = max(arrives, key=lambda m: m.arrives or datetime.min)
            first_out = min(departs, key=lambda m: m.departs or datetime.max)
            if (last_in.arrives or datetime.min) >= (first_out.departs or datetime.max):
                self.warn(f"the members of Team {label} are never all present at once ({first_out.id} leaves "
                          f"{first_out.departs:%Y-%m-%d %H:%M}, {last_in.id} arrives {last_in.arrives:%Y-%m-%d %H:%M}): "
                          "a Team meets as a whole, so it gets no meeting", found=label, **row.where("Team"))

    def party_named(self, written: str) -> str | None:
        """The party an ID or Team name stands for (an attendee ID wins over a Team name)."""
        key = self.key(written)
        if key in self.party_of:
            return self.party_of[key]
        return f"team:{key}" if f"team:{key}" in self.parties else None

    def names_someone(self, written: str) -> bool:
        """An attendee ID or Team name, even one whose rows have errors of their own."""
        key = self.key(written)
        return key in self.attendee_ids or key in self.team_labels

    # -- Requests

    def read_requests(self) -> list[Request]:
        pairs: dict[tuple[str, str], build.PairAsks] = {}
        first_ask: dict[tuple[str, str], Row] = {}
        never: set[tuple[str, str]] = set()  # asks with a Never so far
        for row in self.rows("Requests"):
            asked = self.request_from(row)
            if asked is None:
                continue
            asker, source, target, priority = asked
            repeat = first_ask.setdefault((asker, target), row)
            if priority == 0:
                never.add((asker, target))
            if repeat is not row:
                kept = ("Never wins: the pair is declined" if (asker, target) in never
                        else "the highest priority is kept")
                self.warn(f"repeated request (first in {self.place_of(repeat, row)}); {kept}",
                          found=cells.text(row.values.get("To")), **row.where("To"))
            self.note_left_out(row, source, target)
            a, b = sorted((source, target))
            note = self.get(row, "Note", default="")
            pairs.setdefault((a, b), build.PairAsks()).add(asker, source == a, priority, note)
        org_of = {p.key: p.org_key for p in self.parties.values()}
        return [build.merged_request(a, b, pair, org_of) for (a, b), pair in pairs.items()]

    @staticmethod
    def place_of(first: Row, row: Row) -> str:
        return f"row {first.number}" if first.file == row.file else f"{first.file} row {first.number}"

    def request_from(self, row: Row) -> tuple[str, str, str, int] | None:
        """(asking attendee key, asking party, asked party, priority), or None after an error."""
        mark = self.failures
        source = self.get(row, "From", required=True)
        target = self.get(row, "To", required=True)
        priority = self.get(row, "Priority", cells.parse_priority, default=2)
        if source and self.set_aside(row, "From", source, "the request"):
            return None
        if target and (self.set_aside(row, "To", target, "the request") or self.key(target) in self.cancelled_teams):
            return None
        if source and self.key(source) not in self.attendee_ids:
            hint = (" (a Team name is allowed in To only)" if self.key(source) in self.team_labels
                    else self.did_you_mean(source, "attendee"))
            self.unknown("Attendees", f"unknown attendee; it must be listed in the Attendees sheet{hint}",
                       found=source, **row.where("From"))
        if target and not self.names_someone(target):
            self.unknown("Attendees", f"no attendee or Team with this ID in the Attendees sheet{self.did_you_mean(target, 'party')}",
                       found=target, **row.where("To"))
        if self.failures != mark or not source or not target:
            return None
        self.check_form_member(row, "From", source)
        if self.failures != mark:
            return None
        asker = self.key(source)
        parties = self.party_of.get(asker), self.party_named(target)
        if parties[0] is None or parties[1] is None:
            return None  # an attendee row with errors of its own, already reported
        return asker, parties[0], parties[1], priority

    def note_left_out(self, row: Row, source: str, target: str) -> None:
        if source == target:
            self.warn("a request to oneself (or to one's own Team) is left out",
                      found=cells.text(row.values.get("To")), **row.where("To"))
        elif self.parties[source].org_key == self.parties[target].org_key:
            self.warn("both sides are of the same organization, who never meet each other; the request is left out",
                      found=cells.text(row.values.get("To")), **row.where("To"))

    # -- Unavailable and Fixed meetings

    def check_form_member(self, row: Row, column: str, written: str) -> None:
        members = self.forms.get(row.file)
        if members is not None and self.key(written) not in members:
            self.error("this form is for another group: the attendee is not one of its members",
                       found=written, **row.where(column))

    def known_attendee(self, row: Row, column: str) -> str | None:
        """The attendee's key, or None after an error."""
        written = self.get(row, column, required=True)
        if written and self.key(written) not in self.attendee_ids:
            self.unknown("Attendees", f"unknown attendee; it must be listed in the Attendees sheet{self.did_you_mean(written, 'attendee')}",
                       found=written, **row.where(column))
            return None
        return self.key(written) if written else None

    def cancelled_side(self, row: Row, columns: tuple[str, ...], what: str) -> bool:
        """Set the row aside (one warning) when one of ``columns`` names a cancelled attendee."""
        return any(self.set_aside(row, c, cells.text(row.values.get(c)), what) for c in columns
                   if c not in row.broken and self.key(cells.text(row.values.get(c))) in self.cancelled)

    def read_unavailable(self) -> list[Unavailability]:
        found: list[Unavailability] = []
        for row in self.rows("Unavailable"):
            mark = self.failures
            if self.cancelled_side(row, ("Attendee",), "the Unavailable row"):
                continue
            attendee = self.known_attendee(row, "Attendee")
            if attendee:
                self.check_form_member(row, "Attendee", attendee)
            day = self.get(row, "Date", cells.parse_date, required=True)
            start = self.get(row, "Start", cells.parse_time, required=True)
            end = self.get(row, "End", cells.parse_time, required=True)
            reason = self.get(row, "Reason", default="")
            if self.failures != mark or attendee is None or day is None or start is None or end is None:
                continue
            if end <= start:
                self.error("End must be after Start", found=f"{hhmm(end)}, Start {hhmm(start)}", **row.where("End"))
                continue
            self.check_days(row, "Date", [day], "this date is not a day of the event, so the row has no effect")
            found.append(Unavailability(attendee, datetime.combine(day, start), datetime.combine(day, end), reason))
        return found

    def read_fixed(self) -> list[FixedMeeting]:
        found: list[FixedMeeting] = []
        for row in self.rows("Fixed meetings"):
            mark = self.failures
            if self.cancelled_side(row, ("Attendee A", "Attendee B"), "the fixed meeting"):
                continue
            a = self.known_attendee(row, "Attendee A")
            b = self.known_attendee(row, "Attendee B")
            day = self.get(row, "Date", cells.parse_date, required=True)
            start = self.get(row, "Start", cells.parse_time, required=True)
            room = self.get(row, "Room")
            table = self.get(row, "Table", cells.parse_table)
            if self.failures != mark or a is None or b is None or day is None or start is None:
                continue
            moment = datetime.combine(day, start)
            self.check_fixed_sides(row, a, b)
            self.check_fixed_slot(row, moment)
            room = room or self.only_meeting_room(row, table, day)
            self.check_fixed_place(row, room, table, day)
            if self.failures == mark:
                found.append(FixedMeeting(a, b, moment, self.key(room) if room else None, table, row.origin))
        return found

    def check_fixed_sides(self, row: Row, a: str, b: str) -> None:
        side_a, side_b = self.party_of.get(a), self.party_of.get(b)
        if a == b:
            self.error("an attendee cannot meet themselves", found=cells.text(row.values["Attendee B"]),
                       **row.where("Attendee B"))
        elif side_a is not None and side_a == side_b:
            self.error(f"both are members of Team {self.parties[side_a].label}, which meets as one party",
                       found=cells.text(row.values["Attendee B"]), **row.where("Attendee B"))

    def check_fixed_slot(self, row: Row, moment: datetime) -> None:
        if any(slot.start == moment for slot in self.slots) or not self.days or self.grid_incomplete:
            return
        that_day = [hhmm(s.start) for s in self.slots if s.day == moment.date()]
        if not that_day:
            hint = f"there are no meeting slots on {moment.date().isoformat()}"
        else:
            shown = ", ".join(that_day[:8]) + (", ..." if len(that_day) > 8 else "")
            hint = f"no meeting slot starts then; slots on {moment.date().isoformat()} start at {shown}"
        self.error(hint, found=cells.show(moment), **row.where("Start"))

    def only_meeting_room(self, row: Row, table: int | None, day: date) -> str | None:
        """A Table without a Room: the table of the day's only Meetings room; with
        several, which one is not known (an error naming them)."""
        if table is None:
            return None
        rooms = [r.name for r in self.room_ids.values() if r is not None and r.use == "Meetings" and r.open_on(day)]
        if len(rooms) != 1:
            among = f"; on {day.isoformat()} it could be in {join_words(rooms, 'or')}" if rooms else ""
            self.error(f"a Table needs a Room{among}", found="empty", **row.where("Room"))
            return None
        return rooms[0]

    def check_fixed_place(self, row: Row, room: str | None, table: int | None, day: date) -> None:
        if room is None:
            return
        if self.key(room) not in self.room_ids:
            self.unknown("Rooms", f"unknown room; it must be listed in the Rooms sheet{self.did_you_mean(room, 'room')}",
                       found=room, **row.where("Room"))
            return
        known = self.room_ids[self.key(room)]
        if known is None:
            return  # the room's own row has errors, already reported
        if known.use != "Meetings":
            self.error("this is a Sessions room; meetings need a room with Use Meetings", found=room, **row.where("Room"))
        elif not known.open_on(day):
            self.error(f"the room is not open on {day.isoformat()}", found=room, **row.where("Room"))
        elif table is not None and table > known.tables:
            self.error(f"room {known.name} has only {known.tables} tables (T1 to T{known.tables})",
                       found=f"T{table}", **row.where("Table"))


# ---------------------------------------------------------------- public API


def read_event(paths: Sequence[str | Path], names: Sequence[str] | None = None) -> ReadResult:
    """Read and check the event workbooks.

    Raises :class:`InputError` carrying every problem (errors and warnings)
    when any error is found; otherwise returns the event and its warnings.
    ``names``: what to call each file in messages and in the event's row
    references (the web page's uploads are stored under other names; a
    repeated name gets " (2)"); by default its base name, or its path when
    two share a name.
    """
    problems = Problems()
    given = [Path(p) for p in paths]
    if not given:
        raise InputError([Problem("no input files given; name one or more workbooks (.xlsx, .ods, .xls or .xlsb)")])
    shown = distinct(names) if names is not None and len(names) == len(given) else display_names(given)
    books: list[Workbook] = []
    first: dict[Path, str] = {}
    repeated = 0
    try:
        for path, name in zip(given, shown, strict=True):
            if _given_before(path, name, first, problems):
                repeated += 1
                continue
            book = open_book(path, name, problems)
            if book is not None:
                books.append(book)
        tables = read_tables(books, problems, all_opened=len(books) == len(given) - repeated)
    finally:
        for book in books:
            book.close()
    forms = {name: members for path, name in zip(given, shown, strict=True)
             if path.is_file() and (members := _form_members(path)) is not None}
    event = Builder(tables, problems, forms).build()
    if problems:
        raise InputError(problems.items, partial=event if _rows_only(problems.items) else None)
    return ReadResult(event, tuple(problems.warnings), tuple(str(p) for p in given))


# Sheets whose errors leave the event without its frame: checks on what was read would mislead.
FRAME = ("Event", "Schedule", "Rooms", "Tracks")


def _rows_only(found: Sequence[Problem]) -> bool:
    """Whether every error is in a data row of a sheet other than the frame's
    (a file or sheet that could not be read, a missing sheet or column is not)."""
    frame = {sheet_key(name) for name in FRAME}
    return all(p.warning or (p.row is not None and p.row > 1 and p.sheet and sheet_key(p.sheet) not in frame)
               for p in found)


def _form_members(path: Path) -> set[str] | None:
    from .forms import form_members

    try:
        return form_members(path)
    except Exception:  # noqa: BLE001 - not a readable form: open_book has reported why
        return None


def summarize(result: ReadResult) -> list[str]:
    """Short human lines about what was read, for the command line."""
    event = result.event
    attendees = event.attendees
    orgs = {key_of(a.organization) for a in attendees if a.organization}
    delegations = {key_of(a.delegation) for a in attendees if a.delegation}
    teams = [p for p in event.parties if p.is_team]
    lines = [
        f"Event: {event.settings.name}, {len(event.days)} day(s) ({day_list(event.days)})",
        f"Attendees: {len(attendees)} from {len(orgs)} organizations and {len(delegations)} delegations",
        f"Teams: {len(teams)} ({sum(len(t.members) for t in teams)} attendees); "
        f"hosts: {sum(a.host for a in attendees)}",
        request_line(event.requests),
        "Meeting slots per day: " + per_day({d: sum(s.day == d for s in event.slots) for d in event.days}),
        "Meeting tables per day: "
        + per_day({d: sum(r.tables for r in event.meeting_rooms(d)) for d in event.days}),
        f"Sessions: {len(event.sessions)} in {len(event.periods)} period(s), {len(event.tracks)} track(s)",
        f"Fixed meetings: {len(event.fixed)}",
    ]
    return lines


def request_line(requests: Sequence[Request]) -> str:
    open_ones = [r for r in requests if r.excluded is None]
    by_priority = ", ".join(f"{name} {sum(r.priority == p for r in open_ones)}"
                            for p, name in ((1, "High"), (2, "Medium"), (3, "Low")))
    left = {reason: sum(r.excluded == reason for r in requests) for reason in Excluded}
    return (f"Requests: {len(open_ones)} pairs to meet ({by_priority}), {sum(r.mutual for r in open_ones)} mutual; "
            f"left out: {left[Excluded.DECLINED]} declined, {left[Excluded.SELF]} to oneself, "
            f"{left[Excluded.SAME_ORGANIZATION]} within one organization")


def per_day(counts: dict[date, int]) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{d.isoformat()}: {n}" for d, n in counts.items()) + f" ({sum(counts.values())} in all)"

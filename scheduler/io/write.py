"""Schedule -> ``schedule.xlsx``, the output workbook of the contract.

Sheets: Meetings, Sessions, Unscheduled, Attendees, Summary, one ``Grid
<date>`` per day, then any extra sheets the caller passes. Every table sheet
has a bold frozen header, an autofilter and fitted column widths; dates and
times are real Excel values so that organizers can sort and filter them.

The workbook is written with XlsxWriter with shared strings (not its
constant-memory mode): see ``_OPTIONS`` for why.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from tempfile import TemporaryDirectory

from xlsxwriter import Workbook
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from scheduler import rules
from scheduler.io.excel_text import FORMULA_STARTS, is_formula_like
from scheduler.model import PRIORITY_NAMES, Event, Request, key_of
from scheduler.schedule import Meeting, Schedule

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
PERCENT_FORMAT = "0.0%"
MAX_WIDTH = 50
GRID_WIDTH = 30
WORST_OFF = 10

MEETING_COLUMNS = (
    "Meeting", "Date", "Start", "End", "Room", "Table",
    "Attendee A", "Name A", "Organization A", "Delegation A",
    "Attendee B", "Name B", "Organization B", "Delegation B",
    "Priority", "Mutual", "Fixed", "Locked", "Note",
)  # fmt: skip
SESSION_COLUMNS = (
    "Session", "Title", "Track", "Date", "Start", "End", "Room", "Capacity",
    "Expected audience", "Speakers", "Attendees listing it", "Clashes",
)  # fmt: skip
UNSCHEDULED_COLUMNS = ("From", "Name From", "To", "Name To", "Priority", "Reason")
ATTENDEE_COLUMNS = (
    "Attendee", "Name", "Organization", "Delegation", "Requests made", "Requests received",
    "Meetings", "Sessions", "Met requests share",
)  # fmt: skip


@dataclass(frozen=True)
class Formatted:
    """A value that needs its own number format (e.g. one percent in Summary)."""

    value: object
    number_format: str


@dataclass
class SheetData:
    """One sheet to write: header, rows, and number formats by column name."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    formats: dict[str, str] = field(default_factory=dict)
    frozen_columns: int = 0  # columns kept visible when scrolling right
    autofilter: bool = True
    max_width: int = MAX_WIDTH


def write_schedule(
    event: Event,
    schedule: Schedule,
    path: str | Path,
    extra_sheets: Mapping[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    """Write ``schedule.xlsx`` for ``schedule`` and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tally = _tallies(event, schedule)  # the Attendees sheet and the Summary's worst-off share it
    sheets = [
        meetings_sheet(event, schedule),
        sessions_sheet(event, schedule),
        unscheduled_sheet(event, schedule),
        attendees_sheet(event, schedule, tally),
        summary_sheet(event, schedule, tally),
        *grid_sheets(event, schedule),
    ]
    for name, rows in (extra_sheets or {}).items():
        header = [str(h) for h in rows[0]] if rows else []
        sheets.append(SheetData(name, header, [list(r) for r in rows[1:]]))
    _save(target, sheets, paper=A4_PAPER if event.settings.paper_size.strip().casefold() == "a4" else LETTER_PAPER)
    return target


# ---------------------------------------------------------------- Meetings


def ordered_meetings(event: Event, schedule: Schedule) -> list[Meeting]:
    """Meetings by date, start, room and table: the order of the Meetings sheet."""
    return sorted(
        schedule.meetings,
        key=lambda m: (event.slots[m.slot].start, key_of(m.room), m.table, m.a, m.b),
    )


def meeting_rows(event: Event, schedule: Schedule) -> list[dict[str, object]]:
    """One dict per meeting, keyed by the Meetings sheet's column names.

    Dates and times are ``date``/``time`` objects; a team side lists its
    members joined with "; ". Documents reuse these rows so that every output
    names people the same way.
    """
    rows = []
    sides: dict[str, _Side] = {}
    for number, m in enumerate(ordered_meetings(event, schedule), 1):
        slot = event.slots[m.slot]
        request = event.request.get(m.pair)
        for key in (m.a, m.b):
            if key not in sides:
                sides[key] = _side(event, key)
        side_a, side_b = sides[m.a], sides[m.b]
        rows.append(
            {
                "Meeting": f"M{number:04d}",
                "Date": slot.start.date(),
                "Start": slot.start.time(),
                "End": slot.end.time(),
                "Room": m.room,
                "Table": m.table_name,
                "Attendee A": side_a.ids,
                "Name A": side_a.names,
                "Organization A": side_a.organizations,
                "Delegation A": side_a.delegations,
                "Attendee B": side_b.ids,
                "Name B": side_b.names,
                "Organization B": side_b.organizations,
                "Delegation B": side_b.delegations,
                "Priority": _priority_word(request),
                "Mutual": _yes_no(request is not None and request.mutual),
                "Fixed": _yes_no(m.fixed),
                "Locked": "yes" if m.locked else "",
                "Note": request.note if request else "",
            }
        )
    return rows


def meetings_sheet(event: Event, schedule: Schedule) -> SheetData:
    rows = [[row[c] for c in MEETING_COLUMNS] for row in meeting_rows(event, schedule)]
    formats = {"Date": DATE_FORMAT, "Start": TIME_FORMAT, "End": TIME_FORMAT}
    return SheetData("Meetings", MEETING_COLUMNS, rows, formats, frozen_columns=1)


@dataclass(frozen=True)
class _Side:
    ids: str
    names: str
    organizations: str
    delegations: str


def _side(event: Event, party_key: str) -> _Side:
    """The display columns of one side of a meeting (a person or a team)."""
    party = event.party.get(party_key)
    keys = party.members if party else (party_key,)
    people = [event.attendee[k] for k in keys if k in event.attendee]
    if not people:  # a key the event does not know: show it rather than fail
        return _Side(party_key, party.label if party else party_key, "", "")
    return _Side(
        "; ".join(p.id for p in people),
        "; ".join(p.name for p in people),
        "; ".join(_unique(p.organization for p in people)),
        "; ".join(_unique(p.delegation for p in people)),
    )


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        if v:
            seen.setdefault(v, None)
    return list(seen)


def _priority_word(request: Request | None) -> str:
    if request is None or request.priority not in (1, 2, 3):
        return ""
    return PRIORITY_NAMES[request.priority]


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


# ---------------------------------------------------------------- Sessions


def sessions_sheet(event: Event, schedule: Schedule) -> SheetData:
    """Placed sessions in time order, then the sessions that got no period."""
    placed = {p.session: p for p in schedule.sessions}
    clashes = _session_clashes(event, schedule)
    rows: list[list[object]] = []
    ordered = sorted(
        schedule.sessions, key=lambda p: (event.periods[p.period].start, key_of(p.room), p.session)
    )
    for p in ordered:
        period = event.periods[p.period]
        room = event.room.get(key_of(p.room))
        times: list[object] = [period.start.date(), period.start.time(), period.end.time(), p.room]
        capacity = room.capacity if room else None
        rows.append(_session_row(event, p.session, times, capacity, clashes.get(p.session, 0)))
    for s in event.sessions:
        if s.key not in placed:
            rows.append(_session_row(event, s.key, [None, None, None, ""], None, 0))
    formats = {"Date": DATE_FORMAT, "Start": TIME_FORMAT, "End": TIME_FORMAT}
    return SheetData("Sessions", SESSION_COLUMNS, rows, formats, frozen_columns=1)


def _session_row(
    event: Event, session_key: str, times: list[object], capacity: int | None, clashes: int
) -> list[object]:
    s = event.session.get(session_key)
    audience = event.audience.get(session_key, ())
    if s is None:
        return [session_key, "", "", *times, capacity, len(audience), "", len(audience), clashes]
    track = event.track.get(s.track) if s.track else None
    speakers = "; ".join(event.attendee[k].id if k in event.attendee else k for k in s.speakers)
    expected = rules.expected_audience(event, session_key)
    track_name = track.name if track else (s.track or "")
    return [s.id, s.title, track_name, *times, capacity, expected, speakers, len(audience), clashes]


def _session_clashes(event: Event, schedule: Schedule) -> dict[str, int]:
    """Session key -> attendees listing it who also list another session at an overlapping time."""
    when = {p.session: event.periods[p.period].interval for p in schedule.sessions}
    result: Counter[str] = Counter()
    for a in event.attendees:
        mine = [s for s in a.sessions if s in when]
        for s in mine:
            if any(o != s and when[o].overlaps(when[s]) for o in mine):
                result[s] += 1
    return dict(result)


# ------------------------------------------------------------- Unscheduled


def unscheduled_sheet(event: Event, schedule: Schedule) -> SheetData:
    rows: list[list[object]] = []
    sides: dict[str, _Side] = {}  # tens of thousands of rows name the same few thousand parties
    for u in schedule.unscheduled:
        request = event.request.get((u.a, u.b)) or event.request.get((u.b, u.a))
        asker, other = _direction(event, u.a, u.b, request)
        for key in (asker, other):
            if key not in sides:
                sides[key] = _side(event, key)
        side_from, side_to = sides[asker], sides[other]
        priority = PRIORITY_NAMES.get(request.priority, "") if request else ""
        rows.append([side_from.ids, side_from.names, side_to.ids, side_to.names, priority, u.reason])
    order = {name: i for i, name in PRIORITY_NAMES.items()}
    rows.sort(key=lambda r: (order.get(str(r[4]), 9), str(r[0]), str(r[2])))
    return SheetData("Unscheduled", UNSCHEDULED_COLUMNS, rows)


def _direction(event: Event, a: str, b: str, request: Request | None) -> tuple[str, str]:
    """(who asked, whom) for a request between parties a and b."""
    if request is None or not request.asked_by:
        return a, b
    party_b = event.party.get(b)
    members_b = set(party_b.members) if party_b else {b}
    if all(k in members_b for k in request.asked_by):
        return b, a
    return a, b


# ---------------------------------------------------------------- Attendees


@dataclass
class _Tally:
    made: int = 0
    received: int = 0
    asked: int = 0  # requests that could be met (not excluded by a rule)
    met: int = 0
    meetings: int = 0


def _tallies(event: Event, schedule: Schedule) -> dict[str, _Tally]:
    """Per attendee key: requests made/received, meetings, met requests."""
    tally = {a.key: _Tally() for a in event.attendees}
    met = {m.pair for m in schedule.meetings} | {(m.b, m.a) for m in schedule.meetings}
    per_party: Counter[str] = Counter()
    for m in schedule.meetings:
        per_party[m.a] += 1
        per_party[m.b] += 1
    members = {p.key: p.members for p in event.parties}
    member_sets = {key: set(keys) for key, keys in members.items()}
    for r in event.requests:
        if r.priority not in (1, 2, 3):
            continue
        for mine, other in ((r.a, r.b), (r.b, r.a)):
            other_members = member_sets.get(other, {other})
            for k in members.get(mine, (mine,)):
                t = tally.get(k)
                if t is None:
                    continue
                t.made += k in r.asked_by
                t.received += any(o in other_members for o in r.asked_by)
                if r.excluded is None:
                    t.asked += 1
                    t.met += r.pair in met
    for key, t in tally.items():
        t.meetings = per_party[event.party_of.get(key, key)]
    return tally


def _members(event: Event, party_key: str) -> tuple[str, ...]:
    party = event.party.get(party_key)
    return party.members if party else (party_key,)


def attendees_sheet(event: Event, schedule: Schedule, tally: dict[str, _Tally] | None = None) -> SheetData:
    tally = tally if tally is not None else _tallies(event, schedule)
    placed = {p.session for p in schedule.sessions}
    speaking: dict[str, list[str]] = defaultdict(list)
    for s in event.sessions:
        for k in s.speakers:
            speaking[k].append(s.key)
    rows: list[list[object]] = []
    for a in event.attendees:
        t = tally[a.key]
        mine = [s for s in dict.fromkeys([*a.sessions, *speaking[a.key]]) if s in placed]
        session_ids = "; ".join(event.session[s].id if s in event.session else s for s in mine)
        share = t.met / t.asked if t.asked else None
        rows.append(
            [a.id, a.name, a.organization, a.delegation, t.made, t.received, t.meetings, session_ids, share]
        )
    formats = {"Met requests share": PERCENT_FORMAT}
    return SheetData("Attendees", ATTENDEE_COLUMNS, rows, formats, frozen_columns=2)


# ----------------------------------------------------------------- Summary


def summary_sheet(event: Event, schedule: Schedule, tally: dict[str, _Tally] | None = None) -> SheetData:
    f = schedule.figures
    pairs = [m.pair for m in schedule.meetings]
    requests = [r for r in event.requests if r.priority in (1, 2, 3)]
    # The standard score is a definition, so it is counted here from the
    # meetings themselves rather than trusted from the engine.
    score = sum(event.points(event.request[p]) for p in pairs if p in event.request)
    by_priority = Counter(_priority_word(event.request.get(p)) for p in pairs)
    # Never clamped (below 0 would be a bug); no gap when the bound is its 1e-6 margin alone (no request).
    # Rounded: the bound's safety margin alone would show as a gap of 6e-08.
    gap = round((f.bound - score) / f.bound, 6) if f.bound > 1e-3 else None
    rows: list[list[object]] = [
        ["Event", event.settings.name],
        ["Objective", round(f.objective, 3)],
        ["Standard score", round(score, 3)],
        ["Upper bound", round(f.bound, 3) if f.bound > 0 else None],
        ["Upper bound from", f.bound_method or None],
        ["Gap", Formatted(gap, PERCENT_FORMAT) if gap is not None else None],
        ["Solve time (s)", round(f.solve_seconds, 2)],
        ["Solver status", f.status.value if f.status else ""],
        ["Seed", f.seed],
        ["Workers", f.workers],
        ["Repeatable", _yes_no(f.repeatable)],  # no: the wall clock, not the planned work, ended a phase
        *[[f"Phase {name} (s)", round(seconds, 2)] for name, seconds in f.phases],
        ["Meetings", len(pairs)],
        *[[f"Meetings {word}", by_priority.get(word, 0)] for word in ("High", "Medium", "Low")],
        ["Meetings without request", by_priority.get("", 0)],
        ["Mutual meetings", sum(1 for p in pairs if p in event.request and event.request[p].mutual)],
        ["Requests", len(requests)],
        ["Requests met", len({p for p in pairs if _priority_word(event.request.get(p))})],
        ["Unscheduled", len(schedule.unscheduled)],
        ["Sessions placed", f"{len(schedule.sessions)} of {len(event.sessions)}"],
        ["Attendees", len(event.attendees)],
        *_comfort_rows(event, schedule),
        *_worst_off(event, tally if tally is not None else _tallies(event, schedule)),
        *_clashes_by_attendee(event, schedule),
    ]
    return SheetData("Summary", ("Figure", "Value"), rows, autofilter=False, max_width=70)


def _worst_off(event: Event, tally: dict[str, _Tally]) -> list[list[object]]:
    """The attendees with the lowest share of their requests met."""
    asking = [a for a in event.attendees if tally[a.key].asked]
    asking.sort(key=lambda a: (tally[a.key].met / tally[a.key].asked, -tally[a.key].asked, a.key))
    rows: list[list[object]] = []
    for rank, a in enumerate(asking[:WORST_OFF], 1):
        t = tally[a.key]
        rows.append([f"Worst-off {rank}", f"{a.id} {a.name}: met {t.met} of {t.asked}"])
    return rows


def _comfort_rows(event: Event, schedule: Schedule) -> list[list[object]]:
    from ..comfort import comfort

    c = comfort(event, schedule)
    return [
        ["Idle slots between meetings, per attendee-day", round(c.idle_per_day, 2)],
        ["Back-to-back meetings at a different table", f"{c.table_changes} of {c.back_to_back}"],
    ]


def _clashes_by_attendee(event: Event, schedule: Schedule) -> list[list[object]]:
    """Attendees left with two of their sessions at the same time, one row each."""
    from ..figures import session_figures

    figures = session_figures(event, schedule.sessions)
    rows: list[list[object]] = [["Session clashes", figures.clashes]]
    for key, pairs in sorted(figures.clashes_by_attendee.items()):
        a = event.attendee[key]
        text = "; ".join(f"{event.session[x].id} / {event.session[y].id}" for x, y in pairs)
        rows.append([f"Clash: {a.id} {a.name}", text])
    return rows


# -------------------------------------------------------------------- Grid


def grid_sheets(event: Event, schedule: Schedule) -> list[SheetData]:
    """One sheet per day: rows = room tables, columns = slots, cell = who meets."""
    by_day: dict[date, list[Meeting]] = defaultdict(list)
    for m in schedule.meetings:
        by_day[event.slots[m.slot].day].append(m)
    sheets = []
    for day in sorted({s.day for s in event.slots} | set(by_day)):
        slots = [s for s in event.slots if s.day == day]
        column = {s.index: i for i, s in enumerate(slots)}
        tables = {(r.name, k): None for r in event.meeting_rooms(day) for k in range(1, r.tables + 1)}
        for m in by_day[day]:
            tables.setdefault((m.room, m.table), None)
        cells: dict[tuple[str, int], list[object]] = {t: [None] * len(slots) for t in tables}
        for m in by_day[day]:
            if m.slot in column:
                cells[(m.room, m.table)][column[m.slot]] = f"{_label(event, m.a)} ↔ {_label(event, m.b)}"
        rows: list[Sequence[object]] = [[room, f"T{k}", *cells[(room, k)]] for room, k in tables]
        header = ["Room", "Table", *[s.start.strftime("%H:%M") for s in slots]]
        sheets.append(
            SheetData(f"Grid {day.isoformat()}", header, rows, frozen_columns=2, max_width=GRID_WIDTH)
        )
    return sheets


def _label(event: Event, party_key: str) -> str:
    party = event.party.get(party_key)
    if party is not None:
        return party.label
    attendee = event.attendee.get(party_key)
    return attendee.name if attendee else party_key


# ----------------------------------------------------------------- writing
#
# XlsxWriter writes 40,000 meetings in about 8 s of CPU (openpyxl: 12-18 s).
# Its constant-memory mode would stream rows to disk but store text inline;
# shared strings (constant_memory off) cost ~30 MB more at 40,000 meetings but
# make the file twice as fast to read back, which re-solves (--previous) do.
# Rows are still written strictly top to bottom, so the mode can be switched.
# remove_timezone: Excel has no time zones, so an aware datetime is written as its wall-clock time.
_OPTIONS = {"constant_memory": False, "remove_timezone": True}
_DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
# Text starting so needs _write_text's care (a quote prefix, or a plain rich string).
_SPECIAL_STARTS = (*FORMULA_STARTS, "<r>")


class _Formats:
    """The workbook's cell formats, made once each: bold header and one per number format."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.bold = book.add_format({"bold": True})
        self.numbers: dict[str, Format] = {}
        self.quoted_formats: dict[int, Format] = {}

    def quoted(self, cell_format: Format | None) -> Format:
        """``cell_format`` with Excel's quote prefix: the cell stays text even when edited."""
        key = id(cell_format)
        if key not in self.quoted_formats:
            properties = {"bold": True} if cell_format is self.bold else {}
            if cell_format is not None and cell_format.num_format:
                properties["num_format"] = cell_format.num_format
            self.quoted_formats[key] = self.book.add_format({**properties, "quote_prefix": True})
        return self.quoted_formats[key]

    def number(self, number_format: str | None) -> Format | None:
        if number_format is None:
            return None
        if number_format not in self.numbers:
            self.numbers[number_format] = self.book.add_format({"num_format": number_format})
        return self.numbers[number_format]


LETTER_PAPER, A4_PAPER = 1, 9  # Excel's paper codes


def _save(path: Path, sheets: Sequence[SheetData], paper: int = LETTER_PAPER) -> None:
    names = _sheet_names([s.name for s in sheets])
    try:
        # XlsxWriter leaves its per-sheet row files behind when the final file
        # cannot be written, so they go in a folder of ours that is always removed.
        with (
            TemporaryDirectory(prefix="schedule-xlsx-") as scratch,
            Workbook(str(path), {**_OPTIONS, "tmpdir": scratch}) as book,
        ):
            formats = _Formats(book)
            for name, sheet in zip(names, sheets, strict=True):
                ws = book.add_worksheet(name)
                _print_setup(ws, sheet, paper)
                _write_sheet(ws, sheet, formats)
    except FileCreateError as err:  # callers expect the OSError (disk full, no permission) itself
        cause = err.args[0] if err.args else None
        raise (cause if isinstance(cause, OSError) else OSError(str(err))) from None


def _sheet_names(wanted: Sequence[str]) -> list[str]:
    """Names Excel accepts: no []:*?/\\, at most 31 characters, unique ignoring case."""
    names: list[str] = []
    for raw in wanted:
        base = _BAD_SHEET_NAME.sub("_", str(raw)).strip("' ")[:31] or "Sheet"
        name, n = base, 1
        while name.casefold() in {x.casefold() for x in names}:
            n += 1
            name = f"{base[: 31 - len(str(n)) - 1]} {n}"
        names.append(name)
    return names


def _print_setup(ws: Worksheet, sheet: SheetData, paper: int) -> None:
    """Printed as people read it: landscape, all columns on the page width (as many pages
    down as needed), the header row on every page, gridlines, the sheet name and page numbers."""
    ws.set_landscape()
    ws.set_paper(paper)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(0)  # 0: gridlines shown on screen and printed
    if sheet.header:
        ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("&L&A")
    ws.set_footer("&Rpage &P of &N")


def _write_sheet(ws: Worksheet, sheet: SheetData, formats: _Formats) -> None:
    """Rows strictly top to bottom (what constant-memory mode would require)."""
    for col, width in enumerate(_widths(sheet)):
        ws.set_column(col, col, width)
    if sheet.header:
        ws.freeze_panes(1, sheet.frozen_columns)
        if sheet.autofilter:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.header) - 1)
        for col, title in enumerate(sheet.header):
            _write_cell(ws, 0, col, title, formats.bold, formats)
    by_column = [formats.number(sheet.formats.get(h)) for h in sheet.header]
    by_column += [None] * (max(map(len, sheet.rows), default=0) - len(by_column))
    write_string = ws.write_string
    for row, values in enumerate(sheet.rows, 1):
        for col, value in enumerate(values):
            # Most cells are plain text: written directly (the same call _write_text
            # ends in), which halves the time of a 60,000-row Unscheduled sheet.
            if type(value) is str and value and not value.startswith(_SPECIAL_STARTS):
                write_string(row, col, value, by_column[col])
            else:
                _write_cell(ws, row, col, value, by_column[col], formats)


def _write_cell(
    ws: Worksheet, row: int, col: int, value: object, cell_format: Format | None, formats: _Formats
) -> None:
    """One cell by its Python type; None and "" stay blank cells, as filters expect."""
    if isinstance(value, Formatted):
        cell_format = formats.number(value.number_format)
        value = value.value
    if value is None:
        return
    if isinstance(value, str):
        if value:
            _write_text(ws, row, col, value, cell_format, formats)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float) and math.isfinite(value):
        ws.write_number(row, col, value, cell_format)
    elif isinstance(value, datetime | date | time):
        # Excel stores dates and times as numbers: without a format they would show as 45000.375.
        ws.write_datetime(row, col, value, cell_format or formats.number(_default_format(value)))
    else:
        _write_text(ws, row, col, str(value), cell_format, formats)


def _write_text(
    ws: Worksheet, row: int, col: int, text: str, cell_format: Format | None, formats: _Formats
) -> None:
    """Always as text: never worksheet.write(), which turns "=..." into a formula and "http..." into a link;
    text a spreadsheet would take for a formula also gets the quote prefix (see io/excel_text.py)."""
    if is_formula_like(text):
        cell_format = formats.quoted(cell_format)
    if text.startswith("<r>") and text.endswith("</r>"):
        # XlsxWriter (3.3) takes such a string for its own rich-text XML and copies it
        # unescaped into the sheet, which corrupts the file. Written as plain
        # fragments of a rich string, it is escaped and reads back as the same text.
        fragments: list[object] = [text[:1], text[1:2], text[2:]]
        ws.write_rich_string(row, col, *fragments, *([cell_format] if cell_format is not None else []))
    else:
        ws.write_string(row, col, text, cell_format)  # longer than Excel's 32,767 characters: cut there


def _default_format(value: object) -> str:
    if isinstance(value, datetime):
        return _DATETIME_FORMAT
    return DATE_FORMAT if isinstance(value, date) else TIME_FORMAT


def _widths(sheet: SheetData) -> list[float]:
    """Column widths fitted to the longest shown text, capped."""
    widths = [len(str(h)) for h in sheet.header]
    for row in sheet.rows:
        for i, v in enumerate(row):
            n = len(v) if type(v) is str else _shown_length(v)  # text, most cells: its length
            if i >= len(widths):
                widths.append(n)
            elif n > widths[i]:
                widths[i] = n
    return [min(max(w + 2, 6), sheet.max_width) for w in widths]


def _shown_length(value: object) -> int:
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, time):
        return 5
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return len(str(value))

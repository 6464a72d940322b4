"""``schedule.xlsx`` -> Schedule, for re-runs and checks of hand-edited schedules.

Organizers open the written workbook in Excel, re-order or delete rows, move a
meeting to another time or table and type ``yes`` in ``Locked`` to pin it. This
reads the Meetings and Sessions sheets back against the Event; every cell that
cannot be understood is reported at once, located as
``FILE › SHEET › row N › COLUMN``. Whether the edited schedule still keeps the
rules (double bookings, presence, ...) is the verifier's business, not this
reader's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

from scheduler.io.contract import header_key, sheet_key
from scheduler.io.workbook import BadCell, Unreadable, Workbook, open_workbook
from scheduler.model import Event, Period, Slot, key_of
from scheduler.problems import InputError, Problem, Problems, join_words
from scheduler.rules import fixed_pair
from scheduler.schedule import Gone, LeftOut, Meeting, Schedule, SessionPlacement, Unscheduled

MEETING_REQUIRED = ("Attendee A", "Attendee B", "Date", "Start", "Room", "Table")
SESSION_REQUIRED = ("Session", "Date", "Start", "Room")
YES = {"yes", "y", "x", "true", "1", "✓", "locked", "fixed"}
NO = {"no", "n", "false", "0", ""}
EXCEL_EPOCH = datetime(1899, 12, 30)

T = TypeVar("T")


class CellError(ValueError):
    """A cell that cannot be used; the message says why in plain words."""


@dataclass
class _Sheet:
    """One sheet's rows with headers resolved, and where problems go."""

    file: str
    name: str
    columns: dict[str, int]  # header key -> 0-based column index
    rows: list[tuple[int, tuple[object, ...]]]  # (Excel row number, values)
    problems: Problems

    def has(self, column: str) -> bool:
        return header_key(column) in self.columns

    def cell(self, values: tuple[object, ...], column: str) -> object:
        i = self.columns.get(header_key(column))
        if i is None or i >= len(values):
            return None
        return values[i]

    def error(self, message: str, row: int | None = None, column: str = "", found: object = None) -> None:
        shown = None if found is None else _show(found)
        self.problems.error(message, file=self.file, sheet=self.name, row=row, column=column, found=shown)


class _Times:
    """Slots or periods by start, and by start and End where two start
    together (parallel Sessions blocks of different lengths): a schedule
    writes a place by its Date and Start, and its End tells those apart."""

    def __init__(self, times: Sequence[Slot | Period]) -> None:
        self.at: dict[datetime, list[tuple[datetime, int]]] = {}
        for t in times:
            self.at.setdefault(_minute(t.start), []).append((_minute(t.end), t.index))

    def __contains__(self, when: datetime) -> bool:
        return when in self.at

    def index(self, sheet: _Sheet, n: int, values: tuple[object, ...], when: datetime,
              report: bool = True) -> int | None:
        """The one starting at ``when``; None when several do and the End cell
        does not say which (reported, unless ``report`` is False)."""
        found = self.at[when]
        if len(found) == 1:
            return found[0][1]
        end = _end(sheet, values, when)
        match = [i for e, i in found if e == end]
        if match:
            return match[0]
        if report:
            ends = ", ".join(f"{e:%H:%M}" for e, _ in found)
            sheet.error(f"blocks ending at {ends} all start at {when:%Y-%m-%d %H:%M}: the End column says which",
                        n, "End", sheet.cell(values, "End"))
        return None


def _end(sheet: _Sheet, values: tuple[object, ...], start: datetime) -> datetime | None:
    """The End cell on the day of ``start``, or None when it is empty or unreadable."""
    try:
        return _minute(datetime.combine(start.date(), _time(sheet.cell(values, "End"))))
    except CellError:
        return None


def read_schedule(
    path: str | Path, event: Event, *, lenient: bool = False, problems: Problems | None = None,
    left_out: list[LeftOut] | None = None,
) -> Schedule:
    """Read a (possibly hand-edited) ``schedule.xlsx`` back into a Schedule for ``event``.

    Raises InputError listing every problem found. With ``lenient`` (re-solving
    a published schedule after the event changed), a row that no longer fits
    the event (a cell that cannot be read) is left out with a warning
    instead, and a meeting or session whose time, room or table the event no
    longer has is kept with ``gone`` set (the re-solve places it again and
    reports where it was), with a warning that says so; the warnings are
    added to ``problems`` when given, and each Meetings row left out to
    ``left_out``. A missing file, Meetings sheet or column still raises.
    """
    source = Path(path)
    found = Problems()
    sheets = _load(source, found)
    meetings_sheet = sheets.get("meetings")
    if meetings_sheet is None:
        found.error("the sheet Meetings is missing", file=source.name, sheet="Meetings")
        raise InputError(found.items)
    meetings = _read_meetings(meetings_sheet, event, lenient, left_out if lenient else None)
    sessions = _read_sessions(sheets["sessions"], event, lenient) if "sessions" in sheets else []
    unscheduled = _read_unscheduled(sheets["unscheduled"], event) if "unscheduled" in sheets else []
    if lenient:
        found = _rows_left_out(found)
        _tell_gone(found, source.name, meetings, sessions)
    if found:
        raise InputError(found.items)
    if problems is not None:
        problems.items.extend(found.items)
    meetings.sort(key=lambda m: (m.slot, key_of(m.room), m.table, m.a, m.b))
    sessions.sort(key=lambda p: (p.period, key_of(p.room), p.session))
    return Schedule(meetings=tuple(meetings), sessions=tuple(sessions), unscheduled=tuple(unscheduled))


def _tell_gone(
    found: Problems, file: str, meetings: list[Meeting], sessions: list[SessionPlacement]
) -> None:
    """A warning per row whose place the changed event no longer has: it is placed again."""
    for sheet, rows, what in (("Meetings", meetings, "meeting"), ("Sessions", sessions, "session")):
        for row in rows:
            if row.gone is not None:
                found.warn(f"{row.gone.reason}: the {what} is placed again (changes.xlsx lists it)",
                           file=file, sheet=sheet, row=row.row)


def _rows_left_out(found: Problems) -> Problems:
    """Row problems become warnings (the rows were skipped); header problems stay errors."""
    items = [
        replace(p, message=f"{p.message}; the row is left out", warning=True) if (p.row or 0) > 1 else p
        for p in found.items
    ]
    return Problems(items)


def _load(source: Path, problems: Problems) -> dict[str, _Sheet]:
    """The Meetings, Sessions and Unscheduled sheets of the workbook, by sheet key."""
    try:
        book = open_workbook(source, source.name)
    except Unreadable as exc:
        raise InputError([exc.problem(source.name)]) from None
    try:
        sheets = {}
        for title in book.titles:
            key = sheet_key(title)
            if key in ("meetings", "sessions", "unscheduled") and key not in sheets:
                sheets[key] = _sheet(book, title, problems)
        return sheets
    except Unreadable as exc:
        raise InputError([exc.problem(source.name)]) from None
    finally:
        book.close()


def _sheet(book: Workbook, title: str, problems: Problems) -> _Sheet:
    """Headers resolved; each row keeps its number in the sheet, so findings point at the row
    the organizer sees whatever the order of the rows."""
    rows = book.read(title).rows
    header = rows[0][1] if rows and rows[0][0] == 1 else []
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        if h is not None and str(h).strip():
            columns.setdefault(header_key(h), i)
    body = [(n, tuple(r)) for n, r in rows if n > 1]
    sheet = _Sheet(book.name, title, columns, body, problems)
    for n, values in body:
        for i in columns.values():
            bad = values[i] if i < len(values) else None
            if isinstance(bad, BadCell):
                sheet.error(bad.message, n, str(header[i]), bad.found)
    return sheet


# ---------------------------------------------------------------- Meetings


def _read_meetings(sheet: _Sheet, event: Event, lenient: bool = False,
                   left_out: list[LeftOut] | None = None) -> list[Meeting]:
    missing = [c for c in MEETING_REQUIRED if not sheet.has(c)]
    for column in missing:
        sheet.error(f"the column {column} is missing", row=1, column=column)
    if missing:
        return []
    slot_at = _Times(event.slots)
    read: list[tuple[tuple[object, ...], Meeting]] = []
    for n, values in sheet.rows:
        if all(_text(sheet.cell(values, c)) == "" for c in MEETING_REQUIRED):
            continue  # a note or a blank line between meetings, not a meeting
        before = len(sheet.problems.items)
        meeting = _meeting(sheet, n, values, event, slot_at, lenient)
        if meeting is not None:
            read.append((values, meeting))
        elif left_out is not None:
            _leave_out(left_out, sheet, n, values, event, sheet.problems.items[before:])
    if not lenient:  # a schedule to check: a pair met twice is verify's finding
        return [m for _, m in read]
    return _one_row_per_pair(sheet, event, read, left_out)


def _one_row_per_pair(sheet: _Sheet, event: Event, read: list[tuple[tuple[object, ...], Meeting]],
                      left_out: list[LeftOut] | None) -> list[Meeting]:
    """A published schedule meets each pair once (verify says so of a schedule
    it checks). When a Team change made two rows one pair's, the re-solve
    keeps the row of the pair's Fixed meetings row, else a locked one, else
    one at a time the pair has no other meeting, else the one naming most of
    the pair's members now (the first of equals); the other is dropped, and
    reported, unless it only repeats the kept one's place."""
    fixed = _fixed_pairs(event)
    busy = Counter((p, m.slot) for _, m in read for p in m.pair)

    def rank(m: Meeting) -> tuple[bool, bool, bool, int]:
        """The row of a Fixed meetings row at its time first, then a locked one, then one whose
        parties have no other row at its time (it can stay), then most members."""
        now = {k for p in m.pair if p in event.party for k in event.party[p].members}
        at_row = 0 <= m.slot < len(event.slots) and event.slots[m.slot].start in fixed.get(m.pair, ())
        free = all(busy[p, m.slot] == 1 for p in m.pair)
        return at_row, m.locked, free, len(now & (m.named[0] | m.named[1])) if m.named else 0

    best: dict[tuple[str, str], Meeting] = {}
    for _, m in read:
        if m.pair not in best or rank(m) > rank(best[m.pair]):
            best[m.pair] = m
    kept = []
    for values, m in read:
        chosen = best[m.pair]
        if m is chosen:
            kept.append(m)
            continue
        if (m.slot, key_of(m.room), m.table) == (chosen.slot, key_of(chosen.room), chosen.table):
            sheet.error(f"this row repeats row {chosen.row}", m.row, "Attendee B", sheet.cell(values, "Attendee B"))
            continue
        before = len(sheet.problems.items)
        sheet.error(_repeated(event, chosen, m), m.row, "Attendee B", sheet.cell(values, "Attendee B"))
        if left_out is not None and m.row is not None:
            _leave_out(left_out, sheet, m.row, values, event, sheet.problems.items[before:])
    return kept


def _repeated(event: Event, kept: Meeting, again: Meeting) -> str:
    """Why a second row of one pair cannot be kept; when a Team change made
    it one, who joined whom ("A2 now meets with A1 as the team Acme, which
    already meets Bob in row 2")."""
    if kept.named is None or again.named is None:
        return f"this pair already meets in row {kept.row}"
    for i, (side, other) in enumerate(((kept.a, kept.b), (kept.b, kept.a))):
        party = event.party.get(side)
        joined = {k for k in again.named[i] - kept.named[i] if k in event.attendee}
        if party is not None and party.is_team and joined:
            ids = join_words([event.attendee[k].id for k in sorted(joined)])
            stayed = sorted(k for k in kept.named[i] if k in event.attendee)
            with_ = join_words([event.attendee[k].id for k in stayed]) if stayed else ""
            verb = "meets" if len(joined) == 1 else "meet"
            return (f"{ids} now {verb}{f' with {with_}' if with_ else ''} as the team {party.label}, which "
                    f"already meets {_label(event, other)} in row {kept.row}")
    return f"this pair already meets in row {kept.row}"


def _leave_out(left_out: list[LeftOut], sheet: _Sheet, n: int, values: tuple[object, ...], event: Event,
               found: Sequence[Problem]) -> None:
    """Record a row the re-solve cannot use, with whom it named and where, for
    the change report; a row naming nobody registered (a note, a blank line)
    changes nobody's agenda and is not recorded."""
    sides, labels, ids = [], [], []
    for side in ("A", "B"):
        cell = sheet.cell(values, f"Attendee {side}")
        sides.append(_named(cell, event))
        ids.append(_text(cell))
        labels.append(_text(sheet.cell(values, f"Name {side}")) or _text(cell))
    if not sides[0] and not sides[1]:
        return
    where = _as_written(sheet, values, ("Date", "Start"), ("Room", "Table"))
    left_out.append(LeftOut(n, (sides[0], sides[1]), (labels[0], labels[1]), (ids[0], ids[1]), where,
                            "; ".join(p.message for p in found)))


def _named(value: object, event: Event, cancelled: bool = False) -> tuple[str, ...]:
    """The registered attendees an attendee cell names: its IDs, or a team
    name's members; with ``cancelled``, the IDs of those no longer registered
    too (a team's counterpart is told they no longer come)."""
    keys: list[str] = []
    for part in re.split(r"[;,]", _text(value)):
        key = key_of(part)
        if key in event.attendee:
            keys.append(key)
        elif f"team:{key}" in event.party:
            keys += event.party[f"team:{key}"].members
        elif cancelled and key:
            keys.append(key)
    return tuple(dict.fromkeys(keys))


def _label(event: Event, party: str) -> str:
    found = event.party.get(party)
    return found.label if found else party


def _meeting(
    sheet: _Sheet,
    n: int,
    values: tuple[object, ...],
    event: Event,
    slot_at: _Times,
    lenient: bool = False,
) -> Meeting | None:
    """One Meetings row, or None after reporting what is wrong with it. With
    ``lenient``, an attendee no longer registered stays as a bare key, so the
    re-solve can report the meeting as dropped by the cancellation, and a
    time, room or table the event no longer has is kept as ``Meeting.gone``,
    so the re-solve places the meeting again and reports where it was."""
    before = len(sheet.problems.errors)
    a_side = _located(sheet, n, values, "Attendee A", lambda v: _parties(v, event, lenient))
    b_side = _located(sheet, n, values, "Attendee B", lambda v: _parties(v, event, lenient))
    place = (_published_place if lenient else _meeting_place)(sheet, n, values, event, slot_at)
    fixed = _located(sheet, n, values, "Fixed", _yes_no)
    locked = _located(sheet, n, values, "Locked", _yes_no)
    named = (frozenset(_named(sheet.cell(values, "Attendee A"), event, cancelled=lenient)),
             frozenset(_named(sheet.cell(values, "Attendee B"), event, cancelled=lenient)))
    a = b = None
    if a_side is not None and b_side is not None:
        chosen = _choose(event, (a_side, b_side))
        if isinstance(chosen, str):
            sheet.error(chosen, n, "Attendee A", sheet.cell(values, "Attendee A"))
        else:
            a, b = chosen
    if a is not None and a == b:
        sheet.error(_with_itself(event, a, named[0] | named[1], lenient), n, "Attendee B",
                    sheet.cell(values, "Attendee B"))
    if len(sheet.problems.errors) > before or a is None or b is None or place is None:
        return None
    slot, room, table, gone = place
    if b < a:
        a, b, named = b, a, (named[1], named[0])
    return Meeting(a, b, slot, room, table, fixed=bool(fixed), locked=bool(locked), row=n, gone=gone,
                   named=named if lenient else None)


def _with_itself(event: Event, party: str, named: frozenset[str], lenient: bool) -> str:
    team = event.party.get(party)
    registered = [k for k in named if k in event.attendee]
    if lenient and team is not None and team.is_team and len(registered) > 1:
        ids = join_words(sorted(event.attendee[k].id for k in registered))
        return f"{ids} are now in the same team, {team.label}, and a team does not meet itself"
    return "a meeting needs two different parties"


Place = tuple[int, str, int, Gone | None]  # slot, room, table, and why the event no longer has it


def _meeting_place(
    sheet: _Sheet, n: int, values: tuple[object, ...], event: Event, slot_at: _Times
) -> Place | None:
    """Slot, room and table of a Meetings row, each in the event; None after reporting what is not."""
    slot = _slot(sheet, n, values, slot_at, "meeting slot")
    room = _located(sheet, n, values, "Room", lambda v: _room(v, event, "Meetings"))
    table = _located(sheet, n, values, "Table", _table)
    if room is not None and table is not None and table > event.room[key_of(room)].tables:
        tables = event.room[key_of(room)].tables
        sheet.error(f"{room} has only {tables} tables", n, "Table", sheet.cell(values, "Table"))
        return None
    if slot is None or room is None or table is None:
        return None
    return slot, room, table, None


def _published_place(
    sheet: _Sheet, n: int, values: tuple[object, ...], event: Event, slot_at: _Times
) -> Place | None:
    """For a re-solve: a Meetings row's place, also when the changed event no
    longer has its time (slot -1), its room or its table (``Gone`` says
    which). None, after reporting it, only when a cell cannot be read."""
    found = _published_time_and_room(sheet, n, values, event, slot_at, "meeting slot", "Meetings")
    table = _located(sheet, n, values, "Table", _table)
    if found is None or table is None:
        return None
    slot, room, reasons, when = found
    if room in event.room and event.room[room].use == "Meetings" and table > event.room[room].tables:
        tables = event.room[room].tables
        reasons.append(f"{event.room[room].name} has only {tables} table{'' if tables == 1 else 's'} now (Rooms sheet)")
    name = event.room[room].name if room in event.room else room
    where = f"{when:%Y-%m-%d %H:%M}, {name} T{table}"
    gone = Gone("; ".join(reasons), where, when if slot < 0 else None) if reasons else None
    return slot, name, table, gone


def _published_time_and_room(
    sheet: _Sheet, n: int, values: tuple[object, ...], event: Event, starts: _Times, what: str,
    use: str,
) -> tuple[int, str, list[str], datetime] | None:
    """The slot or period (-1 when the event no longer has it), the room's key
    (or its text when the event no longer has it), why the place is gone, and
    its start; None, after reporting it, when a cell cannot be read."""
    day = _located(sheet, n, values, "Date", _date)
    start = _located(sheet, n, values, "Start", _time)
    name = _text(sheet.cell(values, "Room"))
    if not name:
        sheet.error("a room is needed", n, "Room", sheet.cell(values, "Room"))
    if day is None or start is None or not name:
        return None
    when = _minute(datetime.combine(day, start))
    reasons = [] if when in starts else [f"no {what} starts at {when:%Y-%m-%d %H:%M} any more (Schedule sheet)"]
    room = event.room.get(key_of(name))
    if room is None:
        reasons.append(f"the room {name} is no longer in the Rooms sheet")
    elif room.use != use:
        reasons.append(f"{room.name} is no longer a room for {use.lower()} (Rooms sheet)")
    index = starts.index(sheet, n, values, when, report=False) if when in starts else -1
    if index is None:  # blocks start together, and none ends as the row says: the published one is gone
        end = _end(sheet, values, when)
        reasons.append(f"no {what} runs {when:%Y-%m-%d %H:%M}–{end:%H:%M} any more (Schedule sheet)" if end
                       else f"the End column does not say which {what} starting at {when:%Y-%m-%d %H:%M}")
        index = -1
    return index, room.key if room else name, reasons, when


def _located(
    sheet: _Sheet, n: int, values: tuple[object, ...], column: str, parse: Callable[[object], T]
) -> T | None:
    """Parse one cell; on failure report it at FILE › SHEET › row N › COLUMN and give None."""
    value = sheet.cell(values, column)
    try:
        return parse(value)
    except CellError as e:
        sheet.error(str(e), n, column, value)
        return None


def _slot(
    sheet: _Sheet, n: int, values: tuple[object, ...], starts: _Times, what: str
) -> int | None:
    """The index of the slot (or period) starting at Date + Start."""
    day = _located(sheet, n, values, "Date", _date)
    start = _located(sheet, n, values, "Start", _time)
    if day is None or start is None:
        return None
    when = _minute(datetime.combine(day, start))
    if when not in starts:
        sheet.error(f"no {what} starts at {when:%Y-%m-%d %H:%M}", n, "Start", sheet.cell(values, "Start"))
        return None
    return starts.index(sheet, n, values, when)


def _party(value: object, event: Event, lenient: bool = False) -> str:
    """The party key of an attendee cell: one ID, a team's member IDs joined by ';', or a team name."""
    found = _parties(value, event, lenient)
    if len(found) > 1:
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
        if not lenient or ranked[0][1] == ranked[1][1]:
            raise CellError(f"these attendees {'no longer meet' if lenient else 'do not meet'} as one team")
        return ranked[0][0]
    return next(iter(found))


def _parties(value: object, event: Event, lenient: bool = False) -> dict[str, int]:
    """The parties an attendee cell's IDs belong to now, each with how many
    of them it holds. One, unless a re-solve's Team change split them. A
    re-solve keeps the bare key of someone no longer registered when nobody
    else in the cell is, so the meeting is reported dropped (cancelled)."""
    parts = [p.strip() for p in re.split(r"[;,]", _text(value)) if p.strip()]
    if not parts:
        raise CellError("an attendee ID is needed")
    parties: Counter[str] = Counter()
    unknown = []
    for part in parts:
        key = key_of(part)
        if key in event.attendee:
            parties[event.party_of.get(key, key)] += 1
        elif f"team:{key}" in event.party:
            parties[f"team:{key}"] += len(event.party[f"team:{key}"].members)
        elif lenient:
            unknown.append(key)
        else:
            raise CellError(f"unknown attendee ID {part}")
    if len(parties) > 1 and not lenient:
        raise CellError("these attendees do not meet as one team")
    return dict(parties) if parties else {unknown[0]: 0}


def _fixed_pairs(event: Event) -> dict[tuple[str, str], set[datetime]]:
    """The pairs of the Fixed meetings rows, with their starts."""
    found: dict[tuple[str, str], set[datetime]] = {}
    for f in event.fixed:
        found.setdefault(fixed_pair(event, f), set()).add(f.start)
    return found


def _choose(event: Event, sides: tuple[dict[str, int], dict[str, int]]) -> tuple[str, str] | str:
    """The two parties a re-solve reads a row as, when a Team change split the
    IDs of a side: the pair of a Fixed meetings row, then one with a request,
    then the one holding most of the named, then teams (a team that lost a
    member is still the team). A tie (a team split in halves, neither still
    the team) gives the reason the row cannot be read."""
    if len(sides[0]) == len(sides[1]) == 1:  # every row but those a Team change split
        return next(iter(sides[0])), next(iter(sides[1]))
    fixed = _fixed_pairs(event)

    def rank(pair: tuple[str, str]) -> tuple[bool, bool, int, int]:
        key = (min(pair), max(pair))
        request = event.request.get(key)
        teams = sum(p in event.party and event.party[p].is_team for p in pair)
        return (key in fixed, request is not None and request.priority > 0, sides[0][pair[0]] + sides[1][pair[1]],
                teams)

    pairs = [(a, b) for a in sides[0] for b in sides[1]]
    options = sorted([(a, b) for a, b in pairs if a != b] or pairs, key=lambda pair: (rank(pair), pair),
                     reverse=True)
    if len(options) > 1 and rank(options[0]) == rank(options[1]):
        return "these attendees no longer meet as one team"
    return options[0]


def _room(value: object, event: Event, use: str) -> str:
    name = _text(value)
    if not name:
        raise CellError("a room is needed")
    room = event.room.get(key_of(name))
    if room is None:
        raise CellError(f"unknown room {name}")
    if room.use != use:
        raise CellError(f"{room.name} is not a room for {use.lower()}")
    return room.name


def _table(value: object) -> int:
    if not _text(value):
        raise CellError("a table is needed (written T3 or 3)")
    match = re.fullmatch(r"[Tt]?\s*(\d+)", _text(value))
    if not match or int(match.group(1)) < 1:
        raise CellError("a table is written T3 or 3")
    return int(match.group(1))


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("write yes or leave it empty")


# ---------------------------------------------------------------- Unscheduled


def _read_unscheduled(sheet: _Sheet, event: Event) -> list[Unscheduled]:
    """The requests the schedule lists as not met, so verify can tell that none
    went missing. Rows naming people no longer registered are skipped."""
    if not (sheet.has("From") and sheet.has("To")):
        return []
    found = []
    for _, values in sheet.rows:
        try:
            a = _party(sheet.cell(values, "From"), event, lenient=True)
            b = _party(sheet.cell(values, "To"), event, lenient=True)
        except CellError:
            continue
        reason = _text(sheet.cell(values, "Reason")) if sheet.has("Reason") else ""
        found.append(Unscheduled(min(a, b), max(a, b), reason))
    return found


# ---------------------------------------------------------------- Sessions


def _read_sessions(sheet: _Sheet, event: Event, lenient: bool = False) -> list[SessionPlacement]:
    missing = [c for c in SESSION_REQUIRED if not sheet.has(c)]
    for column in missing:
        sheet.error(f"the column {column} is missing", row=1, column=column)
    if missing:
        return []
    period_at = _Times(event.periods)
    placements: list[SessionPlacement] = []
    unreadable: dict[str, SessionPlacement] = {}
    seen: set[str] = set()
    for n, values in sheet.rows:
        before = len(sheet.problems.items)
        placement = _placement(sheet, n, values, event, period_at, lenient)
        if placement is None:
            if lenient and len(sheet.problems.items) > before:
                _unreadable(unreadable, sheet, n, values, event, sheet.problems.items[before:])
            continue
        if placement.session in seen:
            sheet.error("this session is listed twice", n, "Session", sheet.cell(values, "Session"))
            continue
        seen.add(placement.session)
        placements.append(placement)
    # A re-solve: a session whose published row cannot be read is placed again and
    # reported, unless another row of it could be read.
    return placements + [p for key, p in unreadable.items() if key not in seen]


def _unreadable(found: dict[str, SessionPlacement], sheet: _Sheet, n: int, values: tuple[object, ...],
                event: Event, problems: Sequence[Problem]) -> None:
    """A published Sessions row whose place cannot be read, as a placement whose
    place is gone (the re-solve places the session again and says so)."""
    key = key_of(_text(sheet.cell(values, "Session")))
    if key in event.session and key not in found:
        reason = f"row {n} of the previous schedule cannot be read ({'; '.join(p.message for p in problems)})"
        where = _as_written(sheet, values, ("Date", "Start", "End"), ("Room",))
        found[key] = SessionPlacement(key, -1, _text(sheet.cell(values, "Room")), row=n, gone=Gone(reason, where))


def _as_written(sheet: _Sheet, values: tuple[object, ...], when: tuple[str, ...], where: tuple[str, ...]) -> str:
    """A row's time and place as its cells give them: "2017-06-05 09:25, Hall T1"."""
    def cells(columns: tuple[str, ...]) -> str:
        return " ".join(_show(sheet.cell(values, c)) for c in columns if _text(sheet.cell(values, c)))

    return ", ".join(x for x in (cells(when), cells(where)) if x)


def _placement(
    sheet: _Sheet, n: int, values: tuple[object, ...], event: Event, period_at: _Times,
    lenient: bool = False,
) -> SessionPlacement | None:
    """One Sessions row; None when it is unplaced (no date, start, room) or wrong.
    With ``lenient`` (a re-solve), a period or room the event no longer has is
    kept as ``SessionPlacement.gone``: the session is placed again, and the
    change report says where it was."""
    session = _located(sheet, n, values, "Session", lambda v: _session(v, event))
    if all(_text(sheet.cell(values, c)) == "" for c in ("Date", "Start", "Room")):
        return None  # a session that got no period
    if lenient:
        found = _published_time_and_room(sheet, n, values, event, period_at, "session period", "Sessions")
        if session is None or found is None:
            return None
        index, room, reasons, when = found
        name = event.room[room].name if room in event.room else room
        end = _end(sheet, values, when)
        span = f"{when:%Y-%m-%d %H:%M}" + (f"–{end:%H:%M}" if end else "")
        gone = Gone("; ".join(reasons), f"{span}, {name}", when if index < 0 else None, end) if reasons else None
        return SessionPlacement(session, index, name, row=n, gone=gone)
    period = _slot(sheet, n, values, period_at, "session period")
    room_name = _located(sheet, n, values, "Room", lambda v: _room(v, event, "Sessions"))
    if session is None or period is None or room_name is None:
        return None
    return SessionPlacement(session, period, room_name, row=n)


def _session(value: object, event: Event) -> str:
    text = _text(value)
    if not text:
        raise CellError("a session ID is needed")
    if key_of(text) not in event.session:
        raise CellError(f"unknown session {text}")
    return key_of(text)


# ------------------------------------------------------------------- cells


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _show(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else value.date().isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return _text(value) or "empty"


def _date(value: object) -> date:
    """An Excel date, an Excel serial number or ISO text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1:
        return (EXCEL_EPOCH + timedelta(days=int(value))).date()
    text = _text(value)
    if not text:
        raise CellError("a date is needed")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise CellError("not a date; write it like 2017-06-05") from None


def _time(value: object) -> time:
    """An Excel time, a fraction of a day, or HH:MM text."""
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 86400)
        return (datetime.min + timedelta(seconds=seconds)).time()
    text = _text(value)
    if not text:
        raise CellError("a time is needed")
    match = re.fullmatch(r"(\d{1,2})[:h.](\d{2})(?::(\d{2}))?", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise CellError("not a time; write it like 9:30")
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def _minute(moment: datetime) -> datetime:
    """Rounded to the minute: Excel stores times as fractions of a day, which can be off by a hair."""
    base = moment.replace(second=0, microsecond=0)
    return base + timedelta(minutes=1) if moment.second >= 30 else base

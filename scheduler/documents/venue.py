"""Sheets for the venue staff: a sign for every meeting table and a door
sheet for every session room, one page per table (or room) per day.

A sign that runs long (many slots, big teams) continues on the next page
with its heading row repeated; the footer names the sign on every page.

When someone at the event speaks French, every word the venue staff and the
attendees read on a sign is given in English and in French ("Time / Heure",
the day on two lines); names, rooms and times are written once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from scheduler.documents.common import has_french, page_size, party_orgs
from scheduler.documents.text import (
    FONT,
    Grid,
    Line,
    TableRow,
    binary_streams,
    bold_run,
    draw_ops,
    italic_run,
    lay_out,
    page_notes,
    register_fonts,
    regular_run,
    row,
    text_at,
    text_ops,
    text_width,
)
from scheduler.i18n import ENGLISH, FRENCH, N_, Words, in_all
from scheduler.model import Event, Party, key_of
from scheduler.rules import expected_audience
from scheduler.schedule import Meeting, Schedule

MARGIN = 0.6 * inch
FOOTER = 20.0
TIME_COLUMN = 1.3 * inch
SIZE, LEADING = 11.0, 14.0


class _SignName(Flowable):
    """Takes no room; names the sign in the footer of the pages it is on."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        page_notes(self.canv).name = self.text


class Big(Flowable):
    """A line (or a few) of large text: room and table names, dates."""

    def __init__(self, text: str, size: float, width: float, bold: bool = True, space_after: float = 4) -> None:
        super().__init__()
        self.size, self.leading = size, size * 1.18
        self.lines = lay_out([[bold_run(text) if bold else regular_run(text)]], width, size)
        self.width, self.height = width, len(self.lines) * self.leading
        self.spaceAfter = space_after

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_ops(self.canv, text_ops(self.canv, self.lines, 0, self.height, self.size, self.leading))


class Tongues:
    """The languages of a venue document: English, and French when someone speaks it."""

    def __init__(self, event: Event) -> None:
        self.all: tuple[Words, ...] = (ENGLISH, FRENCH) if has_french(event) else (ENGLISH,)

    def say(self, message: str, **values: object) -> str:
        """'Time / Heure'; once when the languages write it alike ('Session')."""
        return in_all(message, self.all, " / ", **values)

    def days(self, event: Event) -> str:
        return " / ".join(dict.fromkeys(w.days(event.days) for w in self.all))

    def day_lines(self, day: date) -> list[str]:
        return [w.day(day) for w in self.all]


class SignDoc(BaseDocTemplate):
    def __init__(self, path: str | Path, event: Event, title: str) -> None:
        size = page_size(event)
        super().__init__(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=f"{event.settings.name} — {title}",
                         author=event.settings.name, creator="scheduler", invariant=1, lang="en")
        self.event = event
        self.tongues = Tongues(event)
        width, height = size
        frame = Frame(MARGIN, MARGIN + FOOTER, width - 2 * MARGIN, height - 2 * MARGIN - FOOTER,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.body_width, self.page_height = frame.width, frame.height
        settings = event.settings
        self.event_text = " · ".join(x for x in (settings.name, settings.venue, self.tongues.days(event)) if x)
        self.addPageTemplates([PageTemplate("sign", [frame], onPageEnd=self._footer)])

    def _footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        right = self.pagesize[0] - MARGIN
        name = page_notes(canv).name
        ops = text_at(canv, MARGIN, MARGIN + 3, FONT, 8, self.event_text)
        # The sign's name goes on its own line below, so long event names never overlap it.
        ops += text_at(canv, right - text_width(FONT, name, 8), MARGIN - 7, FONT, 8, name)
        draw_ops(canv, ops, 0.35)
        canv._code.append(f"q 0.6 G 0.6 w {MARGIN:.2f} {MARGIN + 14:.2f} m {right:.2f} {MARGIN + 14:.2f} l S Q")


def _build(path: str | Path, doc: SignDoc, pages: list[list[Flowable]], empty: str) -> Path:
    story: list[Flowable] = []
    for page in pages:
        if story:
            story.append(PageBreak())
        story += page
    if not story:
        story.append(Big(empty, 14, doc.body_width, bold=False))
    with binary_streams():
        doc.build(story)
    return Path(path)


def _doc(event: Event, path: str | Path, title: str) -> SignDoc:
    register_fonts()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SignDoc(path, event, title)


def _order(event: Event) -> dict[str, int]:
    """Rooms in the order the workbook lists them."""
    return {room.name: n for n, room in enumerate(event.rooms)}


# ---------------------------------------------------------------- table signs


def _side(event: Event, party: Party | None) -> list[Line]:
    if party is None:
        return [[regular_run("?")]]
    orgs = party_orgs(event, party)
    if party.is_team:
        names = ", ".join(event.attendee[k].name for k in party.members)
        return [[bold_run(party.label)], [regular_run(names)]] + ([[regular_run(orgs)]] if orgs else [])
    return [[bold_run(party.label)]] + ([[regular_run(orgs)]] if orgs else [])


def _host_line(event: Event, schedule: Schedule, room: str, table: int, day: date, say: Tongues) -> str:
    for party_key, iso, home_room, home_table in schedule.home_tables:
        if iso == day.isoformat() and home_room == room and home_table == table and party_key in event.party:
            party = event.party[party_key]
            orgs = party_orgs(event, party)
            return say.say(N_("Home table of {name}"), name=party.label) + (f" ({orgs})" if orgs else "")
    return ""


def _day(doc: SignDoc, day: date, space_after: float = 4) -> list[Flowable]:
    """The day, in large type, a line per language."""
    lines = doc.tongues.day_lines(day)
    return [Big(text, 16, doc.body_width, space_after=0 if n < len(lines) else space_after)
            for n, text in enumerate(lines, 1)]


def _table_sign(event: Event, schedule: Schedule, doc: SignDoc, room: str, table: int, day: date,
                meetings: dict[int, Meeting]) -> list[Flowable]:
    width, say = doc.body_width, doc.tongues
    number = say.say(N_("Table {number}"), number=table)
    # The English date in the footer and the heading: a line per language would not fit there.
    name = f"{room} · {number} · {ENGLISH.day(day) if len(say.all) == 1 else day.isoformat()}"
    page: list[Flowable] = [_SignName(name), Big(room, 26, width, bold=False, space_after=2),
                            Big(number, 64, width, space_after=10), *_day(doc, day)]
    host = _host_line(event, schedule, room, table, day, say)
    if host:
        page.append(Big(host, 12, width, bold=False))
    side = (width - TIME_COLUMN) / 2
    widths = [TIME_COLUMN, side, side]
    rows: list[TableRow] = []
    for slot in (s for s in event.slots if s.day == day):
        m = meetings.get(slot.index)
        when: list[Line] = [[bold_run(ENGLISH.span(slot.start, slot.end))]]
        cells = [when, [[italic_run(say.say(N_("free")))]], []] if m is None else [
            when, _side(event, event.party.get(m.a)), _side(event, event.party.get(m.b))]
        rows.append(row(cells, widths, SIZE, LEADING))
    # The heading row repeats on a continuation page, so it names the sign.
    meetings_at = say.say(N_("Meetings")) + " · " + name
    page.append(Grid([(0, say.say(N_("Time"))), (1, meetings_at)], widths,
                     rows, SIZE, doc.page_height, heading_size=10, continued_label=say.say(N_("(continued)"))))
    return page


def render_tables(event: Event, schedule: Schedule, path: str | Path) -> Path:
    """``tables.pdf``: a sign for each meeting table on each day it has meetings."""
    doc = _doc(event, path, "table signs")
    by_table: dict[tuple[date, str, int], dict[int, Meeting]] = defaultdict(dict)
    for m in schedule.meetings:
        by_table[(event.slots[m.slot].day, m.room, m.table)][m.slot] = m
    order = _order(event)
    keys = sorted(by_table, key=lambda k: (k[0], order.get(k[1], len(order)), k[1], k[2]))
    pages = [_table_sign(event, schedule, doc, room, table, day, by_table[(day, room, table)])
             for day, room, table in keys]
    return _build(path, doc, pages, doc.tongues.say(N_("No meetings are scheduled.")))


# ---------------------------------------------------------------- room door sheets


def _speaker_lines(event: Event, speakers: tuple[str, ...]) -> list[Line]:
    lines: list[Line] = []
    for key in speakers:
        a = event.attendee.get(key)
        if a is not None:
            lines.append([bold_run(a.name)] + ([regular_run(f", {a.organization}")] if a.organization else []))
    return lines


def _room_sheet(event: Event, doc: SignDoc, room: str, day: date, placed: list[tuple[int, str]]) -> list[Flowable]:
    width, say = doc.body_width, doc.tongues
    page: list[Flowable] = [_SignName(f"{room} · {ENGLISH.day(day)}"), Big(room, 40, width, space_after=8),
                            *_day(doc, day, space_after=6)]
    rest = width - TIME_COLUMN
    widths = [TIME_COLUMN, rest * 0.55, rest * 0.45]
    rows = []
    for period_index, key in sorted(placed, key=lambda p: (event.periods[p[0]].start, p[1])):
        period, session = event.periods[period_index], event.session[key]
        track = event.track.get(session.track) if session.track else None
        what: list[Line] = [[bold_run(session.title or session.id)]]
        if track is not None:
            sector = f" ({track.sector})" if track.sector and key_of(track.sector) != track.key else ""
            what.append([regular_run(say.say(N_("Track")) + f": {track.name}{sector}")])
        seats = event.room[key_of(room)].capacity if key_of(room) in event.room else None
        audience = say.say(N_("Expected audience")) + f": {expected_audience(event, key)}"
        if seats:
            audience += " · " + say.say(N_("Seats")) + f": {seats}"
        what.append([regular_run(audience)])
        rows.append(row([[[bold_run(ENGLISH.span(period.start, period.end))]], what,
                          _speaker_lines(event, session.speakers)], widths, SIZE, LEADING))
    heading = [(0, say.say(N_("Time"))), (1, say.say(N_("Session"))), (2, say.say(N_("Speakers")))]
    page.append(Grid(heading, widths, rows, SIZE, doc.page_height, heading_size=10,
                     continued_label=say.say(N_("(continued)"))))
    return page


def render_rooms(event: Event, schedule: Schedule, path: str | Path) -> Path:
    """``rooms.pdf``: a door sheet for each session room on each day it has sessions."""
    doc = _doc(event, path, "room sheets")
    by_room: dict[tuple[date, str], list[tuple[int, str]]] = defaultdict(list)
    for p in schedule.sessions:
        if p.session in event.session:
            by_room[(event.periods[p.period].day, p.room)].append((p.period, p.session))
    order = _order(event)
    keys = sorted(by_room, key=lambda k: (k[0], order.get(k[1], len(order)), k[1]))
    pages = [_room_sheet(event, doc, room, day, by_room[(day, room)]) for day, room in keys]
    return _build(path, doc, pages, doc.tongues.say(N_("No sessions are scheduled.")))

"""Sheets for the venue staff: a sign for every meeting table and a door
sheet for every session room, one page per table (or room) per day.

A sign that runs long (many slots, big teams) continues on the next page
with the column header repeated; the footer names the sign on every page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from scheduler.documents.common import (
    FONT,
    FONT_BOLD,
    Line,
    Lines,
    b,
    binary_streams,
    day_text,
    days_text,
    i,
    markup,
    page_size,
    party_orgs,
    r,
    register_fonts,
    span_text,
)
from scheduler.model import Event, Party, key_of
from scheduler.schedule import Meeting, Schedule

MARGIN = 0.6 * inch
GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.88, 0.88, 0.88)


class _SignName(Flowable):
    """Takes no room; names the sign in the footer of the pages it is on."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv._sign_name = self.text  # type: ignore[attr-defined]


class SignDoc(BaseDocTemplate):
    def __init__(self, path: str | Path, event: Event, title: str) -> None:
        size = page_size(event)
        super().__init__(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=f"{event.settings.name} — {title}",
                         author=event.settings.name, creator="scheduler", invariant=1, lang="en")
        self.event = event
        width, height = size
        frame = Frame(MARGIN, MARGIN + 20, width - 2 * MARGIN, height - 2 * MARGIN - 20,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("sign", [frame], onPageEnd=self._footer)])

    def _footer(self, canv, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        width, _ = doc.pagesize
        settings = self.event.settings
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(GREY)
        canv.setStrokeColor(RULE)
        canv.line(MARGIN, MARGIN + 14, width - MARGIN, MARGIN + 14)
        event_text = " · ".join(x for x in (settings.name, settings.venue, days_text(self.event.days)) if x)
        canv.drawString(MARGIN, MARGIN + 3, event_text)
        canv.drawRightString(width - MARGIN, MARGIN + 3, getattr(canv, "_sign_name", ""))
        canv.restoreState()


def _big(text: str, size: float, bold: bool = True, space_after: float = 4) -> Paragraph:
    style = ParagraphStyle(f"big{size}{bold}", fontName=FONT_BOLD if bold else FONT, fontSize=size,
                           leading=size * 1.15, spaceAfter=space_after)
    return Paragraph(markup(text), style)


def _grid(rows: list[list[object]], widths: list[float]) -> Table:
    style = TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 10),
        ("FONT", (0, 1), (0, -1), FONT_BOLD, 11),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, RULE),
    ])
    return Table(rows, colWidths=widths, repeatRows=1, style=style, hAlign="LEFT")


def _build(path: str | Path, event: Event, title: str, pages: list[list[Flowable]], empty: str) -> Path:
    register_fonts()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SignDoc(path, event, title)
    story: list[Flowable] = []
    for page in pages:
        if story:
            story.append(PageBreak())
        story += page
    if not story:
        story.append(_big(empty, 14, bold=False))
    with binary_streams():
        doc.build(story)
    return path


# ---------------------------------------------------------------- table signs


def _side(event: Event, party: Party | None) -> list[Line]:
    if party is None:
        return [[r("?")]]
    orgs = party_orgs(event, party)
    if party.is_team:
        names = ", ".join(event.attendee[k].name for k in party.members)
        return [[b(party.label)], [r(names)]] + ([[r(orgs)]] if orgs else [])
    return [[b(party.label)]] + ([[r(orgs)]] if orgs else [])


def _host_line(event: Event, schedule: Schedule, room: str, table: int, day: date) -> str:
    for party_key, iso, home_room, home_table in schedule.home_tables:
        if iso == day.isoformat() and home_room == room and home_table == table and party_key in event.party:
            party = event.party[party_key]
            orgs = party_orgs(event, party)
            return f"Home table of {party.label}" + (f" ({orgs})" if orgs else "")
    return ""


def _table_sign(event: Event, schedule: Schedule, room: str, table: int, day: date,
                meetings: dict[int, Meeting], width: float) -> list[Flowable]:
    name = f"{room} · Table {table} · {day_text(day)}"
    page: list[Flowable] = [_SignName(name), _big(room, 26, bold=False, space_after=2),
                            _big(f"Table {table}", 64, space_after=10), _big(day_text(day), 16)]
    host = _host_line(event, schedule, room, table, day)
    if host:
        page.append(_big(host, 12, bold=False))
    page.append(Spacer(1, 10))
    # The header row repeats on a continuation page, so it names the sign.
    rows: list[list[object]] = [["Time", f"Meetings at {name}", ""]]
    for slot in (s for s in event.slots if s.day == day):
        m = meetings.get(slot.index)
        if m is None:
            rows.append([span_text(slot.start, slot.end), Lines([[i("free")]], size=11), ""])
        else:
            rows.append([span_text(slot.start, slot.end), Lines(_side(event, event.party.get(m.a)), size=11),
                         Lines(_side(event, event.party.get(m.b)), size=11)])
    side = (width - 1.3 * inch) / 2
    grid = _grid(rows, [1.3 * inch, side, side])
    grid.setStyle([("SPAN", (1, 0), (2, 0))])
    page.append(grid)
    return page


def render_tables(event: Event, schedule: Schedule, path: str | Path) -> Path:
    """``tables.pdf``: a sign for each meeting table on each day it has meetings."""
    register_fonts()
    by_table: dict[tuple[date, str, int], dict[int, Meeting]] = defaultdict(dict)
    for m in schedule.meetings:
        by_table[(event.slots[m.slot].day, m.room, m.table)][m.slot] = m
    width = page_size(event)[0] - 2 * MARGIN
    room_order = {room.name: n for n, room in enumerate(event.rooms)}
    keys = sorted(by_table, key=lambda k: (k[0], room_order.get(k[1], len(room_order)), k[1], k[2]))
    pages = [_table_sign(event, schedule, room, table, day, by_table[(day, room, table)], width)
             for day, room, table in keys]
    return _build(path, event, "table signs", pages, "No meetings are scheduled.")


# ---------------------------------------------------------------- room door sheets


def _speaker_lines(event: Event, speakers: tuple[str, ...]) -> list[Line]:
    lines: list[Line] = []
    for key in speakers:
        a = event.attendee.get(key)
        if a is not None:
            lines.append([b(a.name)] + ([r(f", {a.organization}")] if a.organization else []))
    return lines


def _room_sheet(event: Event, room: str, day: date, placed: list[tuple[int, str]], width: float) -> list[Flowable]:
    page: list[Flowable] = [_SignName(f"{room} · {day_text(day)}"), _big(room, 40, space_after=8),
                            _big(day_text(day), 16), Spacer(1, 10)]
    rows: list[list[object]] = [["Time", "Session", "Speakers"]]
    for period_index, key in sorted(placed, key=lambda p: (event.periods[p[0]].start, p[1])):
        period, session = event.periods[period_index], event.session[key]
        track = event.track.get(session.track) if session.track else None
        what: list[Line] = [[b(session.title or session.id)]]
        if track is not None:
            sector = f" ({track.sector})" if track.sector and key_of(track.sector) != track.key else ""
            what.append([r(f"Track: {track.name}{sector}")])
        rows.append([span_text(period.start, period.end), Lines(what, size=11),
                     Lines(_speaker_lines(event, session.speakers), size=10)])
    page.append(_grid(rows, [1.3 * inch, (width - 1.3 * inch) * 0.55, (width - 1.3 * inch) * 0.45]))
    return page


def render_rooms(event: Event, schedule: Schedule, path: str | Path) -> Path:
    """``rooms.pdf``: a door sheet for each session room on each day it has sessions."""
    register_fonts()
    by_room: dict[tuple[date, str], list[tuple[int, str]]] = defaultdict(list)
    for p in schedule.sessions:
        if p.session in event.session:
            by_room[(event.periods[p.period].day, p.room)].append((p.period, p.session))
    width = page_size(event)[0] - 2 * MARGIN
    room_order = {room.name: n for n, room in enumerate(event.rooms)}
    keys = sorted(by_room, key=lambda k: (k[0], room_order.get(k[1], len(room_order)), k[1]))
    pages = [_room_sheet(event, room, day, by_room[(day, room)], width) for day, room in keys]
    return _build(path, event, "room sheets", pages, "No sessions are scheduled.")

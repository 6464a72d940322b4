"""Printed agendas: one attendee per page (or more), ready to hand out.

Each attendee starts a new page with their name, title, organization and
delegation, then one table per day. A long agenda flows onto further pages:
the day's heading row repeats at the top of the table (``repeatRows``) and
the page carries "<name> — continued", so nothing is ever clipped.

The page furniture (event band, continued header, footer) is drawn when a
page ends, because only then does the page know whose agenda it holds: a
zero-size marker flowable at the start of each agenda records that.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from scheduler.documents.common import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    Item,
    Line,
    Lines,
    Program,
    agenda_order,
    b,
    by_day,
    day_text,
    days_text,
    file_names,
    i,
    markup,
    page_size,
    party_orgs,
    person_line,
    r,
    register_fonts,
    span_text,
)
from scheduler.model import Attendee, Event
from scheduler.schedule import Schedule

MARGIN = 0.6 * inch
BAND = 0.45 * inch  # event name band at the top of every page
CONTINUED = 0.4 * inch  # "<name> — continued" band on later pages
FOOTER = 0.4 * inch
NOTE_LIMIT = 500  # characters; a note longer than a page would not fit a row

GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.88, 0.88, 0.88)

STYLES = {
    "name": ParagraphStyle("name", fontName=FONT_BOLD, fontSize=20, leading=24, spaceAfter=2),
    "who": ParagraphStyle("who", fontName=FONT, fontSize=11, leading=14),
    "summary": ParagraphStyle("summary", fontName=FONT, fontSize=9, leading=12, textColor=GREY,
                              spaceBefore=4, spaceAfter=10),
    "empty": ParagraphStyle("empty", fontName=FONT_ITALIC, fontSize=10, leading=13, spaceBefore=8),
}


class _AgendaStart(Flowable):
    """Takes no room; tells the canvas whose agenda the following pages hold."""

    def __init__(self, attendee: Attendee, index: int) -> None:
        super().__init__()
        self.attendee = attendee
        self.index = index

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        canv = self.canv
        canv._agenda_name = self.attendee.name  # type: ignore[attr-defined]
        canv._agenda_first_page = canv.getPageNumber()  # type: ignore[attr-defined]
        canv._agenda_starts.append(canv.getPageNumber())  # type: ignore[attr-defined]


class AgendaDoc(BaseDocTemplate):
    """Two page templates: an agenda's first page, and its continuation pages
    (whose frame starts lower to leave room for the continued header)."""

    def __init__(self, path: str | Path, event: Event, **kw: object) -> None:
        size = page_size(event)
        super().__init__(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=f"{event.settings.name} — agendas",
                         author=event.settings.name, creator="scheduler", invariant=1, lang="en", **kw)
        self.event = event
        self.page_starts: list[int] = []  # first page number of each agenda, in order
        width, height = size
        body = width - 2 * MARGIN
        bottom = MARGIN + FOOTER
        first = Frame(MARGIN, bottom, body, height - MARGIN - BAND - bottom, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN, bottom, body, height - MARGIN - BAND - CONTINUED - bottom, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("first", [first], onPageEnd=self._furniture, autoNextPageTemplate="later"),
            PageTemplate("later", [later], onPageEnd=self._furniture),
        ])

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        self.canv._agenda_starts = self.page_starts  # type: ignore[attr-defined]

    def _furniture(self, canv, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        width, height = doc.pagesize
        settings = self.event.settings
        name = getattr(canv, "_agenda_name", "")
        page = canv.getPageNumber() - getattr(canv, "_agenda_first_page", 1) + 1
        canv.saveState()
        top = height - MARGIN
        canv.setFont(FONT_BOLD, 10)
        canv.drawString(MARGIN, top - 11, settings.name)
        canv.setFont(FONT, 9)
        where = " · ".join(x for x in (settings.venue, days_text(self.event.days)) if x)
        canv.drawRightString(width - MARGIN, top - 11, where)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN, top - 18, width - MARGIN, top - 18)
        if page > 1:
            canv.setFont(FONT_BOLD, 13)
            canv.drawString(MARGIN, top - BAND - 8, f"{name} — continued")
        canv.setFont(FONT, 8)
        canv.setFillColor(GREY)
        canv.line(MARGIN, MARGIN + 14, width - MARGIN, MARGIN + 14)
        canv.drawString(MARGIN, MARGIN + 3, name)
        canv.drawRightString(width - MARGIN, MARGIN + 3, f"page {page}")
        canv.restoreState()


# ---------------------------------------------------------------- rows


def _meeting_lines(item: Item, event: Event) -> list[Line]:
    party = item.counterpart
    if party is None:
        return [[b("Meeting")]]
    members = [event.attendee[k] for k in party.members if k in event.attendee]
    lines: list[Line] = []
    if party.is_team:
        orgs = party_orgs(event, party)
        lines.append([b("Meeting"), r(" with team "), b(party.label), r(f" ({orgs})" if orgs else "")])
        lines += [[r("• "), b(a.name), r(f" — {person_line(a)}" if person_line(a) else "")] for a in members]
        sectors = sorted({s for a in members for s in a.sectors})
        if sectors:
            lines.append([r(f"Sectors: {', '.join(sectors)}")])
    else:
        for a in members:
            lines.append([b("Meeting"), r(" with "), b(a.name)])
            about = [person_line(a)] + ([f"Sectors: {', '.join(a.sectors)}"] if a.sectors else [])
            if any(about):
                lines.append([r(" · ".join(x for x in about if x))])
    if item.teammates:
        mates = ", ".join(event.attendee[k].name for k in item.teammates if k in event.attendee)
        lines.append([r(f"With your team: {mates}")])
    if item.note:
        note = item.note if len(item.note) <= NOTE_LIMIT else item.note[:NOTE_LIMIT].rstrip() + "…"
        lines.append([i(f"Note: {note}")])
    return lines


def _session_lines(item: Item, event: Event) -> list[Line]:
    lines: list[Line] = [[b("Session: "), r(item.title)] + ([b("  [SPEAKER]")] if item.speaker else [])]
    details = []
    if item.track:
        details.append(f"Track: {item.track}")
    session = event.session.get(item.session)
    speakers = [event.attendee[k].name for k in session.speakers if k in event.attendee] if session else []
    if speakers:
        details.append(f"Speakers: {', '.join(speakers)}")
    if details:
        lines.append([r(" · ".join(details))])
    return lines


def _row(item: Item, event: Event) -> list[object]:
    if item.kind == "meeting":
        where: list[Line] = [[r(item.room)], [b(f"Table {item.table[1:]}")]]
        what = _meeting_lines(item, event)
    elif item.kind == "session":
        where, what = [[r(item.room)]], _session_lines(item, event)
    elif item.kind == "plenary":
        where, what = [], [[b("Plenary: "), r(item.title)]]
    else:
        where, what = [], [[i(item.title)]]
    return [span_text(item.start, item.end), Lines(where), Lines(what)]


def _day_table(day_label: str, items: list[Item], event: Event, width: float) -> Table:
    rows = [[day_label, "", ""]] + [_row(i, event) for i in items]
    widths = [0.95 * inch, 1.35 * inch, width - 2.3 * inch]
    style = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 11),
        ("FONT", (0, 1), (0, -1), FONT_BOLD, 9),
        ("FONT", (1, 1), (1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT",
                 spaceAfter=12)


def _summary(items: list[Item]) -> str:
    meetings = sum(i.kind == "meeting" for i in items)
    sessions = sum(i.kind == "session" for i in items)
    talks = sum(i.speaker for i in items)
    parts = [f"{meetings} meeting{'s' * (meetings != 1)}", f"{sessions} session{'s' * (sessions != 1)}"]
    if talks:
        parts.append(f"speaking at {talks}")
    return " · ".join(parts)


def agenda_flowables(program: Program, attendee: Attendee, index: int, width: float) -> list[Flowable]:
    """One attendee's agenda, starting with a marker and ending before the next page break."""
    event = program.event
    items = program.items(attendee.key)
    story: list[Flowable] = [_AgendaStart(attendee, index), NextPageTemplate("later"),
                             Paragraph(markup(attendee.name), STYLES["name"])]
    if person_line(attendee):
        story.append(Paragraph(markup(person_line(attendee)), STYLES["who"]))
    story.append(Paragraph(_summary(items), STYLES["summary"]))
    if not items:
        story.append(Paragraph("Nothing is scheduled for you yet.", STYLES["empty"]))
    for day, day_items in by_day(items).items():
        story.append(_day_table(day_text(day), day_items, event, width))
    return story


def _story(program: Program, attendees: Iterable[Attendee], width: float) -> list[Flowable]:
    story: list[Flowable] = []
    for index, attendee in enumerate(attendees):
        if story:
            story += [NextPageTemplate("first"), PageBreak()]
        story += agenda_flowables(program, attendee, index, width)
    if not story:
        story.append(Paragraph("No agenda to print.", STYLES["empty"]))
    return story


def build(path: str | Path, program: Program, attendees: list[Attendee]) -> AgendaDoc:
    register_fonts()
    doc = AgendaDoc(path, program.event)
    doc.build(_story(program, attendees, doc.width))
    return doc


# ---------------------------------------------------------------- public


def render_agendas(event: Event, schedule: Schedule, path: str | Path,
                   attendee_keys: Collection[str] | None = None, program: Program | None = None) -> Path:
    """All agendas (or those of ``attendee_keys``) in one PDF, by delegation then name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build(path, program or Program(event, schedule), agenda_order(event, attendee_keys))
    return path


def render_agenda_files(event: Event, schedule: Schedule, folder: str | Path,
                        program: Program | None = None) -> list[Path]:
    """One PDF per attendee, named after the attendee ID; stale PDFs left by an
    earlier run (an attendee since removed) are deleted."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    program = program or Program(event, schedule)
    names = file_names(event.attendees)
    written = []
    for attendee in agenda_order(event):
        path = folder / f"{names[attendee.key]}.pdf"
        build(path, program, [attendee])
        written.append(path)
    _remove_stale(folder, "*.pdf", written)
    return written


def _remove_stale(folder: Path, pattern: str, written: list[Path]) -> None:
    keep = set(written)
    for old in folder.glob(pattern):
        if old not in keep:
            old.unlink()

"""Printed agendas: one attendee per page (or more), ready to hand out.

Each attendee starts a new page with their name, title, organization and
delegation, then one table per day (time | where | what). A long agenda
flows onto further pages: a day's table splits between rows and its heading
row is repeated, "(continued)", on the next page, which is headed
"<name> — continued". A row is never cut unless it alone is taller than a
page, so nothing is ever clipped.

Speed: 5,000 agendas must print in well under a minute. Platypus Tables of
Paragraphs took minutes, so a day's table is a :class:`~scheduler.documents.text.Grid`,
which lays its rows out once, splits between rows like a Table with
``repeatRows=1``, and writes its text as ready-made PDF operators.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable

from scheduler.changes import Change, Notice, Place
from scheduler.documents import pdfsplit
from scheduler.documents.common import (
    Item,
    Program,
    agenda_order,
    by_day,
    file_names,
    page_size,
    party_orgs,
    person_line,
    words_for,
)
from scheduler.documents.text import (
    FONT,
    FONT_BOLD,
    Grid,
    Line,
    TableRow,
    binary_streams,
    bold_run,
    clipped,
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
from scheduler.i18n import ENGLISH, N_, Words
from scheduler.model import Attendee, Event, key_of
from scheduler.schedule import Schedule

MARGIN = 0.6 * inch
BAND = 0.45 * inch  # event name band at the top of every page
CONTINUED = 0.4 * inch  # "<name> — continued" band on later pages
FOOTER = 0.4 * inch
NOTE_LIMIT = 500  # characters; a longer note is cut ("…")

COLUMNS = (1.0 * inch, 1.3 * inch)  # time, where; "what" takes the rest
SIZE, LEADING = 9.0, 11.5
RULE_GRAY, MUTED_GRAY = 0.6, 0.35


@dataclass(frozen=True)
class Print:
    """How the agendas are printed.

    ``duplex``: every agenda starts on an odd page (a blank back page is added
    after an agenda that ends on an odd page), so a double-sided print run can
    be cut into personal agendas. ``revised``: attendee key -> what changed for
    them since the published schedule; their agendas say "Revised" with
    ``revised_on`` on every page and list the changes above the agenda."""

    duplex: bool = True
    revised: Mapping[str, Sequence[Change]] = field(default_factory=dict)
    revised_on: date | None = None


# ---------------------------------------------------------------- page furniture


class _AgendaStart(Flowable):
    """Takes no room; tells the canvas whose agenda the following pages hold."""

    def __init__(self, attendee: Attendee, empty: bool, revised: bool = False) -> None:
        super().__init__()
        self.attendee = attendee
        self.empty = empty  # no day tables follow
        self.revised = revised

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        notes = page_notes(self.canv)
        notes.name = self.attendee.name
        notes.words = words_for(self.attendee)
        notes.first_page = self.canv.getPageNumber()
        notes.starts.append(self.canv.getPageNumber())
        notes.grid_final = self.empty
        notes.revised = self.revised


class _AgendaEnd(Flowable):
    """Takes no room; records the page an agenda ends on (a blank back page is not its own)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        page_notes(self.canv).ends.append(self.canv.getPageNumber())


class _BlankBackIfOdd(ActionFlowable):
    """Duplex printing: after an agenda that ends on a front (odd) page, leave its back blank,
    so the next agenda starts on a front page. (A plain check: DocIf evaluates a string
    expression per agenda, a noticeable cost for thousands.)"""

    def __init__(self) -> None:
        super().__init__()

    def apply(self, doc: BaseDocTemplate) -> None:
        if doc.page % 2 == 1:
            doc.handle_nextPageTemplate("blank")
            doc.handle_pageBreak()


class AgendaDoc(BaseDocTemplate):
    """Two page templates: an agenda's first page, and its continuation pages
    (whose frame starts lower, below the "<name> — continued" line).

    The furniture is drawn when a page ends: only then does the page know whose
    agenda it holds (from the ``_AgendaStart`` marker drawn on it or before it)."""

    def __init__(self, target: str | Path | BytesIO, event: Event, printing: Print | None = None) -> None:
        size = page_size(event)
        super().__init__(target if isinstance(target, BytesIO) else str(target), pagesize=size,
                         leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                         title=f"{event.settings.name} — agendas", author=event.settings.name,
                         creator="scheduler", invariant=1, lang="en")
        self.event = event
        self.printing = printing or Print()
        self.page_starts: list[int] = []  # first page number of each agenda, in order
        self.page_ends: list[int] = []  # last page of each agenda (before any blank back page)
        width, height = size
        body = width - 2 * MARGIN
        bottom = MARGIN + FOOTER
        first = Frame(MARGIN, bottom, body, height - MARGIN - BAND - bottom, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN, bottom, body, height - MARGIN - BAND - CONTINUED - bottom, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.body_width = body
        self.page_height = later.height  # the room a day table has on a page of its own
        self.addPageTemplates([
            PageTemplate("first", [first], onPageEnd=self._furniture, autoNextPageTemplate="later"),
            PageTemplate("later", [later], onPageEnd=self._furniture),
            PageTemplate("blank", [Frame(MARGIN, bottom, body, 10, id="blank")]),  # a back page left empty
        ])

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        notes = page_notes(self.canv)
        notes.starts, notes.ends = self.page_starts, self.page_ends

    def band_right(self, w: Words) -> str:
        return " · ".join(x for x in (self.event.settings.venue, w.days(self.event.days)) if x)

    def _furniture(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        notes = page_notes(canv)
        name, w = notes.name, notes.words
        band_right = self.band_right(w)
        page = canv.getPageNumber() - notes.first_page + 1
        top, right = height - MARGIN, width - MARGIN
        if notes.revised:  # instead of venue and dates: what a reprint must show
            mark = self._revised_text(w)
            beside = text_width(FONT_BOLD, mark, 10)
            ops = text_at(canv, right - beside, top - 11, FONT_BOLD, 10, mark)
        else:
            beside = text_width(FONT, band_right, 9)
            ops = text_at(canv, right - beside, top - 11, FONT, 9, band_right)
        title = clipped(FONT_BOLD, self.event.settings.name, 10, right - MARGIN - beside - 12)
        ops += text_at(canv, MARGIN, top - 11, FONT_BOLD, 10, title)
        if page > 1:
            heading = clipped(FONT_BOLD, w._("{name} — continued").format(name=name), 13, right - MARGIN)
            ops += text_at(canv, MARGIN, top - BAND - 8, FONT_BOLD, 13, heading)
        draw_ops(canv, ops)
        done = notes.grid_final  # the agenda's last table is on this page
        number = w._("page {number}").format(number=page)
        if not done:
            number = w._("page {number} · continued on the next page ›").format(number=page)
        room = right - MARGIN - text_width(FONT, number, 8) - 12
        footer = text_at(canv, MARGIN, MARGIN + 3, FONT, 8, clipped(FONT, name, 8, room))
        footer += text_at(canv, right - text_width(FONT, number, 8), MARGIN + 3, FONT, 8, number)
        draw_ops(canv, footer, MUTED_GRAY)
        canv._code.append(f"q {RULE_GRAY:g} G 0.6 w {MARGIN:.2f} {top - 18:.2f} m {right:.2f} {top - 18:.2f} l "
                          f"{MARGIN:.2f} {MARGIN + 14:.2f} m {right:.2f} {MARGIN + 14:.2f} l S Q")

    def _revised_text(self, w: Words) -> str:
        on = self.printing.revised_on
        return w._("REVISED {date}").format(date=w.long_date(on)) if on else w._("REVISED")


# ---------------------------------------------------------------- the agenda's parts


class AgendaHead(Flowable):
    """Name (large), 'Title, Organization (Delegation)', and a one-line summary."""

    def __init__(self, attendee: Attendee, summary: str, width: float) -> None:
        super().__init__()
        self.name = lay_out([[bold_run(attendee.name)]], width, 20)
        who = person_line(attendee)
        self.who = lay_out([[regular_run(who)]], width, 11) if who else []
        self.summary = lay_out([[regular_run(summary)]], width, 9)
        self.width = width
        self.height = len(self.name) * 24 + len(self.who) * 14 + 4 + len(self.summary) * 12 + 10

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv, y = self.canv, self.height
        ops = text_ops(canv, self.name, 0, y, 20, 24)
        y -= len(self.name) * 24
        ops += text_ops(canv, self.who, 0, y, 11, 14)
        y -= len(self.who) * 14 + 4
        draw_ops(canv, ops)
        draw_ops(canv, text_ops(canv, self.summary, 0, y, 9, 12), MUTED_GRAY)


class Note(Flowable):
    """A short line of italic text (e.g. 'Nothing is scheduled for you yet.')."""

    def __init__(self, text: str, width: float) -> None:
        super().__init__()
        self.lines = lay_out([[italic_run(text)]], width, 10)
        self.width, self.height = width, len(self.lines) * 13 + 8

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_ops(self.canv, text_ops(self.canv, self.lines, 0, self.height - 8, 10, 13))


class ChangeList(Flowable):
    """'Revised on <date> — what changed for you', then one line per change, in a ruled box."""

    def __init__(self, changes: Sequence[Change], on: date | None, width: float, w: Words = ENGLISH) -> None:
        super().__init__()
        heading = w._("Revised {day}").format(day=w.day(on)) if on else w._("Revised")
        lines: list[Line] = [[bold_run(w._("{heading} — what changed for you since the agenda you received:")
                                .format(heading=heading))]]
        # A meeting that moved and whose other side changed is one line: "Changed", from there to here.
        changed = {(c.counterpart_id, c.new) for c in changes if c.kind == "changed"}
        lines += [_change_line(c, w) for c in changes if not (c.kind == "moved" and (c.counterpart_id, c.new) in changed)]
        self.lines = lay_out(lines, width - 12, 9)
        self.width, self.height = width, len(self.lines) * 12 + 16

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv._code.append(f"q 0.2 G 1 w 0 4 {self.width:.2f} {self.height - 8:.2f} re S Q")
        draw_ops(canv, text_ops(canv, self.lines, 6, self.height - 12, 9, 12))


def _change_line(c: Change, w: Words) -> Line:
    """One change, in the reader's words: where as their agenda writes it, and
    why as the attendee is told it (never the organizer's reason, which cites
    rows and rules)."""
    if c.kind == "session moved":
        what = w._("session {title}").format(title=c.counterpart)
    else:
        what = w._("meeting with {name}").format(name=c.counterpart)
    was, now = _at(c.before, c.old, w), _at(c.after, c.new, w)
    why = "; ".join(_told(n, w) for n in c.notice)
    tail = [italic_run(f" — {why}")] if why else []
    if c.kind == "added":
        return [regular_run("• "), bold_run(_labelled(w, N_("Added"), "")), regular_run(f"{what}, {now}"), *tail]
    if c.kind == "dropped":
        return [regular_run("• "), bold_run(_labelled(w, N_("Cancelled"), "")), regular_run(f"{what}, {was}"), *tail]
    if c.kind == "changed":  # the same meeting (perhaps moved too), with other people on the other side
        where = w._("{what}, from {old} to {new}").format(what=what, old=was, new=now) if was != now \
            else f"{what}, {now}"
        return [regular_run("• "), bold_run(_labelled(w, N_("Changed"), "")), regular_run(where), *tail]
    return [regular_run("• "), bold_run(_labelled(w, N_("Moved"), "")),
            regular_run(w._("{what}, from {old} to {new}").format(what=what, old=was, new=now)), *tail]


def _at(place: Place | None, written: str, w: Words) -> str:
    """'Mon, Jun 5, 09:30 – 09:50, Ballroom, Table 3'; a place the event no longer has, as the schedule wrote it."""
    if place is None:
        return written
    table = f", {_table(w, place.table)}" if place.table else ""
    return f"{w.when(place.start, place.end)}, {place.room}{table}"


def _table(w: Words, name: str) -> str:
    """"Table 3" for T3, in the reader's language."""
    return w._("Table {number}").format(number=name[1:])


def _told(notice: Notice, w: Words) -> str:
    text = w.ngettext(notice.message, notice.plural, len(notice.who)) if notice.plural else w._(notice.message)
    return text.format(who=w.names(notice.who))


# ---------------------------------------------------------------- rows


def _labelled(w: Words, label: str, value: str) -> str:
    """'Sectors: ICT' / 'Secteurs : TIC' (French puts a space before the colon)."""
    return w._("{label}: {value}").format(label=w._(label), value=value)


def _sectors(w: Words, sectors: Iterable[str]) -> str:
    return _labelled(w, N_("Sectors"), ", ".join(sectors))


def _meeting_lines(item: Item, event: Event, w: Words) -> list[Line]:
    party = item.counterpart
    if party is None:
        return [[bold_run(w._("Meeting"))]]
    members = [event.attendee[k] for k in party.members if k in event.attendee]
    lines: list[Line] = []
    if party.is_team:
        orgs = party_orgs(event, party)
        lines.append([bold_run(w._("Meeting")), regular_run(w._(" with team ")), bold_run(party.label), regular_run(f" ({orgs})" if orgs else "")])
        lines += [[regular_run("• "), bold_run(a.name), regular_run(f" — {person_line(a)}" if person_line(a) else "")] for a in members]
        sectors = sorted({s for a in members for s in a.sectors})
        if sectors:
            lines.append([regular_run(_sectors(w, sectors))])
    else:
        for a in members:
            lines.append([bold_run(w._("Meeting")), regular_run(w._(" with ")), bold_run(a.name)])
            about = [person_line(a)] + ([_sectors(w, a.sectors)] if a.sectors else [])
            if any(about):
                lines.append([regular_run(" · ".join(x for x in about if x))])
    if item.teammates:
        mates = ", ".join(event.attendee[k].name for k in item.teammates if k in event.attendee)
        lines.append([regular_run(_labelled(w, N_("With your team"), mates))])
    if item.note:
        note = item.note if len(item.note) <= NOTE_LIMIT else item.note[:NOTE_LIMIT].rstrip() + "…"
        lines.append([italic_run(_labelled(w, N_("Note"), note))])
    return lines


def _session_lines(item: Item, event: Event, w: Words) -> list[Line]:
    speaker = [bold_run("  " + w._("[SPEAKER]"))] if item.speaker else []
    lines: list[Line] = [[bold_run(_labelled(w, N_("Session"), "")), regular_run(item.title)] + speaker]
    details = []
    if item.track:
        details.append(_labelled(w, N_("Track"), item.track))
    session = event.session.get(item.session)
    speakers = [event.attendee[k].name for k in session.speakers if k in event.attendee] if session else []
    if speakers:
        details.append(_labelled(w, N_("Speakers"), ", ".join(speakers)))
    if details:
        lines.append([regular_run(" · ".join(details))])
    return lines


def _row(item: Item, event: Event, widths: list[float], w: Words) -> TableRow:
    if item.kind == "meeting":
        where: list[Line] = [[regular_run(item.room)], [bold_run(_table(w, item.table))]]
        what = _meeting_lines(item, event, w)
    elif item.kind == "session":
        where, what = [[regular_run(item.room)]], _session_lines(item, event, w)
    elif item.kind == "plenary":
        where, what = [], [[bold_run(_labelled(w, N_("Plenary"), "")), regular_run(item.title)]]
    else:
        where, what = [], [[italic_run(item.title)]]
    return row([[[bold_run(_span(w, item.start.time(), item.end.time()))]], where, what], widths, SIZE, LEADING)


@lru_cache(maxsize=4096)
def _span(w: Words, start: time, end: time) -> str:
    """Babel's interval formatting costs ~0.1 ms a call; an event has a few dozen distinct spans."""
    return w.span(datetime.combine(date.min, start), datetime.combine(date.min, end))


def _summary(items: list[Item], w: Words) -> str:
    meetings = sum(i.kind == "meeting" for i in items)
    sessions = sum(i.kind == "session" for i in items)
    talks = sum(i.speaker for i in items)
    parts = [w.ngettext("{count} meeting", "{count} meetings", meetings).format(count=meetings),
             w.ngettext("{count} session", "{count} sessions", sessions).format(count=sessions)]
    if talks:
        parts.append(w.ngettext("speaking at {count}", "speaking at {count}", talks).format(count=talks))
    return " · ".join(parts)


def agenda_flowables(program: Program, attendee: Attendee, doc: AgendaDoc) -> list[Flowable]:
    """One attendee's agenda: marker, head, then a table per day."""
    event, width, w = program.event, doc.body_width, words_for(attendee)
    items = program.items(attendee.key)
    changes = doc.printing.revised.get(attendee.key, ())
    story: list[Flowable] = [_AgendaStart(attendee, empty=not items, revised=bool(changes)),
                             NextPageTemplate("later"), AgendaHead(attendee, _summary(items, w), width)]
    if changes:
        story.append(ChangeList(changes, doc.printing.revised_on, width, w))
    if not items:
        story.append(Note(w._("Nothing is scheduled for you yet."), width))
    widths = [*COLUMNS, width - sum(COLUMNS)]
    days = by_day(items)
    for n, (day, day_items) in enumerate(days.items(), start=1):
        rows = [_row(item, event, widths, w) for item in day_items]
        story.append(Grid([(0, w.day(day))], widths, rows, SIZE, doc.page_height, final=n == len(days),
                          continued_label=w._("(continued)")))
    return [*story, _AgendaEnd()]


def _story(program: Program, attendees: Iterable[Attendee], doc: AgendaDoc) -> list[Flowable]:
    story: list[Flowable] = []
    for attendee in attendees:
        if story:
            if doc.printing.duplex:  # ended on a front page: leave its back blank
                story.append(_BlankBackIfOdd())
            story += [NextPageTemplate("first"), PageBreak()]
        story += agenda_flowables(program, attendee, doc)
    if not story:
        story.append(Note(ENGLISH._("No agenda to print."), doc.body_width))
    return story


def build(target: str | Path | BytesIO, program: Program, attendees: list[Attendee],
          printing: Print | None = None) -> AgendaDoc:
    """Typeset the agendas of ``attendees``, in that order, into ``target``."""
    register_fonts()
    doc = AgendaDoc(target, program.event, printing)
    with binary_streams():
        doc.build(_story(program, attendees, doc))
    return doc


# ---------------------------------------------------------------- public


def render_agendas(event: Event, schedule: Schedule, path: str | Path,
                   attendee_keys: Collection[str] | None = None, program: Program | None = None,
                   printing: Print | None = None) -> Path:
    """All agendas (or those of ``attendee_keys``) in one PDF, by delegation then surname."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build(path, program or Program(event, schedule), agenda_order(event, attendee_keys), printing)
    return path


def render_agenda_files(event: Event, schedule: Schedule, folder: str | Path,
                        program: Program | None = None, combined: str | Path | None = None,
                        printing: Print | None = None,
                        subset: tuple[Path, Collection[str]] | None = None) -> list[Path]:
    """One PDF per attendee in ``folder``, named after the attendee ID, and,
    when ``combined`` is given, all of them in that one PDF too.

    The agendas are typeset once, into the combined PDF, and each attendee's
    pages are then copied out of it byte for byte (:mod:`.pdfsplit`; pypdf if
    that fails): typesetting 5,000 separate documents embeds the fonts 5,000
    times and took several times as long.
    PDFs left in ``folder`` by an earlier run (an attendee since removed) are
    deleted. ``subset`` (path, attendee keys): those agendas are also copied,
    together and in order, into one more PDF (agendas-changed.pdf), with the
    blank back pages between them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    program = program or Program(event, schedule)
    attendees = agenda_order(event)
    target: Path | BytesIO = BytesIO() if combined is None else Path(combined)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    doc = build(target, program, attendees, printing)
    names = file_names(event.attendees)
    paths = [folder / f"{names[a.key]}.pdf" for a in attendees]
    _split(target, doc.page_starts, doc.page_ends, attendees, paths, event.settings.name)
    if subset is not None:
        path, keys = subset
        chosen = {key_of(k) for k in keys}
        _gather(target, doc.page_starts, [a.key in chosen for a in attendees], path,
                f"{event.settings.name} — revised agendas")
    keep = set(paths)
    for old in folder.glob("*.pdf"):
        if old not in keep:
            old.unlink()
    return paths


def _split(source: Path | BytesIO, starts: list[int], ends: list[int], attendees: list[Attendee],
           paths: list[Path], event_name: str) -> None:
    """Copy each attendee's pages (1-based ``starts`` to ``ends``, inclusive) to their own file."""
    if not attendees:
        return
    data = source.read_bytes() if isinstance(source, Path) else source.getvalue()
    titles = [f"{event_name} — {a.name}" for a in attendees]
    try:
        pdfsplit.split(data, starts, paths, titles, ends)
    except ValueError:  # not the reportlab layout we know: let pypdf do it, slower
        _split_pypdf(data, starts, ends, paths, titles)


def _gather(source: Path | BytesIO, starts: list[int], chosen: list[bool], path: Path, title: str) -> None:
    """The pages of the chosen agendas, each up to the next agenda's start (so a blank back page
    comes along), in one PDF; a note page when none is chosen."""
    data = source.read_bytes() if isinstance(source, Path) else source.getvalue()
    total = pdfsplit.page_count(data)
    ends = [s - 1 for s in starts[1:]] + [total]
    pages = [n for s, e, c in zip(starts, ends, chosen, strict=True) if c for n in range(s, e + 1)]
    if not pages:
        with binary_streams():
            doc = BaseDocTemplate(str(path), invariant=1)
            doc.addPageTemplates([PageTemplate("only", [Frame(MARGIN, MARGIN, 400, 600)])])
            register_fonts()
            doc.build([Note(ENGLISH._("No agenda to print."), 400)])
        return
    try:
        path.write_bytes(pdfsplit.extract_pages(data, pages, title))
    except ValueError:
        from pypdf import PdfReader, PdfWriter

        reader, writer = PdfReader(BytesIO(data)), PdfWriter()
        for n in pages:
            writer.add_page(reader.pages[n - 1])
        writer.add_metadata({"/Title": title, "/Creator": "scheduler"})
        with path.open("wb") as out:
            writer.write(out)


def _split_pypdf(data: bytes, starts: list[int], ends: list[int], paths: list[Path], titles: list[str]) -> None:
    """The general way, for a PDF layout pdfsplit does not know (pypdf is needed only then)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(BytesIO(data))
    for path, title, first, last in zip(paths, titles, starts, ends, strict=True):
        writer = PdfWriter()
        for number in range(first, last + 1):
            writer.add_page(reader.pages[number - 1])
        writer.add_metadata({"/Title": title, "/Creator": "scheduler"})
        with path.open("wb") as out:
            writer.write(out)

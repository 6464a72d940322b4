"""Fast text for thousands of PDF pages: fonts, word wrap, and tables.

Platypus Paragraphs and Tables took minutes for 5,000 agendas. Here text is
plain runs (regular, bold, italic) wrapped with cached word widths and shown
with ready-made PDF operators, and :class:`Grid` is a table flowable that
splits between rows with its heading row repeated, like a platypus Table with
``repeatRows=1``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

import arabic_reshaper
from bidi import get_display
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from scheduler.i18n import ENGLISH, Words

FONT = "Sans"
FONT_BOLD = "Sans-Bold"
FONT_ITALIC = "Sans-Italic"
FONT_BOLD_ITALIC = "Sans-BoldItalic"
STYLES = (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC)
# Baseline below a line's top, in ems: fixed (DejaVu Sans's ascent, which the
# pages were laid out with) so that the layout does not change with the font found.
ASCENT = 0.76

# ---------------------------------------------------------------- fonts
#
# Names come in any script, and no one font covers them all, so text is
# shown per character in the first font that has a glyph for it (see
# ``segments``). The fonts are found at run time: Noto Sans (Debian's
# fonts-noto-core) when installed, else DejaVu Sans, which matplotlib always
# ships; Arabic and Hebrew from fonts-noto-core; Chinese, Japanese and Korean
# from WenQuanYi Zen Hei (fonts-wqy-zenhei) or Droid Sans Fallback. Noto Sans
# CJK (fonts-noto-cjk) cannot be used: it has PostScript (CFF) outlines, which
# reportlab does not embed. A character no installed font has prints as a box
# and is reported once (a warning naming the package to install).

SYSTEM_FONTS = Path("/usr/share/fonts/truetype")
# (file, subfont index) candidates for each style of the main face, best first.
_MAIN = {
    FONT: ("noto/NotoSans-Regular.ttf", "DejaVuSans.ttf"),
    FONT_BOLD: ("noto/NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    FONT_ITALIC: ("noto/NotoSans-Italic.ttf", "DejaVuSans-Oblique.ttf"),
    FONT_BOLD_ITALIC: ("noto/NotoSans-BoldItalic.ttf", "DejaVuSans-BoldOblique.ttf"),
}
# Fallbacks after the main face, regular and bold (scripts without italics use upright).
_FALLBACKS = (
    # Arabic first: DejaVu has some Arabic letter forms too, and a word must not mix two fonts.
    ("noto/NotoSansArabic-Regular.ttf", "noto/NotoSansArabic-Bold.ttf"),
    ("noto/NotoSansHebrew-Regular.ttf", "noto/NotoSansHebrew-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),  # Greek, Cyrillic, symbols when the main face is Noto
    ("wqy/wqy-zenhei.ttc", "wqy/wqy-zenhei.ttc"),  # Chinese, Japanese, Korean
    ("droid/DroidSansFallbackFull.ttf", "droid/DroidSansFallbackFull.ttf"),
)
FONT_PACKAGES = "fonts-noto-core fonts-wqy-zenhei"
log = logging.getLogger(__name__)


def _font_folders() -> list[Path]:
    """A font shipped with the package wins, then the system's; matplotlib always bundles DejaVu."""
    import matplotlib

    return [Path(__file__).parent / "fonts", SYSTEM_FONTS, Path(matplotlib.get_data_path()) / "fonts" / "ttf"]


def _find(file: str) -> Path | None:
    return next((folder / file for folder in _font_folders() if (folder / file).exists()), None)


def _load(name: str, candidates: Iterable[str]) -> str | None:
    """Register the first candidate file found as ``name``; None when there is none."""
    for file in candidates:
        path = _find(file)
        if path is not None:
            pdfmetrics.registerFont(TTFont(name, str(path)))
            return name
    return None


@cache
def register_fonts() -> None:
    """Register the main face once per process (the fallbacks load when a
    character needs them: the CJK font is large)."""
    for style, candidates in _MAIN.items():
        if _load(style, candidates) is None:
            raise FileNotFoundError(f"no font for {style} in {', '.join(map(str, _font_folders()))}")
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD_ITALIC)


@cache
def _chain(style: str) -> tuple[str, ...]:
    """The fonts tried for a character, in order, for one style."""
    bold = style in (FONT_BOLD, FONT_BOLD_ITALIC)
    found = [style]
    for n, pair in enumerate(_FALLBACKS):
        name = _load(f"Fallback{n}{'-Bold' if bold else ''}", [pair[bold], pair[0]])
        if name is not None and pdfmetrics.getFont(name).face.filename != pdfmetrics.getFont(style).face.filename:
            found.append(name)
    return tuple(found)


@cache
def _has(font: str, char: str) -> bool:
    return ord(char) in pdfmetrics.getFont(font).face.charToGlyph


def _font_for(style: str, char: str) -> str:
    if char.isspace() or _has(style, char):
        return style
    found = next((f for f in _chain(style)[1:] if _has(f, char)), None)
    if found is None:
        _missing(char)
        return style
    return found


@cache
def _missing(char: str) -> None:
    log.warning("no installed font can print %r (U+%04X); install %s", char, ord(char), FONT_PACKAGES)


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")


@lru_cache(maxsize=10_000)
def visual(text: str) -> str:
    """A run with Hebrew or Arabic letters as it is drawn: Arabic letters joined
    (arabic-reshaper: each letter in its initial, medial, final or isolated
    presentation form), then everything in left-to-right drawing order
    (python-bidi, the Unicode bidi algorithm). PDF viewers put the letters back
    in reading order when text is copied; copied Arabic is in presentation forms,
    which Unicode normalization (NFKC) turns back into the letters typed."""
    if not _RTL.search(text):
        return text
    return get_display(arabic_reshaper.reshape(text) if _ARABIC.search(text) else text)


def printable(text: str, style: str = FONT) -> bool:
    """Every character of ``text`` has a glyph in an installed font (spaces aside)."""
    register_fonts()
    return all(char.isspace() or any(_has(f, char) for f in _chain(style)) for char in text)


@lru_cache(maxsize=100_000)
def segments(style: str, text: str) -> tuple[tuple[str, str], ...]:
    """``text`` cut into (font, text) pieces, each piece in the first font of
    the style's chain that has its characters (per-character fallback)."""
    pieces: list[tuple[str, str]] = []
    for char in text:
        font = _font_for(style, char)
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char)
        else:
            pieces.append((font, char))
    return tuple(pieces)


@contextmanager
def binary_streams() -> Iterator[None]:
    """Compressed streams without the ASCII85 layer reportlab adds by default:
    a quarter smaller and, in pure Python, seconds faster on thousands of pages."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


# ---------------------------------------------------------------- text

Run = tuple[str, str]  # (font name, text)
Line = list[Run]


def bold_run(text: str) -> Run:
    """Text set in the bold face (a Line is a list of such runs)."""
    return (FONT_BOLD, text)


def regular_run(text: str) -> Run:
    """Text set in the regular face."""
    return (FONT, text)


def italic_run(text: str) -> Run:
    """Text set in the italic face."""
    return (FONT_ITALIC, text)


_WIDTHS: dict[tuple[str, str], float] = {}


def _width(font: str, text: str) -> float:
    """Width at size 1, cached: the same names and words recur on thousands of pages."""
    found = _WIDTHS.get((font, text))
    if found is None:
        found = _WIDTHS[(font, text)] = sum(pdfmetrics.stringWidth(piece, face, 1)
                                            for face, piece in segments(font, visual(text)))
    return found


# A word: non-space characters and no-break spaces (French « Séance : », « 9 h 30 »),
# then the breakable spaces after it.
_WORD = re.compile("(?:[^\\s]|[\u00a0\u202f\u2007])+(?:(?![\u00a0\u202f\u2007])\\s)*"
                   "|(?:(?![\u00a0\u202f\u2007])\\s)+")


def _words(line: Line) -> list[Run]:
    """A line cut into words, each carrying its trailing space; a line never breaks at a no-break space."""
    words = []
    for font, text in line:
        words += [(font, w) for w in _WORD.findall(text)]
    return words


def _break_word(font: str, word: str, width: float) -> list[str]:
    """A word wider than the column (a long URL) is cut between characters."""
    pieces, current = [], ""
    for ch in word:
        if current and _width(font, current + ch) > width:
            pieces.append(current)
            current = ""
        current += ch
    return pieces + [current]


def wrap_line(line: Line, width: float) -> list[Line]:
    """Greedy word wrap of one line of runs, at size 1 (width is in ems)."""
    out: list[Line] = [[]]
    used = 0.0
    for font, word in _words(line):
        w, bare = _width(font, word), _width(font, word.rstrip())
        if used and used + bare > width:
            out.append([])
            used = 0.0
            if word.isspace():
                continue
        if not used and bare > width:
            *whole, word = _break_word(font, word, width)
            out[-1:] = [[(font, p)] for p in whole] + [[]]
            w = _width(font, word)
        out[-1].append((font, word))
        used += w
    return [_merge(part) for part in out]


def _merge(line: Line) -> Line:
    """Neighbouring words in one font become one run: one PDF operator, not one per word."""
    merged: Line = []
    for font, text in line:
        if merged and merged[-1][0] == font:
            merged[-1] = (font, merged[-1][1] + text)
        else:
            merged.append((font, text))
    if merged:
        merged[-1] = (merged[-1][0], merged[-1][1].rstrip())
    return merged


def lay_out(lines: list[Line], width: float, size: float) -> list[Line]:
    """Lines wrapped to ``width`` points at font ``size``."""
    return [part for line in lines if line for part in _wrapped(tuple(line), width / size)]


@lru_cache(maxsize=100_000)
def _wrapped(line: tuple[Run, ...], width: float) -> tuple[Line, ...]:
    """A person's line recurs on the agenda of everyone they meet: wrap it once."""
    return tuple(wrap_line(list(line), width))


def text_ops(canv: Canvas, laid: list[Line], x: float, top: float, size: float, leading: float) -> list[str]:
    """PDF operators that show wrapped lines, the first line's top at ``top``.

    Written directly rather than through reportlab's text object, which
    re-measures and re-encodes every string: with thousands of pages that was
    most of the time. A run's operator is cached per document (its glyph
    subset codes are fixed once assigned), and names recur on many pages."""
    ops = []
    y = top - ASCENT * size
    for line in laid:
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        ops += [run_op(canv, font, size, words) for font, words in line]
        y -= leading
    return ops


def text_at(canv: Canvas, x: float, baseline: float, font: str, size: float, text: str) -> list[str]:
    """Operators for one unwrapped line with its baseline at ``baseline``."""
    return [f"1 0 0 1 {x:.2f} {baseline:.2f} Tm", run_op(canv, font, size, text)]


def run_op(canv: Canvas, font_name: str, size: float, text: str) -> str:
    """The operator showing one run at the current text position (cached per document)."""
    cache: dict[tuple[str, float, str], str] = canv.__dict__.setdefault("_scheduler_runs", {})
    op = cache.get((font_name, size, text))
    if op is None:
        doc = canv._doc
        shown = visual(text)
        op = cache[(font_name, size, text)] = " ".join(
            f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf ({canv._escape(codes)}) Tj"
            for face, piece in segments(font_name, shown)
            for font in (pdfmetrics.getFont(face),)
            for subset, codes in font.splitString(piece, doc))
    return op


def draw_ops(canv: Canvas, ops: list[str], gray: float = 0.0) -> None:
    """Show text operators (black unless ``gray``); q/Q keeps reportlab's own
    font and colour state intact."""
    if ops:
        canv._code.append(f"q {gray:g} g BT " + " ".join(ops) + " ET Q")


def text_width(font: str, text: str, size: float) -> float:
    return _width(font, text) * size


def clipped(font: str, text: str, size: float, width: float) -> str:
    """``text`` as it fits in ``width``: whole, or cut with an ellipsis (a running
    header or footer has one line, and a long name must not run into its neighbour)."""
    if text_width(font, text, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest start that fits with the ellipsis
        mid = (low + high + 1) // 2
        if text_width(font, text[:mid].rstrip() + "…", size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableRow:
    """One table row: its cells' lines, already wrapped to the column widths."""

    cells: tuple[list[Line], ...]
    leading: float
    pad_top: float = 4.0
    pad_bottom: float = 5.0

    @property
    def height(self) -> float:
        return max(1, *(len(c) for c in self.cells)) * self.leading + self.pad_top + self.pad_bottom

    def cut(self, lines: int) -> tuple[TableRow, TableRow]:
        """The first ``lines`` lines, and the rest (for a row taller than a page)."""
        first = tuple(c[:lines] for c in self.cells)
        rest: tuple[list[Line], ...] = ([],) + tuple(c[lines:] for c in self.cells[1:])  # the first cell (a time) is not repeated
        return TableRow(first, self.leading, self.pad_top, self.pad_bottom), TableRow(rest, self.leading, self.pad_top,
                                                                             self.pad_bottom)


def row(cells: list[list[Line]], widths: list[float], size: float, leading: float, pad: float = 4.0) -> TableRow:
    """A row with each cell wrapped to its column."""
    return TableRow(tuple(lay_out(c, w - 2 * pad, size) for c, w in zip(cells, widths, strict=True)), leading)


@dataclass
class PageNotes:
    """What the flowables drawn so far tell the page furniture (band, footer),
    which reportlab draws when a page ends: the canvas is all both see."""

    grid_final: bool = True  # the last grid drawn ends its section: no "continued" in the footer
    name: str = ""  # whose pages these are: the sign's or the agenda's name
    words: Words = ENGLISH  # the language of the agenda being drawn
    first_page: int = 1  # the page the agenda being drawn starts on
    revised: bool = False  # the agenda being drawn is a reprint after changes
    starts: list[int] = field(default_factory=list)  # first page of each agenda, in order
    ends: list[int] = field(default_factory=list)  # last page of each agenda


_NOTES: WeakKeyDictionary[Canvas, PageNotes] = WeakKeyDictionary()


def page_notes(canv: Canvas) -> PageNotes:
    """The notes of the document being drawn on ``canv`` (kept as long as the canvas)."""
    notes = _NOTES.get(canv)
    if notes is None:
        notes = _NOTES[canv] = PageNotes()
    return notes


class Grid(Flowable):
    """A boxed table: a shaded heading row, then rows, drawn with raw operators.

    ``heading`` gives (column, text) labels for the heading row. When the grid
    does not fit, it splits between rows; the heading row is repeated on the
    next page with ``continued_label`` ("(continued)") after its last label, and a heading never
    stays at the foot of a page with a single row under it. Only a row taller
    than a whole page (``page_height``) is cut between lines, so nothing is
    ever clipped. ``final`` marks the last grid of a document section; a
    drawn grid tells the page furniture (``page_notes(canv).grid_final``)."""

    def __init__(self, heading: list[tuple[int, str]], widths: list[float], rows: list[TableRow], size: float,
                 page_height: float, heading_size: float = 11.0, continued: bool = False,
                 final: bool = False, pad: float = 4.0, continued_label: str = "(continued)") -> None:
        super().__init__()
        self.continued_label = continued_label  # after the last heading label on a continuation page
        self.heading, self.widths, self.rows, self.size = heading, widths, rows, size
        self.page_height, self.heading_size, self.continued, self.final = page_height, heading_size, continued, final
        self.pad = pad
        self.heading_height = heading_size + 9
        self.spaceBefore = 12  # dropped at the top of a page

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.heading_height + sum(r.height for r in self.rows)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room, fit = available_height - self.heading_height, 0
        while fit < len(self.rows) and self.rows[fit].height <= room:
            room -= self.rows[fit].height
            fit += 1
        if fit == len(self.rows):
            return [self]
        two = self.heading_height + sum(r.height for r in self.rows[:2])
        if fit == 1 and len(self.rows) > 2 and two <= self.page_height:
            return []  # a heading and a lone row at the foot of a page read badly: move on
        if fit:
            return [self._part(self.rows[:fit], self.continued, False), self._part(self.rows[fit:], True, self.final)]
        first = self.rows[0]
        if self.heading_height + first.height <= self.page_height:
            return []  # the heading and a row fit on the next page: go there
        lines = int((available_height - self.heading_height - first.pad_top - first.pad_bottom) // first.leading)
        if lines < 1:
            return []
        head, tail = first.cut(lines)
        return [self._part([head], self.continued, False), self._part([tail, *self.rows[1:]], True, self.final)]

    def _part(self, rows: list[TableRow], continued: bool, final: bool) -> Grid:
        return Grid(self.heading, self.widths, rows, self.size, self.page_height, self.heading_size,
                    continued, final, self.pad, self.continued_label)

    def draw(self) -> None:
        canv, width, pad = self.canv, self.width, self.pad
        page_notes(canv).grid_final = self.final
        starts = [sum(self.widths[:n]) for n in range(len(self.widths))]
        y = self.height - self.heading_height
        ops: list[str] = []
        for n, (column, label) in enumerate(self.heading):
            text = f"{label} {self.continued_label}" if self.continued and n == len(self.heading) - 1 else label
            ops += text_at(canv, starts[column] + pad, y + 6, FONT_BOLD, self.heading_size, text)
        boxes = [f"0 {y:.2f} {width:.2f} {self.heading_height:.2f} re"]
        for one in self.rows:
            top = y - one.pad_top
            for x, cell in zip(starts, one.cells, strict=True):
                ops += text_ops(canv, cell, x + pad, top, self.size, one.leading)
            y -= one.height
            boxes.append(f"0 {y:.2f} {width:.2f} {one.height:.2f} re")
        canv._code.append(f"q 0.88 g 0 {self.height - self.heading_height:.2f} {width:.2f} "
                          f"{self.heading_height:.2f} re f Q")
        draw_ops(canv, ops)
        canv._code.append("q 0.6 G 0.6 w " + " ".join(boxes) + " S Q")

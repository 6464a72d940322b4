"""The one reading layer for every workbook we read, on python-calamine.

Event workbooks, filled preference forms and ``schedule.xlsx`` (``--previous``,
``verify``, ``agendas``) are all read here: ``.xlsx``, and also ``.ods``,
``.xls`` and ``.xlsb`` as saved by LibreOffice or older Excel. Each sheet comes
back as its non-empty rows, each with its row number in the sheet, so every
message can point at the row the organizer sees.

calamine reads a formula by its cached result, as Excel shows it. Two kinds of
``.xlsx`` cell would read as silently empty, so a cheap byte scan of the sheet
XML finds them and the rows carry a :class:`BadCell` instead: a formula with no
computed value (a file written by a script and never opened in Excel, which
would turn Priority ``="Never"`` into Medium) and an Excel error such as
``#REF!``. The scan runs only when the sheet has a formula or an error, and is
linear: it uses plain ``find``/``rfind`` from one match to the next, never a
pattern that can backtrack over the whole sheet. An ``.ods`` formula without a
value type is the same case there, found by one streaming pass over
``content.xml`` when it holds a formula.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from scheduler.problems import Problem

READABLE = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb")
NO_VALUE = "the formula has no computed value; open and save the file in Excel or LibreOffice"
EXCEL_ERROR = "the cell holds an Excel error; fix the formula or type the value"


@dataclass(frozen=True)
class BadCell:
    """A cell whose value cannot be trusted; ``found`` is what to show the user."""

    message: str
    found: str

    def __str__(self) -> str:  # a BadCell never passes for text
        return ""


@dataclass
class Sheet:
    file: str
    title: str
    rows: list[tuple[int, list[object]]]  # (row number in the sheet, values), empty rows left out
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, last row, last col), 0-based


@dataclass
class Workbook:
    """One opened workbook; ``name`` is how messages call the file."""

    name: str
    path: Path
    book: CalamineWorkbook
    titles: list[str]  # every sheet, in workbook order
    charts: set[str]  # titles of chart sheets (no cells)
    hidden: set[str] = field(default_factory=set)  # titles of hidden sheets

    def read(self, title: str) -> Sheet:
        """The sheet's rows; raises :class:`Unreadable` when the sheet's data is damaged
        or spans far more cells than any event (a stray value at XFD1 or in row 1048576)."""
        suffix = self.path.suffix.lower()
        xml = sheet_xml(self.path, title) if suffix in (".xlsx", ".xlsm") else b""
        far = far_cell(xml)
        if far:
            raise Unreadable(far, sheet=title)
        try:
            sheet = self.book.get_sheet_by_name(title)
            start = sheet.start
            values = sheet.to_python(skip_empty_area=True)
            merges = sheet.merged_cell_ranges or []
        except (CalamineError, ValueError, OSError) as exc:
            raise Unreadable(damaged(exc), sheet=title) from None
        first = start[0] + 1 if start else 1
        bad = (bad_cells(xml) if suffix in (".xlsx", ".xlsm")
               else ods_bad_cells(self.path, title) if suffix == ".ods" else {})
        rows = list(non_empty(values, first, bad))
        return Sheet(self.name, title, rows, [(a[0], a[1], b[0], b[1]) for a, b in merges])

    def close(self) -> None:
        self.book.close()


class Unreadable(Exception):
    """A file or sheet that cannot be read; carries the plain reason."""

    def __init__(self, message: str, sheet: str = ""):
        self.message = message
        self.sheet = sheet
        super().__init__(message)

    def problem(self, file: str) -> Problem:
        return Problem(self.message, file=file, sheet=self.sheet)


def damaged(exc: Exception) -> str:
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return f"is damaged and cannot be read ({detail}); open it in Excel or LibreOffice and save it again"


def non_empty(values: Sequence[Sequence[object]], first: int, bad: dict[tuple[int, int], BadCell]) -> Iterator[tuple[int, list[object]]]:
    """Rows numbered from ``first``; "" becomes None; cells the scan flagged become BadCells."""
    by_row: dict[int, list[tuple[int, BadCell]]] = {}
    for (r, c), cell in bad.items():
        by_row.setdefault(r, []).append((c, cell))
    for offset, raw in enumerate(values):
        number = first + offset
        row = [None if v == "" else v for v in raw]
        for c, cell in by_row.get(number, ()):
            row.extend([None] * (c + 1 - len(row)))
            row[c] = cell
        if any(v is not None for v in row):
            yield number, row


def open_workbook(path: Path, name: str) -> Workbook:
    """Open a workbook of any kind calamine reads; raises :class:`Unreadable` with the reason."""
    if not path.exists():
        raise Unreadable("file not found")
    if path.is_dir():
        raise Unreadable("is a folder, not a workbook")
    if path.stat().st_size == 0:
        raise Unreadable("the file is empty (0 bytes), not a workbook")
    suffix = path.suffix.lower()
    if path.name.startswith("~$"):
        raise Unreadable(f"is Excel's lock file: {path.name[2:]} is open in Excel; save your changes there, and "
                         f"leave {path.name} out of the files given")
    if suffix not in READABLE:
        raise Unreadable(not_a_workbook(path))
    if suffix in (".xlsx", ".xlsm", ".ods") and not zipfile.is_zipfile(path):
        raise Unreadable(not_a_workbook(path))
    try:
        book = CalamineWorkbook.from_path(str(path))
        charts = {m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.ChartSheet}
        hidden = {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
        return Workbook(name, path, book, list(book.sheet_names), charts, hidden)
    except Exception as exc:  # noqa: BLE001 - a damaged file raises anything from calamine
        raise Unreadable(misnamed(path) or damaged(exc)) from None


ZIP_KINDS = (  # a part only that kind of file has, and what it is
    ("xl/workbook.xml", ".xlsx"), ("xl/workbook.bin", ".xlsb"), ("word/document.xml", "a Word document"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
)


def _zip_kind(path: Path, save: str) -> str:
    """What a zip file that calamine cannot read as named is: a workbook under the wrong
    name (rename it), another Office file, or a damaged one."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return "is a damaged workbook (the zip is incomplete); save it again from Excel or LibreOffice as .xlsx"
    if b"spreadsheet" in mimetype:
        names.add("ods")
    kinds = [*ZIP_KINDS, ("ods", ".ods")]
    kind = next((k for part, k in kinds if part in names), None)
    if kind is None:
        return f"is a zip file, not a workbook; {save}"
    if kind.startswith("."):
        return f"is an {kind} workbook under another name; rename it to end in {kind}"
    return f"is {kind}, not a workbook; {save}"


SAVE = "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)"


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(512)


def misnamed(path: Path, head: bytes | None = None) -> str | None:
    """What a file is when its content says another kind than its name (a workbook
    renamed .csv or .ods, a Word document named .xlsx), or None."""
    head = _head(path) if head is None else head
    suffix = path.suffix.lower()
    if head.startswith(b"PK"):
        kind = _zip_kind(path, SAVE)
        return None if kind == f"is an {suffix} workbook under another name; rename it to end in {suffix}" else kind
    # An Office file protected by a password is such a container too, whatever its name: not said here.
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffix not in (".xls", ".xlsx", ".xlsm"):
        return "is an old-style .xls workbook under another name; rename it to end in .xls"
    return None


def not_a_workbook(path: Path) -> str:
    """Why a file is no workbook, with what to do about it."""
    save = SAVE
    head = _head(path)
    kind = misnamed(path, head)
    if kind:
        return kind
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return f"is a {path.suffix.lower()[1:].upper()} text file, not a workbook; {save}"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"is an old-style .xls workbook or a password-protected one; {save}"
    try:
        head.decode("utf-8")
        kind = "a text file (CSV?)"
    except UnicodeDecodeError:
        kind = "not a workbook"
    return f"is {kind}, not a workbook; {save}"


# ---------------------------------------------------------------- formulas without a value, Excel errors

_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_SUSPECT = re.compile(rb"<(?:\w+:)?f[\s>/]|\bt\s*=\s*[\"']e[\"']")
_REF = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]{1,3})(\d+)[\"']")
_TYPE = re.compile(rb"\bt\s*=\s*[\"'](\w+)[\"']")
_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)<")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</")


def sheet_xml(path: Path, title: str) -> bytes:
    """The XML of an .xlsx sheet, b"" when it cannot be found (calamine then says why)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, title)
            return archive.read(part) if part else b""
    except (KeyError, zipfile.BadZipFile, OSError):
        return b""


def bad_cells(data: bytes) -> dict[tuple[int, int], BadCell]:
    """(row number, 0-based column) -> BadCell for formulas without a value and error
    cells, in a sheet's XML."""
    # Plain byte searches first: most sheets have neither, and `in` is far faster than a pattern.
    if b"<f" not in data and b":f" not in data and b't="e"' not in data and b"t='e'" not in data:
        return {}
    return dict(scan(data))


def scan(data: bytes) -> Iterator[tuple[tuple[int, int], BadCell]]:
    root = _ROOT.search(data, 0, 4096)
    prefix = (root.group(1) or b"") if root else b""
    opening, closing = b"<" + prefix + b"c", b"</" + prefix + b"c>"
    pos = data.find(b"<" + prefix + b"sheetData")
    while pos >= 0:
        match = _SUSPECT.search(data, pos)
        if match is None:
            return
        start = data.rfind(opening, 0, match.start())
        end = data.find(closing, match.start())
        head_end = data.find(b">", start)
        if start < 0 or head_end < 0:
            return
        if data[head_end - 1 : head_end] == b"/":  # <c .../>: no content
            pos = head_end + 1
            continue
        if end < 0:
            return
        cell = bad_cell(data[start:head_end], data[head_end + 1 : end])
        if cell is not None:
            yield cell
        pos = end + len(closing)


def bad_cell(head: bytes, body: bytes) -> tuple[tuple[int, int], BadCell] | None:
    ref = _REF.search(head)
    if ref is None:
        return None
    where = (int(ref.group(2)), column_index(ref.group(1).decode()))
    kind = _TYPE.search(head)
    value = _VALUE.search(body)
    shown = unescape(value.group(1).decode("utf-8", "replace")) if value else ""
    if kind is not None and kind.group(1) == b"e":
        return where, BadCell(EXCEL_ERROR, shown or "an error")
    formula = _FORMULA.search(body)
    if formula is None or (value is not None and (shown or kind is not None and kind.group(1) == b"str")):
        return None  # a computed value (an empty text result counts)
    text = unescape(formula.group(1).decode("utf-8", "replace"))
    return where, BadCell(NO_VALUE, "=" + text if text else "a formula")


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def ods_bad_cells(path: Path, title: str) -> dict[tuple[int, int], BadCell]:
    """The same for ``.ods``: a cell with a formula and no value type has no
    computed value (LibreOffice always writes one; a script may not)."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("content.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    if b"table:formula" not in data:
        return {}
    found: dict[tuple[int, int], BadCell] = {}
    in_sheet, row, column = False, 0, 0
    for event, element in ElementTree.iterparse(BytesIO(data), events=("start", "end")):
        tag = element.tag
        if tag == _ODS_TABLE + "table":
            in_sheet = event == "start" and element.get(_ODS_TABLE + "name") == title
        elif not in_sheet or event != "start":
            if event == "end" and tag != _ODS_TABLE + "table-row":
                element.clear()  # keep memory flat on large sheets
            continue
        elif tag == _ODS_TABLE + "table-row":
            row, column = row + 1, 0
            row += int(element.get(_ODS_TABLE + "number-rows-repeated", "1")) - 1
        elif tag in (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"):
            formula = element.get(_ODS_TABLE + "formula")
            if formula is not None and element.get(_ODS_OFFICE + "value-type") is None:
                found[row, column] = BadCell(NO_VALUE, "=" + formula.split(":", 1)[-1].lstrip("="))
            column += int(element.get(_ODS_TABLE + "number-columns-repeated", "1"))
    return found


# The most cells a sheet may span: 10,000 attendees by 500 columns, or 200,000
# requests by 25. calamine builds the whole rectangle up to the farthest value,
# so one stray value at XFD1048576 asks it for 17 billion cells (it aborts the
# process), and one at Z1048576 costs 1.25 GB.
MAX_CELLS = 5_000_000
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref\s*=\s*[\"']([^\"']*)[\"']")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})(\d+)[\"']")


def far_cell(data: bytes) -> str | None:
    """Why a sheet (its XML) cannot be read when its values span more than
    ``MAX_CELLS``, naming the farthest value; None when it is fine. The sheet's
    recorded used range settles it when it is small; otherwise its cells are
    looked at."""
    if not data:
        return None
    dimension = _DIMENSION.search(data, 0, 4096)
    if dimension is not None and _span(dimension.group(1).decode("ascii", "replace").split(":")[-1]) <= MAX_CELLS:
        return None
    rows = cols = 0
    far_row = far_col = ""
    for match in _CELL_REF.finditer(data):
        col, row = column_index(match.group(1).decode()) + 1, int(match.group(2))
        if row > rows:
            rows, far_row = row, (match.group(1) + match.group(2)).decode()
        if col > cols:
            cols, far_col = col, (match.group(1) + match.group(2)).decode()
    if rows * cols <= MAX_CELLS:
        return None
    where = " and ".join(dict.fromkeys(x for x in (far_col, far_row) if x))
    return (f"the sheet reaches cell {where}, far outside any table ({rows:,} rows by {cols:,} columns); "
            "delete what is there (in Excel, Ctrl+End goes to it), or clear the rows and columns beyond your table")


def _span(ref: str) -> int:
    """Cells from A1 to ``ref`` ("XFD1048576")."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    if not letters or not digits:
        return MAX_CELLS + 1  # unreadable: look at the cells
    return (column_index(letters) + 1) * int(digits)


def column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    """The zip part holding the sheet called ``title`` (workbook.xml -> its relationships)."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    rel_id = None
    for tag in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name = re.search(rb"\bname\s*=\s*\"([^\"]*)\"", tag.group(0))
        rid = re.search(rb"\br:id\s*=\s*\"([^\"]*)\"|\bid\s*=\s*\"([^\"]*)\"", tag.group(0))
        if name and rid and unescape(name.group(1).decode("utf-8"), {"&quot;": '"', "&apos;": "'"}) == title:
            rel_id = rid.group(1) or rid.group(2)
            break
    if rel_id is None:
        return None
    for tag in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        if re.search(rb"\bId\s*=\s*\"" + re.escape(rel_id) + rb"\"", tag.group(0)):
            target = re.search(rb"\bTarget\s*=\s*\"([^\"]*)\"", tag.group(0))
            if target:
                path = target.group(1).decode()
                return path.lstrip("/") if path.startswith("/") else "xl/" + path
    return None

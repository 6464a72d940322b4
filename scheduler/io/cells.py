"""Parsing one cell's value into what the model needs.

Each parser takes the raw value openpyxl gives (str, int, float, bool,
datetime, date, time, timedelta or None) and either returns the parsed value
or raises ``ValueError`` with a short, plain explanation. The reader adds the
location (file, sheet, row, column) and the value found.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from openpyxl.utils.datetime import from_excel

# What a cell holds when its formula failed (openpyxl data_only gives the text).
EXCEL_ERRORS = frozenset({"#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"})

PRIORITY_WORDS = {"high": 1, "medium": 2, "low": 3, "never": 0, "1": 1, "2": 2, "3": 3, "0": 0}
YES_WORDS = frozenset({"yes", "y", "true", "1", "x"})
NO_WORDS = frozenset({"no", "n", "false", "0"})

_LIST_SPLIT = re.compile(r"[;,]")
_TIME_TEXT = re.compile(r"(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?", re.IGNORECASE)
_INT_TEXT = re.compile(r"[+-]?\d+(?:\.0*)?")
# Excel stores a time of day on its own as a datetime on its epoch day.
_EXCEL_EPOCH_DAYS = (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_excel_error(value: object) -> bool:
    return type(value) is str and value in EXCEL_ERRORS


def show(value: object) -> str:
    """The value as the user would recognise it, for "(found: ...)"."""
    if value is None:
        return "empty"
    if isinstance(value, datetime):
        if value.date() in _EXCEL_EPOCH_DAYS:  # an Excel time of day
            return value.strftime("%H:%M")
        return value.strftime("%Y-%m-%d" if value.time() == time(0) else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    shown = str(value).strip()
    if not shown:
        return "empty"
    return shown if len(shown) <= 60 else shown[:57] + "..."


def text(value: object) -> str:
    """Any cell as trimmed text; a number typed as an ID (1001) reads as "1001"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return show(value)
    return str(value).strip()


def split_list(value: object) -> list[str]:
    """A list in one cell, separated by ; (commas are accepted too)."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [text(value)]
    return [part.strip() for part in _LIST_SPLIT.split(value) if part.strip()]


def parse_int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError("not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(float(value.strip()))
    raise ValueError("not a whole number")


def parse_float(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise ValueError("not a number")


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise ValueError("not a date; write it as an Excel date or as YYYY-MM-DD")


def parse_dates(value: object) -> list[date]:
    """A list of dates in one cell (or a single Excel date)."""
    if isinstance(value, datetime | date):
        return [parse_date(value)]
    return [parse_date(part) for part in split_list(value)]


def _time_from_seconds(seconds: float) -> time:
    # Excel times are binary fractions of a day: round to the minute so that
    # 9:30 stored as 0.39583333 does not become 9:29:59.999.
    minutes = round(seconds / 60)
    if not 0 <= minutes < 24 * 60:
        raise ValueError("not a time of day; write it as HH:MM")
    return time(minutes // 60, minutes % 60)


def parse_time(value: object) -> time:
    if isinstance(value, datetime):
        return _time_from_seconds(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    if isinstance(value, time):
        return _time_from_seconds(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    if isinstance(value, timedelta):
        return _time_from_seconds(value.total_seconds())
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        return _time_from_seconds(value * 86400)
    if isinstance(value, str):
        return _time_from_text(value.strip())
    raise ValueError("not a time; write it as HH:MM")


def _time_from_text(value: str) -> time:
    match = _TIME_TEXT.fullmatch(value)
    if not match:
        raise ValueError("not a time; write it as HH:MM")
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3] or 0)
    if match[4]:  # 9:30 am, 2:05 PM
        if not 1 <= hour <= 12:
            raise ValueError("not a time; write it as HH:MM")
        hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("not a time of day; write it as HH:MM between 00:00 and 23:59")
    return _time_from_seconds(hour * 3600 + minute * 60 + second)


def parse_datetime(value: object) -> tuple[datetime, bool]:
    """A date, or a date and a time. Returns the moment and whether a time was given."""
    if isinstance(value, datetime):
        has_time = value.time() != time(0)
        return value.replace(second=0, microsecond=0), has_time
    if isinstance(value, date):
        return datetime.combine(value, time(0)), False
    if isinstance(value, str):
        parts = value.strip().replace("T", " ", 1).split(None, 1)
        if len(parts) == 1:
            return datetime.combine(parse_date(parts[0]), time(0)), False
        if len(parts) == 2:
            try:
                return datetime.combine(parse_date(parts[0]), _time_from_text(parts[1])), True
            except ValueError:
                pass
    raise ValueError("not a date or date and time; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM")


def parse_priority(value: object) -> int:
    """1 High, 2 Medium (also when empty), 3 Low, 0 Never."""
    if is_blank(value):
        return 2
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1, 2, 3):
        return int(value)
    if isinstance(value, str) and value.strip().casefold() in PRIORITY_WORDS:
        return PRIORITY_WORDS[value.strip().casefold()]
    raise ValueError("not a priority; use High, Medium, Low or Never (or 1, 2, 3, 0)")


def parse_yesno(value: object) -> bool:
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    word = text(value).casefold()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError("not yes or no")


def parse_choice(value: object, choices: tuple[str, ...]) -> str:
    """One of ``choices``, matched ignoring case; returns it as the contract spells it."""
    word = text(value).casefold()
    for choice in choices:
        if choice.casefold() == word:
            return choice
    raise ValueError(f"must be one of {', '.join(choices)}")


def parse_table(value: object) -> int:
    """A meeting table: ``T3`` or ``3``."""
    word = text(value)
    if word[:1] in ("T", "t"):
        word = word[1:].strip()
    try:
        number = parse_int(word)
    except ValueError:
        raise ValueError("not a table; write it as T3 or 3") from None
    if number < 1:
        raise ValueError("table numbers start at 1")
    return number


# ---------------------------------------------------------------- values straight from the sheet XML
#
# openpyxl parses every cell into objects (inline strings cost a rich-text
# object each) and 80,000 requests take 20 s that way. A sheet's cells are
# machine-written XML of a fixed shape, so a compiled pattern walks them about
# ten times faster; openpyxl still reads the package, shared strings and styles.

_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_ROW_NUMBER = re.compile(rb'\br\s*=\s*"(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_INLINE_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*"([^"]+)"')
_COLUMNS: dict[bytes, int] = {}


@dataclass(frozen=True)
class SheetLayout:
    prefix: bytes  # the namespace prefix of the sheet's tags (b"" or b"x:")
    start: int  # where the cells begin in the XML
    end: int  # just after the last row holding a value: formatted blank rows below are never read
    merges: tuple[str, ...]  # merged ranges, e.g. "A1:C1"


def sheet_layout(data: bytes) -> SheetLayout:
    """Where the values are, found by byte search: cells with a value have a
    ``<v>`` or an inline ``<is>`` child, formatted blank cells have neither,
    and text never holds a raw ``<``."""
    root = _ROOT.search(data, 0, 4096)
    prefix = (root.group(1) or b"") if root else b""
    start = data.find(b"<" + prefix + b"sheetData")
    close = data.rfind(b"</" + prefix + b"sheetData>")
    merges = tuple(m.decode() for m in _MERGE.findall(data, max(close, 0)))
    if start < 0 or close < 0:
        return SheetLayout(prefix, 0, 0, merges)
    last_value = max(data.rfind(b"</" + prefix + b"v>", start, close), data.rfind(b"</" + prefix + b"is>", start, close))
    if last_value < 0:
        return SheetLayout(prefix, start, start, merges)
    end = data.find(b"</" + prefix + b"row>", last_value, close)
    return SheetLayout(prefix, start, close if end < 0 else end, merges)


@functools.cache
def cell_pattern(prefix: bytes) -> re.Pattern[bytes]:
    """A <row> start, or a whole <c> cell.

    The common shapes get their own groups so that most cells need no second
    look: attributes in the usual order ``r``, ``s``, ``t`` (anything else
    lands in the "other attributes" group), and a plain ``<v>`` or a one-piece
    inline string as content. Anything else (formulas, rich text) comes whole.
    Groups: row marker, row attributes, cell column letters, style, type,
    other attributes, all attributes, <v> text, inline text, whole content.
    """
    p = re.escape(prefix)
    return re.compile(
        rb"<" + p + rb"(row)\b([^>]*)>"
        rb"|<" + p + rb'c\b((?:\s+r="([A-Z]{1,3})\d+")?(?:\s+s="(\d+)")?(?:\s+t="(\w+)")?([^>]*?))'
        rb"(?:/>|>(?:"
        rb"<" + p + rb"v>([^<]*)</" + p + rb"v>"
        rb"|<" + p + rb"is><" + p + rb"t(?:\s[^>]*)?>([^<]*)</" + p + rb"t></" + p + rb"is>"
        rb"|(.*?))</" + p + rb"c>)",
        re.S,
    )


def column_index(letters: bytes) -> int:
    """0-based column of a cell reference's letters: b"A" -> 0, b"AB" -> 27."""
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for letter in letters.upper():
            index = index * 26 + letter - 64
        index -= 1
        _COLUMNS[letters] = index
    return index


def _unescape(raw: bytes) -> str:
    value = raw.decode("utf-8", "replace")
    return html.unescape(value) if "&" in value else value


@dataclass(frozen=True)
class ValueDecoder:
    """Turns one ``<c>`` element into the value openpyxl would give with data_only=True."""

    shared: Sequence[str]
    date_styles: frozenset[int]
    duration_styles: frozenset[int]
    epoch: datetime

    def value(self, kind: bytes, style: bytes, body: bytes) -> object:
        """A cell of any shape, from the XML between <c> and </c>."""
        if kind == b"inlineStr":
            return self.inline(body)
        found = _VALUE.search(body)
        return self.convert(kind, style, found.group(1)) if found else None

    def convert(self, kind: bytes, style: bytes, raw: bytes) -> object:
        """The text of a cell's <v>, by the cell's type (b"" means a number) and style."""
        if kind == b"s":
            index = int(raw)
            return self.shared[index] if 0 <= index < len(self.shared) else None
        if kind in (b"", b"n"):
            return self.number(raw, style)
        if kind == b"b":
            return raw.strip() == b"1"
        if kind == b"d":
            try:
                return datetime.fromisoformat(raw.decode())
            except ValueError:
                return _unescape(raw)
        return _unescape(raw)  # "str" (a formula's text) and "e" (an error such as #REF!)

    def number(self, raw: bytes, style: bytes) -> object:
        try:
            number: int | float = int(raw)
        except ValueError:
            try:
                number = float(raw)
            except ValueError:
                return _unescape(raw)
        if not style or int(style) not in self.date_styles:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=int(style) in self.duration_styles)
        except (OverflowError, ValueError):
            return "#VALUE!"  # a date format on a number no date can have: as Excel shows it

    @staticmethod
    def inline(body: bytes) -> str:
        body = _PHONETIC.sub(b"", body) if b"rPh" in body else body
        return "".join(_unescape(part) for part in _INLINE_TEXT.findall(body))


def sheet_rows(data: bytes, layout: SheetLayout, decoder: ValueDecoder) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {0-based column: value}) for every row holding at least one value."""
    number, column = 0, -1
    values: dict[int, object] = {}
    # finditer, not findall: a sheet of 80,000 rows would otherwise sit in memory twice.
    for match in cell_pattern(layout.prefix).finditer(data, layout.start, layout.end):
        is_row, row_attrs, attrs, letters, style, kind, other, raw, text, body = match.groups(b"")
        if is_row:
            if values:
                yield number, values
                values = {}
            found = _ROW_NUMBER.search(row_attrs)
            number = int(found.group(1)) if found else number + 1
            column = -1
            continue
        if other.strip():  # attributes in another order, or extra ones: read them all
            named = dict(_ATTR.findall(attrs))
            letters = named.get(b"r", b"").rstrip(b"0123456789")
            style, kind = named.get(b"s", b""), named.get(b"t", b"")
        column = column_index(letters) if letters else column + 1
        if text:
            values[column] = _unescape(text)
        elif raw or body:
            value = decoder.convert(kind, style, raw) if raw else decoder.value(kind, style, body)
            if value is not None:
                values[column] = value
    if values:
        yield number, values

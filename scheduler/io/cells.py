"""Parsing one cell's value into what the model needs.

Each parser takes the raw value the reading layer gives (str, int, float,
bool, datetime, date, time, timedelta or None) and either returns the parsed value
or raises ``ValueError`` with a short, plain explanation. The reader adds the
location (file, sheet, row, column) and the value found.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

# What a cell holds when its formula failed (as text, e.g. in a .ods file).
EXCEL_ERRORS = frozenset({"#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"})

# The French words too: the preference forms tell francophone delegates
# "High (haute), Medium (moyenne) ou Low (basse)", and they type what they read.
PRIORITY_WORDS = {"high": 1, "medium": 2, "low": 3, "never": 0, "1": 1, "2": 2, "3": 3, "0": 0,
                  "haute": 1, "élevée": 1, "moyenne": 2, "basse": 3, "jamais": 0}
YES_WORDS = frozenset({"yes", "y", "true", "1", "x", "oui", "vrai"})
NO_WORDS = frozenset({"no", "n", "false", "0", "non", "faux"})

_LIST_SPLIT = re.compile(r"[;,]")
_TIME_TEXT = re.compile(r"(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?", re.IGNORECASE)
_INT_TEXT = re.compile(r"[+-]?\d+(?:\.0*)?")
# Excel stores a time of day on its own as a datetime on its epoch day.
_EXCEL_EPOCH_DAYS = (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Format characters that are part of writing, not noise: Persian and Indic names use the
# zero-width non-joiner, emoji sequences (a family, a flag of a region) the joiner.
JOINERS = frozenset({"\u200c", "\u200d"})


def has_control(value: str) -> bool:
    """Line breaks, tabs and other control or format characters (not the no-break space, not joiners)."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in JOINERS for c in value)


def printable(value: str) -> str:
    """Every whitespace becomes a space, other control and format characters go (joiners stay)."""
    return "".join(" " if c.isspace() else c for c in value if c.isspace() or c.isprintable() or c in JOINERS)


def visible(value: str) -> str:
    """The text with its control characters shown, for "(found: ...)": Ann\\nLee."""
    return show("".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in value))


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


class BadValue(ValueError):
    """A ValueError that also says how to show what was found (a number Excel
    shows as a date should be shown as the number typed)."""

    def __init__(self, message: str, found: str):
        super().__init__(message)
        self.found = found


_EPOCH = datetime(1899, 12, 30)


def excel_number(value: date) -> float:
    """The number Excel stores for a date or date and time (1900 date system)."""
    moment = value if isinstance(value, datetime) else datetime.combine(value, time(0))
    serial = (moment - _EPOCH).total_seconds() / 86400
    return serial - 1 if serial < 61 else serial  # Excel's 29 February 1900 that never was


def time_hint(value: float) -> str:
    """ "; did you mean 9:30?" for 930, 9.5 or 0.3958 typed into a time cell."""
    number = float(value)
    if 0 < number < 1:
        minutes = round(number * 1440)
    elif number.is_integer() and 0 <= number < 2400 and number % 100 < 60:
        minutes = int(number // 100) * 60 + int(number % 100) if number >= 24 else int(number) * 60
    elif 0 <= number < 24:
        minutes = round(number * 60)
    else:
        return ""
    return f"; did you mean {minutes // 60}:{minutes % 60:02d}?" if minutes < 1440 else ""


def number_in_time_cell(number: float) -> BadValue:
    shown = show(number)
    return BadValue(f"a number, not a time: type the time as HH:MM{time_hint(number)}", shown)


def parse_time(value: object) -> time:
    """A time of day: an Excel time, or HH:MM text. A bare number (930, 9.5) is
    refused: Excel stores 930 as the number 930, which reads as midnight."""
    if isinstance(value, time):
        return _time_from_seconds(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    if isinstance(value, timedelta) and value < timedelta(days=1):
        return _time_from_seconds(value.total_seconds())
    if isinstance(value, datetime) and (value.year >= 1905 or value.date() == _EPOCH.date()):
        return _time_from_seconds(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    if isinstance(value, date) and value.year < 1905:  # a number in a cell formatted as a time
        raise number_in_time_cell(excel_number(value))
    if isinstance(value, timedelta):
        raise number_in_time_cell(value.total_seconds() / 86400)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise number_in_time_cell(value)
    if isinstance(value, str):
        word = value.strip()
        if _INT_TEXT.fullmatch(word) or re.fullmatch(r"\d+[.,]\d+", word):
            raise number_in_time_cell(float(word.replace(",", ".")))
        return _time_from_text(word)
    if isinstance(value, date):
        raise ValueError("a date, not a time; type the time as HH:MM")
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

""""Did you mean ...?": the closest known header, ID or time zone to a mistyped one."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Sequence
from zoneinfo import available_timezones

from scheduler.io.contract import header_key

# Abbreviations people type for a time zone, and the IANA zones they mean.
# They are refused because a fixed offset (EST is always UTC-5) puts every
# calendar entry an hour off in summer.
ABBREVIATIONS = {
    "est": "America/Toronto", "edt": "America/Toronto", "et": "America/Toronto", "est5edt": "America/Toronto",
    "eastern": "America/Toronto",
    "cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago", "cst6cdt": "America/Chicago",
    "mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver", "mst7mdt": "America/Denver",
    "pst": "America/Vancouver", "pdt": "America/Vancouver", "pt": "America/Vancouver",
    "pst8pdt": "America/Vancouver",
    "ast": "America/Halifax", "adt": "America/Halifax", "nst": "America/St_Johns", "ndt": "America/St_Johns",
    "gmt": "Europe/London", "bst": "Europe/London", "wet": "Europe/Lisbon",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "met": "Europe/Paris", "eet": "Europe/Athens",
    "eest": "Europe/Athens", "msk": "Europe/Moscow", "ist": "Asia/Kolkata", "jst": "Asia/Tokyo",
    "hst": "Pacific/Honolulu", "aest": "Australia/Sydney",
}
ALWAYS_FINE = frozenset({"UTC", "Etc/UTC"})


def header(written: str, columns: Sequence[str]) -> str | None:
    """The contract column a header was probably meant to be (``Priorty`` -> ``Priority``)."""
    keys = {header_key(c): c for c in columns}
    found = difflib.get_close_matches(header_key(written), list(keys), n=1, cutoff=0.7)
    return keys[found[0]] if found else None


def _digits_folded(key: str) -> str:
    """P09 and P9 alike: leading zeros of each number dropped."""
    return re.sub(r"\d+", lambda m: str(int(m.group(0))), key)


def closest(key: str, known: Sequence[str], label: Callable[[str], str], n: int = 3) -> str:
    """ ``; did you mean P09 (Ines Miller)?`` for the known keys nearest to ``key``, or ""."""
    folded = _digits_folded(key)
    same = [k for k in known if _digits_folded(k) == folded]
    found = same or difflib.get_close_matches(key, known, n=n, cutoff=0.75)
    if not found:
        return ""
    return "; did you mean " + " or ".join(label(k) for k in found[:n]) + "?"


@functools.cache
def _zones() -> dict[str, str]:
    return {z.casefold(): z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))}


def time_zone(written: str) -> tuple[str | None, str]:
    """(the IANA name, "") when ``written`` is one we accept, else (None, why, with a suggestion)."""
    name = written.strip()
    if name in ALWAYS_FINE:
        return name, ""
    zones = _zones()
    if name in zones.values():
        return name, ""
    folded = name.casefold().replace(" ", "_")
    if folded in ABBREVIATIONS:
        return None, (f"an abbreviation, not a time zone: it ignores summer time; "
                      f"use a city's zone, did you mean {ABBREVIATIONS[folded]}?")
    if folded in zones:
        return None, f"not a time zone as written; did you mean {zones[folded]}?"
    cities = {z.rsplit("/", 1)[-1].casefold(): z for z in zones.values()}
    city = folded.rsplit("/", 1)[-1]
    match = cities.get(city) or next(iter(
        [zones[m] for m in difflib.get_close_matches(folded, list(zones), n=1, cutoff=0.7)]
        + [cities[m] for m in difflib.get_close_matches(city, list(cities), n=1, cutoff=0.75)]), None)
    hint = f"; did you mean {match}?" if match else "; use an IANA name such as America/Toronto"
    return None, "not a time zone" + hint
